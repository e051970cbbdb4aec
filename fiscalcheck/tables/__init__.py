"""Budget tables: line items from CSV and Parquet files, checked exactly at any size.

A case declares ``tables:`` (:mod:`fiscalcheck.model.table`, read by
:mod:`fiscalcheck.inputs.tables`); cells are read as text (:mod:`.read`); a small
table becomes nodes for the tree engine (:mod:`.tree`), a large one is checked by
SQL over DuckDB's exact DECIMAL arithmetic (:mod:`.sql`, :mod:`.engine`), with the
same interval semantics and the same :class:`~fiscalcheck.findings.Finding`
records. :func:`.run.plan` chooses. DuckDB and pyarrow are the optional extra
``pip install "fiscalcheck[tables]"``; without it, tables up to
:data:`.run.THRESHOLD` rows still run on the tree engine.

The columnar engine (:mod:`.engine`, :mod:`.sql`) is imported by the check
only when a case has a large table, so a run over prose pays nothing for it.
"""

from .progress import Progress
from .run import ENGINES, THRESHOLD, plan

__all__ = ["plan", "Progress", "ENGINES", "THRESHOLD"]
