"""Peta MPP: Streamlit entry point. Run with `make run`."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geo.boundaries import load_boundaries
from geo.maps import regency_map

st.set_page_config(page_title="Peta MPP", page_icon="🗺️", layout="wide")


@st.cache_resource(show_spinner="Menyiapkan batas wilayah…")
def national() -> object:
    return load_boundaries("national")


st.title("Peta MPP")
st.caption("Batas 514 kabupaten/kota (Kepmendagri 2025).")
gdf = national()
st_folium(regency_map(gdf), height=620, use_container_width=True, returned_objects=[])
