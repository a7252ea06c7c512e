"""Ringkasan: headline figures, the national coverage map, coverage over time."""

from __future__ import annotations

from datetime import date

import streamlit as st

from geo.coverage import summary
from geo.i18n import fmt_int, fmt_millions, fmt_pct
from pages._shared import (
    active_registry,
    active_scores,
    coverage_table,
    current_filters,
    export_buttons,
    lang,
    official_totals,
    t,
    yearly,
)
from pages._views import show_view, view

when, provinces = current_filters()
reg, sc, totals = active_registry(), active_scores(), official_totals()
table = coverage_table(when, provinces, reg, sc)
s = summary(table, when, reg, totals)
prev_when = date(when.year - 1, when.month, min(when.day, 28))
prev = coverage_table(prev_when, provinces, reg, sc)
en = lang() == "en"

st.title(t("overview"))
st.caption(("As of " if en else "Per ") + when.isoformat())
c1, c2, c3, c4, c5 = st.columns(5)
c1.metric(t("covered"), f"{s['covered']} / {s['regencies']}")
c1.caption(fmt_pct(s["coverage_rate"], lang()) + (f" · {s['served']} {'served incl. province-run' if en else 'terlayani termasuk MPP provinsi'}"
                                                   if s["served"] != s["covered"] else ""))
# People: registered residents of the regencies with their own MPP, of all in scope.
if s["population_total"]:
    # In millions on the card (a full number does not fit a fifth of a 1280-pixel screen); exact in the caption.
    c2.metric(t("people_covered"), fmt_millions(s["population_covered"], lang()))
    c2.caption((f"{fmt_int(s['population_covered'], 'en')} of {fmt_int(s['population_total'], 'en')} registered residents "
                f"({fmt_pct(s['population_covered'] / s['population_total'], 'en')}); not a census") if en else
               (f"{fmt_int(s['population_covered'], 'id')} dari {fmt_int(s['population_total'], 'id')} penduduk terdaftar "
                f"({fmt_pct(s['population_covered'] / s['population_total'], 'id')}); bukan sensus"))
# KemenPAN-RB's count is national: in a province view the card says so.
named_label = t("named") + ((" (national)" if en else " (nasional)") if s["scope"] != "national" else "")
if s["official_total"]:
    c3.metric(named_label, f"{s['registry_named_nationally']} / {s['official_total']}")
    c3.caption(f"official count of {s['official_total_as_of']}" if en else f"hitungan resmi {s['official_total_as_of']}")
else:
    c3.metric(named_label, f"{s['registry_named_nationally']} / –")
c4.metric(t("full_provinces"), f"{s['provinces_fully_covered']} / {s['provinces']}")
c5.metric(t("change"), f"{s['covered'] - int(prev['has_mpp'].sum()):+d}")
show_view(view("overview", when, provinces, "coverage", lang()), 520, f"overview-{when}-{provinces}")
export_buttons(when, provinces)
series = yearly(when, provinces, reg, sc)
st.subheader("Coverage over time" if en else "Cakupan dari tahun ke tahun")
left, right = st.columns(2)
left.caption("Regencies with their own MPP" if en else "Kab/kota dengan MPP sendiri")
left.bar_chart(series.assign(year=series["year"].astype(str)).set_index("year")[["with_own_mpp"]]
               .rename(columns={"with_own_mpp": "kab/kota" if not en else "regencies"}))
right.caption("Registered residents of those regencies (millions)" if en else
              "Penduduk terdaftar di kab/kota tersebut (juta)")
right.bar_chart(series.assign(year=series["year"].astype(str), people=series["population_covered"] / 1e6)
                .set_index("year")[["people"]].rename(columns={"people": "juta" if not en else "millions"}))
