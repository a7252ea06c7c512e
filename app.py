"""Peta MPP: Streamlit entry point. Run with `make run`."""

from __future__ import annotations

import streamlit as st

from pages._browser import enter_applies_typed_dates
from pages._filters import dataset_banner, filters
from pages._language import tr
from pages._loaders import prepare_boundaries
from pages._reroute import leave_legacy_page_router
from pages._streamlit_words import translate_streamlit_words
from pages._views import warm_default_views

leave_legacy_page_router()  # concurrent first sessions of a fresh server, too
st.set_page_config(page_title="Peta MPP", page_icon="🗺️", layout="wide")
# Less blank space above the page title, so a 1280x720 screen shows the map sooner.
# Headline cards whole on a 1024-pixel screen: figures sized by the window's width, labels wrapped, never cut short
# with an ellipsis.
st.html("<style>.block-container { padding-top: 2.2rem !important; }"
        '[data-testid="stMetricValue"] { font-size: clamp(1.3rem, 2.6vw, 2.25rem); }'
        '[data-testid="stMetricValue"] *, [data-testid="stMetricLabel"] * { white-space: normal !important; '
        "overflow: visible !important; text-overflow: clip !important; }</style>")
# A chosen province's chip shows its whole name ("Daerah Khusus Ibukota Jakarta"), wrapped, never "Daerah Khusus Ibuk…";
# the box grows with the chips instead of scrolling them out of sight.
st.html('<style>[data-testid="stMultiSelectTagsContainer"] [data-tag] { height: auto !important; '
        "max-width: 100% !important; }"
        '[data-testid="stMultiSelect"] div:has(> [data-testid="stMultiSelectTagsContainer"]) { '
        "max-height: none !important; }"
        '[data-testid="stMultiSelectTagsContainer"] [data-tag] > span[title] { white-space: normal !important; '
        "overflow: visible !important; text-overflow: clip !important; max-width: none !important; "
        "line-height: 1.25; padding: 2px 0; }</style>")
# Streamlit's main menu (⋮) offers only English items that no setting translates: hidden.
st.html('<style>[data-testid="stMainMenu"] { display: none !important; }</style>')
st.session_state["filters"] = filters()  # drawn once per run, shared by every page
translate_streamlit_words()  # Streamlit's own words (upload box, screen-reader labels) in the session's language
enter_applies_typed_dates()
st.session_state["_filters_owner"] = "app"
_ = tr()
pages = [
    st.Page("pages/ringkasan.py", title=_("Overview"), url_path="ringkasan", default=True),
    st.Page("pages/peta.py", title=_("Coverage map"), url_path="peta"),
    st.Page("pages/kesenjangan.py", title=_("Gaps"), url_path="kesenjangan"),
    st.Page("pages/skor.py", title=_("Reform scores"), url_path="skor"),
    st.Page("pages/linimasa.py", title=_("Over time"), url_path="linimasa"),
    st.Page("pages/presentasi.py", title=_("Presentation"), url_path="presentasi"),
    st.Page("pages/data.py", title=_("Data"), url_path="data"),
    st.Page("pages/koreksi.py", title=_("Corrections"), url_path="koreksi"),
]
if st.session_state.get("steward_token"):  # the review page exists only for a steward's session
    from pages._corrections import current_steward

    if current_steward():
        pages.append(st.Page("pages/tinjau.py", title=_("Review"), url_path="tinjau"))
page = st.navigation(pages)  # the navigation is known before any long work
dataset_banner()  # an analyst's dataset in use: said at the top of every page, with the way back
prepare_boundaries()
warm_default_views()  # once per process, in the background
page.run()
