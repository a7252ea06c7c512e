"""Presentasi: a full-width map for a projector, large type, scope and date in the title; no widgets in the way.

The view comes from the link (?province=…&as_of=…&layer=…&lang=…), so a prepared link opens straight into it.
"""

from __future__ import annotations

import html

import streamlit as st

from geo.briefing import SOURCE_LINE, long_date, scope_name
from geo.i18n import fmt_int
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
day = long_date(when, lang())
if layer in ("rb", "sakip"):  # the subtitle speaks of the layer shown, and of how much of it is unknown
    known = int(table[f"{layer}_predikat"].notna().sum())
    name = LAYERS[layer][i]
    sub = (f"Per {day}: {name} diketahui untuk {known} dari {n} kabupaten/kota; {n - known} ({(n - known) / n:.0%}) "
           f"tidak ada data" if i == 0 else f"As of {day}: {name} known for {known} of {n} regencies; "
           f"{n - known} ({(n - known) / n:.0%}) no data")
elif layer == "digital":
    known = int(table["digital_platform"].notna().sum())
    sub = (f"Per {day}: {known} dari {n} kabupaten/kota disebut sumber; {n - known} ({(n - known) / n:.0%}) tidak "
           f"disebut (bukan berarti belum)" if i == 0 else f"As of {day}: {known} of {n} regencies named by a "
           f"source; {n - known} ({(n - known) / n:.0%}) not named (not 'none')")
elif layer == "people":
    without = table[~(table["has_mpp"] | table["province_run_mpp"])]["population"].sum()
    sub = (f"Per {day}: {fmt_int(without, 'id')} penduduk terdaftar tinggal di kabupaten/kota tanpa layanan MPP"
           if i == 0 else f"As of {day}: {fmt_int(without, 'en')} registered residents live in regencies without "
           f"an MPP")
else:
    sub = (f"Per {day}: {covered} dari {n} kabupaten/kota memiliki MPP ({covered / n:.0%})" if i == 0 else
           f"As of {day}: {covered} of {n} regencies have an MPP ({covered / n:.0%})")
st.markdown(f'<div class="peta-present-title" style="font-size:2.6rem;font-weight:700;line-height:1.15">'
            f'{html.escape(title)}</div><div class="peta-present-sub" style="font-size:1.6rem;color:#333;'
            f'margin:.3rem 0 .6rem 0">{html.escape(sub)}</div>', unsafe_allow_html=True)
st.page_link("pages/peta.py", label="← Kembali ke aplikasi" if i == 0 else "← Back to the app",
             query_params={"layer": layer, "as_of": when.isoformat(), "lang": lang(), "province": list(provinces)})
show_view(view("present", when, provinces, layer, lang()), 760, f"present-{layer}-{when}-{provinces}")
st.markdown(f'<div class="peta-present-src" style="font-size:1rem;color:#444">{html.escape(SOURCE_LINE[lang()])}</div>',
            unsafe_allow_html=True)
