"""Peta cakupan: the coverage choropleth with a layer the user picks, MPP markers, and a regency's detail."""

from __future__ import annotations

import streamlit as st

from urllib.parse import urlencode

from geo import views
from geo.coverage import regency_detail
from geo.digital import digital_counts, digital_sentence
from geo.maps import LAYERS, layer_table
from pages._filters import current_filters
from pages._language import lang, tr
from pages._loaders import (
    active_registry,
    active_scores,
    coverage_table,
    negative_evidence,
    session_inputs,
)
from pages._browser import bring_into_view
from pages._corrections import regency_corrections, show_corrections
from pages._views import show_view, view
from pages._widgets import export_buttons, show_table, view_data

when, provinces = current_filters()
reg = active_registry()
table = coverage_table(when, provinces, reg, active_scores())
_ = tr()
st.title(_("Coverage map"))
qp_layer = st.query_params.get("layer") or st.session_state.pop("layer_from_link", None) \
    or st.session_state.get("map_layer")
if "layer" not in st.session_state:  # the address's layer (a shared link's), else the last chosen, else coverage
    st.session_state["layer"] = qp_layer if qp_layer in LAYERS else "coverage"
layer = st.radio(_("Map layer"), list(LAYERS), format_func=lambda k: _.say(LAYERS[k]), horizontal=True, key="layer")
st.session_state["map_layer"] = layer  # kept for a saved dataset's link (a widget's state ends with its page)
st.query_params["layer"] = layer
if layer == "rb":
    st.caption(_("The RB method changed in 2023: values before and after 2023 are not directly comparable."))
elif layer == "digital":
    st.caption(digital_sentence(digital_counts(table), lang()))
clicked = show_view(view("map", when, provinces, layer, lang()), 640, f"map-{layer}-{when}-{provinces}", clickable=True)
with st.expander(_("This map as a table")):
    show_table(layer_table(table, layer), height=420)
export_buttons(when, provinces, layer)
st.page_link("pages/presentasi.py", label=_("Presentation mode"), icon=":material/slideshow:",
             query_params={"layer": layer, "as_of": when.isoformat(), "lang": lang(), "province": list(provinces)})
present = urlencode([("layer", layer), ("as_of", when.isoformat()), ("lang", lang()),
                     *(("province", p) for p in provinces)])
view_data("regencies", when, provinces, lambda: views.regencies(when, list(provinces), session_inputs()),
          embed=f"presentasi?{present}")
st.caption(_("Click a regency on the map for its detail."))
code = ((clicked or {}).get("last_active_drawing") or {}).get("properties", {}).get("code")
if code:
    d = regency_detail(code, reg, active_scores(), negative_evidence())
    st.subheader(_("Regency detail: {name} ({code}), {province}", name=d.name, code=d.code,
                   province=d.province), anchor="regency-detail")
    if st.session_state.get("detail_shown") != code:  # a new click: bring its detail into view, once
        st.session_state["detail_shown"] = code
        bring_into_view("regency-detail")
    st.page_link("pages/koreksi.py", label=_("Report a correction"), icon=":material/edit_note:",
                 query_params={"region": code})
    if d.mpps.empty:
        st.write(_("No MPP recorded."))
    else:
        show_table(d.mpps[["display_name", "status", "opened_on", "date_precision", "date_basis", "known_by",
                              "province_run", "sources", "conflicts", "notes"]])
        if (d.mpps["mpp_name"].fillna("") == "").any():
            st.caption(_("The sources give no name for the MPP; it is shown by its regency."))
    if not d.negative.empty:
        st.write(_("'No MPP yet' statements:"))
        show_table(d.negative[["stated_on", "event", "source_url"]])
    st.write(_("This regency's reform scores over the years:"))
    if d.scores.empty:
        st.write(_("No score data for this regency."))
    else:
        show_table(d.scores[["assessment", "year", "predikat", "score", "quality", "selected", "conflict",
                                "source_url"]])
    if not d.province_scores.empty:
        with st.expander(_("Results of the {province} provincial government (not this regency's)",
                           province=d.province)):
            show_table(d.province_scores[["assessment", "year", "predikat", "score", "quality", "selected",
                                             "source_url"]])
    found = regency_corrections(code)
    if found is None:
        st.caption(_("The corrections for this regency cannot be listed right now."))
    elif len(found):
        st.write(_("Corrections from the field for this regency:"))
        show_corrections(found, regions=False)
