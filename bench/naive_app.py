"""The naive app that bench/bench_capacity.py compares the project with (benchmark only, not part of the app).

What a straightforward Streamlit + folium app does: read the same 514 simplified national regency polygons (once per
process, ``st.cache_data``), then in every session build a ``folium.Choropleth`` with a name tooltip and send it with
``st_folium``. This machine has no internet, so Leaflet comes from the project's ``static/vendor`` (served by
Streamlit's static file serving) instead of a CDN, and the colour legend (branca's, which needs d3 from a CDN) is
left out: both make the naive app lighter than its online original, never heavier. The polygons are the project's own national display geometry, written by the benchmark to the GeoJSON
file named by ``NAIVE_GEOJSON``; the value drawn is each regency's registered residents (``people``).
"""

import os

import folium
import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium


@st.cache_data
def regencies() -> gpd.GeoDataFrame:
    return gpd.read_file(os.environ["NAIVE_GEOJSON"])


folium.Map.default_js = [("leaflet", "/app/static/vendor/leaflet.js")]
folium.Map.default_css = [("leaflet_css", "/app/static/vendor/leaflet.css")]
gdf = regencies()
st.title("MPP coverage (naive)")
m = folium.Map(location=[-2.5, 118], zoom_start=5, tiles=None)
choropleth = folium.Choropleth(geo_data=gdf, data=gdf, columns=["code", "people"], key_on="feature.properties.code",
                               fill_color="YlOrRd", fill_opacity=0.8, line_weight=0.4, legend_name="Residents")
del choropleth._children[choropleth.color_scale.get_name()]  # the legend needs d3 from a CDN
choropleth.color_scale = None
choropleth.add_to(m)
folium.GeoJsonTooltip(fields=["name"]).add_to(choropleth.geojson)
st_folium(m, height=640, use_container_width=True)
