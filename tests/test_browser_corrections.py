"""A correction from the field, as a person sends it: from a regency's detail on the map to the public list, in a
real headless Chromium. The correction is SYNTHETIC (test data), in the browser tests' throw-away store; it is about
a regency of Papua Pegunungan, a province no other browser test looks at."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from browser_helpers import shot, wait_for_regencies
from conftest import CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                                   reason="Debian's chromium is not installed (make test installs it)")]
PROVINCE = "95"


def _target() -> tuple[str, str, int]:
    """(code, name, regencies in the province) of a regency of Papua Pegunungan without any MPP service today."""
    from geo.coverage import coverage
    from geo.inputs import reference
    from geo.registry import load_official_totals, load_registry
    from geo.scores import load_scores

    table = coverage(date.today(), [PROVINCE], load_registry(), load_scores(), load_official_totals(),
                     **reference()).table
    row = table[table["presence"] == "without"].iloc[0]
    return str(row["code"]), str(row["name"]), len(table)


def test_a_correction_sent_from_a_regency_detail_is_in_the_public_list(app, page):
    code, name, n = _target()
    pg = page.page
    pg.goto(app.base + f"/peta?province={PROVINCE}")
    fr = wait_for_regencies(pg, n)
    fr.locator(f"path.r{code.replace('.', '-')}").click()
    pg.get_by_text(f"Rincian wilayah: {name} ({code})").wait_for(timeout=60_000)
    pg.get_by_role("link", name="Laporkan koreksi").click()
    pg.get_by_role("heading", name="Koreksi").first.wait_for(timeout=60_000)
    assert "region=" + code in pg.url
    form = pg.locator('[data-testid="stForm"]').first
    chosen = pg.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first
    chosen.wait_for(timeout=30_000)
    assert chosen.locator("input").first.input_value().startswith(name)  # the regency is chosen already
    pg.get_by_text("Hal lain", exact=True).click()
    pg.get_by_role("textbox", name="Alamat sumber (http atau https)").fill("https://example.go.id/berita?judul=**MPP**_[baru](x)")
    pg.get_by_role("textbox", name="Catatan (apa yang keliru, di bagian mana bukti menyebutnya)").fill(
        "SYNTHETIC: <i>MPP</i> dibuka **bulan lalu**")
    form.get_by_role("button", name="Kirim koreksi").click()
    pg.locator('[data-testid="stAlert"]').first.wait_for(timeout=30_000)
    assert not pg.locator('[data-testid="stAlertContentError"]').count(), pg.locator(
        '[data-testid="stAlertContentError"]').all_inner_texts()
    pg.get_by_text("Terima kasih: 1 koreksi diajukan.", exact=False).wait_for(timeout=30_000)
    link = pg.locator('[data-testid="stCode"]:visible').first.inner_text().strip()
    cid = link.rsplit("=", 1)[1]
    shot(pg, "koreksi_terkirim.png")

    pg.get_by_role("tab", name="Semua koreksi").click()
    grid = pg.locator('[data-testid="stDataFrame"]').last
    grid.wait_for(timeout=30_000)
    cells = grid.locator('[role="gridcell"]')
    pg.wait_for_function("() => document.querySelectorAll('[data-testid=\"stDataFrame\"] [role=\"gridcell\"]').length > 0",
                         timeout=30_000)
    shown = " | ".join(cells.all_inner_texts())
    assert name in shown and "diajukan" in shown
    assert "SYNTHETIC: <i>MPP</i> dibuka **bulan lalu**" in shown  # as typed: plain text, never markup
    assert "https://example.go.id/berita?judul=**MPP**_[baru](x)" in shown
    assert not pg.locator('[data-testid="stDataFrame"] i, [data-testid="stDataFrame"] b').count()
    shot(pg, "koreksi_daftar.png")

    # the status link, in a fresh page: the correction and its history
    pg.goto(link)
    pg.get_by_text("Status: diajukan").wait_for(timeout=60_000)
    assert pg.get_by_text(f"Koreksi untuk {name}").count() == 1


def test_a_double_clicked_submit_files_one_correction_and_every_receipt_stays(app, page):
    """Issue #40: "Kirim koreksi" pressed twice at once files one correction; after it the form is empty (its fields
    cleared), and the receipts of every correction the session sent stay listed, none replaced."""
    import uuid

    import requests

    pg = page.page
    mark = f"SYNTHETIC double click {uuid.uuid4().hex[:8]}"

    def send(note: str) -> None:
        pg.goto(app.base + "/koreksi?region=95.01")
        pg.get_by_role("heading", name="Koreksi").first.wait_for(timeout=60_000)
        pg.get_by_text("Hal lain", exact=True).click()
        box = pg.get_by_role("textbox", name="Catatan (apa yang keliru, di bagian mana bukti menyebutnya)")
        box.fill(note)
        button = pg.locator('[data-testid="stForm"]').first.get_by_role("button", name="Kirim koreksi")
        button.dblclick()
        pg.get_by_text("Terima kasih: 1 koreksi diajukan.", exact=False).wait_for(timeout=30_000)
        pg.wait_for_timeout(2500)  # a second run, if the second click made one, is over

    send(mark)
    rows = requests.get(app.base + "/api/v1/corrections?province=95", timeout=60).json()["rows"]
    assert sum(r["note"] == mark for r in rows) == 1
    note = pg.get_by_role("textbox", name="Catatan (apa yang keliru, di bagian mana bukti menyebutnya)")
    assert note.input_value() == ""  # a fresh form
    first = [t for t in pg.locator('[data-testid="stCode"]').all_inner_texts() if "correction=" in t]
    pg.get_by_text("Hal lain", exact=True).click()
    note.fill(mark + " (second)")
    pg.locator('[data-testid="stForm"]').first.get_by_role("button", name="Kirim koreksi").click()
    pg.get_by_text("Dikirim sebelumnya dalam sesi ini", exact=False).wait_for(timeout=30_000)
    links = [t for t in pg.locator('[data-testid="stCode"]').all_inner_texts() if "correction=" in t]
    assert len(links) == 2 and first[0] in links  # the first receipt is still there, beside the new one
    assert page.external == [] and page.errors == []
