"""Skor reformasi: RB and SAKIP by province and regency, beside MPP coverage, with the gaps in the data."""

from __future__ import annotations

import streamlit as st

from geo import views
from geo.coverage import presence_by_predikat, province_scores
from geo.scores import PREDIKAT_BANDS, RB_METHOD_NOTE
from pages._filters import current_filters
from pages._language import tr
from pages._loaders import active_registry, active_scores, coverage_table, session_inputs
from pages._widgets import show_table, view_data

when, provinces = current_filters()
sc = active_scores()
table = coverage_table(when, provinces, active_registry(), sc)
_ = tr()
st.title(_("Reform scores"))
st.info(_("Scores are the latest assessment counted on the chosen date (an assessment of year Y counts from "
          "31 December Y), with its year. Only results a public source states are shown; none is derived.")
        + " " + _.say(RB_METHOD_NOTE))
n = len(table)
for assessment in ("RB", "SAKIP"):
    col = f"{assessment.lower()}_predikat"
    known = int(table[col].notna().sum())
    st.subheader(assessment)
    st.write(_("Regencies with a known {assessment} predikat: {known} of {n} ({share}). The rest are unknown, not low.",
               assessment=assessment, known=known, n=n, share=_.pct(known / n, 0)))
    ct = presence_by_predikat(table, assessment)
    ct = ct.rename(columns={"with MPP": _("Has an MPP"), "without MPP": _("No MPP")}, index={"no data": _("no data")})
    ct.index.name = _("Predikat")
    st.dataframe(ct, width="stretch")
st.subheader(_("Provinces"))
show_table(province_scores(when, list(provinces), sc).rename(columns={"name": "province"}))  # a province's name
st.subheader(_("Regencies"))
show_table(table[table["rb_predikat"].notna() | table["sakip_predikat"].notna()][
    ["code", "name", "province", "has_mpp", "rb_predikat", "rb_score", "rb_year", "sakip_predikat", "sakip_score",
     "sakip_year"]])
view_data("scores", when, provinces, lambda: views.scores(when, list(provinces), session_inputs()))
st.caption(_("Predikat") + ": " + ", ".join(f"{k} {lo}–{hi} ({_.say(label)})"
                                            for k, (lo, hi, label) in PREDIKAT_BANDS.items()))
