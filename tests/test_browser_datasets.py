"""Analysts' data in a real browser: an upload added to the registry, saved, and its link opened in a fresh browser
after the server restarts, on SQLite and on PostgreSQL (issue #14)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from browser_helpers import Page, shot
from conftest import CHROMIUM, start_app, stop_app
from test_uploads import W1252

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                 reason="Debian's chromium is not installed (make test installs it)")]


#: A dataset name with HTML and Markdown in it: shown as typed everywhere, never as markup or a link.
NAME = "Data kantor <b>uji</b> [klik](http://evil.example/x)"


def upload_office_file(pg, base: str) -> None:
    """On the Data page: upload the SYNTHETIC office file and wait for its report (3 rows used, 1 with a warning)."""
    pg.goto(base + "/data")
    pg.locator("h1").first.wait_for(timeout=60_000)
    pg.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": "mpp_kantor.csv", "mimeType": "text/csv", "buffer": W1252}])
    pg.get_by_text("3 baris dipakai (1 dengan peringatan), 0 ditolak").wait_for(timeout=60_000)


def covered_today() -> int:
    from geo.coverage import regency_coverage
    from geo.inputs import reference
    from geo.registry import load_registry
    from geo.scores import load_scores

    return int(regency_coverage(date.today(), [], load_registry(), load_scores(), **reference())["has_mpp"].sum())


def first_metric(pg, expected: str | None = None) -> str:
    """The overview's first card; with ``expected``, once it shows that (a saved dataset may arrive after the page
    was first drawn with the built-in data, when the database took more than half a second)."""
    import time

    m = pg.locator('[data-testid="stMetricValue"]').first
    m.wait_for(timeout=90_000)
    deadline = time.time() + 30
    while expected is not None and m.inner_text() != expected and time.time() < deadline:
        pg.wait_for_timeout(250)
    return m.inner_text()


def test_a_saved_dataset_link_survives_a_restart(browser, builtin, database_url, tmp_path):
    env = {"PETA_MPP_DATABASE_URL": database_url}
    app = start_app(env)
    port = urlparse(app.base).port
    expected = f"{covered_today() + 2} / 514"
    page = Page(browser)
    try:
        pg = page.page
        upload_office_file(pg, app.base)
        warning = pg.locator('[data-testid="stMain"] [data-testid="stAlert"]').first.inner_text()
        assert "1 baris memiliki tanggal yang tidak dapat dipakai" in warning  # a warning box, in Indonesian
        name = pg.locator('[data-testid="stForm"] input[type="text"]').first
        name.fill(NAME)
        pg.get_by_role("button", name="Simpan").click()
        pg.get_by_text("Tersimpan.", exact=False).wait_for(timeout=60_000)
        dataset = parse_qs(urlparse(pg.url).query)["dataset"][0]
        links = pg.locator('[data-testid="stCode"]:visible')  # the share link and the private owner link, as plain text
        links.nth(1).wait_for(timeout=30_000)
        share, owner = links.nth(0).inner_text().strip(), links.nth(1).inner_text().strip()
        assert share.startswith(f"{app.base}/?dataset={dataset}&as_of=") and owner.startswith(share + "&owner=")
        pg.locator('[data-testid="stSidebarNav"]').get_by_text("Ringkasan").click()
        pg.wait_for_timeout(1500)
        assert first_metric(pg, expected) == expected
        assert page.external == [] and page.errors == []
    finally:
        page.close()
        stop_app(app)
    app = start_app(env, port=port)  # the server restarts; the dataset lives in the database
    fresh = Page(browser)
    try:
        pg = fresh.page
        pg.goto(f"{app.base}/?dataset={dataset}")
        assert first_metric(pg, expected) == expected
        sidebar = pg.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text(NAME, exact=True).wait_for(timeout=30_000)  # shown as typed
        assert sidebar.locator("a[href*='evil'], b").count() == 0  # no link, no markup from the name
        shot(pg, f"dataset_link_{database_url.split(':')[0]}.png")
        pg.goto(f"{app.base}/?dataset=unknown-dataset-id-123")
        pg.get_by_text("Tidak ada data tersimpan dengan tautan ini", exact=False).wait_for(timeout=60_000)
        assert fresh.external == [] and fresh.errors == []
    finally:
        fresh.close()
    owner_browser = Page(browser)  # another browser, with nothing but the owner link
    try:
        pg = owner_browser.page
        pg.goto(owner.replace(share.split("/?")[0], app.base))
        assert first_metric(pg, expected) == expected
        pg.get_by_text("Anda pemilik data tersimpan ini", exact=False).wait_for(timeout=30_000)
        assert "owner=" not in pg.url  # the token leaves the address bar
        pg.locator('[data-testid="stSidebarNav"]').get_by_text("Data").click()
        pg.get_by_role("button", name="Hapus data tersimpan ini").click()
        pg.get_by_text("Data tersimpan telah dihapus", exact=False).wait_for(timeout=60_000)
        pg.goto(share.replace(share.split("/?")[0], app.base))
        pg.get_by_text("Tidak ada data tersimpan dengan tautan ini", exact=False).wait_for(timeout=60_000)
        assert owner_browser.external == [] and owner_browser.errors == []
    finally:
        owner_browser.close()
        stop_app(app)


def test_a_full_store_refuses_new_saves_and_the_app_keeps_working(browser, builtin, tmp_path):
    """The store's budget reached (one dataset here): the next save is refused with one line, the data stays in use
    in the session, and every page still works."""
    app = start_app({"PETA_MPP_DATA_DIR": str(tmp_path), "PETA_MPP_MAX_DATASETS": "1"})
    page = Page(browser)
    try:
        pg = page.page
        upload_office_file(pg, app.base)
        save = pg.get_by_role("button", name="Simpan", exact=True)
        save.click()
        pg.get_by_text("Tersimpan.", exact=False).wait_for(timeout=60_000)
        save.click()  # a second copy: over the budget
        pg.get_by_text("penyimpanan penuh (1 data", exact=False).wait_for(timeout=60_000)
        pg.get_by_text("Sesi ini kini memakai data Anda", exact=False).wait_for(timeout=10_000)
        pg.locator('[data-testid="stSidebarNav"]').get_by_text("Ringkasan").click()
        assert first_metric(pg, f"{covered_today() + 2} / 514") == f"{covered_today() + 2} / 514"
        assert page.external == [] and page.errors == []
    finally:
        page.close()
        stop_app(app)


def test_a_database_that_never_answers_delays_no_map(browser, builtin, tmp_path):
    """A ``?dataset=`` link while the database accepts connections and never answers: the map is drawn at once
    with the built-in data, then a notice says the dataset cannot be opened, with a reference that is in the log;
    the notice and the link stay on every page until dismissed (issue #28)."""
    import re
    import socket
    import threading
    import time

    from geo.sources import cache_dir

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held: list[socket.socket] = []

    def accept() -> None:  # accepts every connection and never says a word
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return
    threading.Thread(target=accept, daemon=True).start()
    url = f"postgresql+psycopg://peta@127.0.0.1:{listener.getsockname()[1]}/test"
    app = start_app({"PETA_MPP_DATABASE_URL": url})
    page = Page(browser)
    try:
        pg = page.page
        def map_after(url: str) -> float:
            pg.wait_for_timeout(2500)  # the browser done with the previous page
            started = time.perf_counter()
            pg.goto(url)
            pg.frame_locator('iframe[title="streamlit_folium.st_folium"]').last.locator(
                "path.regency").first.wait_for(timeout=90_000)
            return time.perf_counter() - started
        map_after(app.base + "/")  # the browser has the app's scripts (a visitor's second page load)
        without = map_after(app.base + "/")
        drawn = map_after(f"{app.base}/?dataset=abcdefghijkl")
        sidebar = pg.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text("Membuka data tersimpan", exact=False).wait_for(timeout=10_000)
        notice = sidebar.locator('[data-testid="stAlert"]').filter(has_text="rujukan")
        notice.wait_for(timeout=60_000)
        ref = re.search(r"[0-9a-f]{8}", notice.inner_text().split("rujukan", 1)[1]).group(0)
        assert ref in (cache_dir() / "peta-mpp.log").read_text(encoding="utf-8")
        print(f"map drawn {drawn:.2f} s after opening the link ({without:.2f} s without a dataset)")
        assert drawn < max(2.0, without + 0.75), (drawn, without)  # the database adds nothing to the map
        for name in ("Peta cakupan", "Data", "Ringkasan"):  # the notice and the link stay on every page
            pg.locator('[data-testid="stSidebarNav"]').get_by_text(name, exact=True).click()
            pg.wait_for_timeout(1500)
            sidebar.locator('[data-testid="stAlert"]').filter(has_text="rujukan").wait_for(timeout=30_000)
            assert "dataset=abcdefghijkl" in pg.url, (name, pg.url)
        sidebar.get_by_role("button", name="Tutup").click()
        pg.wait_for_timeout(2000)
        assert sidebar.locator('[data-testid="stAlert"]').filter(has_text="rujukan").count() == 0
        assert "dataset=" not in pg.url
        assert page.external == [] and page.errors == []
    finally:
        page.close()
        stop_app(app)
        listener.close()
        for c in held:
            c.close()


def test_an_upload_its_report_and_its_save_form_outlive_a_visit_to_other_pages(app, page):
    """An analyst uploads, looks at three other pages, comes back: the file is still in use, its report and the
    Save form are there (Streamlit empties an upload box whose page was left; the session keeps the file)."""
    pg = page.page
    upload_office_file(pg, app.base)
    pg.get_by_role("button", name="Simpan").wait_for(timeout=30_000)
    nav = pg.locator('[data-testid="stSidebarNav"]')
    for name in ("Ringkasan", "Kesenjangan", "Skor reformasi"):
        nav.get_by_text(name, exact=True).click()
        pg.locator("h1").first.wait_for(timeout=60_000)
        pg.wait_for_timeout(800)
    nav.get_by_text("Data", exact=True).click()
    pg.get_by_text("3 baris dipakai (1 dengan peringatan), 0 ditolak").wait_for(timeout=60_000)
    pg.get_by_text("Berkas yang dipakai di sesi ini: mpp_kantor.csv", exact=False).wait_for(timeout=30_000)
    assert pg.get_by_role("button", name="Simpan").count() == 1
    # removing the file from the box is taken as meant: the report goes
    pg.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": "mpp_kantor.csv", "mimeType": "text/csv", "buffer": W1252}])
    pg.get_by_text("3 baris dipakai (1 dengan peringatan), 0 ditolak").wait_for(timeout=60_000)
    pg.get_by_role("button", name="Hapus mpp_kantor.csv").wait_for(timeout=30_000)  # uploaded (not "Batalkan…")
    labels = pg.locator('[data-testid="stFileUploader"] button').evaluate_all("bs => bs.map(b => b.ariaLabel)")
    assert labels == ["Hapus mpp_kantor.csv", "Tambah berkas"]  # Streamlit's own words, in Bahasa Indonesia
    pg.get_by_role("button", name="Hapus mpp_kantor.csv").click()
    pg.wait_for_timeout(2500)
    assert pg.get_by_text("3 baris dipakai", exact=False).count() == 0
    assert page.external == [] and page.errors == []


def test_a_restart_with_the_data_page_open_and_nothing_saved(browser, builtin, tmp_path):
    """The Data page open, nothing uploaded: while the server is down the page says so in Indonesian (Streamlit's
    own dialog and status, translated); when it is back the tab reconnects by itself to the same page with its
    date and province (issue #24)."""
    app = start_app({"PETA_MPP_DATA_DIR": str(tmp_path)})
    port = urlparse(app.base).port
    page = Page(browser)
    try:
        pg = page.page
        pg.goto(f"{app.base}/data?as_of=2024-07-17&province=12")
        pg.get_by_text("Sumber dan lisensi").wait_for(timeout=90_000)
        pg.wait_for_function("() => !!(window.__petaWords && window.__petaWords.observer)", timeout=30_000)
        stop_app(app)
        dialog = pg.get_by_role("dialog")
        dialog.wait_for(timeout=30_000)
        text = dialog.inner_text()
        assert "Sambungan terputus" in text and "Server Peta MPP tidak menjawab" in text, text
        assert "Streamlit" not in text.replace("Peta MPP", ""), text
        shot(pg, "restart_dialog.png")
        app = start_app({"PETA_MPP_DATA_DIR": str(tmp_path)}, port=port)
        pg.get_by_role("dialog").wait_for(state="detached", timeout=60_000)
        pg.get_by_text("Sumber dan lisensi").wait_for(timeout=60_000)
        pg.wait_for_timeout(1000)
        dates = pg.locator('[data-testid="stSidebar"] input').evaluate_all("es => es.map(e => e.value)")
        assert "2024-07-17" in dates or "17/07/2024" in dates, dates
        assert pg.locator('[data-testid="stSidebar"] [data-tag]').all_inner_texts()[0].startswith("Sumatera Utara")
        assert "/data?" in pg.url and page.external == [] and page.errors == []
    finally:
        page.close()
        stop_app(app)


def test_a_shared_dataset_link_opens_the_same_view_with_the_dataset_said_at_the_top(app, browser):
    """Issue #37: saved under Sumatera Utara as of 31-12-2024 on the map's RB layer, the dataset's link carries the
    view; a fresh browser opening it lands on that date and province, in that language, with the layer on the map
    page, and every page says at its top that this is an analyst's dataset (by name, as plain text) with a way
    back to the public data."""
    saver = Page(browser)
    pg = saver.page
    try:
        pg.goto(app.base + "/peta?province=12&as_of=2024-12-31&layer=rb")
        pg.get_by_role("radiogroup").get_by_text("Indeks RB").first.wait_for(timeout=90_000)
        pg.locator('[data-testid="stSidebarNav"]').get_by_text("Data").click()
        pg.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
            files=[{"name": "mpp_kantor.csv", "mimeType": "text/csv", "buffer": W1252}])
        pg.get_by_text("3 baris dipakai (1 dengan peringatan), 0 ditolak").wait_for(timeout=60_000)
        pg.locator('[data-testid="stForm"] input[type="text"]').first.fill(NAME)
        pg.get_by_role("button", name="Simpan").click()
        pg.get_by_text("Tersimpan.", exact=False).wait_for(timeout=60_000)
        share = pg.locator('[data-testid="stCode"]:visible').first.inner_text().strip()
        query = parse_qs(urlparse(share).query)
        assert query["as_of"] == ["2024-12-31"] and query["province"] == ["12"] and query["lang"] == ["id"]
        assert query["layer"] == ["rb"] and "owner" not in query
    finally:
        saver.close()
    fresh = Page(browser)  # a new context: nothing of the saver's session or cookies
    pg = fresh.page
    try:
        pg.goto(share)
        banner = pg.locator('[data-testid="stMain"] [data-testid="stAlert"]').first
        banner.wait_for(timeout=90_000)
        said = banner.inner_text().replace("\u2060", "")  # an invisible joiner keeps addresses from becoming links
        assert "bukan registri publik" in said and NAME in said
        assert banner.locator("b, a").count() == 0  # the name as typed: no markup, no link
        title = pg.get_by_role("heading", name="Ringkasan", level=1)
        title.wait_for(timeout=60_000)
        pg.wait_for_timeout(1500)  # the page's layout settled
        box, title = banner.bounding_box(), title.bounding_box()
        assert box is not None and title is not None and box["y"] < title["y"]  # at the top, above the title
        sidebar = pg.locator('[data-testid="stSidebar"]')
        assert sidebar.locator('[data-testid="stDateInput"] input').input_value() in ("31/12/2024", "2024-12-31")
        assert "Sumatera Utara" in sidebar.locator('[data-testid="stMultiSelect"]').inner_text()
        pg.locator('[data-testid="stSidebarNav"]').get_by_text("Peta cakupan").click()
        layers = pg.locator('[data-testid="stMain"]').get_by_role("radiogroup")  # the map's layers
        layers.locator('input[type="radio"]:checked').first.wait_for(state="attached", timeout=60_000)
        pg.wait_for_timeout(1500)
        checked = layers.locator("label:has(input:checked)").first.inner_text()
        assert "RB" in checked
        banner = pg.locator('[data-testid="stMain"] [data-testid="stAlert"]').first
        assert "bukan registri publik" in banner.inner_text()  # said on this page too
        shot(pg, "dataset_link_banner.png")
        pg.get_by_role("button", name="Kembali ke data publik").click()
        pg.wait_for_timeout(2000)
        assert pg.get_by_text("bukan registri publik", exact=False).count() == 0
        assert "dataset=" not in pg.url
        assert fresh.external == [] and fresh.errors == []
    finally:
        fresh.close()
