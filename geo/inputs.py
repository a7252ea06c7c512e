"""The edge where the built-in tables are read: computations in geo/ take their inputs as arguments and open no
file; this module (and the loaders it calls) is where the app, the command line and the benchmarks get them.

``reference()`` gives the tables every coverage computation joins besides the registry and the scores:
``digital`` (MPP Digital statements) and ``stats`` (registered residents and official areas, per regency).
"""

from __future__ import annotations

import functools

import pandas as pd


@functools.cache
def _reference() -> tuple[pd.DataFrame, pd.DataFrame]:
    from .digital import load_digital
    from .population import regency_stats

    return load_digital(), regency_stats()


def reference() -> dict[str, pd.DataFrame]:
    """``{"digital": …, "stats": …}`` for :func:`geo.coverage.regency_coverage` and the functions built on it
    (read once per process; callers must not modify them)."""
    digital, stats = _reference()
    return {"digital": digital, "stats": stats}


def briefing_inputs() -> dict[str, pd.DataFrame]:
    """Everything :func:`geo.briefing.briefing_data` needs besides the registry and the scores: the official
    totals, the 'no MPP yet' statements, MPP Digital's statements and stated totals, and the regency statistics."""
    from .digital import load_digital_totals
    from .registry import load_curation_report, load_official_totals

    return {"totals": load_official_totals(), "negative": load_curation_report("negative_evidence"),
            "digital_totals": load_digital_totals(), **reference()}
