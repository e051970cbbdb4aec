"""Findings: what the rules concluded, as data; and waivers, the findings an auditor accepts."""

from .finding import SEVERITIES, Finding, severity_problem, severity_rank
from .waivers import RULE_ERROR, STALE, UNWAIVABLE, Waived, Waiver, apply_waivers

__all__ = ["Finding", "SEVERITIES", "severity_rank", "severity_problem", "Waiver", "Waived", "apply_waivers", "STALE", "RULE_ERROR", "UNWAIVABLE"]
