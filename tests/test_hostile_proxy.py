"""Per-visitor limits hold behind `make serve`'s nginx (issue #36): the app takes the client's address only from
the X-Real-IP that nginx sets from its own peer, on the WebSocket too, so a browser writing its own X-Forwarded-For or
X-Real-IP neither dodges a limit nor escapes it. Corrections and files are SYNTHETIC (test data)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from browser_helpers import Page
from conftest import CHROMIUM, ROOT

pytestmark = [pytest.mark.load,
              pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                 reason="Debian's chromium is not installed (make test installs it)")]
sys.path.insert(0, str(ROOT / "deploy"))
SPOOFS = [{}, {"X-Forwarded-For": "203.0.113.1", "X-Real-IP": "203.0.113.1"},
          {"X-Forwarded-For": "198.51.100.2, 203.0.113.2", "X-Real-IP": "198.51.100.2"}]


def need_nginx() -> None:
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        pytest.fail("nginx is not installed (make test installs it)") if os.environ.get("CI") else pytest.skip("no nginx")


def send_corrections(pg, base: str, times: int) -> list[str]:
    """On the Corrections page, send ``times`` different corrections (a fresh note each time: the same one twice is
    taken as a double click and not sent again); what each press said."""
    pg.goto(base + "/koreksi?region=12.06")
    pg.get_by_role("heading", name="Koreksi").first.wait_for(timeout=90_000)
    pg.get_by_text("Hal lain", exact=True).click()
    said = []
    for i in range(times):
        pg.get_by_role("textbox", name="Catatan (apa yang keliru, di bagian mana bukti menyebutnya)").fill(
            f"SYNTHETIC: a correction sent through the proxy, number {i} of {base}")
        pg.locator('[data-testid="stForm"]').first.get_by_role("button", name="Kirim koreksi").click()
        pg.wait_for_timeout(500)
        pg.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
        pg.wait_for_timeout(1000)  # the run (and the rerun after a correction is kept) is over
        said.append(" | ".join(pg.locator('[data-testid="stAlert"]').all_inner_texts()))
    return said


def test_spoofed_or_missing_address_headers_cannot_dodge_a_limit_behind_nginx(browser, builtin, tmp_path):
    need_nginx()
    import serve
    from test_browser_datasets import upload_office_file

    from geo import corrections as corr
    from geo.store import Store

    store_dir = tmp_path / "store"
    dep = serve.start(1, 18480, env={"PETA_MPP_DATA_DIR": str(store_dir), "PETA_MPP_CORRECTIONS_PER_HOUR": "2",
                                     "PETA_MPP_MAX_DATASETS_PER_VISITOR": "1"}, log_dir=tmp_path / "logs")
    store = Store(f"sqlite:///{store_dir / 'peta-mpp.sqlite'}")
    try:
        pages = []
        said = []
        for i, headers in enumerate(SPOOFS):  # three browsers of one client: no header, and two spoofed ones
            page = Page(browser)
            pages.append(page)
            page.ctx.set_extra_http_headers(headers)
            said += send_corrections(page.page, dep.base, 4 if i == 0 else 3)
        assert corr.count(store) == 2, said  # 10 presses, a limit of 2 an hour for the one client behind them
        assert sum("batas yang diizinkan (2" in s for s in said) == 8, said  # each refused press says the limit

        saved = []
        for page in pages[:2]:  # the dataset quota the same way: one for the client, whatever its headers say
            pg = page.page
            upload_office_file(pg, dep.base)
            pg.locator('[data-testid="stForm"] input[type="text"]').first.fill("SYNTHETIC lewat proxy")
            pg.get_by_role("button", name="Simpan").click()
            pg.get_by_text("Tersimpan.", exact=False).or_(
                pg.get_by_text("batas untuk satu pengunjung", exact=False)).first.wait_for(timeout=60_000)
            saved.append(pg.get_by_text("Tersimpan.", exact=False).count() > 0)
        assert saved == [True, False]
        from sqlalchemy import func, select

        from geo.store import datasets

        assert store.read(lambda conn: conn.execute(select(func.count()).select_from(datasets)).scalar()) == 1
        for page in pages:
            assert page.external == [] and page.errors == []
            page.close()
    finally:
        dep.stop()
