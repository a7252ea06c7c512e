"""Peta cakupan: the coverage choropleth with a layer the user picks, MPP markers, and a regency's detail."""

from __future__ import annotations

import streamlit as st

from geo.coverage import regency_detail
from geo.maps import LAYERS
from pages._shared import (
    active_registry,
    active_scores,
    coverage_table,
    curation_report,
    current_filters,
    export_buttons,
    lang,
    show_table,
    t,
)
from pages._views import show_view, view

when, provinces = current_filters()
reg = active_registry()
table = coverage_table(when, provinces, reg, active_scores())
i = 0 if lang() == "id" else 1
st.title(t("map"))
qp_layer = st.query_params.get("layer", "coverage")
layer = st.radio(t("layer"), list(LAYERS), index=list(LAYERS).index(qp_layer) if qp_layer in LAYERS else 0,
                 format_func=lambda k: LAYERS[k][i], horizontal=True, key="layer")
st.query_params["layer"] = layer
if layer == "rb":
    st.caption(("Metode evaluasi RB berubah pada 2023: nilai sebelum dan sesudah 2023 tidak dapat dibandingkan langsung."
                if i == 0 else "The RB method changed in 2023: values before and after 2023 are not directly comparable."))
clicked = show_view(view("map", when, provinces, layer, lang()), 640, f"map-{layer}-{when}-{provinces}", clickable=True)
export_buttons(when, provinces, layer)
st.page_link("pages/presentasi.py", label=("Mode presentasi" if i == 0 else "Presentation mode"), icon="🖥️",
             query_params={"layer": layer, "as_of": when.isoformat(), "lang": lang(), "province": list(provinces)})
st.caption(t("click"))
code = ((clicked or {}).get("last_active_drawing") or {}).get("properties", {}).get("code")
if code:
    d = regency_detail(code, reg, active_scores(), curation_report("negative_evidence"))
    st.subheader(f"{t('detail')}: {d['name']} ({d['code']}), {d['province']}")
    if d["mpps"].empty:
        st.write("Belum ada MPP yang tercatat." if i == 0 else "No MPP recorded.")
    else:
        show_table(d["mpps"][["display_name", "status", "opened_on", "date_precision", "date_basis", "known_by",
                              "province_run", "sources", "conflicts", "notes"]])
        if (d["mpps"]["mpp_name"].fillna("") == "").any():
            st.caption("Sumber tidak menyebut nama MPP; MPP ditampilkan dengan nama wilayahnya." if i == 0 else
                       "The sources give no name for the MPP; it is shown by its regency.")
    if not d["negative"].empty:
        st.write("Pernyataan 'belum ada MPP':" if i == 0 else "'No MPP yet' statements:")
        show_table(d["negative"][["stated_on", "event", "source_url"]])
    st.write("Skor reformasi kabupaten/kota ini dari tahun ke tahun:" if i == 0 else
             "This regency's reform scores over the years:")
    if d["scores"].empty:
        st.write("Tidak ada data skor untuk kabupaten/kota ini." if i == 0 else "No score data for this regency.")
    else:
        show_table(d["scores"][["assessment", "year", "predikat", "score", "quality", "selected", "conflict",
                                "source_url"]])
    if not d["province_scores"].empty:
        with st.expander((f"Hasil pemerintah provinsi {d['province']} (bukan hasil kabupaten/kota ini)" if i == 0 else
                          f"Results of the {d['province']} provincial government (not this regency's)")):
            show_table(d["province_scores"][["assessment", "year", "predikat", "score", "quality", "selected",
                                             "source_url"]])
