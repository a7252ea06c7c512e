"""Benchmark: cold build of the cleaned boundaries, warm load from cache, display geometry size.

Run: .venv/bin/python bench/bench_boundaries.py   (or `make bench`). Prints figures; asserts nothing.
"""

from __future__ import annotations

import gzip
import os
import sys
import tempfile
import time
from pathlib import Path

import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the upstream files: ../shared when it exists, else the download cache (geo.sources)


def main() -> None:
    os.environ["PETA_MPP_CACHE"] = tempfile.mkdtemp(prefix="peta-mpp-bench-")
    from geo import boundary_io as bd
    from geo.sources import boundary_source
    from geo.tables import to_geojson

    t = time.perf_counter()
    built = bd.builtin_boundaries()
    cold = time.perf_counter() - t
    warm = []
    for _ in range(5):
        t = time.perf_counter()
        bd.builtin_boundaries()
        warm.append(time.perf_counter() - t)
    print(f"cold build (parse, reconcile, repair, de-overlap, simplify, cache): {cold:.2f} s")
    print(f"warm load from GeoParquet cache: median {sorted(warm)[2]:.3f} s (min {min(warm):.3f}, max {max(warm):.3f})")
    cols = ["code", "name", "geometry"]
    raw = to_geojson(bd.read_upstream_sql(boundary_source().kab_files())[cols])
    for label, gdf in (("unsimplified input", None), ("full (cleaned)", built.full), ("province level", built.province),
                       ("national level", built.national)):
        text = raw if gdf is None else to_geojson(gdf[cols])
        data = text.encode()

        verts = "" if gdf is None else f", {int(shapely.get_num_coordinates(gdf.geometry.values).sum()):,} vertices"
        print(f"GeoJSON {label:20s}: {len(data) / 1e6:6.3f} MB raw, {len(gzip.compress(data)) / 1e6:6.3f} MB gzipped{verts}")
    print(f"regencies at national level: {len(built.national)} (every one with an area > 0: "
          f"{bool((shapely.area(built.national.geometry.values) > 0).all())})")


if __name__ == "__main__":
    main()
