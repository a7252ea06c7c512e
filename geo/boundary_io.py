"""Boundaries at the edge: the upstream SQL dumps and users' files read from disk, and the built-in set cached as
GeoParquet keyed by the pinned sources' checksums (built once, then loaded once per process).

Everything that reads or writes a file for boundaries is here; :mod:`geo.boundaries` does the work on data.
"""

from __future__ import annotations

import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd

from .boundaries import (
    PIPELINE_VERSION,
    BoundarySet,
    Level,
    build,
    centres,
    parse_upstream_sql,
    province_borders,
)
from .boundaries import report as boundary_report
from .sources import BoundarySource, boundary_source, cache_dir, pinned_fingerprint
from .vectorio import read_vector, read_vector_bytes

LEVEL_FILES = ("full", "national", "province")


def read_upstream_sql(paths: list[Path]) -> gpd.GeoDataFrame:
    """The upstream MySQL INSERT scripts, parsed into features (:func:`geo.boundaries.parse_upstream_sql`)."""
    return parse_upstream_sql((p.name, p.read_text(encoding="utf-8")) for p in paths)


def build_from_source(source: BoundarySource) -> BoundarySet:
    """Cold build of the cleaned, simplified boundaries from the upstream SQL files."""
    return build(read_upstream_sql(source.kab_files()),
                 {"origin": source.origin, "root": str(source.root), "fingerprint": source.fingerprint()})


def _cache_folder(source: BoundarySource | None = None) -> Path:
    fingerprint = source.fingerprint() if source is not None else pinned_fingerprint()
    return cache_dir() / "derived" / f"boundaries-{fingerprint}-v{PIPELINE_VERSION}"


def cache_is_ready() -> bool:
    """Whether the cleaned boundaries are cached (no download or build needed); never touches the network."""
    folder = _cache_folder()
    return all((folder / f"{lvl}.parquet").exists() for lvl in LEVEL_FILES) and (folder / "report.json").exists()


def builtin_boundaries(source: BoundarySource | None = None, rebuild: bool = False) -> BoundarySet:
    """The built-in boundaries, from the GeoParquet cache when it matches the sources' checksums (the pinned ones,
    known without reading the files: a warm cache needs no source files), else built from ``source`` (default: the
    resolved pinned files, see :func:`geo.sources.boundary_source`)."""
    folder = _cache_folder(source)
    files = {lvl: folder / f"{lvl}.parquet" for lvl in LEVEL_FILES}
    report_file = folder / "report.json"
    if not rebuild and all(p.exists() for p in files.values()) and report_file.exists():
        try:
            loaded = {lvl: gpd.read_parquet(p) for lvl, p in files.items()}
            return BoundarySet(loaded["full"], loaded["national"], loaded["province"],
                               json.loads(report_file.read_text()))
        except Exception:  # a corrupt cache is rebuilt
            pass
    built = build_from_source(source or boundary_source())
    folder.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder))
    for lvl in LEVEL_FILES:
        getattr(built, lvl).to_parquet(tmp / f"{lvl}.parquet")
        os.replace(tmp / f"{lvl}.parquet", files[lvl])
    report_file.write_text(json.dumps(built.report, indent=1, ensure_ascii=False))
    tmp.rmdir()
    return built


@lru_cache(maxsize=4)
def _builtin_cached(fingerprint: str) -> BoundarySet:
    return builtin_boundaries()


def load_boundaries(level: Level = "national") -> gpd.GeoDataFrame:
    """Regency polygons keyed by code (code, name, type, province_code, province, geometry) at a display level.

    Loaded once per process and source fingerprint; callers must not modify the result in place.
    """
    return getattr(_builtin_cached(pinned_fingerprint()), level)


@lru_cache(maxsize=128)
def borders_for(level: Level, provinces: tuple[str, ...] = ()) -> gpd.GeoDataFrame:
    """Province borders of the built-in boundaries at a display level, for a set of provinces (memoised)."""
    gdf = load_boundaries(level)
    if provinces:
        gdf = gdf[gdf["province_code"].isin(provinces)]
    return province_borders(gdf)


@lru_cache(maxsize=8)
def representative_points(level: Level = "full") -> gpd.GeoSeries:
    """A point inside each built-in regency (code-indexed), for markers and distances (memoised)."""
    return centres(load_boundaries(level))


def reconciliation_report(path: str | Path | bytes | None = None, code_column: str | None = None,
                          name_column: str | None = None, province_column: str | None = None,
                          name: str | None = None) -> dict[str, Any]:
    """The reconciliation report for the built-in source (path None) or a user's boundary file (a path, or the
    uploaded bytes with their file ``name``), with the polygon areas checked against BIG's official areas."""
    from .boundaries import area_vs_official
    from .population import regency_stats

    if path is None:
        built = builtin_boundaries()
        out = dict(built.report)
        out["area_vs_official"] = area_vs_official(built.full, regency_stats())
        return out
    uploaded = isinstance(path, (bytes, bytearray))
    raw = read_vector_bytes(bytes(path), name or "upload") if uploaded else read_vector(path)
    out = boundary_report(raw, regency_stats(), code_column, name_column, province_column)
    out["source"] = {"origin": "file", "path": str(name if uploaded else (name or path))}
    return out
