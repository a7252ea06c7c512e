"""Concurrent sessions switching filters against a running app (localhost only, bounded in time).

Used by tests/test_load.py and bench/bench_load.py.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from browser_helpers import type_date

LOCAL = ("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "ws://localhost", "data:", "blob:", "about:")
PROVINCES = ["11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "32", "33", "34", "35", "36", "51"]


@dataclass
class LoadResult:
    sessions: int
    switches: int
    seconds: float
    redraw_seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)


def run_round(browser, base: str, sessions: int = 10, switches: int = 3, budget_s: float = 150.0) -> LoadResult:
    """Open ``sessions`` pages at once; in each, type a new date ``switches`` times and wait for the map."""
    start = time.perf_counter()
    res = LoadResult(sessions, switches, 0.0)
    contexts, pages = [], []
    for i in range(sessions):
        ctx = browser.new_context(viewport={"width": 1200, "height": 900})

        def route(r, res=res):
            if r.request.url.startswith(LOCAL):
                return r.continue_()
            res.external.append(r.request.url)
            return r.abort()

        ctx.route("**/*", route)
        pg = ctx.new_page()
        pg.on("pageerror", lambda e, res=res: res.errors.append(str(e)))
        prov = PROVINCES[i % len(PROVINCES)]
        pg.goto(f"{base}/peta?province={prov}&as_of=2025-06-30", wait_until="commit")
        contexts.append(ctx)
        pages.append(pg)
    try:
        for pg in pages:
            pg.frame_locator('iframe[title="streamlit_folium.st_folium"]').last.locator("path.regency").first.wait_for(
                timeout=max(1.0, budget_s - (time.perf_counter() - start)) * 1000)
        for step in range(switches):
            t = time.perf_counter()
            for pg in pages:  # every session changes its filter at about the same time
                type_date(pg, "31/12/2023" if step % 2 == 0 else "30/06/2025")
            for pg in pages:
                pg.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                                     timeout=max(1.0, budget_s - (time.perf_counter() - start)) * 1000)
                frame = pg.frame_locator('iframe[title="streamlit_folium.st_folium"]').last
                frame.locator("path.regency").first.wait_for(
                    timeout=max(1.0, budget_s - (time.perf_counter() - start)) * 1000)
                if pg.locator('[data-testid="stException"]').count():
                    res.errors.append(f"exception shown on {pg.url}")
            res.redraw_seconds.append(time.perf_counter() - t)
    finally:
        for ctx in contexts:
            ctx.close()
    res.seconds = time.perf_counter() - start
    return res
