"""Presentasi: a full-width map for a projector, large type, scope and date in the title; no widgets in the way.

The view comes from the link (?province=…&as_of=…&layer=…&lang=…), so a prepared link opens straight into it.
"""

from __future__ import annotations

import html

import streamlit as st

from geo.digital import digital_counts, digital_short
from geo.briefing import provenance_notice, scope_name, source_line
from geo.coverage import summary
from geo.maps import LAYERS, layer_title
from geo.story import coverage_headline, progress_brief
from pages._filters import current_filters
from pages._language import lang, tr
from pages._loaders import active_registry, active_scores, coverage_table, official_totals, progress_of, provenance
from pages._views import show_view, view

when, provinces = current_filters()
reg = active_registry()
table = coverage_table(when, provinces, reg, active_scores())
layer = st.query_params.get("layer", "coverage")
layer = layer if layer in LAYERS else "coverage"
_ = tr()
# One screen, no scrolling, from 1024x768 to full HD: type sized by the window's width, the map's height by what is
# left of the window's height (the map's legend and the source line stay in view).
st.markdown("""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header, footer { display: none !important; }
.block-container { padding: .6rem 1.2rem 0 1.2rem !important; max-width: 100% !important; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: .35rem; }
.peta-present-title { font-size: clamp(1.3rem, 2.3vw, 2.6rem); font-weight: 700; line-height: 1.15; }
.peta-present-sub { font-size: clamp(1.25rem, 1.6vw, 1.75rem); color: #333; line-height: 1.25; margin-bottom: .6rem; }
.peta-present-prog { font-size: .8em; color: #444; }
.peta-present-src { font-size: clamp(.875rem, .95vw, 1.05rem); color: #444; line-height: 1.2; }
.peta-present-notice { color: #a50f15; }
iframe[title="streamlit_folium.st_folium"] { height: calc(100vh - 11.6rem - 4.6vw) !important; min-height: 300px; }
</style>""", unsafe_allow_html=True)
n = len(table)
brief = ""
scope = scope_name(table, list(provinces), lang())
title = f"{layer_title(layer, lang())} — {scope}"
day = _.date(when)
if layer in ("rb", "sakip"):  # the subtitle speaks of the layer shown, and of how much of it is unknown
    known = int(table[f"{layer}_predikat"].notna().sum())
    sub = _("As of {date}: {layer} known for {known} of {n} regencies; {unknown} ({share}) no data", date=day,
            layer=layer_title(layer, lang()), known=known, n=n, unknown=n - known, share=_.pct((n - known) / n, 0))
elif layer == "digital":
    sub = _("As of {date}: {what}", date=day, what=digital_short(digital_counts(table), lang()))
elif layer == "people":
    without = table[~(table["has_mpp"] | table["province_run_mpp"])]["population"].sum()
    sub = _("As of {date}: {people} registered residents live in regencies without an MPP service", date=day,
            people=_.int(without))
else:  # the headline and the ministry's terms, as every surface says them (geo.story)
    head = coverage_headline(summary(table, when, reg, official_totals()), lang())
    sub = _("As of {date}: {headline}", date=day, headline=head.sentence())
    brief = progress_brief(progress_of(when, provinces, reg), lang())
st.markdown(f'<div class="peta-present-title">{html.escape(title)}</div>'
            f'<div class="peta-present-sub">{html.escape(sub)}'
            + (f'<br><span class="peta-present-prog">{html.escape(brief)}</span>' if brief else "")
            + '</div>', unsafe_allow_html=True)
st.page_link("pages/peta.py", label="← " + _("Back to the app"),
             query_params={"layer": layer, "as_of": when.isoformat(), "lang": lang(), "province": list(provinces)})
show_view(view("present", when, provinces, layer, lang()), 760, f"present-{layer}-{when}-{provinces}")
origin = provenance()
notice = provenance_notice(lang(), origin)
st.markdown(f'<div class="peta-present-src">{html.escape(source_line(lang(), origin))}'
            + (f' <b class="peta-present-notice">{html.escape(notice)}</b>' if notice else "") + '</div>',
            unsafe_allow_html=True)
