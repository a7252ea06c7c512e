"""The one compromise the required ``pages/`` folder forces (see STYLE.md): Streamlit's legacy page router.

Pinned to the Streamlit version in requirements.txt; tests/test_reroute.py fails loudly if an upgrade changes it.
"""

from __future__ import annotations

import sys

import streamlit as st


def _run_by_legacy_router() -> bool:
    """True when this script run was started by Streamlit's legacy ``pages/`` router (``_mpa_v1`` is calling)."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "_mpa_v1":
            return True
        frame = frame.f_back
    return False


def leave_legacy_page_router() -> None:
    """Run every page through app.py's st.navigation.

    Streamlit treats an app with a ``pages/`` folder as a v1 multipage app until the first ``st.navigation`` call:
    the first sessions of a fresh server (several at once, when a room opens a link together) run ``app.py`` or a
    page through the folder's router. app.py and every page call this first in each run: a run started by the legacy
    router switches the flag that ``st.navigation`` itself would switch and reruns through app.py. Checked per run,
    not per process, so concurrent first sessions are all rerouted.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory or _run_by_legacy_router():
        PagesManager.uses_pages_directory = False
        st.rerun()
