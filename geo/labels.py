"""The words for our columns and coded values, so no person ever reads a field name or a code such as ``without``.

Tables shown in the app and exported for people (CSV, XLSX) go through :func:`localize`; analysts' scripts can ask
for the machine-friendly English field names instead (``english=True`` keeps the frame as it is).
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from .i18n import N_, Msg, catalog, fmt_decimal, fmt_int, fmt_pct, say

#: Column → its label (translated through the catalog).
COLUMNS: dict[str, Msg] = {
    "code": N_("Code"), "name": N_("Regency/city"), "province": N_("Province"), "presence": N_("MPP"),
    "rb_predikat": N_("RB predikat"), "rb_year": N_("RB year"), "rb_score": N_("RB score"),
    "sakip_predikat": N_("SAKIP predikat"), "sakip_year": N_("SAKIP year"), "sakip_score": N_("SAKIP score"),
    "nearest_mpp": N_("Nearest MPP"), "nearest_mpp_regency": N_("Region of the nearest MPP"),
    "nearest_mpp_km": N_("Distance (km)"), "has_mpp": N_("Has its own MPP"), "regencies": N_("Regencies"),
    "covered": N_("With their own MPP"), "population": N_("Registered residents"),
    "people_without": N_("People without an MPP service"), "without": N_("Without an MPP service"),
    "coverage_rate": N_("Coverage"), "province_code": N_("Province code"), "served": N_("Served"),
    "served_rate": N_("Served (%)"), "display_name": N_("MPP"), "mpp_name": N_("MPP name"), "status": N_("Status"),
    "opened_on": N_("Opened"), "date_precision": N_("Date precision"), "date_basis": N_("Date basis"),
    "known_by": N_("Known to exist by"), "province_run": N_("Province-run"), "province_run_mpp": N_("Province-run MPP"),
    "sources": N_("Sources"), "conflicts": N_("Other dates in the sources"), "notes": N_("Compiler's notes"),
    "assessment": N_("Assessment"), "year": N_("Year"), "predikat": N_("Predikat"), "score": N_("Score"),
    "quality": N_("Source quality"), "selected": N_("Used"), "conflict": N_("Sources disagree"),
    "source_url": N_("Source"), "stated_on": N_("Date of the statement"), "event": N_("Statement (as compiled)"),
    "note": N_("Compiler's note"), "region_name": N_("Name in the source"),
    "mpp_in_registry": N_("MPP already in the registry"), "stated_size": N_("Stated size"),
    "linked": N_("Linked in the registry"), "difference": N_("Difference"), "ratio": N_("Ratio"),
    "polygon_km2": N_("Polygon area (km²)"), "official_km2": N_("Official area (km²)"), "reason": N_("Reason"),
    "linked_regions": N_("Regions"), "date": N_("Date"), "as_of": N_("As of"), "official_total": N_("Official count"),
    "registry_named": N_("Named in the registry"), "share_named": N_("Share named"), "event_id": N_("Batch"),
    "source_row": N_("Source row"), "inaugurated_on": N_("Inaugurated on"), "kind": N_("Kind"),
    "level": N_("Level"), "first_mpp_on": N_("First MPP"), "mpp_count": N_("MPPs"), "regency_type": N_("Type"),
    "row": N_("Row"), "latitude": N_("Latitude"), "longitude": N_("Longitude"), "official_name": N_("Official name"), "comparison": N_("Comparison"), "mpp_id": N_("MPP id"),
    "serves": N_("Serves"), "counted_nationally": N_("Counted nationally"), "digital_platform": N_("MPP Digital"),
    "digital_stage": N_("MPP Digital stage"), "area_km2": N_("Official area (km²)"),
    "file_date": N_("Date in your file"), "registry_date": N_("Date in the registry"),
    "file_source": N_("Source in your file"), "registry_sources": N_("Sources in the registry"),
    "with_own_mpp": N_("Regencies with their own MPP"), "population_covered": N_("People covered"),
    "population_total": N_("Registered residents"), "total": N_("Total"), "source_rows": N_("Source rows"),
    "statement": N_("Statement (as compiled)"), "outcome": N_("Outcome"),
    # corrections from the field
    "claim": N_("Claim"), "claim_text": N_("What is claimed"), "correction_status": N_("Status"),
    "submitted_on": N_("Submitted"), "changed_on": N_("Last change"), "status_reason": N_("Steward's reason"),
    "evidence": N_("Evidence"), "region": N_("Regency/city"), "at": N_("When"), "actor": N_("By"),
    "from_status": N_("From"), "to_status": N_("To"), "submitter_name": N_("Submitter"),
    "submitter_institution": N_("Institution"), "submitter_email": N_("E-mail"), "id": N_("Id"),
}

#: Coded values → their words, per column (``None`` is a value's missing form).
VALUES: dict[str, dict[Any, Msg]] = {
    "presence": {"with": N_("Has an MPP"), "province-run": N_("Province-run MPP"), "without": N_("No MPP")},
    "status": {"operating": N_("operating"), "soft launch": N_("soft launch"), "accepted": N_("accepted"),
               "warning": N_("accepted, with a warning"), "rejected": N_("rejected")},
    "date_precision": {"day": N_("day"), "month": N_("month only"), "year": N_("year only")},
    "date_basis": {"national inauguration": N_("national inauguration"), "local opening": N_("local opening"),
                   "existence only": N_("existence only"), "soft launch or trial": N_("soft launch or trial"),
                   "analyst file": N_("analyst's file"), "analyst file, no date": N_("analyst's file, no date")},
    "quality": {"direct": N_("direct statement"), "outside-scope": N_("outside the scope"),
                "blanket": N_("blanket statement"), "names-supplied": N_("names supplied by the compiler"),
                "current": N_("current, undated"), "year-doubtful": N_("year doubtful"),
                "weak-source": N_("weak source (a resident or a candidate quoted)")},
    "outcome": {"added": N_("added"), "already in the registry": N_("already in the registry"),
                "same MPP as another row": N_("same MPP as another row")},
    "comparison": {"same": N_("same"), "only in your file": N_("only in your file"),
                   "only in the registry": N_("only in the registry"), "dates differ": N_("dates differ")},
    "digital_platform": {"national": N_("national platform"), "local": N_("regency's own platform"),
                         "province": N_("province's platform"), "not stated": N_("platform not stated")},
    "digital_stage": {"pilot": N_("2023 pilot"), "committed": N_("committed"), "in use": N_("in use")},
    **dict.fromkeys(("correction_status", "from_status", "to_status"), {
        "diajukan": N_("submitted"), "ditinjau": N_("in review"), "diterima": N_("accepted"),
        "ditolak": N_("rejected"), "ditarik": N_("withdrawn")}),
    "claim": {"operating": N_("an MPP is operating"), "closed": N_("the MPP is not operating"),
              "date": N_("the opening date is wrong"), "score": N_("a reform score is wrong"), "other": N_("other")},
    "actor": {"submitter": N_("the submitter")},
    "kind": {"plan": N_("plan"), "construction": N_("construction"), "designation": N_("designation"),
             "caution": N_("caution"), "doubted": N_("doubted"), "inference": N_("inference"),
             "relocation": N_("relocation"), "negative": N_("no MPP yet")},
}
#: Columns whose text may be one of our rules' fixed messages (stored in a CSV, so no longer a Msg).
CATALOG_TEXT_COLUMNS = ("reason",)
BOOLEAN_COLUMNS = ("has_mpp", "province_run", "province_run_mpp", "selected", "mpp_in_registry", "counted_nationally")
YES, NO, NO_DATA = N_("yes"), N_("no"), N_("no data")
#: How a column's numbers are written for people, in the reader's language: ``int`` grouped (4.140.295), a Babel
#: pattern for decimals (182,4 km), ``pct`` a share (12,3%). Other numbers (years, codes, small counts) as they are.
NUMBER_FORMATS: dict[str, str] = {
    **dict.fromkeys(("population", "people_without", "population_covered", "population_total"), "int"),
    **dict.fromkeys(("nearest_mpp_km", "polygon_km2", "official_km2", "area_km2"), "#,##0.0"),
    **dict.fromkeys(("score", "rb_score", "sakip_score"), "#,##0.0#"),
    "ratio": "#,##0.0##",
    **dict.fromkeys(("coverage_rate", "served_rate", "share_named"), "pct"),
}


def column_label(column: str, lang: str) -> str:
    label = COLUMNS.get(column)
    return str(say(lang, label)) if label is not None else column


#: An analyst's row given as its own source ("mpp.csv row 3"): stored in these English words, shown in the reader's.
_FILE_ROW = re.compile(r"^(?P<file>.+) row (?P<row>[0-9]+)$")
SOURCE_COLUMNS = ("sources", "source_url")


def file_row(file: str, row: int) -> str:
    """The source of an analyst's row that names none: the file and the row (shown translated, :func:`value_label`)."""
    return f"{file} row {row}"


def value_label(column: str, value: Any, lang: str) -> Any:
    """A coded value in words; anything else (names, numbers, URLs, user text) as it is."""
    if isinstance(value, Msg):
        return say(lang, value)
    if column in BOOLEAN_COLUMNS and isinstance(value, (bool, str)) and str(value) in ("True", "False"):
        return say(lang, YES if str(value) == "True" else NO)
    words = VALUES.get(column)
    if words is not None and isinstance(value, str) and value in words:
        return say(lang, words[value])
    if column in SOURCE_COLUMNS and isinstance(value, str) and (m := _FILE_ROW.match(value)) and "://" not in value:
        return say(lang, N_("{file} row {row}", file=m["file"], row=m["row"]))
    if column in CATALOG_TEXT_COLUMNS and isinstance(value, str) and value:
        return catalog(lang).gettext(value)  # a fixed reason of our rules, stored as text; anything else unchanged
    return value


def number_text(column: str, value: Any, lang: str) -> Any:
    """A number of ``column`` written for people in ``lang`` (:data:`NUMBER_FORMATS`); a missing one as "no data";
    a column without a format, or a value that is not a number, unchanged."""
    kind = NUMBER_FORMATS.get(column)
    if kind is None:
        return value
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return say(lang, NO_DATA)
    if isinstance(value, bool) or not pd.api.types.is_number(value):
        return value
    if kind == "int":
        return fmt_int(value, lang)
    if kind == "pct":
        return fmt_pct(float(value), lang)
    return fmt_decimal(float(value), lang, kind)


def localize(df: pd.DataFrame, lang: str, english: bool = False, missing: bool = True) -> pd.DataFrame:
    """``df`` for people: coded values in words, missing text as "no data", columns labelled in ``lang``.
    ``english=True``: the frame as it is (field names and codes), for analysts' scripts."""
    if english:
        return df
    out = pd.DataFrame(index=df.index)
    for col in df.columns:
        s = df[col]
        text = pd.api.types.is_string_dtype(s.dtype)  # object or pandas' str dtype (CSV columns read as text)
        if text or col in BOOLEAN_COLUMNS or col in VALUES:
            s = s.map(lambda v, c=col: value_label(c, v, lang)).astype(object)
            if missing and (text or col in VALUES):
                s = s.where(s.notna(), say(lang, NO_DATA))
        label = column_label(col, lang)
        out[label if label not in out.columns else f"{label} ({col})"] = s  # two fields never share a header
    return out
