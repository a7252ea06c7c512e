"""Ringkasan: headline figures, the national coverage map, coverage over time."""

from __future__ import annotations

from datetime import date

import streamlit as st

from geo import views
from geo.coverage import summary
from geo.story import coverage_headline, registry_count, served_only
from pages._charts import year_chart
from pages._filters import current_filters
from pages._language import lang, tr
from pages._loaders import (
    active_registry,
    active_scores,
    coverage_table,
    official_totals,
    session_inputs,
    yearly,
)
from pages._views import show_view, view
from pages._widgets import export_buttons, progress_block, view_data

when, provinces = current_filters()
reg, sc, totals = active_registry(), active_scores(), official_totals()
table = coverage_table(when, provinces, reg, sc)
s = summary(table, when, reg, totals)
prev_when = date(when.year - 1, when.month, min(when.day, 28))
prev = coverage_table(prev_when, provinces, reg, sc)
_ = tr()

st.title(_("Overview"))
st.caption(_("As of {date}", date=_.date(when)))
c1, c2, c3, c4, c5 = st.columns(5)
head = coverage_headline(s, lang())  # the view's headline, as every surface says it (geo.story)
if served_only(s):  # e.g. DK Jakarta: no regency has its own MPP; a province-run one serves them all
    c1.metric(_("Regencies served"), head.value, help=_("Regencies and cities served by a province-run MPP"))
else:
    c1.metric(_("Regencies with an MPP"), head.value,
              help=_("Regencies and cities with their own MPP, of all in the chosen area"))
c1.caption(head.words)
# People: registered residents of the regencies with their own MPP, of all in scope.
if s["population_total"] and not s["population_covered"] and s["population_served"]:
    # e.g. DK Jakarta: no regency has its own MPP; the province-run MPP serves them all.
    c2.metric(_("People served"), _.millions(s["population_served"]),
              help=_("Registered residents of the regencies served by a province-run MPP"))
    c2.caption(_("{served} of {total} registered residents ({share}), served by a province-run MPP; not a census",
                 served=_.int(s["population_served"]), total=_.int(s["population_total"]),
                 share=_.pct(s["population_served"] / s["population_total"])))
elif s["population_total"]:
    # In millions on the card (a full number does not fit a fifth of a 1280-pixel screen); exact in the caption.
    c2.metric(_("People covered"), _.millions(s["population_covered"]),
              help=_("Registered residents of the regencies and cities with their own MPP"))
    c2.caption(_("{covered} of {total} registered residents ({share}); not a census",
                 covered=_.int(s["population_covered"]), total=_.int(s["population_total"]),
                 share=_.pct(s["population_covered"] / s["population_total"])))
# KemenPAN-RB's count is national, also in a province view: the caption says so.
named = registry_count(s, lang())
c3.metric(_("MPPs in the registry"), named.value, help=_("MPPs the registry names nationwide, counted as KemenPAN-RB "
                                                         "counts them; its own latest count is said below"))
c3.caption(named.words)
c4.metric(_("Provinces fully covered"), f"{s['provinces_fully_covered']} / {s['provinces']}")
c5.metric(_("Change in a year"), f"{s['covered'] - int(prev['has_mpp'].sum()):+d}")
show_view(view("overview", when, provinces, "coverage", lang()), 520, f"overview-{when}-{provinces}")
export_buttons(when, provinces)
view_data("summary", when, provinces, lambda: views.summary(when, list(provinces), session_inputs(), lang=lang()))
progress_block(when, provinces)
series = yearly(when, provinces, reg, sc)
st.subheader(_("Coverage over time"))
left, right = st.columns(2)
left.caption(_("Regencies with their own MPP"))
left.html(year_chart(list(series["year"]), list(series["with_own_mpp"]), _("regencies")))
right.caption(_("Registered residents of those regencies (millions)"))
right.html(year_chart(list(series["year"]), list(series["population_covered"] / 1e6), _("millions"), decimals=1))
