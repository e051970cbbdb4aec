"""Diagnosis: the likely causes of each failing relation, ranked, each with its evidence and fix.

Pure functions from the judged relations of a case to causes:
:func:`diagnose` (one finding, with the case and its other findings) and
:func:`diagnose_checks` (every failing relation of a report at once, which the
runner calls). A cause (:class:`Cause`) names the kind of mistake (one of
:data:`CAUSE_KINDS`), the suspect printing, and the corrected figure that would
make the relation hold, as exact decimals; its sentence says what the figures
are consistent with, never that the mistake happened.

Modules, in the order the data passes through them: :mod:`.equations` (a
finding's relation rebuilt as an equation over the case's measures),
:mod:`.edits` (corrections of one printing by one kind of mistake),
:mod:`.items` (an item left out of a list or counted twice), :mod:`.rank`
(every edit judged against every relation it touches, and ranked),
:mod:`.messages` (the sentences, in English and Chinese).
"""

from .cause import CAUSE_KINDS, Cause
from .messages import cause_sentence
from .rank import diagnose, diagnose_checks, suspects

__all__ = ["Cause", "CAUSE_KINDS", "diagnose", "diagnose_checks", "suspects", "cause_sentence"]
