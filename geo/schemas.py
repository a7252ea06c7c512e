"""pandera schemas of the statement files and the curated tables: what every column holds, checked on every build.

The statement files (``data/sources/``) are validated when read by :func:`geo.curation.build_all`; the curated tables
before they are written or compared. A failure names the table, the column and the offending rows.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from .errors import PetaError

URL = r"^https?://\S+$"
PERIOD = r"^([0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)?$"  # YYYY, YYYY-MM, YYYY-MM-DD or empty
REGENCY_CODE = r"^[0-9]{2}\.[0-9]{2}$"
PROVINCE_CODE = r"^[0-9]{2}$"
PREDIKAT = ["AA", "A", "BB", "B", "CC", "C", "D", ""]


def _text(*checks: pa.Check, **kw) -> pa.Column:
    return pa.Column(str, list(checks), **kw)


MPP_STATEMENTS = pa.DataFrameSchema({
    "region_name": _text(pa.Check.str_length(min_value=1)),
    "province": _text(),
    "mpp_name": _text(),
    "inaugurated_on": _text(pa.Check.str_matches(PERIOD)),
    "event": _text(pa.Check.str_length(min_value=1)),
    "source_url": _text(pa.Check.str_matches(URL)),
    "note": _text(),
}, strict="filter", name="mpp_sources.csv")

REFORM_STATEMENTS = pa.DataFrameSchema({
    "region_name": _text(pa.Check.str_length(min_value=1)),
    "region_level": _text(pa.Check.isin(["provinsi", "kabupaten/kota", "kabupaten", "kota"])),
    "assessment": _text(pa.Check.isin(["RB", "SAKIP"])),
    "year": _text(pa.Check.str_matches(r"^([0-9]{4})?$")),
    "predikat": _text(),
    "score": _text(),
    "source_url": _text(pa.Check.str_matches(URL)),
    "note": _text(),
}, strict="filter", name="reform_scores_sources.csv")

TARGET_STATEMENTS = pa.DataFrameSchema({
    "stated_on": _text(pa.Check.str_matches(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")),
    "speaker": _text(pa.Check.str_length(min_value=1)),
    "statement_kind": _text(pa.Check.isin(["target", "count"])),
    "target": _text(),
    "target_by": _text(pa.Check.str_matches(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")),
    "count_stated": _text(pa.Check.str_matches(r"^[0-9]*$")),
    "denominator_stated": _text(pa.Check.str_matches(r"^[0-9]*$")),
    "source_url": _text(pa.Check.str_matches(URL)),
    "quote_or_summary": _text(pa.Check.str_length(min_value=1)),
}, strict="filter", name="mpp_targets.csv")

REGISTRY = pa.DataFrameSchema({
    "mpp_id": _text(unique=True),
    "code": _text(pa.Check.str_matches(r"^([0-9]{2}\.[0-9]{2})?$")),
    "province_code": _text(pa.Check.str_matches(PROVINCE_CODE)),
    "province_run": pa.Column(bool),
    "status": _text(pa.Check.isin(["operating", "soft launch"])),
    "opened_on": _text(pa.Check.str_matches(PERIOD)),
    "date_precision": _text(pa.Check.isin(["day", "month", "year", ""])),
    "date_basis": _text(pa.Check.isin(["national inauguration", "local opening", "soft launch or trial",
                                       "existence only"])),
    "known_by": _text(pa.Check.str_matches(PERIOD)),
    "counted_nationally": pa.Column(bool),
    # a source address; a field correction's is named first ("koreksi lapangan #<id>"), its address if it has one
    "sources": _text(pa.Check.str_matches(r"^(?:koreksi lapangan #[0-9a-f]{32}(?: https?://|$| \|)|https?://)")),
    "event_id": _text(pa.Check.str_matches(r"^(E[0-9]{4}-[0-9]{2}-[0-9]{2})?$")),
}, strict=False, name="mpp_registry.csv")

SCORES = pa.DataFrameSchema({
    "code": _text(pa.Check.str_matches(r"^[0-9]{2}(\.[0-9]{2})?$")),
    "level": _text(pa.Check.isin(["province", "regency"])),
    "assessment": _text(pa.Check.isin(["RB", "SAKIP"])),
    "year": pa.Column(int, pa.Check.in_range(2010, 2100)),
    "predikat": _text(pa.Check.isin(PREDIKAT)),
    "score": pa.Column(float, pa.Check.in_range(0, 125), nullable=True),
    "quality": _text(pa.Check.isin(["direct", "blanket", "current", "names-supplied", "weak-source", "year-doubtful",
                                    "outside-scope"])),
    "selected": pa.Column(bool),
    "source_url": _text(pa.Check.str_matches(URL)),
}, strict=False, name="reform_scores.csv")

EVENTS = pa.DataFrameSchema({
    "event_id": _text(unique=True),
    "date": _text(pa.Check.str_matches(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")),
    "name": _text(pa.Check.str_length(min_value=1)),
    "name_id": _text(pa.Check.str_length(min_value=1)),  # the same description in Indonesian, for the Data page
    "stated_size": _text(pa.Check.str_matches(r"^[0-9]+$")),
    "source_url": _text(pa.Check.str_matches(URL)),
}, strict=False, name="mpp_events.csv")


def validate(schema: pa.DataFrameSchema, df: pd.DataFrame) -> pd.DataFrame:
    """The frame if it fits the schema, else one :class:`PetaError` naming the table, columns and first rows."""
    try:
        return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        parts = [f"{r.column}: {r.check} (row {r.index}: {str(r.failure_case)[:60]!r})"
                 for r in cases.head(5).itertuples()]
        raise PetaError(f"{schema.name}: {len(cases)} value(s) break the schema: " + "; ".join(parts),
                        where=str(schema.name)) from exc
