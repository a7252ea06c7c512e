"""Benchmark: briefing export times (PDF, PNG, small multiples), warm (boundaries and data loaded).

Run: .venv/bin/python bench/bench_exports.py (or `make bench`). Prints figures; asserts nothing.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(label: str, fn, repeat: int = 3) -> None:
    fn()  # warm
    runs, size = [], 0
    for _ in range(repeat):
        t = time.perf_counter()
        size = len(fn())
        runs.append(time.perf_counter() - t)
    print(f"{label:44s} median {statistics.median(runs):5.2f} s (max {max(runs):.2f}), {size / 1e3:6.0f} kB")


def main() -> None:
    from geo.briefing import (
        briefing_data,
        briefing_pdf,
        briefing_png,
        small_multiples_png,
    )
    from geo.inputs import briefing_inputs, map_inputs, reference
    from geo.registry import load_registry
    from geo.scores import load_scores

    reg, sc = load_registry(), load_scores()
    inputs, sumut_inputs = briefing_inputs([]), briefing_inputs(["12"])
    sumut = date(2024, 7, 17)
    timed("PDF briefing, Sumatera Utara 2024-07-17", lambda: briefing_pdf(briefing_data(sumut, ["12"], reg, sc, **sumut_inputs)))
    timed("PDF briefing, Indonesia 2025-12-31", lambda: briefing_pdf(briefing_data(date(2025, 12, 31), [], reg, sc, **inputs)))
    timed("PNG map, Indonesia 2025-12-31 (150 dpi)", lambda: briefing_png(briefing_data(date(2025, 12, 31), [], reg, sc, **inputs)))
    timed("small multiples 2017-2025, Indonesia", lambda: small_multiples_png(reg, sc, [], until=date(2025, 12, 31), **reference(),
                                                                                       **map_inputs([])), 1)


if __name__ == "__main__":
    main()
