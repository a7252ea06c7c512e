"""Folium maps from the regency coverage table: choropleth layers, legend, escaped tooltips."""

from __future__ import annotations

import html
import json
import os
from typing import Any

import folium
import geopandas as gpd

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
