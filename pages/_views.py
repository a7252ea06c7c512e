"""Each map view is built and rendered once per process, then sent to every session that asks for it.

A view is (variant, as-of date, provinces, layer, language, data): ``variant`` is the page's map ("overview",
"map" with markers and clicks, "present" for a projector); ``data`` is a short key of the registry and scores in use
("builtin", or a hash of an analyst's upload or saved dataset), so no DataFrame is hashed per session. The cached
value is what the streamlit-folium front end needs (the Leaflet script, header and HTML strings), so a fresh
session costs sending a string, not building and rendering a map. The cache is bounded (``map_cache_entries``
views, least recently used first out) and warmed with the default view when a process starts serving.
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import settings
from pages._loaders import (
    active_registry,
    active_scores,
    borders,
    builtin_key,
    builtin_registry,
    builtin_scores,
    corrections_state,
    coverage_gdf,
    coverage_table,
    data_key,
    mpp_points_as_of,
)


def folium_payload(m: Any) -> dict:
    """Everything the streamlit-folium component needs from a folium map, rendered once."""
    from folium.elements import JSCSSMixin
    from streamlit_folium import _get_header, _get_html, _get_map_string, get_full_id

    m.get_root().render()
    m.render()
    html, header = _get_html(m), _get_header(m)
    script = _get_map_string(m)
    css, js = [], []

    def walk(el: Any):
        yield el
        for child in getattr(el, "_children", {}).values():
            yield from walk(child)
    for el in walk(m):
        if isinstance(el, JSCSSMixin):
            css.extend(href for _, href in getattr(el, "default_css", []))
            js.extend(src for _, src in getattr(el, "default_js", []))
    return {"script": script, "header": header, "html": html, "id": get_full_id(m),
            "css_links": list(dict.fromkeys(css)), "js_links": list(dict.fromkeys(js)), "hashes": {}}


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
    from geo.mapdata import geometry_document, scope_name, write_document

    with _documents_lock:
        name = _documents.get(provinces)
        if name is None:
            if len(_documents) >= MAX_DOCUMENTS:
                return None
            doc = geometry_document(gdf[["code", "name", "province", "geometry"]], borders(provinces))
            name = _documents[provinces] = write_document(GEOMETRY_DIR, scope_name(provinces), doc)
    return GEOMETRY_URL + name


def _build(variant: str, when: date, provinces: tuple[str, ...], layer: str, language: str,
           reg: pd.DataFrame, sc: pd.DataFrame, key: str, pending: frozenset[str] = frozenset()) -> Any:
    from geo.assets import served
    from geo.maps import coverage_map

    table = coverage_table(when, provinces, reg, sc, key)
    mpps = mpp_points_as_of(when, provinces, reg, key) if variant in ("map", "present") else None
    gdf = coverage_gdf(table, provinces)
    return served(coverage_map(gdf, layer, language, outlines=borders(provinces), mpps=mpps,
                               legend_scale=1.25 if variant == "present" else 1.0, zoom_control=variant != "present",
                               pending=pending, geometry_url=geometry_url(gdf, provinces)))


@st.cache_resource(show_spinner=False, max_entries=settings.get("map_cache_entries"))
def _payload(variant: str, when: date, provinces: tuple[str, ...], layer: str, language: str, key: str,
             _reg: pd.DataFrame, _sc: pd.DataFrame, pending: frozenset[str] = frozenset()) -> dict:
    return folium_payload(_build(variant, when, provinces, layer, language, _reg, _sc, key, pending))


def briefing_html(when: date, provinces: tuple[str, ...], language: str) -> str:
    """The briefing link's page of a view (:mod:`geo.briefing_page`): the overview's map of the built-in data (no
    visitor's upload is ever in it), its headline and its source. Built from the views the sessions share."""
    from geo.briefing import scope_name, source_line
    from geo.briefing_page import BriefingText, briefing_page
    from geo.coverage import summary
    from geo.i18n import translator
    from geo.story import coverage_headline, progress_story, registry_count
    from pages._loaders import _progress, data_as_of, official_totals

    reg, sc, key = builtin_registry(), builtin_scores(), builtin_key()
    payload = _payload("overview", when, provinces, "coverage", language, key, reg, sc,
                       pending_in(provinces, "overview"))
    table = coverage_table(when, provinces, reg, sc, key)
    s = summary(table, when, reg, official_totals())
    _ = translator(language)
    head, named = coverage_headline(s, language), registry_count(s, language)
    progress = progress_story(_progress(when, provinces, key, reg), language)
    other = "en" if language == "id" else "id"
    text = BriefingText(
        lang=language,
        title=_("MPP coverage: {scope}", scope=scope_name(table, list(provinces), language)),
        figure=head.value,
        headline=head.words + ", " + _("as of {date}.", date=_.date(when)),
        detail=" ".join(progress),
        footer=[named.sentence() + ".",
                _("Point at or tap a region for its details. Data as of {date} (latest dated statement).",
                  date=_.date(data_as_of())), source_line(language)],
        app_label=_("Open the full app"),
        other_label={"id": "Bahasa Indonesia", "en": "English"}[other],
        other_lang=other,
        map_label=_("Map: MPP presence by regency"),
    )
    return briefing_page(payload, text, when.isoformat(), provinces)


def pending_in(provinces: tuple[str, ...], variant: str) -> frozenset[str]:
    """The regencies of the view with an open field correction (the presentation for a projector marks none)."""

    if variant == "present":
        return frozenset()
    pending = corrections_state().pending
    return frozenset(c for c in pending if c[:2] in provinces) if provinces else pending


def view(variant: str, when: date, provinces: tuple[str, ...], layer: str, language: str) -> dict:
    """The rendered view for this session's data (built on the first request, then shared)."""

    return _payload(variant, when, provinces, layer, language, data_key(), active_registry(), active_scores(),
                    pending_in(provinces, variant))


def _map_component() -> Any:
    """streamlit-folium's component, registered with this server's runtime. Its module registers it when first
    imported in a script run; a process warmed before its server started (deploy/app_process.py) imported it
    earlier, so it is registered here, once."""
    from streamlit.runtime import get_instance
    from streamlit_folium import _component_func

    registry = get_instance().component_registry
    if registry.get_component(_component_func.name) is None:
        registry.register_component(_component_func)
    return _component_func


def show_view(payload: dict, height: int, key: str, clickable: bool = False) -> dict | None:
    """Send a rendered view to this session's browser; with ``clickable``, return what was clicked."""
    from streamlit_folium import generate_js_hash

    hash_key = payload["hashes"].get(key)
    if hash_key is None:  # the standardised hash of a 1 MB script costs ~20 ms: once per view and key
        hash_key = payload["hashes"][key] = generate_js_hash(payload["script"], key, False)
    returned = ["last_active_drawing"] if clickable else []
    return _map_component()(script=payload["script"], header=payload["header"], html=payload["html"],
                           id=payload["id"], key=hash_key, height=height, width=None, returned_objects=returned,
                           default={k: None for k in returned}, zoom=None, center=None, feature_group=None,
                           return_on_hover=False, layer_control=None, pixelated=False,
                           css_links=payload["css_links"], js_links=payload["js_links"], on_change=None,
                           wrap_longitude=False)


_warmed = threading.Event()


def _warm() -> None:
    """Everything a process does once, so that no visitor pays for it: the store's schema, the upload worker, the
    built-in data and the default views (today, all of Indonesia, both languages), and the libraries pages use."""

    def migrate_store() -> None:  # the schema is created or migrated now, not in a visitor's first save
        try:
            from geo.store import Store

            Store().engine
        except Exception:  # noqa: BLE001  (an unreachable store is said where it is used)
            pass
    # in the background: a database that is slow or down delays neither the maps nor the process's start
    threading.Thread(target=migrate_store, name="peta-mpp-store", daemon=True).start()
    try:  # the upload worker's server process, so that the first upload does not wait for it
        from geo.worker import start

        start()
    except Exception:  # noqa: BLE001  (started again by the first upload)
        pass

    state = corrections_state()
    reg, sc = builtin_registry(), builtin_scores()
    for language in ("id", "en"):
        for variant in ("overview", "map"):
            _payload(variant, date.today(), (), "coverage", language, builtin_key(), reg, sc, state.pending)


def warm_default_views(blocking: bool = False) -> None:
    """Once per process: build what every visitor shares before they ask (see :func:`_warm`). ``deploy/app_process.py``
    calls it with ``blocking`` before the server listens, so a process reports healthy only when warm; app.py calls
    it again (a no-op then, or a background warm-up when the app was started some other way)."""
    if _warmed.is_set():
        return
    _warmed.set()
    if blocking:
        _warm()
        return
    ctx = None
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
    except Exception:  # outside a script run there is nothing to attach
        ctx = None

    def work() -> None:
        from streamlit.runtime.scriptrunner import add_script_run_ctx

        if ctx is not None:
            add_script_run_ctx(threading.current_thread(), ctx)
        try:
            _warm()
        except Exception:  # noqa: BLE001  (warming is an optimisation; a failure shows up on the real request)
            pass
    threading.Thread(target=work, name="peta-mpp-warm", daemon=True).start()
