"""The one compromise the required ``pages/`` folder forces (see STYLE.md): Streamlit's legacy page router.

Pinned to the Streamlit version in requirements.txt; tests/test_reroute.py fails loudly if an upgrade changes it.
"""

from __future__ import annotations

import streamlit as st


def leave_legacy_page_router() -> None:
    """Run every page through app.py's st.navigation.

    Streamlit treats an app with a ``pages/`` folder as a v1 multipage app until the first ``st.navigation`` call:
    the very first session on a fresh server that opens e.g. ``/peta`` runs ``pages/peta.py`` directly, with the
    folder's file list as navigation. This module is imported by every page, so it notices that run, switches the
    flag that ``st.navigation`` itself would switch, and reruns through app.py.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
