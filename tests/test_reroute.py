"""The legacy-router reroute: the Streamlit internal it relies on still exists, and a fresh server's first request
to a page runs through app.py's navigation (the browser test checks the navigation shown)."""

from __future__ import annotations


def test_the_streamlit_internal_the_reroute_uses_still_exists():
    from streamlit.runtime.pages_manager import PagesManager

    assert hasattr(PagesManager, "uses_pages_directory")


def test_the_reroute_switches_the_flag_and_reruns(monkeypatch):
    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager

    from pages._reroute import leave_legacy_page_router

    reruns = []
    monkeypatch.setattr(PagesManager, "uses_pages_directory", True)
    monkeypatch.setattr(st, "rerun", lambda: reruns.append(1))
    leave_legacy_page_router()
    assert PagesManager.uses_pages_directory is False and reruns == [1]
    leave_legacy_page_router()  # already through app.py: nothing happens
    assert reruns == [1]


def test_a_run_started_by_the_legacy_router_is_rerouted_even_after_the_flag_flipped(monkeypatch):
    """Several first sessions at once: the flag is already False, but this run came through ``_mpa_v1``."""
    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager

    from pages._reroute import leave_legacy_page_router

    reruns = []
    monkeypatch.setattr(PagesManager, "uses_pages_directory", False)
    monkeypatch.setattr(st, "rerun", lambda: reruns.append(1))

    def _mpa_v1():  # the name Streamlit's legacy router runs pages under
        leave_legacy_page_router()
    _mpa_v1()
    assert reruns == [1]
