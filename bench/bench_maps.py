"""Benchmark: the national map's payload (page and render-map file) and the warm redraw after a filter change.

Run: .venv/bin/python bench/bench_maps.py (or `make bench`). Prints figures; asserts nothing.
"""

from __future__ import annotations

import gzip
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def size(label: str, text: str) -> None:
    data = text.encode()
    print(f"{label:48s} {len(data) / 1e6:6.3f} MB raw, {len(gzip.compress(data)) / 1e6:6.3f} MB gzipped")


def main() -> None:
    import folium
    from streamlit_folium import (  # what st_folium sends to the browser
        _get_header,
        _get_html,
    )

    from geo import assets
    from geo.boundaries import attach_geometry
    from geo.boundary_io import read_upstream_sql
    from geo.coverage import regency_coverage
    from geo.inputs import centres, map_inputs, reference
    from geo.maps import coverage_map, mpp_points
    from geo.registry import as_of, load_registry
    from geo.scores import load_scores
    from geo.sources import boundary_source

    reg, sc = load_registry(), load_scores()

    def build(when: date, provinces: list[str]) -> folium.Map:
        table = regency_coverage(when, provinces, reg, sc, **reference())
        drawn = map_inputs(provinces)
        gdf = attach_geometry(table, drawn["shapes"])
        live = as_of(reg, when)
        if provinces:
            live = live[live["province_code"].isin(provinces)]
        return coverage_map(gdf, "coverage", "id", mpps=mpp_points(live, centres()), outlines=drawn["borders"])

    when = date(2025, 12, 31)
    m = assets.served(build(when, []))
    m.render()
    page = _get_header(m) + _get_html(m) + m.get_root().script.render()
    size("app page map (st_folium payload, Leaflet served)", page)
    size("  + Leaflet and markercluster, served once", "".join(assets.asset_file(n).read_text() for n in assets.ASSETS))
    size("render-map national file (everything inlined)", assets.standalone_html(build(when, [])))
    raw = read_upstream_sql(boundary_source().kab_files())
    t = time.perf_counter()
    naive = folium.Map(location=[-2, 118], zoom_start=5)
    folium.Choropleth(geo_data=raw[["code", "name", "geometry"]].to_json(), data=None).add_to(naive)
    naive_html = naive.get_root().render()
    size("naive folium choropleth of the raw data", naive_html)

    # Warm redraw: a filter change with boundaries, borders, registry and scores already loaded (what the app caches).
    for w, p in [(date(2023, 12, 31), ["12"]), (date(2022, 6, 1), ["33", "35"])]:
        build(w, p)
    timings = []
    scopes = [(date(2024, 7, 17), []), (date(2023, 12, 31), ["12"]), (date(2025, 12, 31), []), (date(2022, 6, 1), ["33", "35"])]
    for _ in range(3):
        for w, p in scopes:
            t = time.perf_counter()
            mm = assets.served(build(w, p))
            mm.render()
            _get_header(mm), _get_html(mm), mm.get_root().script.render()
            timings.append((p, time.perf_counter() - t))
    nat = [x for p, x in timings if not p]
    prov = [x for p, x in timings if p]
    print(f"warm redraw after a filter change, national: median {statistics.median(nat):.3f} s (max {max(nat):.3f})")
    print(f"warm redraw after a filter change, provinces: median {statistics.median(prov):.3f} s (max {max(prov):.3f})")


if __name__ == "__main__":
    main()
