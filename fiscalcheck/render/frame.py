"""Reports as pandas DataFrames (the ``pandas`` extra), with every figure still an exact Decimal."""

from __future__ import annotations

from ..findings import Finding

__all__ = ["to_dataframe", "FIGURE_COLUMNS"]

#: Record columns that hold figures: kept as Decimal objects in a DataFrame.
FIGURE_COLUMNS = ("printed", "expected", "difference", "tolerance")


def to_dataframe(report, include_passed: bool = False):
    """The report's records as a pandas DataFrame; figures stay exact Decimal objects (dtype object)."""
    try:
        import pandas  # the optional 'pandas' extra: imported only when a frame is asked for
    except ImportError:
        raise ImportError(
            "Report.to_dataframe() needs pandas, which is not installed: "
            "pip install 'fiscalcheck[pandas]' (or use Report.to_records(), which needs nothing)"
        ) from None
    records = report.to_records(include_passed)
    columns = list(records[0]) if records else list(_empty_record(Finding))
    frame = pandas.DataFrame.from_records(records, columns=columns, coerce_float=False)
    for column in FIGURE_COLUMNS:
        if column in frame.columns:
            frame[column] = frame[column].astype(object)
    return frame


def _empty_record(finding_class) -> dict[str, object]:
    """The record keys of a finding, for a report with none (an empty DataFrame still has columns)."""
    sample = finding_class(rule="", severity="error", node="", label="", measure="", relation="",
                           holds=True, exact=True, message="")
    return sample.to_record()
