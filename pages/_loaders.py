"""Cached loaders: the built-in data and this session's data (uploads, saved datasets), and the tables computed
from them, cached by a short data key (never by hashing frames). The work itself is done by geo/."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import boundaries, boundary_io, coverage, registry, scores
from geo.inputs import map_inputs, reference
from pages._errors import plain
from pages._language import lang, tr


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
def live_corrections():
    """This process's view of the corrections in the store (read in the background; see geo.corrections.Live)."""
    from geo.corrections import Live

    return Live()


def corrections_state():
    """The corrections as this process last read them (the process's first call waits up to 2 s for its first read:
    the launcher's warm-up makes that call, so no visitor does)."""
    return live_corrections().state(wait=2.0)


@st.cache_data(show_spinner=False)
def _committed_registry() -> pd.DataFrame:
    return registry.load_registry()


@st.cache_data(show_spinner=False)
def _committed_scores() -> pd.DataFrame:
    return scores.load_scores()


def _builtin_part() -> str:
    return f"builtin{corrections_state().key}"  # accepted field corrections change the built-in data


def builtin_key() -> str:
    """The data key of a session without an upload (:func:`data_key`): the built-in registry and scores with the
    accepted field corrections. What every visitor shares (the warm-up, the briefing link) is keyed by it."""
    part = _builtin_part()
    return f"{part}:{part}:"


def data_key() -> str:
    """A short key of the registry and scores this session uses (computed once per upload, never per run)."""
    parts = []
    for name in ("uploaded_registry", "uploaded_scores"):
        frame = st.session_state.get(name)
        if frame is None:
            parts.append(_builtin_part())
            continue
        k = f"{name}_key"
        cached = st.session_state.get(k)
        if cached is None or cached[0] is not frame:  # a new upload or dataset replaced the frame: hash it once
            cached = st.session_state[k] = (frame, str(pd.util.hash_pandas_object(frame, index=False).sum()))
        parts.append(cached[1])
    parts.append(st.session_state.get("upload_mode", "add") if "uploaded_registry" in st.session_state else "")
    return ":".join(parts)


def builtin_registry() -> pd.DataFrame:
    """The built-in registry, with the accepted field corrections taken in."""
    data = corrections_state().data
    return _committed_registry() if data is None else data.registry.copy()


def builtin_scores() -> pd.DataFrame:
    """The built-in scores, with the accepted field corrections taken in."""
    data = corrections_state().data
    return _committed_scores() if data is None else data.scores.copy()


def negative_evidence() -> pd.DataFrame:
    """The "no MPP yet" statements, with those of accepted field corrections."""
    data = corrections_state().data
    return curation_report("negative_evidence") if data is None else data.negative.copy()


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
    return _with_analyst(data_key(), builtin_registry(), rows, st.session_state.get("upload_mode", "add"))


def session_inputs():
    """This session's data as the inputs of geo.views (the registry and scores in use, the official totals), keyed
    by the session's data key."""
    from geo.views import Inputs
    return Inputs(active_registry(), active_scores(), official_totals(), data_key(),
                  st.session_state.get("dataset_id", "") if "uploaded_registry" in st.session_state else "",
                  st.session_state.get("dataset_name", ""))


def provenance():
    """What of this session's views is the analyst's data (geo.briefing.Provenance), for the exports' notice and
    source line."""
    from geo.briefing import Provenance

    mode = st.session_state.get("upload_mode", "add") if "uploaded_registry" in st.session_state else ""
    name = st.session_state.get("dataset_name") or st.session_state.get("upload_file", "")
    scores = st.session_state.get("scores_file", "?") if "uploaded_scores" in st.session_state else ""
    return Provenance(mode if mode in ("add", "replace") else "", name if mode else "", scores)


def store():
    from geo.store import Store

    return Store()


@st.cache_data(show_spinner=False, max_entries=8)
def read_upload(kind: str, digest: str, name: str, columns: tuple = (), *, _raw: bytes):
    """An uploaded file read in a bounded worker (geo.worker), once per content (``digest``) and choice: "columns"
    (its header), "mpp", "scores" or "boundaries" (the reconciliation report). A refusal is raised, not cached."""
    from geo.boundary_io import reconciliation_report
    from geo.inputs import regency_extents
    from geo.uploads import read_mpp_file, read_scores_file, table_columns
    from geo.worker import bounded

    if kind == "columns":
        return bounded(table_columns, _raw, name, what=name)
    if kind == "mpp":
        return bounded(read_mpp_file, _raw, name, columns=dict(columns), extents=regency_extents(), what=name)
    if kind == "scores":
        return bounded(read_scores_file, _raw, name, what=name)
    return bounded(reconciliation_report, _raw, name=name, what=name)


def visitor() -> str:
    """This session's client address, for every per-visitor limit (geo.clients.client_address: the peer, or the
    X-Real-IP of a trusted proxy; "unknown", one shared budget, when there is none)."""
    from geo.clients import client_address

    return client_address(st.context.ip_address, dict(st.context.headers or {}))


def coverage_table(when: date, provinces: tuple[str, ...], reg: pd.DataFrame, sc: pd.DataFrame,
                   key: str | None = None) -> pd.DataFrame:
    """The coverage table for a view, cached by this session's short data key (never by hashing the frames)."""
    return _coverage_table(when, provinces, key or data_key(), reg, sc)


@st.cache_data(show_spinner=False, max_entries=64)
def _coverage_table(when: date, provinces: tuple[str, ...], key: str, _reg: pd.DataFrame,
                    _sc: pd.DataFrame) -> pd.DataFrame:
    return coverage.regency_coverage(when, list(provinces), _reg, _sc, **reference())


def yearly(until: date, provinces: tuple[str, ...], reg: pd.DataFrame, sc: pd.DataFrame) -> pd.DataFrame:
    """The one per-year series (geo.coverage.yearly_series), shared by the overview and the timeline."""
    return _yearly(until, provinces, data_key(), reg, sc)


@st.cache_data(show_spinner=False, max_entries=32)
def _yearly(until: date, provinces: tuple[str, ...], key: str, _reg: pd.DataFrame, _sc: pd.DataFrame) -> pd.DataFrame:
    return coverage.yearly_series(until, list(provinces), _reg, _sc, official_totals(), **reference())


@st.cache_data(show_spinner=False)
def targets() -> pd.DataFrame:
    from geo.progress import load_targets

    return load_targets()


def progress_of(when: date, provinces: tuple[str, ...], reg: pd.DataFrame):
    """Progress in the ministry's units (geo.progress), cached by this session's data key."""
    return _progress(when, provinces, data_key(), reg)


@st.cache_data(show_spinner=False, max_entries=32)
def _progress(when: date, provinces: tuple[str, ...], key: str, _reg: pd.DataFrame):
    from geo.progress import progress

    return progress(when, provinces, _reg, official_totals(), targets())


@st.cache_data(show_spinner=False, max_entries=16)
def monthly_units(until: date, provinces: tuple[str, ...], key: str, _reg: pd.DataFrame) -> pd.DataFrame:
    from geo.progress import monthly_units as series

    return series(_reg, until, provinces)


def borders(provinces: tuple[str, ...]) -> gpd.GeoDataFrame:
    return map_inputs(provinces)["borders"]


def coverage_gdf(table: pd.DataFrame, provinces: tuple[str, ...]) -> gpd.GeoDataFrame:
    return boundaries.attach_geometry(table, map_inputs(provinces)["shapes"])


def mpp_points_as_of(when: date, provinces: tuple[str, ...], reg: pd.DataFrame,
                     key: str | None = None) -> gpd.GeoDataFrame:
    return _mpp_points_as_of(when, provinces, key or data_key(), reg)


@st.cache_data(show_spinner=False, max_entries=64)
def _mpp_points_as_of(when: date, provinces: tuple[str, ...], key: str, _reg: pd.DataFrame) -> gpd.GeoDataFrame:
    from geo.inputs import centres
    from geo.maps import mpp_points

    live = registry.as_of(_reg, when)
    if provinces:
        live = live[live["province_code"].isin(provinces)]
    return mpp_points(live, centres())


@st.cache_data(show_spinner=False)
def data_as_of() -> date:
    return registry.data_as_of(_committed_registry(), curation_report("negative_evidence"))


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
