"""10 concurrent sessions switching filters: no errors, bounded time, memory not growing round over round."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CHROMIUM
from load_driver import run_round

pytestmark = [pytest.mark.load, pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")]


def test_ten_sessions_switching_filters(app, browser):
    rounds, rss = [], []
    for _ in range(3):
        r = run_round(browser, app.base, sessions=10, switches=3, budget_s=240)
        rounds.append(r)
        rss.append(app.rss_mb())
        assert r.errors == [] and r.external == [], (r.errors[:3], r.external[:3])
        assert r.seconds < 240
    print(f"load: rounds took {[round(r.seconds, 1) for r in rounds]} s; "
          f"redraws {[round(x, 2) for r in rounds for x in r.redraw_seconds]} s; server RSS {[round(x) for x in rss]} MB")
    # Caches fill in the first round; after that memory must level off (allow 10% noise).
    assert rss[2] <= rss[1] * 1.10 + 20, rss
