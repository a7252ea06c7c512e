"""Presentasi: a full-width map for a projector, large type, scope and date in the title; no widgets in the way.

The view comes from the link (?province=…&as_of=…&layer=…&lang=…), so a prepared link opens straight into it.
"""

from __future__ import annotations

import html

import streamlit as st

from geo.briefing import SOURCE_LINE, long_date, scope_name
from geo.maps import LAYERS
from pages._shared import (
                           active_registry,
                           active_scores,
                           coverage_table,
                           current_filters,
                           lang,
)
from pages._views import show_view, view

when, provinces = current_filters()
reg = active_registry()
table = coverage_table(when, provinces, reg, active_scores())
layer = st.query_params.get("layer", "coverage")
layer = layer if layer in LAYERS else "coverage"
i = 0 if lang() == "id" else 1
st.markdown("""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header, footer { display: none !important; }
.block-container { padding-top: 1rem; max-width: 100% !important; }
</style>""", unsafe_allow_html=True)
covered, n = int(table["has_mpp"].sum()), len(table)
scope = scope_name(table, list(provinces), lang())
title = f"{LAYERS[layer][i]} — {scope}"
sub = (f"Per {long_date(when, 'id')}: {covered} dari {n} kabupaten/kota memiliki MPP ({covered / n:.0%})" if i == 0 else
       f"As of {long_date(when, 'en')}: {covered} of {n} regencies have an MPP ({covered / n:.0%})")
st.markdown(f'<div class="peta-present-title" style="font-size:2.6rem;font-weight:700;line-height:1.15">'
            f'{html.escape(title)}</div><div class="peta-present-sub" style="font-size:1.6rem;color:#333;'
            f'margin:.3rem 0 .6rem 0">{html.escape(sub)}</div>', unsafe_allow_html=True)
show_view(view("present", when, provinces, layer, lang()), 760, f"present-{layer}-{when}-{provinces}")
st.markdown(f'<div class="peta-present-src" style="font-size:1rem;color:#444">{html.escape(SOURCE_LINE[lang()])}</div>',
            unsafe_allow_html=True)
