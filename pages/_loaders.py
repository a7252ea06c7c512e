"""Cached loaders: the built-in data and this session's data (uploads, saved datasets), and the tables computed
from them, cached by a short data key (never by hashing frames). The work itself is done by geo/."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import boundary_io, mapviews
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


live_corrections = mapviews.live  # this process's view of the corrections in the store
corrections_state = mapviews.corrections_state
_builtin_part = mapviews.builtin_part
builtin_key = mapviews.builtin_key
builtin_registry = mapviews.builtin_registry
builtin_scores = mapviews.builtin_scores
negative_evidence = mapviews.negative_evidence
official_totals = mapviews.official_totals
targets = mapviews.targets
data_as_of = mapviews.data_as_of
curation_report = mapviews.curation_report
borders = mapviews.borders
coverage_gdf = mapviews.coverage_gdf


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
    """The coverage table for a view, shared by the process (geo.mapviews), keyed by this session's data key."""
    return mapviews.coverage_table(when, provinces, key or data_key(), reg, sc)


def yearly(until: date, provinces: tuple[str, ...], reg: pd.DataFrame, sc: pd.DataFrame) -> pd.DataFrame:
    """The one per-year series (geo.coverage.yearly_series), shared by the overview and the timeline."""
    return mapviews.yearly(until, provinces, data_key(), reg, sc)


def progress_of(when: date, provinces: tuple[str, ...], reg: pd.DataFrame):
    """Progress in the ministry's units (geo.progress), keyed by this session's data key."""
    return mapviews.progress(when, provinces, data_key(), reg)


def monthly_units(until: date, provinces: tuple[str, ...], key: str, reg: pd.DataFrame) -> pd.DataFrame:
    return mapviews.monthly_units(until, provinces, key, reg)


def mpp_points_as_of(when: date, provinces: tuple[str, ...], reg: pd.DataFrame,
                     key: str | None = None) -> gpd.GeoDataFrame:
    return mapviews.mpp_points(when, provinces, key or data_key(), reg)


@st.cache_data(show_spinner=False)
def boundary_report() -> dict:
    return boundary_io.reconciliation_report()


@st.cache_data(show_spinner=False)
def population_report() -> dict:
    from geo.population import region_stats

    return region_stats().report
