"""Widgets the pages share: tables for people (localized) and row-by-row reports, and the PDF/PNG export buttons."""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from geo.labels import NUMBER_FORMATS, localize, number_text
from pages._language import lang, tr
from pages._loaders import (
    active_registry,
    active_scores,
)

#: Up to this many rows, numbers are written in the reader's language (a pandas Styler's display values, the numbers
#: kept for sorting); a longer table (an upload's report) shows them as the browser writes them.
STYLED_ROWS = 5_000


def show_table(df: pd.DataFrame, **kwargs) -> None:
    """A dataframe for people (geo.labels.localize): columns and coded values in words, unknown text as "no data",
    numbers written in the reader's language (4.140.295; 182,4 km; 12,3%) and still sorted as numbers, a missing
    number as a dash (not "None"); long reasons wrap in a wide column."""
    language = lang()
    shown = localize(df, language)
    config: dict[str, Any] = {}
    formats: dict[str, Any] = {}
    for col, label in zip(df.columns, shown.columns):
        if col in NUMBER_FORMATS and len(df) <= STYLED_ROWS:
            formats[label] = functools.partial(number_text, col, lang=language)
            config[label] = st.column_config.NumberColumn(label)  # no format: the Styler's text is shown
        elif col in NUMBER_FORMATS:
            config[label] = st.column_config.NumberColumn(label, format="localized")
        elif col in ("row", "code", "status"):
            config[label] = st.column_config.Column(label, width="small")
        elif col == "reason":
            config[label] = st.column_config.TextColumn(label, width="large")
    data = shown.style.format(formats) if formats else shown
    st.dataframe(data, hide_index=True, width="stretch", column_config=config, placeholder="–", **kwargs)


def show_report(report: pd.DataFrame) -> None:
    """A row-by-row upload report with each reason in the reader's language and in full (a wide, wrapping column)."""
    show_table(report)


def export_buttons(when: date, provinces: tuple[str, ...], layer: str = "coverage") -> None:
    """PDF briefing and PNG map of the current view, generated when clicked (geo.briefing)."""
    from geo.briefing import briefing_data, briefing_pdf, briefing_png
    from geo.inputs import briefing_inputs

    reg, sc, language = active_registry(), active_scores(), lang()
    stem = f"peta-mpp_{when}" + (f"_{'-'.join(provinces)}" if provinces else "") + f"_{language}"

    def make(fmt: str):
        def build() -> bytes:
            data = briefing_data(when, list(provinces), reg, sc, language, **briefing_inputs(provinces))
            return briefing_pdf(data, layer) if fmt == "pdf" else briefing_png(data, layer)
        return build

    c1, c2, _ = st.columns([1, 1, 4])
    _ = tr()
    c1.download_button(_("PDF briefing"), make("pdf"), file_name=f"{stem}.pdf", mime="application/pdf", on_click="ignore")
    c2.download_button("PNG", make("png"), file_name=f"{stem}.png", mime="image/png", on_click="ignore")
