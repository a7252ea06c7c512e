"""Peta MPP's domain library: plain Python on (Geo)DataFrames, no Streamlit.

Modules, in the order data flows (see ARCHITECTURE.md): ``settings`` (every setting), ``errors`` (one error base),
``sources`` (pinned upstream files), ``vectorio`` and ``tables`` (reading users' files safely), ``gazetteer``
(regions and the name matcher), ``boundaries`` (polygons made fit for maps, data in and out), ``boundary_io``
(boundary files read, the built-in set cached), ``population`` (residents and official
areas), ``registry`` (MPPs from statements; national batches), ``scores`` (RB / SAKIP), ``digital`` (MPP Digital),
``curation`` and ``schemas`` (rebuilding and checking the curated tables), ``uploads`` (analysts' files; add, replace,
compare), ``coverage`` (the regency table, the counts defined once, gaps, the yearly series), ``maps`` (Folium),
``briefing`` (PDF/PNG), ``store`` (saved datasets, corrections, stewards: the schema), ``corrections`` (corrections
from the field: their life, audit log and effect on the registry), ``stewards`` (the accounts that review them),
``inputs`` (where computations' inputs are read), ``i18n`` (the
message catalogs; numbers and dates), ``labels`` (words for columns and codes), ``views`` (a view's data: the one
service layer of the pages, the command line and the API), ``story`` (a view's headline and the words that tell its
figures apart, for every surface), ``cache`` (bounded, thread-safe caches of a process), ``mapviews`` (the views a
process shares: the built-in data as corrected, each view's tables and map, the briefing page, the warm-up),
``clients`` (who is asking: the trusted client address, per-client budgets), ``api`` (the read-only data API), ``cli``
(``python -m geo``).

The public API is named here and imported on first use (importing ``geo`` loads nothing heavy).
"""

from __future__ import annotations

import importlib
from typing import Any

_API = {
    "regency_coverage": "coverage", "summarise": "coverage", "CoverageSummary": "coverage", "RegencyDetail": "coverage",
    "gaps": "coverage",
    "province_ranking": "coverage", "yearly_series": "coverage", "regency_detail": "coverage",
    "load_registry": "registry", "build_registry": "registry", "as_of": "registry", "load_events": "registry",
    "load_scores": "scores", "load_boundaries": "boundary_io", "reconciliation_report": "boundary_io",
    "read_vector": "vectorio", "read_vector_bytes": "vectorio", "read_table": "tables", "read_table_bytes": "tables",
    "read_mpp_file": "uploads", "merge_registry": "uploads", "compare_registry": "uploads", "region_stats": "population",
    "gazetteer": "gazetteer", "match_region": "gazetteer", "coverage_map": "maps", "briefing_pdf": "briefing",
    "Store": "store", "build_all": "curation", "PetaError": "errors", "get_setting": "settings",
    "attach_geometry": "boundaries", "reference": "inputs", "briefing_inputs": "inputs", "map_inputs": "inputs",
    "translator": "i18n", "submit_correction": "corrections", "Claim": "corrections",
    "localize": "labels",
}
__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    if name not in _API:
        raise AttributeError(f"module 'geo' has no attribute {name!r}")
    attr = {"get_setting": "get", "submit_correction": "submit"}.get(name, name)
    return getattr(importlib.import_module(f"geo.{_API[name]}"), attr)
