"""Kesenjangan: regencies without an MPP (with the nearest MPP), province ranking, downloads."""

from __future__ import annotations

import streamlit as st

from geo.boundaries import to_geojson
from geo.coverage import gaps, province_ranking
from geo.tables import to_csv_bytes, to_xlsx_bytes
from pages._shared import (
                           active_registry,
                           active_scores,
                           coverage_gdf,
                           coverage_table,
                           current_filters,
                           lang,
                           mpp_points_as_of,
                           show_table,
                           t,
)

when, provinces = current_filters()
reg = active_registry()
table = coverage_table(when, provinces, reg, active_scores())
en = lang() == "en"
st.title(t("gaps"))
gap = gaps(table, None, mpp_points_as_of(when, (), reg))
st.write((f"{len(gap)} of {len(table)} regencies have no MPP of their own as of {when}" if en else
          f"{len(gap)} dari {len(table)} kabupaten/kota belum memiliki MPP sendiri per {when}"))
st.caption("Nearest MPP: geodesic km between representative points (an MPP's own coordinates where known)." if en
           else "MPP terdekat: jarak geodesik (km) antar titik representatif wilayah (atau koordinat MPP bila ada).")
show_table(gap[["code", "name", "province", "nearest_mpp_km", "nearest_mpp", "nearest_mpp_regency", "presence",
                "rb_predikat", "rb_year", "sakip_predikat", "sakip_year"]])
st.subheader("Province ranking" if en else "Peringkat provinsi")
show_table(province_ranking(table))
stem = f"kesenjangan_{when}" + (f"_{'-'.join(provinces)}" if provinces else "")
c1, c2, c3 = st.columns(3)
c1.download_button("CSV", to_csv_bytes(gap), file_name=f"{stem}.csv", mime="text/csv")
c2.download_button("XLSX", to_xlsx_bytes(gap), file_name=f"{stem}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
geo = coverage_gdf(table[~table["has_mpp"]].drop(columns=["regency_type"]), provinces)
geo = geo.merge(gap[["code", "nearest_mpp", "nearest_mpp_km"]], on="code")
c3.download_button("GeoJSON", to_geojson(geo).encode("utf-8"), file_name=f"{stem}.geojson",
                   mime="application/geo+json")
