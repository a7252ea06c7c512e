"""The session's language: its code and its translator (the words come from geo's gettext catalogs)."""

from __future__ import annotations

import streamlit as st

from geo.i18n import Translator, translator


def lang() -> str:
    return st.session_state.get("lang", "id")


def tr() -> Translator:
    """This session's translator: ``_ = tr()``, then ``_("Gaps")``."""
    return translator(lang())
