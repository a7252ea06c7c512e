"""Two app processes behind nginx: sticky sessions, WebSocket, and a dataset saved through one process opened
through the other (the store is PostgreSQL, as CI provides on 127.0.0.1:5432). Issue #16."""

from __future__ import annotations

import os
import shutil
import sys
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from browser_helpers import Page, shot
from conftest import CHROMIUM, POSTGRES_URL, ROOT, drop_store_tables, postgres_available
from test_uploads import W1252

pytestmark = [pytest.mark.load,
              pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                 reason="Debian's chromium is not installed (make test installs it)")]
sys.path.insert(0, str(ROOT / "deploy"))


def backend(base: str, route: str) -> str:
    req = urllib.request.Request(base + "/_stcore/health", headers={"Cookie": f"peta_route={route}"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.headers["X-Peta-Backend"]


def need_nginx() -> None:
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        pytest.fail("nginx is not installed (make test installs it)") if os.environ.get("CI") else pytest.skip("no nginx")


def route_to(dep, i: int) -> str:
    """A sticky-session cookie value that nginx sends to app process ``i``."""
    return next(r for r in (f"r{k}" for k in range(200)) if backend(dep.base, r).endswith(f":{dep.app_ports[i]}"))


def session_on(browser, base: str, route: str) -> Page:
    page = Page(browser)
    page.ctx.add_cookies([{"name": "peta_route", "value": route, "url": base}])
    return page


def test_a_dataset_saved_through_one_process_opens_through_the_other(browser, builtin):
    need_nginx()
    if not postgres_available():
        pytest.fail("PostgreSQL is required") if os.environ.get("CI") else pytest.skip("no PostgreSQL server")
    import serve

    drop_store_tables(POSTGRES_URL)
    dep = serve.start(2, 18180, env={"PETA_MPP_DATABASE_URL": POSTGRES_URL})
    try:
        # A room opens the link at once on fresh processes: every first session is rerouted and draws the map.
        first = [Page(browser) for _ in range(4)]
        for p in first:
            p.page.goto(dep.base + "/", wait_until="commit")
        for p in first:
            fr = p.page.frame_locator('iframe[title="streamlit_folium.st_folium"]').last
            fr.locator("path.regency").first.wait_for(timeout=120_000)
            assert p.page.locator('[data-testid="stException"]').count() == 0
            assert p.external == [] and p.errors == []
            p.close()
        routes = {}
        for r in (f"route-{i}" for i in range(40)):
            routes.setdefault(backend(dep.base, r), r)
            if len(routes) == 2:
                break
        assert len(routes) == 2, routes  # the two cookies reach two different processes
        (b1, r1), (b2, r2) = routes.items()
        a = session_on(browser, dep.base, r1)
        pg = a.page
        pg.goto(dep.base + "/data")
        pg.locator("h1").first.wait_for(timeout=90_000)
        pg.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
            files=[{"name": "mpp_kantor.csv", "mimeType": "text/csv", "buffer": W1252}])
        pg.get_by_text("3 baris dipakai", exact=False).wait_for(timeout=60_000)
        pg.locator('[data-testid="stForm"] input[type="text"]').first.fill("Lewat proses pertama")
        pg.get_by_role("button", name="Simpan").click()
        pg.get_by_text("Tersimpan.", exact=False).wait_for(timeout=60_000)
        dataset = parse_qs(urlparse(pg.url).query)["dataset"][0]
        assert a.external == [] and a.errors == []
        a.close()
        b = session_on(browser, dep.base, r2)
        pg = b.page
        pg.goto(f"{dep.base}/?dataset={dataset}")
        info = pg.locator('[data-testid="stSidebar"] [data-testid="stAlert"]').filter(has_text="ditambahkan")
        info.wait_for(timeout=90_000)
        assert "Lewat proses pertama" in pg.locator('[data-testid="stSidebar"]').inner_text()  # the name, as text
        pg.locator('iframe[title="streamlit_folium.st_folium"]').last.wait_for(timeout=90_000)
        shot(pg, "deploy_second_process.png")
        assert b.external == [] and b.errors == []
        b.close()
        assert b1 != b2
    finally:
        dep.stop()


def test_a_killed_process_is_started_again_and_its_sessions_draw_on_the_other(browser, builtin, tmp_path):
    """kill -9 of one of two app processes while a browser is connected to it: the site stays up, the reloaded
    session draws its map through the other process (and the briefing link pinned to the dead one is answered by the
    other), the supervisor starts the dead one again, and each process has its log file (issues #25 and #28)."""
    need_nginx()
    import signal
    import time

    import serve

    dep = serve.start(2, 18280, env={"PETA_MPP_DATA_DIR": str(tmp_path / "store")}, log_dir=tmp_path / "logs")
    try:
        route = route_to(dep, 0)
        page = session_on(browser, dep.base, route)
        page.page.goto(dep.base + "/")
        fr = page.page.frame_locator('iframe[title="streamlit_folium.st_folium"]').last
        fr.locator("path.regency").first.wait_for(timeout=120_000)
        os.kill(dep.apps[0].pid, signal.SIGKILL)
        dep.apps[0].wait(10)
        with urllib.request.urlopen(dep.base + "/_stcore/health", timeout=10) as r:  # nginx is still up
            assert r.status == 200
        pinned = urllib.request.Request(dep.base + "/briefing", headers={"Cookie": f"peta_route={route}"})
        with urllib.request.urlopen(pinned, timeout=30) as r:  # the briefing link, pinned to the dead process
            assert r.status == 200 and "<h1>Cakupan MPP: Indonesia</h1>" in r.read().decode()
        page.page.reload()
        fr = page.page.frame_locator('iframe[title="streamlit_folium.st_folium"]').last
        fr.locator("path.regency").first.wait_for(timeout=120_000)  # drawn by the surviving process
        assert page.page.locator('[data-testid="stException"]').count() == 0
        page.close()
        assert dep.supervise_once() == [dep.app_ports[0]]
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{dep.app_ports[0]}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the killed process did not come back")
        assert dep.restarts == 1 and dep.supervise_once() == []
        logs = sorted(p.name for p in (tmp_path / "logs").iterdir())
        assert logs == sorted([f"app-{p}.log" for p in dep.app_ports] + [f"api-{dep.api_port}.log", "nginx-error.log"])
        assert (tmp_path / "logs" / f"app-{dep.app_ports[1]}.log").stat().st_size > 0
    finally:
        dep.stop()


def test_a_session_that_loses_its_process_says_what_was_lost_and_keeps_its_delete(browser, builtin, tmp_path):
    """kill -9 of the process holding two sessions: one with an upload in use and not saved, one owning a saved
    dataset with its delete button on screen. After nginx moves them to the other process, clicking "Simpan" says
    plainly that the upload is gone and what to do; clicking "Hapus" still deletes the dataset (issue #28)."""
    need_nginx()
    import signal

    import serve
    from test_browser_datasets import upload_office_file

    dep = serve.start(2, 18380, env={"PETA_MPP_DATA_DIR": str(tmp_path / "store")}, log_dir=tmp_path / "logs")
    try:
        route = route_to(dep, 0)
        owner, unsaved = session_on(browser, dep.base, route), session_on(browser, dep.base, route)
        upload_office_file(owner.page, dep.base)
        owner.page.get_by_role("button", name="Simpan").click()
        owner.page.get_by_text("Tersimpan.", exact=False).wait_for(timeout=60_000)
        dataset = parse_qs(urlparse(owner.page.url).query)["dataset"][0]
        delete = owner.page.get_by_role("button", name="Hapus data tersimpan ini")
        delete.wait_for(timeout=30_000)
        upload_office_file(unsaved.page, dep.base)
        unsaved.page.get_by_role("button", name="Simpan").wait_for(timeout=30_000)

        os.kill(dep.apps[0].pid, signal.SIGKILL)
        dep.apps[0].wait(10)
        unsaved.page.wait_for_timeout(3000)  # the browsers reconnect through nginx to the other process
        unsaved.page.get_by_role("button", name="Simpan").click()
        sidebar = unsaved.page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text("Unggahan Anda belum disimpan dan tidak lagi dipakai", exact=False).wait_for(timeout=60_000)
        sidebar.get_by_text("mpp_kantor.csv", exact=True).wait_for(timeout=10_000)
        shot(unsaved.page, "failover_lost_upload.png")
        unsaved.page.locator('[data-testid="stSidebarNav"]').get_by_text("Ringkasan").click()  # said on every page
        sidebar.get_by_text("Unggahan Anda belum disimpan", exact=False).wait_for(timeout=60_000)

        delete.click()
        owner.page.get_by_text("Data tersimpan telah dihapus", exact=False).wait_for(timeout=60_000)
        from geo.store import Store

        assert Store(f"sqlite:///{tmp_path / 'store' / 'peta-mpp.sqlite'}").get(dataset) is None
        for s in (owner, unsaved):
            assert s.external == [] and s.errors == []
            s.close()
    finally:
        dep.stop()


def test_the_data_api_behind_the_same_nginx_rate_limited_and_supervised(builtin, tmp_path):
    """``make serve``'s nginx serves the data API at /api/: its answers and ETags pass through, a client asking too
    fast gets 429, and a killed API process is started again (issue #26)."""
    need_nginx()
    import time

    import requests
    import serve

    dep = serve.start(1, 18380, env={"PETA_MPP_DATA_DIR": str(tmp_path)}, log_dir=tmp_path / "logs")
    try:
        url = dep.base + "/api/v1/summary?province=12&as_of=2024-07-17"
        first = requests.get(url, timeout=60)
        assert first.status_code == 200 and first.json()["summary"]["with_own_mpp"] == 5
        again = requests.get(url, headers={"If-None-Match": first.headers["etag"]}, timeout=30)
        assert again.status_code == 304
        assert requests.get(dep.base + "/api/v1/docs", timeout=30).status_code == 200
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(60) as pool:  # 60 at once: far beyond 10 a second and a queue of 20
            codes = list(pool.map(lambda _: requests.get(url, timeout=60).status_code, range(60)))
        assert 429 in codes and codes.count(200) >= 20, codes
        dep.api.kill()
        dep.api.wait(10)
        time.sleep(0.5)
        dep.supervise_once()
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if requests.get(dep.base + "/api/v1/meta", timeout=10).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        assert requests.get(dep.base + "/api/v1/meta", timeout=10).status_code == 200
    finally:
        dep.stop()
