"""A session's maps: each view is built and rendered once per process by geo.mapviews (shared with the briefing
link and the warm-up), and sent here to the streamlit-folium front end; a fresh session costs sending a string, not
building and rendering a map. This module registers how a folium map becomes what streamlit-folium draws, and
starts the process's warm-up when the app was not started warm.
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import streamlit as st

from geo import mapviews as geo_views
from pages._loaders import active_registry, active_scores, data_key


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


geo_views.use_renderer(folium_payload)  # every map this process builds, for the pages and the briefing link alike


def view(variant: str, when: date, provinces: tuple[str, ...], layer: str, language: str) -> dict:
    """The rendered view for this session's data (built on the first request in this process, then shared:
    geo.mapviews)."""
    return geo_views.payload(variant, when, provinces, layer, language, data_key(), active_registry(),
                             active_scores(), geo_views.pending_in(provinces, variant))


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


def warm_default_views() -> None:
    """Once per process: build what every visitor shares before they ask (geo.mapviews.warm). app.py calls it on every
    run: a no-op in a process started warm (``deploy/app_process.py`` warms before the server listens, so a process
    reports healthy only when warm), else the warm-up in the background."""
    if geo_views.is_warm():
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
            geo_views.warm()
        except Exception:  # noqa: BLE001  (warming is an optimisation; a failure shows up on the real request)
            pass
    threading.Thread(target=work, name="peta-mpp-warm", daemon=True).start()
