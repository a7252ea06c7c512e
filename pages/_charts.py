"""Charts in the reader's language, drawn once per view as static SVG (geo.charts) and cached: numbers grouped and with
the decimal comma of Bahasa Indonesia, a description of our own for screen readers, no charting library in the
browser."""

from __future__ import annotations

from typing import Any

import streamlit as st

from pages._language import lang, tr


@st.cache_data(show_spinner=False, max_entries=128)
def _year_svg(years: tuple, values: tuple, title: str, language: str, description: str, kind: str, decimals: int,
              height_in: float) -> str:
    import hashlib

    from geo.charts import as_image
    from geo.charts import year_chart as draw

    key = "c" + hashlib.sha1(repr((years, values, title, kind, decimals)).encode()).hexdigest()[:8]
    return as_image(draw(years, values, title, language, description, kind=kind, decimals=decimals,
                         height_in=height_in, key=key), description)


def year_chart(years: list[Any], values: list[float], title: str, kind: str = "bar", decimals: int = 0,
               height: int | None = None) -> str:
    """One value per year as labelled bars (or a line), the years as labels, the values in the reader's language:
    an image (SVG) for ``st.html`` (``height`` in pixels, as a chart's height was given before)."""
    from geo.i18n import fmt_decimal

    _ = tr()
    language = lang()
    pattern = "#,##0" if decimals == 0 else "#,##0." + "0" * decimals
    summary = "; ".join(f"{y}: {fmt_decimal(float(v), language, pattern)}" for y, v in zip(years, values))
    description = _("{title}, year by year: {values}", title=title, values=summary)
    return _year_svg(tuple(str(y) for y in years), tuple(float(v) for v in values), title, language, description,
                     kind, decimals, round((height or 250) / 96, 2))
