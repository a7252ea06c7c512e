"""Charts in the reader's language: axis numbers grouped and with the decimal comma of Bahasa Indonesia (Vega's
number locale), and a description of our own for screen readers in place of Vega's English axis descriptions."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pages._language import lang, tr

#: d3-format locales (what Vega writes numbers with).
NUMBER_LOCALES = {"id": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp", ""]},
                  "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]}}


def localized(chart: Any, description: str) -> Any:
    """``chart`` with the reader's number locale, Vega's own (English) accessibility texts off and ours on."""
    return chart.properties(description=description).configure(aria=False, locale={"number": NUMBER_LOCALES[lang()]})


def year_chart(years: list[Any], values: list[float], title: str, kind: str = "bar", decimals: int = 0,
               height: int | None = None) -> Any:
    """One value per year as bars (or a line), the years as labels, the values in the reader's language."""
    import altair as alt

    from geo.i18n import fmt_decimal

    _ = tr()
    df = pd.DataFrame({"year": [str(y) for y in years], "value": values})
    fmt = ",d" if decimals == 0 else f",.{decimals}f"
    base = alt.Chart(df)
    mark = base.mark_bar(color="#2171b5") if kind == "bar" else base.mark_line(color="#2171b5", point=True)
    chart = mark.encode(
        x=alt.X("year:O", title=_("Year"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=title, axis=alt.Axis(format=fmt)),
        tooltip=[alt.Tooltip("year:O", title=_("Year")), alt.Tooltip("value:Q", title=title, format=fmt)])
    if height:
        chart = chart.properties(height=height)
    pattern = "#,##0" if decimals == 0 else "#,##0." + "0" * decimals
    summary = "; ".join(f"{y}: {fmt_decimal(float(v), lang(), pattern)}" for y, v in zip(df["year"], values))
    return localized(chart, _("{title}, year by year: {values}", title=title, values=summary))
