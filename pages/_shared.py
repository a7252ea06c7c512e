"""Streamlit glue shared by the pages: cached loaders, the filters (kept in the URL), translations.

Everything here reads widgets or caches; the work itself is done by geo/.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import boundaries, boundary_io, coverage, gazetteer, registry, scores
from geo.i18n import Translator, fmt_short_date, translator
from geo.inputs import reference
from geo.labels import column_label, localize
from geo.settings import FIRST_MPP_YEAR
from pages._errors import input_errors, plain  # noqa: F401  (re-exported for the pages)
from pages._reroute import leave_legacy_page_router


def lang() -> str:
    return st.session_state.get("lang", "id")


def tr() -> Translator:
    """This session's translator: ``_ = tr()``, then ``_("Gaps")``."""
    return translator(lang())


def prepare_boundaries() -> None:
    """First start on a new machine: download (with progress) and clean the boundaries once, visibly."""
    if boundary_io.cache_is_ready():
        return
    from geo.sources import boundary_source

    _ = tr()
    bar = st.progress(0.0, text=_("Preparing the regency boundaries (first start only)…"))
    from geo.sources import SourceError

    try:
        src = boundary_source(progress=lambda i, n, rel: bar.progress(i / n * 0.5, text=f"{i}/{n} {rel}"))
    except SourceError as exc:
        bar.empty()
        st.error(plain(exc.say(lang())))
        st.stop()
    bar.progress(0.5, text=_("Cleaning and simplifying 514 regencies (about 20 s)…"))
    boundary_io.builtin_boundaries(src)
    bar.empty()


@st.cache_resource(show_spinner=False)
def boundaries_at(level: str) -> gpd.GeoDataFrame:
    return boundary_io.load_boundaries(level)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False)
def builtin_registry() -> pd.DataFrame:
    return registry.load_registry()


@st.cache_data(show_spinner=False)
def builtin_scores() -> pd.DataFrame:
    return scores.load_scores()


@st.cache_data(show_spinner=False)
def official_totals() -> pd.DataFrame:
    return registry.load_official_totals()


def active_scores() -> pd.DataFrame:
    """The analyst's uploaded scores for this session if any, else the built-in table."""
    return st.session_state.get("uploaded_scores", builtin_scores())


@st.cache_data(show_spinner=False, max_entries=16)
def _with_analyst(key: str, _reg: pd.DataFrame, _rows: pd.DataFrame, mode: str) -> pd.DataFrame:
    from geo.uploads import apply_mode

    return apply_mode(_reg, _rows, mode)


def active_registry() -> pd.DataFrame:
    """The registry this session uses: the built-in one, with the analyst's MPPs added (the default) or replaced
    by them, from this session's upload or a saved dataset opened by its link."""
    rows = st.session_state.get("uploaded_registry")
    if rows is None:
        return builtin_registry()
    from pages._views import data_key

    return _with_analyst(data_key(), builtin_registry(), rows, st.session_state.get("upload_mode", "add"))


def store():
    from geo.store import Store

    return Store()


def open_saved_dataset(dataset_id: str | None) -> None:
    """A ``?dataset=<id>`` link: load that saved dataset into this session (once), or say it does not exist."""
    if not dataset_id or st.session_state.get("dataset_id") == dataset_id:
        return
    from geo.store import StoreError

    _ = tr()
    try:
        d = store().get(dataset_id)
    except StoreError as exc:
        st.sidebar.error(plain(exc.say(lang())))
        return
    if d is None:
        st.sidebar.warning(_("No saved dataset has this link (it may have been deleted)."))
        st.session_state["dataset_id"] = dataset_id
        return
    st.session_state.update({"uploaded_registry": d.rows, "upload_mode": d.mode, "dataset_id": d.id,
                             "dataset_name": d.name})


def coverage_table(when: date, provinces: tuple[str, ...], reg: pd.DataFrame, sc: pd.DataFrame,
                   key: str | None = None) -> pd.DataFrame:
    """The coverage table for a view, cached by this session's short data key (never by hashing the frames)."""
    from pages._views import data_key

    return _coverage_table(when, provinces, key or data_key(), reg, sc)


@st.cache_data(show_spinner=False, max_entries=64)
def _coverage_table(when: date, provinces: tuple[str, ...], key: str, _reg: pd.DataFrame,
                    _sc: pd.DataFrame) -> pd.DataFrame:
    return coverage.regency_coverage(when, list(provinces), _reg, _sc, **reference())


def yearly(until: date, provinces: tuple[str, ...], reg: pd.DataFrame, sc: pd.DataFrame) -> pd.DataFrame:
    """The one per-year series (geo.coverage.yearly_series), shared by the overview and the timeline."""
    from pages._views import data_key

    return _yearly(until, provinces, data_key(), reg, sc)


@st.cache_data(show_spinner=False, max_entries=32)
def _yearly(until: date, provinces: tuple[str, ...], key: str, _reg: pd.DataFrame, _sc: pd.DataFrame) -> pd.DataFrame:
    return coverage.yearly_series(until, list(provinces), _reg, _sc, official_totals(), **reference())


def borders(provinces: tuple[str, ...]) -> gpd.GeoDataFrame:
    return boundary_io.borders_for("province" if provinces else "national", provinces)


def coverage_gdf(table: pd.DataFrame, provinces: tuple[str, ...]) -> gpd.GeoDataFrame:
    return boundaries.attach_geometry(table, boundaries_at("province" if provinces else "national"))


def filters() -> tuple[date, tuple[str, ...]]:
    """Sidebar filters, read from and written to the URL so a view can be shared as a link."""
    qp = st.query_params
    provs = gazetteer.provinces()
    names = dict(zip(provs["code"], provs["name"]))
    if "lang" not in st.session_state:
        st.session_state["lang"] = qp.get("lang", "id") if qp.get("lang") in ("id", "en") else "id"
    _ = tr()  # the session's language (the radio's key: already the new choice when it was just changed)
    st.sidebar.radio(_("Language"), ["id", "en"], key="lang", horizontal=True,
                     format_func=lambda x: {"id": "Bahasa Indonesia", "en": "English"}[x])
    default_codes = [c for c in qp.get_all("province") if c in names]
    chosen = st.sidebar.multiselect(_("Provinces"), list(names), default=default_codes, key="f_provinces",
                                    format_func=lambda c: names[c], placeholder=_("All of Indonesia"))
    when = date_filter(qp.get("as_of"))
    st.query_params.update({"lang": st.session_state["lang"], "as_of": when.isoformat()})
    st.query_params["province"] = chosen
    open_saved_dataset(qp.get("dataset"))
    if "uploaded_registry" in st.session_state:
        mode = st.session_state.get("upload_mode", "add")
        what = st.session_state.get("dataset_name")
        st.sidebar.info((_("Uploaded MPPs added to the registry") if mode == "add" else
                         _("Using the uploaded MPP data (replacing the registry)")) + (f": {plain(what)}" if what else ""))
        if st.session_state.get("dataset_id"):
            st.query_params["dataset"] = st.session_state["dataset_id"]
    if "uploaded_scores" in st.session_state:
        st.sidebar.info(_("Using the uploaded score data"))
    return when, tuple(sorted(chosen))


def _quick_dates() -> list[tuple[str, date]]:
    """Quick picks for the date: today, the end of each year, the dates of KemenPAN-RB's official counts."""
    _ = tr()
    today = date.today()
    picks = [(_("Today"), today)]
    picks += [(_("End of {year}", year=y), date(y, 12, 31)) for y in range(today.year - 1, FIRST_MPP_YEAR - 1, -1)]
    for r in official_totals().sort_values("as_of", ascending=False).itertuples():
        d = date.fromisoformat(r.as_of)
        picks.append((_("Official count {total} ({date})", total=r.total, date=fmt_short_date(d, lang())), d))
    return picks


def _apply_quick_date() -> None:
    chosen = st.session_state.get("f_quick")
    if chosen:
        st.session_state["f_as_of"] = date.fromisoformat(chosen)
    st.session_state["f_quick"] = None


def date_filter(from_url: str | None) -> date:
    """A typed date (dd/mm/yyyy) with quick picks; starts from the URL's ``as_of``."""
    today = date.today()
    if "f_as_of" not in st.session_state:
        try:
            start = date.fromisoformat(from_url) if from_url else today
        except ValueError:
            start = today
        st.session_state["f_as_of"] = min(max(start, date(FIRST_MPP_YEAR, 1, 1)), today)
    _ = tr()
    when = st.sidebar.date_input(_("As of"), min_value=date(FIRST_MPP_YEAR, 1, 1), max_value=today,
                                 format="DD/MM/YYYY", key="f_as_of")
    labels: dict[str, str] = {}
    for label, d in _quick_dates():  # one entry per date, the first label wins
        labels.setdefault(d.isoformat(), label)
    st.sidebar.selectbox(_("Quick dates"), [None, *labels], key="f_quick",
                         format_func=lambda v: "—" if v is None else labels[v], on_change=_apply_quick_date)
    latest = data_as_of()
    st.sidebar.caption(_("Data as of {date} (latest dated statement)", date=fmt_short_date(latest, lang())))
    if (when - latest).days > 183:
        st.sidebar.warning(_("The chosen date is more than six months after the latest data ({date}): MPPs opened "
                             "since may be missing.", date=fmt_short_date(latest, lang())))
    return when


def current_filters() -> tuple[date, tuple[str, ...]]:
    """The filters app.py drew in this run; a page run on its own (as AppTest does) draws them itself. Every page
    calls this first: a run started by the legacy page router is rerouted through app.py here."""
    leave_legacy_page_router()
    if st.session_state.get("_filters_owner") != "app" or "filters" not in st.session_state:
        st.session_state["filters"] = filters()
    return st.session_state["filters"]


def mpp_points_as_of(when: date, provinces: tuple[str, ...], reg: pd.DataFrame,
                     key: str | None = None) -> gpd.GeoDataFrame:
    from pages._views import data_key

    return _mpp_points_as_of(when, provinces, key or data_key(), reg)


@st.cache_data(show_spinner=False, max_entries=64)
def _mpp_points_as_of(when: date, provinces: tuple[str, ...], key: str, _reg: pd.DataFrame) -> gpd.GeoDataFrame:
    from geo.inputs import centres
    from geo.maps import mpp_points

    reg = _reg
    live = registry.as_of(reg, when)
    if provinces:
        live = live[live["province_code"].isin(provinces)]
    return mpp_points(live, centres())


@st.cache_data(show_spinner=False)
def data_as_of() -> date:
    return registry.data_as_of(builtin_registry(), curation_report("negative_evidence"))


@st.cache_data(show_spinner=False)
def curation_report(name: str) -> pd.DataFrame:
    return registry.load_curation_report(name)


@st.cache_data(show_spinner=False)
def boundary_report() -> dict:
    return boundary_io.reconciliation_report()


@st.cache_data(show_spinner=False)
def population_report() -> dict:
    from geo.population import region_stats

    return region_stats().report


def show_table(df: pd.DataFrame, **kwargs) -> None:
    """A dataframe for people (geo.labels.localize): columns and coded values in words, unknown text as "no data",
    numbers formatted by column; long reasons wrap in a wide column."""
    language = lang()
    shown = localize(df, language)
    config: dict[str, Any] = {}
    for col in df.columns:
        label = column_label(col, language)
        if col == "nearest_mpp_km":
            config[label] = st.column_config.NumberColumn(label, format="%.1f")
        elif col in ("coverage_rate", "served_rate", "share_named"):
            config[label] = st.column_config.NumberColumn(label, format="percent")
        elif col in ("population", "people_without", "population_covered", "population_total"):
            config[label] = st.column_config.NumberColumn(label, format="localized")
        elif col in ("row", "code", "status"):
            config[label] = st.column_config.Column(label, width="small")
        elif col == "reason":
            config[label] = st.column_config.TextColumn(label, width="large")
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config, **kwargs)


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
