"""Skor reformasi: RB and SAKIP by province and regency, beside MPP coverage, with the gaps in the data."""

from __future__ import annotations

import streamlit as st

from geo.coverage import presence_by_predikat, province_scores
from geo.scores import PREDIKAT_BANDS, RB_METHOD_NOTE, RB_METHOD_NOTE_ID
from pages._shared import (
    active_registry,
    active_scores,
    coverage_table,
    current_filters,
    lang,
    t,
)

when, provinces = current_filters()
sc = active_scores()
table = coverage_table(when, provinces, active_registry(), sc)
en = lang() == "en"
st.title(t("scores"))
st.info(("Scores are the latest assessment counted on the chosen date (an assessment of year Y counts from "
         "31 December Y), with its year. Only results a public source states are shown; none is derived. "
         if en else
         "Skor adalah hasil evaluasi terakhir yang berlaku pada tanggal terpilih (evaluasi tahun Y berlaku sejak "
         "31 Desember Y), beserta tahunnya. Hanya hasil yang dinyatakan sumber publik; tidak ada yang diturunkan. ")
        + (RB_METHOD_NOTE if en else RB_METHOD_NOTE_ID))
n = len(table)
for assessment in ("RB", "SAKIP"):
    col = f"{assessment.lower()}_predikat"
    known = int(table[col].notna().sum())
    st.subheader(assessment)
    st.write((f"Regencies with a known {assessment} predikat: {known} of {n} ({known / n:.0%}). The rest are unknown, "
              f"not low." if en else
              f"Kabupaten/kota dengan predikat {assessment} yang diketahui: {known} dari {n} ({known / n:.0%}). "
              f"Sisanya tidak diketahui, bukan rendah."))
    ct = presence_by_predikat(table, assessment)
    if not en:
        ct = ct.rename(columns={"with MPP": "Ada MPP", "without MPP": "Belum ada MPP"}, index={"no data": "tidak ada data"})
    ct.index.name = "Predikat"
    st.dataframe(ct, width="stretch")
st.subheader("Provinces" if en else "Provinsi")
st.dataframe(province_scores(when, list(provinces), sc), hide_index=True, width="stretch")
st.subheader("Regencies" if en else "Kabupaten/kota")
st.dataframe(table[table["rb_predikat"].notna() | table["sakip_predikat"].notna()][
    ["code", "name", "province", "has_mpp", "rb_predikat", "rb_score", "rb_year", "sakip_predikat", "sakip_score",
     "sakip_year"]], hide_index=True, width="stretch")
st.caption("Predikat: " + ", ".join(f"{k} {lo}–{hi} ({label})" for k, (lo, hi, label) in PREDIKAT_BANDS.items()))
