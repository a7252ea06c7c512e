"""Folium maps from the regency coverage table: choropleth layers, legend, escaped tooltips."""

from __future__ import annotations

import html
import json
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import Point

from . import settings
from .boundaries import province_borders
from .digital import digital_counts, digital_short
from .i18n import N_, fmt_int, fmt_period, gettext, say
from .labels import VALUES, value_label
from .mapdata import geometry_document, view_values
from .settings import FIRST_MPP_YEAR

NO_DATA_COLOUR = "#d9d9d9"


def esc(value: Any) -> str:
    """HTML-escape any value for a tooltip, popup or legend."""
    return html.escape("" if value is None else str(value), quote=True)


MAP_CSS = """
.folium-map.leaflet-container, .leaflet-container { background: #f2f5f8 !important; }
html, body { height: 100%; margin: 0; overflow: hidden; }
/* The map fills its frame, whatever height the page gives the frame (#map_div: streamlit-folium's map). */
.folium-map, #map_div { height: 100vh !important; }
.peta-cluster div { background: #08306b; color: #fff; border: 2px solid #fff; border-radius: 50%;
  width: 28px; height: 28px; display: flex; align-items: center; justify-content: center;
  font: bold 12px sans-serif; box-shadow: 0 0 0 1px #08306b; }
.peta-popup a { word-break: break-all; }
"""
#: Fit the chosen area again when the map's frame changes size (a projector window, a page whose CSS sizes the frame
#: after the map was drawn), until the reader moves or zooms the map themselves.
_REFIT_JS = """{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }}, bounds = L.latLngBounds({{ this.bounds }}), touched = false;
  var el = map.getContainer(), fitted = map.getSize();
  ["mousedown", "touchstart", "wheel", "keydown"].forEach(function (k) {
    el.addEventListener(k, function () { touched = true; }, {passive: true});
  });
  function refit() {  // only when the frame's size really changed: redrawing 514 regencies is not free
    var size = el.getBoundingClientRect();
    if (Math.round(size.width) === fitted.x && Math.round(size.height) === fitted.y) { return; }
    map.invalidateSize({animate: false});
    fitted = map.getSize();
    if (!touched) { map.fitBounds(bounds, {padding: [12, 12], animate: false}); }
  }
  map.petaRefit = refit;  // the regencies' layer calls it before it draws, so they are drawn once, at the final size
  window.addEventListener("resize", function () { setTimeout(refit, 60); });
  setTimeout(refit, 250);
})();
{% endmacro %}"""
_SCALE_JS = """{% macro script(this, kwargs) %}
L.control.scale({imperial: false, position: "bottomright"}).addTo({{ this._parent.get_name() }});
(function (map) {
  /* Leaflet focuses the map on a mouse press (for its keyboard controls). In a frame taller than the window that
     focus scrolls the page between the press and the release, so the release lands elsewhere and a click on a
     regency is lost (1280x720, 1024x768). Focus without scrolling; the keyboard controls stay. */
  var kb = map.keyboard;
  if (!kb || !kb.enabled()) { return; }
  kb.disable();
  kb._onMouseDown = function () { if (!this._focused) { this._map._container.focus({preventScroll: true}); } };
  kb.enable();
})({{ this._parent.get_name() }});
{% endmacro %}"""


_TEMPLATES: dict[str, Any] = {}


def _macro(source: str) -> Any:
    """A MacroElement with a jinja template compiled once per process. Our scripts must be real ``script`` macros
    rendered with ``this``: streamlit-folium builds its Leaflet string from each element's script macro and renames
    folium's variables, so names are filled in when the macro renders, never baked in beforehand."""
    from branca.element import MacroElement
    from jinja2 import Template

    class Macro(MacroElement):
        def render(self, **kwargs: Any) -> None:  # as MacroElement's, without compiling the output as a template
            script = self._template.module.__dict__.get("script")
            if script is not None:
                self.get_root().script.add_child(html_element(script(self, kwargs)), name=self.get_name())

    el = Macro()
    if source not in _TEMPLATES:
        _TEMPLATES[source] = Template(source)
    el._template = _TEMPLATES[source]
    return el


def html_element(html: str) -> Any:
    """A branca Element holding ready HTML, with a template compiled once per process (branca's ``Element(text)``
    compiles its text as a jinja template every time: ~3 ms each, on every redraw)."""
    from branca.element import Element

    el = Element()
    if "__html__" not in _TEMPLATES:
        from jinja2 import Template

        _TEMPLATES["__html__"] = Template("{{ this.html }}")
    el._template = _TEMPLATES["__html__"]
    el.html = html
    return el


def geo_dict(gdf: gpd.GeoDataFrame) -> dict:
    """GeoJSON as a dict for folium (no JSON text round trip)."""
    return gdf.to_geo_dict(drop_id=True)


def _compact_json() -> None:
    """folium embeds GeoJSON with jinja's ``tojson``; compact separators make the same JSON ~15% smaller. Set on the
    first map built (never at import), for folium's template environment only."""
    policies = folium.GeoJson._template.environment.policies
    if policies.get("json.dumps_kwargs", {}).get("separators") != (",", ":"):
        policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":")}


_ZOOM_JS = """{% macro script(this, kwargs) %}
L.control.zoom({zoomInTitle: {{ this.zoom_in }}, zoomOutTitle: {{ this.zoom_out }}}).addTo({{ this._parent.get_name() }});
{% endmacro %}"""


def base_map(bounds: tuple[float, float, float, float], zoom_control: bool = True, lang: str = "id") -> folium.Map:
    """A map with no basemap by default (works offline); a tile server from PETA_MPP_TILES if configured. Its zoom
    buttons are named in ``lang`` (their tooltip and screen-reader label; Leaflet's own say "Zoom in")."""

    _compact_json()
    m = folium.Map(tiles=None, zoom_snap=0.25, zoom_control=False)
    m.options.update({"min_zoom": 3, "max_zoom": 14})  # marker clustering needs a maxZoom when there are no tiles
    if zoom_control:
        zoom = _macro(_ZOOM_JS)
        zoom.zoom_in, zoom.zoom_out = (_json_for_script(gettext(lang, w)) for w in (N_("Zoom in"), N_("Zoom out")))
        m.add_child(zoom)
    m.add_child(_macro(_SCALE_JS))
    m.get_root().header.add_child(html_element(f"<style>{MAP_CSS}</style>"))
    tiles = settings.get("tiles")
    if tiles:
        folium.TileLayer(tiles=tiles, attr=settings.get("tiles_attribution"), name="basemap").add_to(m)
    minx, miny, maxx, maxy = bounds
    m.fit_bounds([[miny, minx], [maxy, maxx]], padding=(12, 12))
    refit = _macro(_REFIT_JS)
    refit.bounds = json.dumps([[round(miny, 5), round(minx, 5)], [round(maxy, 5), round(maxx, 5)]])
    m.add_child(refit)
    return m


# ----------------------------------------------------------------------------------------------------------------
# Coverage layers
# ----------------------------------------------------------------------------------------------------------------

#: Layer -> its title (translated by the catalog). Colours: ColorBrewer schemes that survive colour blindness and
#: grey-scale print.
LAYERS = {
    "coverage": N_("MPP presence"),
    "mpp_count": N_("Number of MPPs"),
    "first_year": N_("Year of the first MPP"),
    "rb": N_("RB index predikat"),
    "sakip": N_("SAKIP predikat"),
    "digital": N_("MPP Digital"),
    "people": N_("People without an MPP"),
}


#: What each layer shows, as table columns (the map's meaning as a table, for screen readers and exact values).
LAYER_COLUMNS = {
    "coverage": ["presence", "first_mpp_on"], "mpp_count": ["mpp_count", "presence"],
    "first_year": ["first_mpp_on", "presence"], "rb": ["rb_predikat", "rb_score", "rb_year"],
    "sakip": ["sakip_predikat", "sakip_score", "sakip_year"], "digital": ["digital_platform", "digital_stage"],
    "people": ["presence", "population"],
}


def layer_table(table: pd.DataFrame, layer: str) -> pd.DataFrame:
    """The map of ``layer`` as a table: one row per regency (by province and name) with the values it is
    coloured by."""
    cols = ["code", "name", "province", *[c for c in LAYER_COLUMNS[layer] if c in table.columns]]
    return table[cols].sort_values(["province", "name"]).reset_index(drop=True)


def layer_title(layer: str, lang: str) -> str:
    return str(say(lang, LAYERS[layer]))

#: People left out: regencies with no MPP service classed by registered residents (ColorBrewer Oranges); served
#: regencies in a pale blue, regencies without a population figure in the no-data grey.
PEOPLE_BINS = [250_000, 500_000, 1_000_000, 2_000_000]
PEOPLE_COLOURS = ["#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603"]
SERVED_COLOUR = "#c6dbef"
DIGITAL_COLOURS = {("national", "pilot"): "#54278f", ("national", "in use"): "#807dba",
                   ("national", "committed"): "#bcbddc", "other": "#41ab5d"}
DIGITAL_LABELS = {("national", "pilot"): N_("National app: 2023 pilot"),
                  ("national", "in use"): N_("National app: in use"),
                  ("national", "committed"): N_("National app: committed"),
                  "other": N_("Local or provincial platform")}
PRESENCE_COLOURS = {"with": "#2171b5", "province-run": "#9ecae1", "without": "#fdae6b"}
PRESENCE_LABELS = VALUES["presence"]  # the words of geo.labels: Has an MPP / Province-run MPP / No MPP
PREDIKAT_COLOURS = {"AA": "#006837", "A": "#31a354", "BB": "#78c679", "B": "#c2e699", "CC": "#fed98e",
                    "C": "#fe9929", "D": "#cc4c02"}
COUNT_COLOURS = {0: "#fdae6b", 1: "#6baed6", 2: "#08519c"}
NO_DATA = N_("No data")


def layer_classes(table: gpd.GeoDataFrame, layer: str, lang: str = "id") -> tuple[list[str], list[tuple[str, str]]]:
    """Fill colour per row and the legend entries (colour, label) for a layer. Unknown values get NO_DATA_COLOUR."""
    if layer == "coverage":
        colours = [PRESENCE_COLOURS[p] for p in table["presence"]]
        legend = [(PRESENCE_COLOURS[k], say(lang, v)) for k, v in PRESENCE_LABELS.items()]
        return colours, legend
    if layer == "mpp_count":
        colours = [COUNT_COLOURS[min(int(n), 2)] for n in table["mpp_count"]]
        return colours, [(COUNT_COLOURS[0], "0"), (COUNT_COLOURS[1], "1"), (COUNT_COLOURS[2], "2+")]
    if layer == "first_year":
        import mapclassify

        years = pd.to_numeric(table["first_mpp_on"].astype(str).str[:4], errors="coerce")
        palette = ["#08306b", "#2171b5", "#6baed6", "#c6dbef", "#f7fbff"]
        known = years.dropna()
        colours = [NO_DATA_COLOUR] * len(table)
        legend: list[tuple[str, str]] = []
        if len(known):
            bins = sorted({2018, 2020, 2022, 2024, int(known.max())})
            cls = mapclassify.UserDefined(known.values, bins=bins)
            for idx, c in zip(known.index, cls.yb):
                colours[table.index.get_loc(idx)] = palette[min(int(c), len(palette) - 1)]
            lo = FIRST_MPP_YEAR
            for k, b in enumerate(bins):
                legend.append((palette[min(k, len(palette) - 1)], f"{lo}–{b}" if b != lo else f"{b}"))
                lo = b + 1
        legend.append((NO_DATA_COLOUR, say(lang, PRESENCE_LABELS["without"])))
        return colours, legend
    if layer == "digital":
        colours = []
        for plat, stage in zip(table["digital_platform"], table["digital_stage"]):
            if not isinstance(plat, str):
                colours.append(NO_DATA_COLOUR)
            elif plat == "national":
                colours.append(DIGITAL_COLOURS[("national", stage)])
            else:
                colours.append(DIGITAL_COLOURS["other"])
        legend = [(DIGITAL_COLOURS[k], say(lang, v)) for k, v in DIGITAL_LABELS.items()]
        legend.append((NO_DATA_COLOUR, gettext(lang, "Not named by a source (not 'none')")))
        return colours, legend
    if layer == "people":
        served = (table["has_mpp"] | table["province_run_mpp"]).to_numpy()
        pop = table["population"]
        colours = []
        for srv, n in zip(served, pop):
            if srv:
                colours.append(SERVED_COLOUR)
            elif n is None or pd.isna(n):
                colours.append(NO_DATA_COLOUR)
            else:
                colours.append(PEOPLE_COLOURS[sum(int(n) >= b for b in PEOPLE_BINS)])
        edges = [0, *PEOPLE_BINS]
        labels = [f"{_people(lo, lang)}–{_people(hi, lang)}" for lo, hi in zip(edges, PEOPLE_BINS)]
        labels.append(f"≥ {_people(PEOPLE_BINS[-1], lang)}")
        legend = [(c, label) for c, label in zip(PEOPLE_COLOURS, labels)]
        legend.append((SERVED_COLOUR, gettext(lang, "Served by an MPP (own/province)")))
        legend.append((NO_DATA_COLOUR, say(lang, NO_DATA)))
        return colours, legend
    if layer in ("rb", "sakip"):
        col = f"{layer}_predikat"
        colours = [PREDIKAT_COLOURS.get(p, NO_DATA_COLOUR) if isinstance(p, str) else NO_DATA_COLOUR for p in table[col]]
        legend = [(c, k) for k, c in PREDIKAT_COLOURS.items()] + [(NO_DATA_COLOUR, say(lang, NO_DATA))]
        return colours, legend
    raise ValueError(f"unknown layer {layer!r}; choose one of {', '.join(LAYERS)}")


def _people(n: int, lang: str) -> str:
    """250 rb / 1 jt (id), 250k / 1M (en)."""
    if n >= 1_000_000:
        v = f"{n / 1_000_000:g}"
        return gettext(lang, "{value} M", value=v.replace(".", ",") if lang == "id" else v)
    return gettext(lang, "{value}k", value=n // 1000)


#: Legend corners (CSS) in order of preference when the map is equally empty there.
CORNERS = {"bottomleft": "bottom:24px;left:12px", "bottomright": "bottom:34px;right:12px",
           "topright": "top:12px;right:12px", "topleft": "top:12px;left:56px"}


def legend_corner(gdf: gpd.GeoDataFrame, width: float = 0.34, height: float = 0.42,
                  corners: tuple[str, ...] = tuple(CORNERS)) -> str:
    """The corner of the map's extent where the legend hides the least of the regencies shown: the corner box
    (``width`` x ``height`` of the extent) that the polygons cover least, among ``corners`` (in that order of
    preference when they are equally empty)."""
    minx, miny, maxx, maxy = gdf.total_bounds
    w, h = (maxx - minx) * width, (maxy - miny) * height
    boxes = {"bottomleft": (minx, miny, minx + w, miny + h), "bottomright": (maxx - w, miny, maxx, miny + h),
             "topright": (maxx - w, maxy - h, maxx, maxy), "topleft": (minx, maxy - h, minx + w, maxy)}
    geoms = gdf.geometry.values
    bb = shapely.bounds(geoms)  # each polygon weighs its area at the centre of its box (fast; exact enough here)
    cx, cy, area = (bb[:, 0] + bb[:, 2]) / 2, (bb[:, 1] + bb[:, 3]) / 2, shapely.area(geoms)
    covered = {k: float(area[(cx >= b[0]) & (cx <= b[2]) & (cy >= b[1]) & (cy <= b[3])].sum())
               for k, b in boxes.items() if k in corners}
    least = min(covered.values())
    return next(k for k in corners if covered[k] <= least * 1.05 + 1e-12)


#: Legend symbols for the MPP markers (entries whose colour is one of these keys).
MARKER_SYMBOLS = {
    "@mpp": "border-radius:50%;background:#fff;border:2px solid #08306b;box-sizing:border-box",
    "@cluster": "border-radius:50%;background:#08306b;border:1px solid #fff;box-shadow:0 0 0 1px #08306b;"
                "color:#fff;font-weight:bold;text-align:center",
    "@pending": "background:repeating-linear-gradient(45deg,#d95f02 0 2px,transparent 2px 5px);"
                "border:2px dashed #d95f02;box-sizing:border-box",
}
#: How a regency with an open field correction is outlined on the map.
PENDING_STYLE = {"fill": False, "color": "#d95f02", "weight": 2.5, "dashArray": "5 4"}


#: In the browser, the legend moves to the corner where, at the size the map is really drawn, it covers the fewest of
#: the chosen regencies (the server's :func:`legend_corner` guesses without knowing the screen): at each corner the
#: legend's box is tested exactly against every regency polygon (a vertex inside the box, the box inside the polygon,
#: or an edge crossing it), ties going to the corner with less land under a grid of sample points. It runs when the
#: map is first fitted, when its frame changes size and when the legend is opened or closed, never on the reader's
#: own panning. The chosen corner and the regencies it covers are left on the legend for tests.
_LEGEND_JS = """{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }}, layer = {{ this.layer.get_name() }};
  var corners = {{ this.corners }}, order = {{ this.order }}, parts = [];
  function polygons(g) { return g.type === "Polygon" ? [g.coordinates] : (g.type === "MultiPolygon" ? g.coordinates : []); }
  function inside(x, y, g) {
    var polys = polygons(g);
    for (var i = 0; i < polys.length; i++) {
      var c = false;
      for (var r = 0; r < polys[i].length; r++) {
        var ring = polys[i][r];
        for (var j = 0, k = ring.length - 1; j < ring.length; k = j++) {
          var xj = ring[j][0], yj = ring[j][1], xk = ring[k][0], yk = ring[k][1];
          if ((yj > y) !== (yk > y) && x < (xk - xj) * (y - yj) / (yk - yj) + xj) c = !c;
        }
      }
      if (c) return true;
    }
    return false;
  }
  function crosses(ax, ay, bx, by, R) {  // Liang-Barsky: does the segment a-b meet the box R?
    var t0 = 0, t1 = 1, dx = bx - ax, dy = by - ay;
    var p = [-dx, dx, -dy, dy], q = [ax - R.x0, R.x1 - ax, ay - R.y0, R.y1 - ay];
    for (var i = 0; i < 4; i++) {
      if (p[i] === 0) { if (q[i] < 0) return false; continue; }
      var t = q[i] / p[i];
      if (p[i] < 0) { if (t > t1) return false; if (t > t0) t0 = t; } else { if (t < t0) return false; if (t < t1) t1 = t; }
    }
    return true;
  }
  function touches(part, R) {
    var b = part.b;
    if (b.getWest() > R.x1 || b.getEast() < R.x0 || b.getSouth() > R.y1 || b.getNorth() < R.y0) return false;
    if (inside((R.x0 + R.x1) / 2, (R.y0 + R.y1) / 2, part.g)) return true;
    var polys = polygons(part.g);
    for (var i = 0; i < polys.length; i++) for (var r = 0; r < polys[i].length; r++) {
      var ring = polys[i][r];
      for (var j = 1; j < ring.length; j++) {
        if (crosses(ring[j - 1][0], ring[j - 1][1], ring[j][0], ring[j][1], R)) return true;
      }
    }
    return false;
  }
  function put(el, k) {
    ["top", "bottom", "left", "right"].forEach(function (s) { el.style[s] = corners[k][s] || ""; });
  }
  function score(el, box) {
    var r = el.getBoundingClientRect(), n = 12, land = 0, covered = 0;
    var a = map.containerPointToLatLng([r.left - box.left, r.bottom - box.top]);
    var z = map.containerPointToLatLng([r.right - box.left, r.top - box.top]);
    var R = {x0: a.lng, y0: a.lat, x1: z.lng, y1: z.lat}, near = [];
    parts.forEach(function (p) { if (touches(p, R)) { covered++; near.push(p); } });
    for (var i = 0; i < n && near.length; i++) for (var j = 0; j < n; j++) {
      var ll = map.containerPointToLatLng([r.left - box.left + (i + 0.5) * r.width / n,
                                           r.top - box.top + (j + 0.5) * r.height / n]);
      if (near.some(function (p) { return p.b.contains(ll) && inside(ll.lng, ll.lat, p.g); })) land++;
    }
    return {covered: covered, land: land};
  }
  function place() {
    var el = document.querySelector(".peta-legend"), box = map.getContainer().getBoundingClientRect(), best = null;
    if (!el || !parts.length || !box.width || !box.height) return;
    order.forEach(function (k) {
      put(el, k);
      var s = score(el, box);
      if (best === null || s.covered < best.covered || (s.covered === best.covered && s.land < best.land)) {
        best = {k: k, covered: s.covered, land: s.land};
      }
    });
    put(el, best.k);
    el.dataset.corner = best.k;
    el.dataset.covered = best.covered;
  }
  map.petaDrawn(function () {
    layer.eachLayer(function (l) { if (l.feature && l.getBounds) parts.push({b: l.getBounds(), g: l.feature.geometry}); });
    map.whenReady(function () { setTimeout(place, 0); setTimeout(place, 320); });
    window.addEventListener("resize", function () { setTimeout(place, 140); });
    var legend = document.querySelector(".peta-legend");
    if (legend) legend.addEventListener("toggle", place);
  });
})();
{% endmacro %}"""


#: The regencies, the outlines of those with an open field correction and the province borders, from a
#: :mod:`geo.mapdata` document (in the page, or fetched once from its versioned URL) joined by code with this view's
#: values (colours and tooltip fields, as columns). Each layer draws in its own pane below the MPP markers, so the
#: order stays right whenever the document arrives. When they are drawn the map fires ``peta:drawn`` and
#: ``map.petaDrawn(fn)`` runs ``fn`` then (at once if they already are); the number of regencies drawn is left on the
#: page's root element (``data-drawn``) for tests and the capacity benchmark.
_REGENCY_JS = """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function (map) {
  [["petaRegencies", 396], ["petaPending", 397], ["petaBorders", 398]].forEach(function (p) {
    if (!map.getPane(p[0])) map.createPane(p[0]).style.zIndex = p[1];
  });
  return L.geoJson(null, {pane: "petaRegencies", style: function (f) {
    return {fillColor: f.properties.fill, color: "#525252", weight: 0.4, fillOpacity: 0.85,
            className: "regency r" + f.properties.code.replace(".", "-")};
  }}).addTo(map);
})({{ this._parent.get_name() }});
(function (map, layer, values, pending, source) {
  var waiting = [];
  map.petaDrawn = function (fn) { if (map._petaDoc) { fn(map._petaDoc); } else { waiting.push(fn); } };
  function draw(doc) {
    var byCode = {}, features = [], outlined = [], keys = Object.keys(values);
    doc.regencies.features.forEach(function (f) { byCode[f.properties.code] = f; });
    values.code.forEach(function (code, i) {
      var f = byCode[code];
      if (!f) return;
      var p = {code: code, name: f.properties.name, province: f.properties.province};
      keys.forEach(function (k) { p[k] = values[k][i]; });
      features.push({type: "Feature", properties: p, geometry: f.geometry});
      if (pending.indexOf(code) >= 0) outlined.push(f);
    });
    if (map.petaRefit) map.petaRefit();
    layer.addData(features);
    layer.on("mouseover", function (e) { e.layer.setStyle({weight: 2.5, color: "#000000"}); });
    layer.on("mouseout", function (e) { layer.resetStyle(e.layer); });
    if (outlined.length) {
      L.geoJson(outlined, {pane: "petaPending", interactive: false, style: {{ this.pending_style }}}).addTo(map);
    }
    L.geoJson(doc.borders, {pane: "petaBorders", interactive: false,
                            style: {fill: false, color: "#252525", weight: 1.2}}).addTo(map);
    map._petaDoc = doc;
    document.documentElement.dataset.drawn = String(features.length);
    waiting.splice(0).forEach(function (fn) { fn(doc); });
    map.fire("peta:drawn");
  }
  function failed() {
    var box = document.createElement("div");
    box.className = "peta-map-error";
    box.textContent = {{ this.failure }};
    box.style.cssText = "position:absolute;top:40%;left:10%;right:10%;z-index:9999;background:#fff;" +
                        "padding:10px;border:1px solid #999;font:14px sans-serif;text-align:center";
    map.getContainer().appendChild(box);
  }
  if (typeof source === "string") {
    fetch(source, {credentials: "same-origin"}).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).then(draw, failed);
  } else {
    draw(source);
  }
})({{ this._parent.get_name() }}, {{ this.get_name() }}, {{ this.values }}, {{ this.pending }}, {{ this.source }});
{% endmacro %}"""


def regency_layer(m: folium.Map, source: dict | str, values: dict[str, list], pending: list[str],
                  lang: str = "id") -> Any:
    """Add the regencies (:data:`_REGENCY_JS`) to ``m`` from ``source`` (a :mod:`geo.mapdata` document, or the URL
    of one) coloured by ``values`` (columns; ``code`` and ``fill`` at least); return the layer's element (for
    :func:`bind_text_tooltips` and :func:`place_legend_in_browser`)."""
    el = _macro(_REGENCY_JS)
    el._name = "RegencyLayer"
    el.values, el.pending = _json_for_script(values), _json_for_script(pending)
    el.source = _json_for_script(source)
    el.pending_style = _json_for_script(PENDING_STYLE)
    el.failure = _json_for_script(gettext(lang, "The map's regions could not be loaded: reload the page."))
    m.add_child(el)
    return el


def place_legend_in_browser(m: folium.Map, layer: folium.GeoJson, first: str) -> None:
    """Let the browser move the legend to the emptiest corner at the map's real size (:data:`_LEGEND_JS`), trying
    ``first`` (the server's guess) before the other corners."""
    script = _macro(_LEGEND_JS)
    script.layer = layer
    script.corners = _json_for_script({k: dict(part.split(":") for part in v.split(";")) for k, v in CORNERS.items()})
    script.order = _json_for_script([first, *(k for k in CORNERS if k != first)])
    m.add_child(script)


def marker_entries(lang: str) -> list[tuple[str, str]]:
    """Legend entries that explain the MPP dots and the numbered cluster bubbles."""
    return [("@mpp", gettext(lang, "an MPP")),
            ("@cluster", gettext(lang, "several MPPs close together (how many)"))]


def legend_html(title: str, entries: list[tuple[str, str]], note: str = "", scale: float = 1.0,
                corner: str = "bottomleft") -> str:
    """A compact, collapsible legend (plain HTML ``<details>``: no script, no CDN) in ``corner``. All text is
    escaped. ``scale`` enlarges it for a projector (presentation mode). An entry's colour may be a marker symbol
    (:data:`MARKER_SYMBOLS`)."""
    box = round(12 * scale)

    def swatch(c: str) -> str:
        if c in MARKER_SYMBOLS:
            size = round(14 * scale)
            inner = "3" if c == "@cluster" else ""
            return (f'<span style="display:inline-block;width:{size}px;height:{size}px;line-height:{size}px;'
                    f'font-size:{round(9 * scale)}px;margin-right:5px;vertical-align:middle;{MARKER_SYMBOLS[c]}">'
                    f'{inner}</span>')
        return (f'<span style="display:inline-block;width:{box}px;height:{box}px;background:{esc(c)};'
                f'border:1px solid #555;margin-right:5px;vertical-align:middle"></span>')
    items = "".join(f"<div>{swatch(c)}{esc(label)}</div>" for c, label in entries)
    extra = f'<div style="margin-top:3px;font-size:{round(10.5 * scale)}px;color:#444">{esc(note)}</div>' if note else ""
    return (f'<details open class="peta-legend" style="position:absolute;{CORNERS.get(corner, CORNERS["bottomleft"])};'
            f'z-index:9999;background:rgba(255,255,255,.92);padding:5px 8px;border:1px solid #999;border-radius:4px;'
            f'font:{round(12 * scale)}px sans-serif;line-height:{round(17 * scale)}px;max-width:{round(230 * scale)}px">'
            f'<summary style="cursor:pointer;font-weight:bold">{esc(title)}</summary>{items}{extra}</details>')


def coverage_map(table: gpd.GeoDataFrame, layer: str = "coverage", lang: str = "id",
                 outlines: gpd.GeoDataFrame | None = None, mpps: gpd.GeoDataFrame | None = None,
                 title: str | None = None, legend_scale: float = 1.0, zoom_control: bool = True,
                 pending: frozenset[str] = frozenset(), geometry_url: str | None = None) -> folium.Map:
    """The coverage choropleth: one polygon per regency, coloured by ``layer``, escaped tooltips, a legend,
    optional clustered MPP markers (points from :func:`mpp_points`); regencies in ``pending`` (an open field
    correction) are outlined in dashes and say so in their tooltip.

    The polygons and ``outlines`` travel in the page as a :mod:`geo.mapdata` document; with ``geometry_url`` the
    browser fetches that document instead (the same document for ``table``'s regencies and ``outlines``, published
    by the caller under a versioned name) and the page carries only the colours and values."""

    colours, legend = layer_classes(table, layer, lang)
    no_data = say(lang, NO_DATA)
    m = base_map(tuple(table.total_bounds), zoom_control, lang)
    gdf = pd.DataFrame({"code": table["code"].to_numpy()}, index=table.index)
    gdf["status"] = table["presence"].map({k: say(lang, v) for k, v in PRESENCE_LABELS.items()})
    gdf["first"] = table["first_mpp_on"].fillna("")
    gdf["rb"] = [f"{p} ({y})" if isinstance(p, str) else no_data for p, y in zip(table["rb_predikat"], table["rb_year"])]
    gdf["sakip"] = [f"{p} ({y})" if isinstance(p, str) else no_data
                    for p, y in zip(table["sakip_predikat"], table["sakip_year"])]
    gdf["fill"] = colours
    gdf["people"] = [fmt_int(n, lang, no_data) for n in table["population"]] if "population" in table else no_data
    pending_here = table["code"].isin(pending)
    under_review = say(lang, N_("submitted, under review"))
    gdf["correction"] = [under_review if p else "" for p in pending_here]
    labels = ["", *(say(lang, w) for w in (N_("Code"), N_("Province"), N_("MPP"), N_("Since"), N_("RB"), N_("SAKIP"),
                                           N_("Registered residents"), N_("Field correction")))]
    values = view_values({k: list(gdf[k]) for k in ("code", "fill", "status", "first", "rb", "sakip", "people",
                                                    "correction")})
    if geometry_url is None:  # everything in the page: a standalone map (render-map, tests)
        outlines = outlines if outlines is not None else province_borders(table)
        source: Any = geometry_document(table[["code", "name", "province", "geometry"]], outlines)
    else:
        source = geometry_url
    regencies = regency_layer(m, source, values, sorted(table.loc[pending_here, "code"]), lang)
    bind_text_tooltips(m, regencies, ["name", "code", "province", "status", "first", "rb", "sakip", "people",
                                      "correction"], labels)
    if pending_here.any():
        legend = [*legend, ("@pending", gettext(lang, "Field correction under review"))]
    if mpps is not None and len(mpps):
        add_mpp_markers(m, mpps, lang)
    if title:
        m.get_root().html.add_child(html_element(
            f'<div class="peta-title" style="position:absolute;top:10px;left:60px;z-index:9999;'
            f'background:rgba(255,255,255,.9);padding:4px 10px;font:bold 16px sans-serif;border-radius:4px">'
            f'{esc(title)}</div>'))
    note = {"rb": gettext(lang, "RB method changed in 2023"),
            "digital": digital_short(digital_counts(table), lang) if layer == "digital" else "",
            "people": gettext(lang, "Registered residents (Dukcapil 2025), not a census")}.get(layer, "")
    if mpps is not None and len(mpps):
        legend = [*legend, *marker_entries(lang)]
    corner = legend_corner(table)
    m.get_root().html.add_child(html_element(legend_html(layer_title(layer, lang), legend, note, legend_scale,
                                                         corner)))
    place_legend_in_browser(m, regencies, corner)
    return m


# ----------------------------------------------------------------------------------------------------------------
# MPP markers
# ----------------------------------------------------------------------------------------------------------------

PRECISION_LABELS = {"month": N_(" (month)"), "year": N_(" (year)")}


def mpp_points(mpps: pd.DataFrame, centres: gpd.GeoSeries) -> gpd.GeoDataFrame:
    """MPP locations: the analyst's coordinates where given, else the centre of the regency it stands in
    (``centres``: code-indexed points, :func:`geo.boundaries.centres`; ``location`` says which)."""
    rows = []
    for r in mpps.itertuples():
        lat, lon = getattr(r, "latitude", None), getattr(r, "longitude", None)
        if lat is not None and lon is not None and lat == lat and lon == lon:
            pt, where = (float(lon), float(lat)), "coordinates"
        else:
            codes = [c for c in str(r.serves).split(";") if c] if r.province_run and not r.code else [r.code]
            codes = [c for c in codes if c in centres.index]
            if not codes:
                continue
            # A province-run MPP whose place no source gives: the centre of the served regency nearest to the
            # middle of them all (DK Jakarta: a city of the mainland, not Kepulauan Seribu out at sea).
            mx, my = sum(centres[c].x for c in codes) / len(codes), sum(centres[c].y for c in codes) / len(codes)
            p = centres[min(codes, key=lambda c: (centres[c].x - mx) ** 2 + (centres[c].y - my) ** 2)]
            pt, where = (p.x, p.y), "regency centre"
        rows.append({**r._asdict(), "location": where, "geometry": Point(pt)})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326") if rows else gpd.GeoDataFrame(
        columns=[*mpps.columns, "location", "geometry"], geometry="geometry", crs="EPSG:4326")


_TOOLTIP_JS = """
(function () {
  var layer = %(layer)s, fields = %(fields)s, labels = %(labels)s;
  function bind(l) {
    l.bindTooltip(function () {
      var p = l.feature.properties, t = document.createElement("table");
      fields.forEach(function (f, i) {
        var v = p[f];
        if (v === undefined || v === null || v === "") return;
        var tr = t.insertRow(), th = document.createElement("th");
        th.textContent = labels[i]; tr.appendChild(th);
        var td = tr.insertCell(); td.textContent = String(v);
        if (!labels[i]) { th.remove(); td.colSpan = 2; td.style.fontWeight = "bold"; }
      });
      return t;
    }, {sticky: true, className: "peta-tooltip"});
  }
  var map = layer._map;
  if (map && map.petaDrawn) { map.petaDrawn(function () { layer.eachLayer(bind); }); } else { layer.eachLayer(bind); }
})();
"""


def _json_for_script(value: Any) -> str:
    """JSON that is safe inside a <script> element."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def bind_text_tooltips(m: folium.Map, layer: folium.GeoJson, fields: list[str], labels: list[str]) -> None:
    """Tooltips built in the browser with text nodes (no HTML from the data is ever parsed): a table of ``labels``
    and the feature's ``fields``; a field with an empty label is the bold heading row."""
    script = _macro("{% macro script(this, kwargs) %}" + _TOOLTIP_JS % {
        "layer": "{{ this.layer.get_name() }}", "fields": "{{ this.fields }}", "labels": "{{ this.labels }}"}
        + "{% endmacro %}")
    script.layer, script.fields, script.labels = layer, _json_for_script(fields), _json_for_script(labels)
    m.add_child(script)


_POPUP_JS = """
(function () {
  var layer = %(layer)s, i18n = %(i18n)s;
  function el(tag, text, parent) { var e = document.createElement(tag); if (text) e.textContent = text;
    if (parent) parent.appendChild(e); return e; }
  layer.eachLayer(function (m) {
    var p = m.feature.properties;
    var title = p.n || ("MPP " + p.r);
    m.bindTooltip(el("span", title), {sticky: true});
    m.bindPopup(function () {
      var box = el("div"); box.className = "peta-popup";
      el("b", title, box); el("div", p.r, box);
      if (!p.n) el("i", i18n.no_name, box);
      el("div", i18n.opened + ": " + p.d + " — " + p.b, box);
      el("div", "Status: " + p.st, box);
      if (p.pr) el("div", i18n.province_run, box);
      if (p.loc) el("i", i18n.approx, box);
      if (p.s && p.s.length) {
        el("div", i18n.sources + ":", box);
        p.s.forEach(function (u) {
          if (!/^https?:\\/\\//i.test(u)) { el("div", u, box); return; }
          var a = el("a", u.replace(/^https?:\\/\\/(www\\.)?/i, "").split("/")[0], el("div", null, box));
          a.href = u; a.target = "_blank"; a.rel = "noopener noreferrer"; a.title = u;
        });
        if (p.more) el("div", "+" + p.more + " " + i18n.more, box);
      }
      return box;
    }, {maxWidth: 360});
  });
  /* An open popup is what the reader looks at: the legend steps aside until it closes (the legend sits above the
     map's panes, so it would cover the popup). */
  function legend(visibility) {
    document.querySelectorAll(".peta-legend").forEach(function (l) { l.style.visibility = visibility; });
  }
  layer.on("popupopen", function () { legend("hidden"); });
  layer.on("popupclose", function () { legend(""); });
})();
"""


def add_mpp_markers(m: folium.Map, points: gpd.GeoDataFrame, lang: str = "id") -> None:
    """Clustered MPP markers: one GeoJSON point layer with plain-text properties; tooltips and popups are built in
    the browser with textContent (no HTML from the data is ever parsed) and links only for http(s) URLs."""
    from folium.plugins import MarkerCluster

    rows = []
    for r in points.itertuples():
        # the date as a reader writes it; its precision shows in its form (7 Maret 2024, Maret 2024, 2024)
        date = fmt_period(r.opened_on, lang) or (f"≤ {fmt_period(r.known_by, lang)}" if r.known_by
                                                   else gettext(lang, "date unknown"))
        urls = [u.strip() for u in str(r.sources).split(" | ") if u.strip()]
        rows.append({"n": str(r.mpp_name or ""), "r": str(r.name or r.province), "d": date,
                     "b": str(value_label("date_basis", r.date_basis, lang)),
                     "st": str(value_label("status", r.status, lang)), "pr": bool(r.province_run),
                     "loc": r.location == "regency centre",
                     "s": [str(value_label("sources", u, lang)) for u in urls[:3]], "more": max(0, len(urls) - 3),
                     # the regency it stands in: a click on the marker opens that regency's detail too (a small
                     # city is covered by its marker, which would otherwise swallow the click)
                     "code": str(r.code or ""),
                     "geometry": Point(round(r.geometry.x, 5), round(r.geometry.y, 5))})
    data = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    cluster = MarkerCluster(
        name=gettext(lang, "MPPs"), options={"showCoverageOnHover": False, "maxClusterRadius": 40},
        icon_create_function="function (c) { return L.divIcon({html: '<div>' + c.getChildCount() + '</div>', "
                             "className: 'peta-cluster', iconSize: L.point(28, 28)}); }")
    layer = folium.GeoJson(
        geo_dict(data), name="mpp-points",
        marker=folium.CircleMarker(radius=6, color="#08306b", weight=1.5, fill=True, fill_color="#ffffff",
                                   fill_opacity=1))
    layer.add_to(cluster)
    cluster.add_to(m)
    words = {"opened": N_("Opened"), "province_run": N_("Province-run MPP"),
             "approx": N_("Approximate location: regency centre"), "sources": N_("Sources"),
             "more": N_("more on the Data page"), "no_name": N_("The sources give no name for this MPP")}
    i18n = {k: say(lang, v) for k, v in words.items()}
    script = _macro("{% macro script(this, kwargs) %}" + _POPUP_JS % {"layer": "{{ this.layer.get_name() }}",
                                                                     "i18n": "{{ this.i18n }}"} + "{% endmacro %}")
    script.layer, script.i18n = layer, _json_for_script(i18n)
    m.add_child(script)
