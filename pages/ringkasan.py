"""Ringkasan: headline figures, the national coverage map, coverage over time."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from geo.coverage import summary
from geo.maps import coverage_map
from pages._shared import (
    active_registry,
    active_scores,
    borders,
    coverage_gdf,
    coverage_table,
    current_filters,
    export_buttons,
    lang,
    official_totals,
    show_map,
    t,
)

when, provinces = current_filters()
reg, sc, totals = active_registry(), active_scores(), official_totals()
table = coverage_table(when, provinces, reg, sc)
s = summary(table, when, reg, totals)
prev_when = date(when.year - 1, when.month, min(when.day, 28))
prev = coverage_table(prev_when, provinces, reg, sc)
en = lang() == "en"

st.title(t("overview"))
st.caption(("As of " if en else "Per ") + when.isoformat())
c1, c2, c3, c4 = st.columns(4)
c1.metric(t("covered"), f"{s['covered']} / {s['regencies']}")
c1.caption(f"{s['coverage_rate']:.1%}" + (f" · {s['served']} {'served incl. province-run' if en else 'terlayani termasuk MPP provinsi'}"
                                          if s["served"] != s["covered"] else ""))
# KemenPAN-RB's count is national: in a province view the card says so.
named_label = t("named") + ((" (national)" if en else " (nasional)") if s["scope"] != "national" else "")
if s["official_total"]:
    c2.metric(named_label, f"{s['registry_named_nationally']} / {s['official_total']}")
    c2.caption(f"official count of {s['official_total_as_of']}" if en else f"hitungan resmi {s['official_total_as_of']}")
else:
    c2.metric(named_label, f"{s['registry_named_nationally']} / –")
c3.metric(t("full_provinces"), f"{s['provinces_fully_covered']} / {s['provinces']}")
c4.metric(t("change"), f"{s['covered'] - int(prev['has_mpp'].sum()):+d}")
show_map(coverage_map(coverage_gdf(table, provinces), "coverage", lang(), outlines=borders(provinces)), 520, f"overview-{when}-{provinces}")
export_buttons(when, provinces)
years = list(range(2017, when.year + 1))
series = pd.DataFrame({"year": [str(y) for y in years], "regencies with an MPP" if en else "kab/kota dengan MPP": [
    int(coverage_table(date(y, 12, 31) if y < when.year else when, provinces, reg, sc)["has_mpp"].sum()) for y in years]})
st.subheader("Coverage over time" if en else "Cakupan dari tahun ke tahun")
st.bar_chart(series.set_index("year"))
