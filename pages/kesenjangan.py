"""Kesenjangan: a planner's priority list of regencies without any MPP service, province totals, downloads."""

from __future__ import annotations

import streamlit as st

from geo import views
from geo.coverage import gap_features, province_ranking
from geo.inputs import map_inputs
from geo.labels import NUMBER_FORMATS, column_label, localize
from geo.tables import to_csv_bytes, to_geojson, to_xlsx_bytes
from pages._filters import current_filters
from pages._language import lang, tr
from pages._loaders import (
    active_registry,
    active_scores,
    coverage_table,
    data_as_of,
    mpp_points_as_of,
    session_inputs,
)
from pages._widgets import button_row, show_table, view_data

when, provinces = current_filters()
reg = active_registry()
table = coverage_table(when, provinces, reg, active_scores())
_ = tr()
st.title(_("Gaps"))
gap = views.gaps(when, list(provinces), session_inputs(), table, mpp_points_as_of(when, (), reg))
served_by_province = int((~table["has_mpp"] & table["province_run_mpp"]).sum())
people = gap["population"].sum()
st.write(_("{n} of {total} regencies have no MPP service as of {date}: {people} registered residents", n=len(gap),
           total=len(table), date=_.date(when), people=_.int(people)))
if served_by_province:
    st.caption(_("{n} regencies without their own MPP are served by a province-run MPP and are not listed.",
                 n=served_by_province))
SORTS = {"distance": _("Distance to the nearest MPP (farthest first)"),
         "population": _("Population (largest first)"), "province": _("Province and name")}
order = st.radio(_("Sort by"), list(SORTS), horizontal=True, key="gap_sort", format_func=SORTS.get)
gap = views.sort_gaps(gap, order)
st.caption(_("Both shown side by side, never combined into a score. Distances are straight lines (geodesic km) between "
             "representative points of the regencies (or an MPP's own coordinates where known): an island regency may "
             "be far across the sea. Population: registered residents (Dukcapil, Kepmendagri 2025), not a census."))
stem = f"kesenjangan_{when}" + (f"_{'-'.join(provinces)}" if provinces else "")
scope = ", ".join(dict.fromkeys(table["province"])) if provinces else "Indonesia"
about = [(_("Peta MPP — gaps"), _("Regencies without an MPP service")), (_("Scope"), scope),
         (_("As of"), _.date(when)), (_("Rows"), str(len(gap))), (_("Sorted by"), SORTS[order]),
         (_("Data as of"), _("{date} (the latest dated statement)", date=_.date(data_as_of()))),
         (_("Not listed"), _("{n} regencies without their own MPP that a province-run MPP serves",
                             n=served_by_province)),
         (_("Sources"), _("Peta MPP's MPP registry (data/mpp_registry.csv, one URL per statement); registered "
                          "residents from Dukcapil (Kepmendagri 300.2.2-2138/2025, not a census); boundaries "
                          "cahyadsn/wilayah_boundaries (MIT); straight-line distances between representative points"))]
english = st.toggle(_("English field names (for scripts)"), key="gap_english",
                    help=_("Column names and codes as in the data (such as code, name, province), for analysts' "
                           "scripts; otherwise the headers and values are in the chosen language."))
out = localize(gap, lang(), english=english)
row = button_row()
row.download_button("CSV", to_csv_bytes(out), file_name=f"{stem}.csv", mime="text/csv", width="content")
row.download_button("CSV (;)", to_csv_bytes(out, sep=";"), file_name=f"{stem}_titikkoma.csv", mime="text/csv",
                    help=_("For Excel set to Indonesian (semicolon separator, decimal comma)"), width="content")
formats = {column_label(c, lang()): kind for c, kind in NUMBER_FORMATS.items()}  # the headers people read
row.download_button("XLSX", to_xlsx_bytes(out, _("Gaps"), about=about, about_sheet=_("About"), formats=formats),
                    file_name=f"{stem}.xlsx", width="content",
                    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
features = gap_features(table, gap, map_inputs(provinces)["shapes"])
row.download_button("GeoJSON", to_geojson(features).encode("utf-8"), file_name=f"{stem}.geojson",
                    mime="application/geo+json", width="content")
show_table(gap[["code", "name", "province", "population", "nearest_mpp_km", "nearest_mpp", "nearest_mpp_regency",
                "rb_predikat", "rb_year", "sakip_predikat", "sakip_year"]], height=min(36 * (len(gap) + 1) + 3, 720))
view_data("gaps", when, provinces, lambda: gap, sort=order)
st.subheader(_("Province ranking"))
st.caption(_("Least served first; people without an MPP service per province."))
show_table(province_ranking(table)[["province", "regencies", "covered", "served", "without", "served_rate",
                                    "population", "people_without"]])
