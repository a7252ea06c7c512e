"""Kesenjangan: a planner's priority list of regencies without any MPP service, province totals, downloads."""

from __future__ import annotations

import streamlit as st

from geo.boundaries import to_geojson
from geo.coverage import gaps, province_ranking
from geo.i18n import fmt_date, fmt_int
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
served_by_province = int((~table["has_mpp"] & table["province_run_mpp"]).sum())
people = gap["population"].sum()
st.write((f"{len(gap)} of {len(table)} regencies have no MPP service as of {when}: "
          f"{fmt_int(people, 'en')} registered residents" if en else
          f"{len(gap)} dari {len(table)} kabupaten/kota belum memiliki layanan MPP per {when}: "
          f"{fmt_int(people, 'id')} penduduk terdaftar"))
if served_by_province:
    st.caption((f"{served_by_province} regencies without their own MPP are served by a province-run MPP and are not "
                f"listed." if en else f"{served_by_province} kab/kota tanpa MPP sendiri dilayani MPP yang dikelola "
                f"provinsi dan tidak dicantumkan."))
SORTS = {"distance": ("Jarak ke MPP terdekat (terjauh dulu)", "Distance to the nearest MPP (farthest first)"),
         "population": ("Jumlah penduduk (terbanyak dulu)", "Population (largest first)"),
         "province": ("Provinsi dan nama", "Province and name")}
order = st.radio("Urutkan menurut" if not en else "Sort by", list(SORTS), horizontal=True, key="gap_sort",
                 format_func=lambda k: SORTS[k][1 if en else 0])
if order == "distance":
    gap = gap.sort_values(["nearest_mpp_km", "population"], ascending=[False, False], na_position="last")
elif order == "population":
    gap = gap.sort_values(["population", "nearest_mpp_km"], ascending=[False, False], na_position="last")
gap = gap.reset_index(drop=True)
st.caption("Both shown side by side, never combined into a score. Distances are straight lines (geodesic km) between "
           "representative points of the regencies (or an MPP's own coordinates where known): an island regency may "
           "be far across the sea. Population: registered residents (Dukcapil, Kepmendagri 2025), not a census."
           if en else
           "Keduanya ditampilkan berdampingan, tidak pernah digabung menjadi satu skor. Jarak adalah garis lurus (km "
           "geodesik) antar titik representatif wilayah (atau koordinat MPP bila diketahui): kabupaten kepulauan "
           "bisa jauh di seberang laut. Penduduk: penduduk terdaftar (Dukcapil, Kepmendagri 2025), bukan sensus.")
stem = f"kesenjangan_{when}" + (f"_{'-'.join(provinces)}" if provinces else "")
scope = ", ".join(dict.fromkeys(table["province"])) if provinces else "Indonesia"
about = [("Peta MPP — kesenjangan" if not en else "Peta MPP — gaps",
          "Kabupaten/kota tanpa layanan MPP" if not en else "Regencies without an MPP service"),
         ("Wilayah" if not en else "Scope", scope), ("Per tanggal" if not en else "As of", fmt_date(when, lang())),
         ("Baris" if not en else "Rows", str(len(gap))),
         ("Sumber" if not en else "Sources", "Registri MPP Peta MPP (data/mpp_registry.csv, satu URL per pernyataan); "
          "penduduk terdaftar Dukcapil (Kepmendagri 300.2.2-2138/2025, bukan sensus); batas wilayah "
          "cahyadsn/wilayah_boundaries (MIT); jarak garis lurus antar titik representatif")]
c1, c2, c3, c4, _ = st.columns([1, 1, 1, 1, 2])
c1.download_button("CSV", to_csv_bytes(gap), file_name=f"{stem}.csv", mime="text/csv")
c2.download_button("CSV (;)", to_csv_bytes(gap, sep=";"), file_name=f"{stem}_titikkoma.csv", mime="text/csv",
                   help="Untuk Excel berbahasa Indonesia (pemisah titik koma, koma desimal)" if not en else
                   "For Excel set to Indonesian (semicolon separator, decimal comma)")
c3.download_button("XLSX", to_xlsx_bytes(gap, "Kesenjangan", about=about), file_name=f"{stem}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
served = table["has_mpp"] | table["province_run_mpp"]
geo = coverage_gdf(table[~served].drop(columns=["regency_type"]), provinces)
geo = geo.merge(gap[["code", "nearest_mpp", "nearest_mpp_km"]], on="code")
c4.download_button("GeoJSON", to_geojson(geo).encode("utf-8"), file_name=f"{stem}.geojson",
                   mime="application/geo+json")
show_table(gap[["code", "name", "province", "population", "nearest_mpp_km", "nearest_mpp", "nearest_mpp_regency",
                "rb_predikat", "rb_year", "sakip_predikat", "sakip_year"]], height=min(36 * (len(gap) + 1) + 3, 720))
st.subheader("Province ranking" if en else "Peringkat provinsi")
st.caption("Least served first; people without an MPP service per province." if en else
           "Yang paling sedikit terlayani lebih dulu; penduduk tanpa layanan MPP per provinsi.")
show_table(province_ranking(table)[["province", "regencies", "covered", "served", "without", "served_rate",
                                    "population", "people_without"]])
