"""Linimasa: coverage over the years, stepped or played through, and small multiples for print."""

from __future__ import annotations

import time
from datetime import date

import pandas as pd
import streamlit as st

from geo.briefing import draw_map, small_multiples_png, to_bytes
from geo.inputs import map_inputs, reference
from pages._charts import year_chart
from pages._filters import current_filters
from pages._language import lang, tr
from pages._loaders import active_registry, active_scores, coverage_table, provenance, yearly
from pages._widgets import progress_block, view_data

when, provinces = current_filters()
reg, sc = active_registry(), active_scores()
_ = tr()
st.title(_("Coverage over the years"))


@st.cache_data(show_spinner=False, max_entries=200)
def year_map(end: date, provinces: tuple[str, ...], language: str, _reg: pd.DataFrame, _sc: pd.DataFrame,
             reg_key: int) -> bytes:
    from matplotlib.figure import Figure

    year = end.year
    t = coverage_table(end, provinces, _reg, _sc)
    fig = Figure(figsize=(11, 5.2))
    ax = fig.subplots()
    draw_map(ax, t, list(provinces), "coverage", language, labels=bool(provinces), **map_inputs(provinces))
    ax.set_title(f"{year}: {int(t['has_mpp'].sum())} / {len(t)}", fontsize=16, weight="bold")
    fig.tight_layout()
    return to_bytes(fig, "png", 90)


reg_key = hash(tuple(reg["mpp_id"])) if "mpp_id" in reg else 0
series = yearly(when, provinces, reg, sc)  # the same series as the overview and the PDF, up to the chosen date
years = list(series["year"])
ends = dict(zip(series["year"], series["as_of"]))  # 31 December, or the chosen date in its own year
c1, c2 = st.columns(2)
c1.caption(_("Regencies with their own MPP, year by year"))
c1.html(year_chart(list(series["year"]), list(series["with_own_mpp"]), _("regencies"), kind="line", height=180))
c2.caption(_("People covered, year by year (registered residents, millions; not a census)"))
c2.html(year_chart(list(series["year"]), list(series["population_covered"] / 1e6), _("millions"),
                   kind="line", decimals=1, height=180))
progress_block(when, provinces)
year = st.select_slider(_("Year"), options=years, value=min(when.year, years[-1]), key="timeline_year")
frame = st.empty()
if st.button("▶ " + _("Play"), key="play"):
    bar = st.progress(0.0)
    for k, y in enumerate(years):
        frame.image(year_map(ends[y], provinces, lang(), reg, sc, reg_key), width="stretch")
        bar.progress((k + 1) / len(years), text=str(y))
        time.sleep(0.8)
else:
    with st.spinner("…"):
        frame.image(year_map(ends[year], provinces, lang(), reg, sc, reg_key), width="stretch")
st.download_button(_("Small maps per year (PNG)"),
                   lambda: small_multiples_png(reg, sc, list(provinces), lang(), **reference(),
                                               **map_inputs(provinces), provenance=provenance()),
                   file_name=f"peta-mpp_linimasa_{'-'.join(provinces) or 'indonesia'}.png", mime="image/png",
                   on_click="ignore")
view_data("yearly", when, provinces, lambda: series)
