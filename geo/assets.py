"""Leaflet and plugin assets from the npm packages installed by the README's setup (package.json), never a CDN.

Two ways to use them on a folium map:
- ``served``: the Streamlit server serves them from ``static/vendor`` (static file serving), URLs ``/app/static/vendor/…``;
- ``inline``: their text is written into a standalone HTML file (``python -m geo render-map``).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Iterator

import folium
from folium.elements import JSCSSMixin

from . import settings
from .errors import PetaError
from .i18n import N_

ROOT = Path(__file__).resolve().parent.parent
ENV_ASSETS = "PETA_MPP_ASSETS"
SERVED_PREFIX = "app/static/vendor/"  # relative to the Streamlit server root
_PLACEHOLDER = "peta-asset://"

#: Asset file name -> path inside node_modules.
ASSETS: dict[str, str] = {
    "leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet.css": "leaflet/dist/leaflet.css",
    "leaflet.markercluster.js": "leaflet.markercluster/dist/leaflet.markercluster.js",
    "MarkerCluster.css": "leaflet.markercluster/dist/MarkerCluster.css",
    "MarkerCluster.Default.css": "leaflet.markercluster/dist/MarkerCluster.Default.css",
}
#: folium's asset names -> our file; folium assets not listed here (jQuery, Bootstrap, awesome-markers, fonts) are
#: not used by these maps and are dropped.
FOLIUM_NAMES: dict[str, str] = {
    "leaflet": "leaflet.js",
    "leaflet_css": "leaflet.css",
    "markerclusterjs": "leaflet.markercluster.js",
    "markerclustercss": "MarkerCluster.css",
    "markerclusterdefaultcss": "MarkerCluster.Default.css",
}


class AssetError(PetaError):
    """A map asset is missing: run the README's setup (it installs them with npm)."""


def node_modules() -> Path:
    return settings.get("assets")


def asset_file(name: str) -> Path:
    p = node_modules() / ASSETS[name]
    if not p.is_file():
        raise AssetError(N_("map asset {assets_name} not found under {node_modules}: run `npm ci` (make run "
                            "/ make test do)", assets_name=ASSETS[name],
                            node_modules=node_modules()))
    return p


def publish_static(folder: Path = ROOT / "static" / "vendor") -> Path:
    """Copy the assets into the folder Streamlit serves (idempotent)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ASSETS:
        src, dest = asset_file(name), folder / name
        if not dest.exists() or dest.stat().st_size != src.stat().st_size or dest.stat().st_mtime < src.stat().st_mtime:
            shutil.copy2(src, dest)
    return folder


def _elements(root: folium.Element) -> Iterator[folium.Element]:
    yield root
    for child in getattr(root, "_children", {}).values():
        yield from _elements(child)


def localize(m: folium.Map, base_url: str) -> folium.Map:
    """Point every asset of the map at ``base_url`` + file name, dropping assets these maps do not use."""
    for el in _elements(m):
        if isinstance(el, JSCSSMixin):
            el.default_js = [(n, base_url + FOLIUM_NAMES[n]) for n, _ in el.default_js if n in FOLIUM_NAMES]
            el.default_css = [(n, base_url + FOLIUM_NAMES[n]) for n, _ in el.default_css if n in FOLIUM_NAMES]
    return m


def served(m: folium.Map) -> folium.Map:
    """Assets from the Streamlit server (absolute path, so the component iframe finds them)."""
    publish_static()
    return localize(m, "/" + SERVED_PREFIX)


def standalone_html(m: folium.Map) -> str:
    """The map as one HTML file with every asset inlined: it renders with no network at all."""
    localize(m, _PLACEHOLDER)
    html = m.get_root().render()

    def script(match: re.Match) -> str:
        text = asset_file(match.group(1)).read_text(encoding="utf-8").replace("</script", "<\\/script")
        return f"<script>{text}</script>"

    def style(match: re.Match) -> str:
        return f"<style>{asset_file(match.group(1)).read_text(encoding='utf-8')}</style>"

    html = re.sub(r'<script src="' + re.escape(_PLACEHOLDER) + r'([^"]+)"></script>', script, html)
    html = re.sub(r'<link rel="stylesheet" href="' + re.escape(_PLACEHOLDER) + r'([^"]+)"\s*/>', style, html)
    if _PLACEHOLDER in html:
        raise AssetError(N_("an asset reference was left in the standalone map"))
    return html
