"""Folium maps from the regency coverage table: choropleth layers, legend, escaped tooltips."""

from __future__ import annotations

import html
import json
import os
from typing import Any

import folium
import geopandas as gpd
import pandas as pd

from .boundaries import province_outlines, to_geojson

ENV_TILES = "PETA_MPP_TILES"
ENV_TILES_ATTRIBUTION = "PETA_MPP_TILES_ATTRIBUTION"
NO_DATA_COLOUR = "#d9d9d9"


def esc(value: Any) -> str:
    """HTML-escape any value for a tooltip, popup or legend."""
    return html.escape("" if value is None else str(value), quote=True)


def base_map(bounds: tuple[float, float, float, float]) -> folium.Map:
    """A map with no basemap by default (works offline); a tile server from PETA_MPP_TILES if configured."""
    m = folium.Map(tiles=None, control_scale=True, prefer_canvas=True, zoom_snap=0.25)
    tiles = os.environ.get(ENV_TILES)
    if tiles:
        folium.TileLayer(tiles=tiles, attr=os.environ.get(ENV_TILES_ATTRIBUTION, "basemap"), name="basemap").add_to(m)
    minx, miny, maxx, maxy = bounds
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m


def regency_map(regencies: gpd.GeoDataFrame) -> folium.Map:
    """The plain regency map: every regency outlined, with its name, code and province in the tooltip."""
    m = base_map(tuple(regencies.total_bounds))
    gdf = regencies[["code", "name", "province", "geometry"]].copy()
    for col in ("name", "province"):
        gdf[col] = gdf[col].map(esc)
    folium.GeoJson(
        json.loads(to_geojson(gdf)), name="Kabupaten/kota",
        style_function=lambda f: {"fillColor": "#9ecae1", "color": "#4d4d4d", "weight": 0.4, "fillOpacity": 0.7},
        highlight_function=lambda f: {"weight": 2, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(fields=["name", "code", "province"], aliases=["", "Kode", "Provinsi"]),
    ).add_to(m)
    outlines = province_outlines(regencies)
    folium.GeoJson(json.loads(to_geojson(outlines[["province", "geometry"]])), name="Provinsi",
                   style_function=lambda f: {"fill": False, "color": "#252525", "weight": 1.2},
                   interactive=False).add_to(m)
    return m


# ----------------------------------------------------------------------------------------------------------------
# Coverage layers
# ----------------------------------------------------------------------------------------------------------------

#: Layer -> (title id, title en). Colours: ColorBrewer schemes that survive colour blindness and grey-scale print.
LAYERS = {
    "coverage": ("Keberadaan MPP", "MPP presence"),
    "mpp_count": ("Jumlah MPP", "Number of MPPs"),
    "first_year": ("Tahun MPP pertama", "Year of the first MPP"),
    "rb": ("Predikat Indeks RB", "RB index predikat"),
    "sakip": ("Predikat SAKIP", "SAKIP predikat"),
}
PRESENCE_COLOURS = {"with": "#2171b5", "province-run": "#9ecae1", "without": "#fdae6b"}
PRESENCE_LABELS = {"with": ("Ada MPP", "Has an MPP"), "province-run": ("MPP provinsi", "Province-run MPP"),
                   "without": ("Belum ada MPP", "No MPP")}
PREDIKAT_COLOURS = {"AA": "#006837", "A": "#31a354", "BB": "#78c679", "B": "#c2e699", "CC": "#fed98e",
                    "C": "#fe9929", "D": "#cc4c02"}
COUNT_COLOURS = {0: "#fdae6b", 1: "#6baed6", 2: "#08519c"}
NO_DATA = ("Tidak ada data", "No data")


def layer_classes(table: gpd.GeoDataFrame, layer: str, lang: str = "id") -> tuple[list[str], list[tuple[str, str]]]:
    """Fill colour per row and the legend entries (colour, label) for a layer. Unknown values get NO_DATA_COLOUR."""
    i = 0 if lang == "id" else 1
    if layer == "coverage":
        colours = [PRESENCE_COLOURS[p] for p in table["presence"]]
        legend = [(PRESENCE_COLOURS[k], v[i]) for k, v in PRESENCE_LABELS.items()]
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
            lo = 2017
            for k, b in enumerate(bins):
                legend.append((palette[min(k, len(palette) - 1)], f"{lo}–{b}" if b != lo else f"{b}"))
                lo = b + 1
        legend.append((NO_DATA_COLOUR, ("Belum ada MPP", "No MPP")[i]))
        return colours, legend
    if layer in ("rb", "sakip"):
        col = f"{layer}_predikat"
        colours = [PREDIKAT_COLOURS.get(p, NO_DATA_COLOUR) if isinstance(p, str) else NO_DATA_COLOUR for p in table[col]]
        legend = [(c, k) for k, c in PREDIKAT_COLOURS.items()] + [(NO_DATA_COLOUR, NO_DATA[i])]
        return colours, legend
    raise ValueError(f"unknown layer {layer!r}; choose one of {', '.join(LAYERS)}")


def legend_html(title: str, entries: list[tuple[str, str]], note: str = "") -> str:
    """A static legend (plain HTML and CSS: no d3 or other script from a CDN). All text is escaped."""
    items = "".join(
        f'<div><span style="display:inline-block;width:14px;height:14px;background:{esc(c)};'
        f'border:1px solid #555;margin-right:6px;vertical-align:middle"></span>{esc(label)}</div>'
        for c, label in entries)
    extra = f'<div style="margin-top:4px;font-size:11px;color:#444">{esc(note)}</div>' if note else ""
    return (f'<div class="peta-legend" style="position:absolute;bottom:24px;left:12px;z-index:9999;'
            f'background:rgba(255,255,255,.92);padding:8px 10px;border:1px solid #999;border-radius:4px;'
            f'font:13px sans-serif;line-height:20px;max-width:260px"><b>{esc(title)}</b>{items}{extra}</div>')


def coverage_map(table: gpd.GeoDataFrame, layer: str = "coverage", lang: str = "id",
                 outlines: gpd.GeoDataFrame | None = None) -> folium.Map:
    """The coverage choropleth: one polygon per regency, coloured by ``layer``, escaped tooltips, a legend."""
    from branca.element import Element

    colours, legend = layer_classes(table, layer, lang)
    i = 0 if lang == "id" else 1
    m = base_map(tuple(table.total_bounds))
    gdf = table[["code", "name", "province", "geometry"]].copy()
    presence = table["presence"].map(lambda p: PRESENCE_LABELS[p][i])
    gdf["status"] = presence
    gdf["first"] = table["first_mpp_on"].fillna("")
    gdf["rb"] = [f"{p} ({y})" if isinstance(p, str) else NO_DATA[i] for p, y in zip(table["rb_predikat"], table["rb_year"])]
    gdf["sakip"] = [f"{p} ({y})" if isinstance(p, str) else NO_DATA[i]
                    for p, y in zip(table["sakip_predikat"], table["sakip_year"])]
    gdf["fill"] = colours
    for col in ("name", "province", "status", "first", "rb", "sakip"):
        gdf[col] = gdf[col].map(esc)
    labels = (["", "Kode", "Provinsi", "MPP", "Sejak", "RB", "SAKIP"] if lang == "id"
              else ["", "Code", "Province", "MPP", "Since", "RB", "SAKIP"])
    folium.GeoJson(
        json.loads(to_geojson(gdf)), name=LAYERS[layer][i],
        style_function=lambda f: {"fillColor": f["properties"]["fill"], "color": "#525252", "weight": 0.4,
                                  "fillOpacity": 0.85},
        highlight_function=lambda f: {"weight": 2.5, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(fields=["name", "code", "province", "status", "first", "rb", "sakip"],
                                      aliases=labels, sticky=True),
    ).add_to(m)
    outlines = outlines if outlines is not None else province_outlines(table)
    folium.GeoJson(json.loads(to_geojson(outlines[["province", "geometry"]])), name="Provinsi",
                   style_function=lambda f: {"fill": False, "color": "#252525", "weight": 1.2},
                   interactive=False).add_to(m)
    note = ""
    if layer == "rb":
        note = ("Metode RB berubah 2023" if lang == "id" else "RB method changed in 2023")
    m.get_root().html.add_child(Element(legend_html(LAYERS[layer][i], legend, note)))
    return m
