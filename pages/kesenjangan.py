"""Kesenjangan: regencies without an MPP, province ranking, downloads."""

from __future__ import annotations

import streamlit as st

from geo.tables import to_csv_bytes, to_xlsx_bytes
from pages._shared import current_filters, active_registry, builtin_scores, coverage_table, lang, t

when, provinces = current_filters()
table = coverage_table(when, provinces, active_registry(), builtin_scores())
en = lang() == "en"
st.title(t("gaps"))
gaps = table[~table["has_mpp"]][["code", "name", "province", "presence", "rb_predikat", "rb_year", "sakip_predikat",
                                  "sakip_year"]]
st.write((f"{len(gaps)} of {len(table)} regencies have no MPP as of {when}" if en else
          f"{len(gaps)} dari {len(table)} kabupaten/kota belum memiliki MPP per {when}"))
st.dataframe(gaps, hide_index=True, width="stretch")
ranking = table.groupby("province").agg(regencies=("code", "size"), covered=("has_mpp", "sum"))
ranking["without"] = ranking["regencies"] - ranking["covered"]
ranking["coverage_rate"] = (ranking["covered"] / ranking["regencies"]).round(3)
st.subheader("Provinces" if en else "Peringkat provinsi")
st.dataframe(ranking.sort_values(["coverage_rate", "without"]), width="stretch")
c1, c2 = st.columns(2)
c1.download_button("CSV", to_csv_bytes(gaps), file_name=f"kesenjangan_{when}.csv", mime="text/csv")
c2.download_button("XLSX", to_xlsx_bytes(gaps), file_name=f"kesenjangan_{when}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
