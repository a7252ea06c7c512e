"""The views a process shares: the built-in data as corrected in the field, each view's tables and rendered map,
built once per process and kept in bounded caches (:mod:`geo.cache`) that the pages, the briefing link, the warm-up
and the API all use.

A view is (variant, as-of date, provinces, layer, language, data): ``variant`` is the page's map ("overview",
"map" with markers and clicks, "present" for a projector); ``data`` is a short key of the registry and scores in use
(:func:`builtin_key`, or a key of an analyst's upload or saved dataset), so no DataFrame is hashed per request. A
view's map is kept in the form the front end draws (its Leaflet script, header and HTML), made by the renderer the
app registers with :func:`use_renderer` (the app's pages register streamlit-folium's; this library imports no
Streamlit). The polygons of a scope travel once, as a geometry document (:mod:`geo.mapdata`) written to
:data:`GEOMETRY_DIR` and served at :data:`GEOMETRY_URL`; a view's message carries only its colours and tooltips.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from . import boundaries, coverage, registry, scores, settings
from .cache import memo
from .inputs import map_inputs, reference

# ----------------------------------------------------------------------------------------------------------------
# The built-in data, as corrected in the field
# ----------------------------------------------------------------------------------------------------------------


@functools.cache
def live() -> Any:
    """This process's view of the corrections in the store (read in the background; :class:`geo.corrections.Live`)."""
    from .corrections import Live

    return Live()


def corrections_state() -> Any:
    """The corrections as this process last read them (the process's first call waits up to 2 s for its first read:
    the warm-up makes that call, so no visitor does)."""
    return live().state(wait=2.0)


@memo(1, copy=True)
def committed_registry() -> pd.DataFrame:
    return registry.load_registry()


@memo(1, copy=True)
def committed_scores() -> pd.DataFrame:
    return scores.load_scores()


@memo(1, copy=True)
def official_totals() -> pd.DataFrame:
    return registry.load_official_totals()


@memo(1, copy=True)
def targets() -> pd.DataFrame:
    from .progress import load_targets

    return load_targets()


@memo(8, copy=True)
def curation_report(name: str) -> pd.DataFrame:
    return registry.load_curation_report(name)


def builtin_part() -> str:
    return f"builtin{corrections_state().key}"  # accepted field corrections change the built-in data


def builtin_key() -> str:
    """The data key of the built-in registry and scores with the accepted field corrections: what every visitor
    shares (the warm-up, the briefing link) is keyed by it."""
    part = builtin_part()
    return f"{part}:{part}:"


def builtin_registry() -> pd.DataFrame:
    """The built-in registry, with the accepted field corrections taken in."""
    data = corrections_state().data
    return committed_registry() if data is None else data.registry.copy()


def builtin_scores() -> pd.DataFrame:
    """The built-in scores, with the accepted field corrections taken in."""
    data = corrections_state().data
    return committed_scores() if data is None else data.scores.copy()


def negative_evidence() -> pd.DataFrame:
    """The "no MPP yet" statements, with those of accepted field corrections."""
    data = corrections_state().data
    return curation_report("negative_evidence") if data is None else data.negative.copy()


@memo(1)
def data_as_of() -> date:
    """The date of the committed data's latest dated statement."""
    return registry.data_as_of(committed_registry(), curation_report("negative_evidence"))


# ----------------------------------------------------------------------------------------------------------------
# A view's tables, by data key
# ----------------------------------------------------------------------------------------------------------------

@memo(64, copy=True)
def coverage_table(when: date, provinces: tuple[str, ...], key: str, _reg: pd.DataFrame,
                   _sc: pd.DataFrame) -> pd.DataFrame:
    return coverage.regency_coverage(when, list(provinces), _reg, _sc, **reference())


@memo(32, copy=True)
def yearly(until: date, provinces: tuple[str, ...], key: str, _reg: pd.DataFrame, _sc: pd.DataFrame) -> pd.DataFrame:
    """The one per-year series (geo.coverage.yearly_series), shared by the overview and the timeline."""
    return coverage.yearly_series(until, list(provinces), _reg, _sc, official_totals(), **reference())


@memo(32)
def progress(when: date, provinces: tuple[str, ...], key: str, _reg: pd.DataFrame) -> Any:
    """Progress in the ministry's units (geo.progress)."""
    from .progress import progress as compute

    return compute(when, provinces, _reg, official_totals(), targets())


@memo(16, copy=True)
def monthly_units(until: date, provinces: tuple[str, ...], key: str, _reg: pd.DataFrame) -> pd.DataFrame:
    from .progress import monthly_units as series

    return series(_reg, until, provinces)


@memo(64, copy=True)
def mpp_points(when: date, provinces: tuple[str, ...], key: str, _reg: pd.DataFrame) -> gpd.GeoDataFrame:
    from .inputs import centres
    from .maps import mpp_points as points

    live_ = registry.as_of(_reg, when)
    if provinces:
        live_ = live_[live_["province_code"].isin(provinces)]
    return points(live_, centres())


def borders(provinces: tuple[str, ...]) -> gpd.GeoDataFrame:
    return map_inputs(provinces)["borders"]


def coverage_gdf(table: pd.DataFrame, provinces: tuple[str, ...]) -> gpd.GeoDataFrame:
    return boundaries.attach_geometry(table, map_inputs(provinces)["shapes"])


# ----------------------------------------------------------------------------------------------------------------
# A view's map
# ----------------------------------------------------------------------------------------------------------------

#: Where the maps' geometry documents are written (served by Streamlit's static file serving at GEOMETRY_URL).
GEOMETRY_DIR = Path(__file__).resolve().parent.parent / "static" / "geo"
GEOMETRY_URL = "/app/static/geo/"
#: At most this many scopes get a document file per process: all of Indonesia and each province fit many times over;
#: a visitor who tries one province combination after another cannot fill the disk with files (a view of a scope
#: beyond the budget carries its polygons in its message, as every map did before).
MAX_DOCUMENTS = 64
_documents: dict[tuple[str, ...], str] = {}
_documents_lock = threading.Lock()


def geometry_url(gdf: gpd.GeoDataFrame, provinces: tuple[str, ...]) -> str | None:
    """The URL of the scope's geometry document (geo.mapdata), written once per process and scope: every view of
    the scope shares it, and a browser fetches it once. None beyond :data:`MAX_DOCUMENTS` scopes."""
    from .mapdata import geometry_document, scope_name, write_document

    with _documents_lock:
        name = _documents.get(provinces)
        if name is None:
            if len(_documents) >= MAX_DOCUMENTS:
                return None
            doc = geometry_document(gdf[["code", "name", "province", "geometry"]], borders(provinces))
            name = _documents[provinces] = write_document(GEOMETRY_DIR, scope_name(provinces), doc)
    return GEOMETRY_URL + name


def build_map(variant: str, when: date, provinces: tuple[str, ...], layer: str, language: str,
              reg: pd.DataFrame, sc: pd.DataFrame, key: str, pending: frozenset[str] = frozenset()) -> Any:
    """The view's folium map (its Leaflet served by the app, its polygons in the scope's geometry document)."""
    from .assets import served
    from .maps import coverage_map

    table = coverage_table(when, provinces, key, reg, sc)
    mpps = mpp_points(when, provinces, key, reg) if variant in ("map", "present") else None
    gdf = coverage_gdf(table, provinces)
    return served(coverage_map(gdf, layer, language, outlines=borders(provinces), mpps=mpps,
                               legend_scale=1.25 if variant == "present" else 1.0, zoom_control=variant != "present",
                               pending=pending, geometry_url=geometry_url(gdf, provinces)))


Renderer = Callable[[Any], dict]
_renderer: list[Renderer] = []


def use_renderer(render: Renderer) -> None:
    """Register how a folium map becomes what the front end draws (the app's pages register streamlit-folium's)."""
    _renderer[:] = [render]


@memo(lambda: settings.get("map_cache_entries"))
def payload(variant: str, when: date, provinces: tuple[str, ...], layer: str, language: str, key: str,
            _reg: pd.DataFrame, _sc: pd.DataFrame, pending: frozenset[str] = frozenset()) -> dict:
    """The rendered view, built once per process and view (least recently used out first beyond
    ``map_cache_entries``)."""
    if not _renderer:
        raise RuntimeError("no map renderer registered: the app's pages register one (geo.mapviews.use_renderer)")
    return _renderer[0](build_map(variant, when, provinces, layer, language, _reg, _sc, key, pending))


def pending_in(provinces: tuple[str, ...], variant: str) -> frozenset[str]:
    """The regencies of the view with an open field correction (the presentation for a projector marks none)."""
    if variant == "present":
        return frozenset()
    pending = corrections_state().pending
    return frozenset(c for c in pending if c[:2] in provinces) if provinces else pending


def builtin_payload(variant: str, when: date, provinces: tuple[str, ...], layer: str, language: str) -> dict:
    """A view of the built-in data (as corrected in the field): what every visitor without an upload shares."""
    return payload(variant, when, provinces, layer, language, builtin_key(), builtin_registry(), builtin_scores(),
                   pending_in(provinces, variant))


# ----------------------------------------------------------------------------------------------------------------
# The briefing link's page, and the warm-up
# ----------------------------------------------------------------------------------------------------------------

def briefing_html(when: date, provinces: tuple[str, ...], language: str) -> str:
    """The briefing link's page of a view (:mod:`geo.briefing_page`): the overview's map of the built-in data (no
    visitor's upload is ever in it), its headline, the ministry's terms and its source (geo.story), built from the
    views the sessions share."""
    from .briefing import scope_name, source_line
    from .briefing_page import BriefingText, briefing_page
    from .coverage import summary
    from .i18n import translator
    from .story import coverage_headline, progress_brief, registry_count

    reg, sc, key = builtin_registry(), builtin_scores(), builtin_key()
    view = builtin_payload("overview", when, provinces, "coverage", language)
    table = coverage_table(when, provinces, key, reg, sc)
    s = summary(table, when, reg, official_totals())
    _ = translator(language)
    head, named = coverage_headline(s, language), registry_count(s, language)
    other = "en" if language == "id" else "id"
    text = BriefingText(
        lang=language,
        title=_("MPP coverage: {scope}", scope=scope_name(table, list(provinces), language)),
        figure=head.value,
        headline=head.words + ", " + _("as of {date}.", date=_.date(when)),
        detail=progress_brief(progress(when, provinces, key, reg), language) + ".",
        footer=[named.sentence() + ".",
                _("Point at or tap a region for its details. Data as of {date} (latest dated statement).",
                  date=_.date(data_as_of())), source_line(language)],
        app_label=_("Open the full app"),
        other_label={"id": "Bahasa Indonesia", "en": "English"}[other],
        other_lang=other,
        map_label=_("Map: MPP presence by regency"),
    )
    return briefing_page(view, text, when.isoformat(), provinces)


_warm_lock = threading.Lock()
_warm_done = threading.Event()


def is_warm() -> bool:
    """Whether this process's warm-up has run or is running (it runs once)."""
    return _warm_done.is_set() or _warm_lock.locked()


def warm() -> None:
    """Everything a process does once, so that no visitor pays for it: the store's schema (in the background: a
    database that is slow or down delays nothing), the upload worker, the built-in data and the default views
    (today, all of Indonesia, both languages). A call while another runs waits for it; a later call does nothing."""
    with _warm_lock:
        if not _warm_done.is_set():
            _warm()
            _warm_done.set()


def _warm() -> None:
    def migrate_store() -> None:  # the schema is created or migrated now, not in a visitor's first save
        try:
            from .store import Store

            Store().engine
        except Exception:  # noqa: BLE001  (an unreachable store is said where it is used)
            pass
    threading.Thread(target=migrate_store, name="peta-mpp-store", daemon=True).start()
    try:  # the upload worker's server process, so that the first upload does not wait for it
        from .worker import start

        start()
    except Exception:  # noqa: BLE001  (started again by the first upload)
        pass
    for language in ("id", "en"):
        for variant in ("overview", "map"):
            builtin_payload(variant, date.today(), (), "coverage", language)
