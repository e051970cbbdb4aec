"""pytest plugin: audit case files as tests — ``pytest cases/``.

Why: auditors who keep their cases in a repository already run pytest in CI.
With this plugin each case file is one test item named after its case; it
passes when nothing at or above the fail level is found, and fails showing the
findings table (no traceback: the table *is* the explanation). A malformed case
file is a collection error naming ``file:line:column``.

Which files are collected (decided so that a project's own ``pytest`` run, with
``testpaths = tests``, never starts auditing): a ``*.yaml`` / ``*.yml`` file
whose top level has a ``case:`` key, and only when

* the file, or a folder that holds it, is named on the command line
  (``pytest cases/``, ``pytest cases/2020.yaml``) — folders reached only through
  the ``testpaths`` ini setting do not count, and files inside a ``testpaths``
  folder (a test suite's fixtures) are collected only when named one by one; or
* ``--fiscalcheck`` is given, or ``fiscalcheck = true`` is set in the pytest ini
  section: then every case file pytest visits is collected.

A case file that another case file in the same collected folder tree
``include:``s is not collected on its own: it is audited as part of the case
that includes it (its nodes may need the others'), once. Named on the command
line by itself, it is collected all the same.

Options: ``--fiscalcheck-fail-on error|warning|info|never`` (ini
``fiscalcheck_fail_on``, default ``error``) and ``--fiscalcheck-rules PACK``
(ini ``fiscalcheck_rules``): a rule pack's name or path, passed to
:meth:`fiscalcheck.Case.check`.

Collection is cheap for an unrelated pytest run: a YAML file is only looked
at (its top-level keys, with the one located reader) when it lies on a path
named on the command line.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from ..api import load
from ..errors import CaseError
from ..inputs import compose
from ..render import render

FAIL_LEVELS = ("error", "warning", "info", "never")
_SUFFIXES = (".yaml", ".yml")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fiscalcheck", "fiscalcheck: audit case files")
    group.addoption("--fiscalcheck", action="store_true", default=False,
                    help="collect every case file (*.yaml with a top-level 'case:' key) pytest visits")
    group.addoption("--fiscalcheck-fail-on", choices=FAIL_LEVELS, default=None,
                    help="lowest severity that fails a case (default: error)")
    group.addoption("--fiscalcheck-rules", metavar="PACK", default=None,
                    help="rule pack (a shipped pack's name or a path) to check the cases with")
    parser.addini("fiscalcheck", type="bool", default=False,
                  help="collect every case file pytest visits, as --fiscalcheck")
    parser.addini("fiscalcheck_fail_on", default="error", help="as --fiscalcheck-fail-on")
    parser.addini("fiscalcheck_rules", default="", help="as --fiscalcheck-rules")


def _fail_on(config: pytest.Config) -> str:
    level = config.getoption("fiscalcheck_fail_on") or config.getini("fiscalcheck_fail_on") or "error"
    if level not in FAIL_LEVELS:
        raise pytest.UsageError(f"fiscalcheck_fail_on: expected one of {', '.join(FAIL_LEVELS)}, got {level!r}")
    return level


def _rules(config: pytest.Config) -> str | None:
    return config.getoption("fiscalcheck_rules") or config.getini("fiscalcheck_rules") or None


def _named_paths(config: pytest.Config) -> list[Path]:
    """The paths written on the command line (not those that come from ``testpaths``)."""
    base = Path(config.invocation_params.dir)
    named = []
    for arg in config.invocation_params.args:
        text = str(arg)
        if text.startswith("-"):
            continue
        candidate = (base / text.split("::", 1)[0]).resolve()
        if candidate.exists():
            named.append(candidate)
    return named


def _testpaths(config: pytest.Config) -> list[Path]:
    return [(config.rootpath / p).resolve() for p in (config.getini("testpaths") or [])]


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _top_keys(path: Path) -> tuple[bool, list[str]]:
    """Whether the file's top level has ``case:``, and its ``include:`` entries; never raises.

    Reads the YAML node tree only (no values are built), so a malformed file is
    cheap to skip here and reported properly when collected.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return _looks_like_case(path), []
    ok, root = compose(text, str(path), [])
    if not ok:
        return _looks_like_case(path), []
    if not isinstance(root, yaml.MappingNode):
        return False, []
    keys = {k.value: v for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    includes = []
    node = keys.get("include")
    if isinstance(node, yaml.SequenceNode):
        includes = [n.value for n in node.value if isinstance(n, yaml.ScalarNode)]
    return "case" in keys, includes


def _looks_like_case(path: Path) -> bool:
    """For a file that is not valid YAML: does a line start with ``case:``? (Then report its error.)"""
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return any(line.startswith("case:") for line in handle)
    except OSError:
        return False


class _Included:
    """Which case files are included by another case file under a folder; computed once per folder."""

    def __init__(self) -> None:
        self._cache: dict[Path, frozenset[Path]] = {}

    def under(self, folder: Path) -> frozenset[Path]:
        if folder not in self._cache:
            found = set()
            for dirpath, dirnames, filenames in os.walk(folder):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                for name in filenames:
                    if not name.endswith(_SUFFIXES):
                        continue
                    path = Path(dirpath, name)
                    is_case, includes = _top_keys(path)
                    if is_case:
                        found.update((path.parent / inc).resolve() for inc in includes)
            self._cache[folder] = frozenset(found)
        return self._cache[folder]


_INCLUDED = pytest.StashKey[_Included]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_INCLUDED] = _Included()
    config.addinivalue_line("markers", "fiscalcheck: a case file audited by fiscalcheck")


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> "CaseFile | None":
    if file_path.suffix not in _SUFFIXES:
        return None
    config = parent.config
    path = file_path.resolve()
    enabled = config.getoption("fiscalcheck") or config.getini("fiscalcheck")
    named = _named_paths(config)
    if path in named:  # named on its own: always audited
        return CaseFile.from_parent(parent, path=file_path) if _top_keys(path)[0] else None
    roots = [p for p in named if p.is_dir() and _within(path, p)]
    if not enabled:
        if not roots:
            return None
        suites = [t for t in _testpaths(config) if t != config.rootpath.resolve()]
        if any(_within(path, t) for t in suites):
            return None  # a test suite's fixtures, reached through its folder
    if not _top_keys(path)[0]:
        return None
    top = min(roots, key=lambda p: len(p.parts)) if roots else config.rootpath.resolve()
    if path in config.stash[_INCLUDED].under(top):
        return None  # audited as part of the case that includes it
    return CaseFile.from_parent(parent, path=file_path)


def _shown(path: Path, config: pytest.Config) -> str:
    """``path`` relative to where pytest was started, when it is below it: what an editor opens."""
    try:
        return str(path.resolve().relative_to(Path(config.invocation_params.dir).resolve()))
    except ValueError:
        return str(path)


class CaseFile(pytest.File):
    """A case file: one test item, named after its case."""

    def collect(self):
        try:
            case = load(_shown(self.path, self.config))
        except CaseError as error:
            lines = [str(p) for p in error.problems]
            raise self.CollectError(
                f"fiscalcheck: {self.path.name} is not a valid case file:\n" + "\n".join(lines)) from None
        yield CaseItem.from_parent(self, name=case.id, case=case)


class CaseFailed(Exception):
    """Raised by a case item whose report has findings at or above the fail level."""

    def __init__(self, report, fail_on: str):
        self.report = report
        self.fail_on = fail_on
        super().__init__(report.summary())


class CaseItem(pytest.Item):
    """The audit of one case: passes when nothing at or above the fail level is found."""

    def __init__(self, *, case, **kwargs):
        super().__init__(**kwargs)
        self.case = case
        self.add_marker("fiscalcheck")

    def runtest(self) -> None:
        fail_on = _fail_on(self.config)
        rules = _rules(self.config)
        report = self.case.check(rules) if rules else self.case.check()
        self.add_report_section("call", "fiscalcheck", report.summary())
        if not report.ok(fail_on):
            raise CaseFailed(report, fail_on)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CaseFailed):
            failed = excinfo.value
            count = len(failed.report.failing(failed.fail_on))
            head = (f"{self.path.name}: case {self.case.id!r} has {count} finding{'s' if count != 1 else ''} "
                    f"at or above '{failed.fail_on}'")
            return head + "\n\n" + render([failed.report], "table")
        if isinstance(excinfo.value, CaseError):  # a rule pack that cannot be loaded
            return "\n".join(str(p) for p in excinfo.value.problems)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, None, f"fiscalcheck case {self.case.id}"
