"""Peta cakupan: the coverage choropleth with a layer the user picks."""

from __future__ import annotations

import streamlit as st

from geo.maps import LAYERS, coverage_map
from pages._shared import current_filters, show_map, active_registry, builtin_scores, coverage_gdf, coverage_table, lang, t

when, provinces = current_filters()
table = coverage_table(when, provinces, active_registry(), builtin_scores())
i = 0 if lang() == "id" else 1
st.title(t("map"))
qp_layer = st.query_params.get("layer", "coverage")
layer = st.radio(t("layer"), list(LAYERS), index=list(LAYERS).index(qp_layer) if qp_layer in LAYERS else 0,
                 format_func=lambda k: LAYERS[k][i], horizontal=True, key="layer")
st.query_params["layer"] = layer
show_map(coverage_map(coverage_gdf(table, provinces), layer, lang()), 640, f"map-{layer}-{when}-{provinces}")
