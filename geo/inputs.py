"""The edge where the built-in tables are read: computations in geo/ take their inputs as arguments and open no
file; this module (and the loaders it calls) is where the app, the command line and the benchmarks get them.

``reference()`` gives the tables every coverage computation joins besides the registry and the scores:
``digital`` (MPP Digital statements) and ``stats`` (registered residents and official areas, per regency).
``map_inputs()`` gives what a static map draws besides the table: the regency polygons and province borders at the
display level of a scope, and the regency centres where MPPs without coordinates are placed.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    import geopandas as gpd


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


def map_inputs(provinces: Sequence[str] = ()) -> dict[str, Any]:
    """``{"shapes": …, "borders": …}`` for a static map of ``provinces`` (all of Indonesia when empty): the built-in
    regency polygons at the scope's display level and the province borders between them."""
    from .boundary_io import borders_for, load_boundaries

    level = "province" if provinces else "national"
    return {"shapes": load_boundaries(level), "borders": borders_for(level, tuple(provinces))}


def centres() -> gpd.GeoSeries:
    """The built-in regencies' centres (code-indexed points), where an MPP without coordinates is placed."""
    from .boundary_io import representative_points

    return representative_points("full")


@functools.cache
def regency_extents() -> pd.DataFrame:
    """Each built-in regency's bounding box (code-indexed minx, miny, maxx, maxy, degrees), to check that an MPP's
    coordinates lie in the regency it is given for."""
    from .boundary_io import load_boundaries

    return load_boundaries("full").set_index("code").geometry.bounds


def briefing_inputs(provinces: Sequence[str] = ()) -> dict[str, Any]:
    """Everything :func:`geo.briefing.briefing_data` needs besides the registry and the scores: the official
    totals, the 'no MPP yet' statements, MPP Digital's statements and stated totals, the regency statistics, and
    the map's polygons, borders and regency centres for ``provinces``, and the target statements."""
    from .digital import load_digital_totals
    from .progress import load_targets
    from .registry import load_curation_report, load_official_totals

    return {"totals": load_official_totals(), "negative": load_curation_report("negative_evidence"),
            "digital_totals": load_digital_totals(), "targets": load_targets(), **reference(), **map_inputs(provinces),
            "centres": centres()}
