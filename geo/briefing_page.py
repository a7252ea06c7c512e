"""The briefing link: one light HTML page of a coverage view, for an audience opening the same link at once.

A briefing's audience opens the same view on their phones and laptops. They need the map, its headline and its
source, not the app's filters, navigation and widgets: in a browser those cost more than the map itself. This page
is the same map as the overview (the same script, legend, tooltips and geometry document, :mod:`geo.maps`) in a plain
HTML page: no Streamlit, no WebSocket, nothing run per visitor on the server (``deploy/briefing.py`` builds a view's
page once and serves it from memory). A header says what the map shows and links to the full app at the same view
and to the other language; a footer gives the source line.

Everything written here is escaped; the map's own script escapes its values (:func:`geo.maps.bind_text_tooltips`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlencode

from .maps import esc

#: The page's own layout: a header, the map filling what is left of the window, a footer; printed on one page.
PAGE_CSS = """
html, body { height: 100%; margin: 0; overflow: hidden; }
body.peta-briefing { display: flex; flex-direction: column; height: 100vh; height: 100dvh;
  font-family: "Source Sans Pro", "Source Sans 3", system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1f2933; background: #fff; }
.peta-briefing header { flex: none; display: flex; flex-wrap: wrap; align-items: baseline; gap: 2px 20px;
  padding: 8px 14px 6px; border-bottom: 1px solid #d0d7de; }
.peta-briefing h1 { font-size: 1.3rem; margin: 0; font-weight: 700; }
.peta-briefing .headline { margin: 0; font-size: 1.05rem; flex: 1 1 22rem; }
.peta-briefing .headline b { font-size: 1.15rem; }
.peta-briefing nav { display: flex; gap: 14px; font-size: .95rem; }
.peta-briefing nav a { color: #0b5cad; }
.peta-briefing .peta-map { flex: 1 1 auto; position: relative; min-height: 240px; }
.peta-briefing .peta-map #map_div { position: absolute !important; inset: 0; height: 100% !important;
  width: 100% !important; }
.peta-briefing footer { flex: none; padding: 4px 14px 6px; font-size: .8rem; color: #4a5560;
  border-top: 1px solid #d0d7de; }
.peta-briefing footer p { margin: 0; }
/* On paper: landscape, the map at a fixed size that fits A4 and Letter (it fits that area again when printing starts:
   PRINT_JS). */
@page { size: A4 landscape; margin: 10mm; }
@media print {
  html, body { overflow: visible; }
  body.peta-briefing { height: auto; display: block; }
  .peta-briefing nav, .leaflet-control-zoom { display: none; }
  .leaflet-control-scale-line { text-shadow: none; }  /* printed as a second copy of the text, beside the first */
  .peta-briefing .headline { font-size: .95rem; }
  .peta-briefing .peta-map { width: 960px; height: 480px; margin: 4px auto; break-inside: avoid; }
}
"""


#: Printing lays the page out again at the paper's width: the map fits its area again (unless the reader moved it),
#: when printing starts (the print media's change, in the same task) and whenever its area has a new size after a
#: layout (a ResizeObserver: print previews and emulated print media, where the change can come before the layout).
PRINT_JS = """(function (map) {
  if (!map || !map.petaRefit) { return; }
  function fit() { map.petaRefit(); }
  window.addEventListener("beforeprint", fit);
  window.addEventListener("afterprint", fit);
  var printing = window.matchMedia && window.matchMedia("print");
  if (printing && printing.addEventListener) { printing.addEventListener("change", fit); }
  if (window.ResizeObserver) { new ResizeObserver(fit).observe(map.getContainer()); }
})(window[%s]);"""


@dataclass(frozen=True)
class BriefingText:
    """What the page says, already in its language: the title, the headline (its figure first, in bold), a second
    line, the footer's lines, the two links' labels, the page's language and the other language's code."""

    lang: str
    title: str
    figure: str
    headline: str
    detail: str
    footer: list[str]
    app_label: str
    other_label: str
    other_lang: str
    map_label: str


def query(lang: str, as_of: str, provinces: list[str] | tuple[str, ...]) -> str:
    """The query string of a view's link, the same for the app and the briefing page."""
    return urlencode([("lang", lang), ("as_of", as_of), *(("province", p) for p in provinces)])


def briefing_page(payload: dict, text: BriefingText, as_of: str, provinces: tuple[str, ...]) -> str:
    """The whole page: ``payload`` is a rendered map (:func:`geo.mapviews.payload`: its header, legend HTML,
    script and asset links); the links are relative, so the page works under any address the app is served at."""
    css = "".join(f'<link rel="stylesheet" href="{esc(href)}">' for href in payload["css_links"])
    js = "".join(f'<script src="{esc(src)}"></script>' for src in payload["js_links"])
    app_link = "./?" + query(text.lang, as_of, provinces)
    other_link = "briefing?" + query(text.other_lang, as_of, provinces)
    footer = "".join(f"<p>{esc(line)}</p>" for line in text.footer if line)
    return (
        f'<!DOCTYPE html><html lang="{esc(text.lang)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(text.title)}</title>{css}{js}{payload['header']}<style>{PAGE_CSS}</style></head>"
        f'<body class="peta-briefing"><header><h1>{esc(text.title)}</h1>'
        f'<p class="headline"><b>{esc(text.figure)}</b> {esc(text.headline)}'
        + (f"<br><span>{esc(text.detail)}</span>" if text.detail else "")
        + f'</p><nav><a href="{esc(app_link)}">{esc(text.app_label)}</a>'
        f'<a href="{esc(other_link)}" hreflang="{esc(text.other_lang)}" lang="{esc(text.other_lang)}">'
        f"{esc(text.other_label)}</a></nav></header>"
        f'<main class="peta-map" aria-label="{esc(text.map_label)}"><div class="folium-map" id="{esc(payload["id"])}">'
        f"</div>{payload['html']}</main><footer>{footer}</footer>"
        f"<script>{payload['script']}</script><script>{PRINT_JS % json.dumps(payload['id'])}</script></body></html>"
    )
