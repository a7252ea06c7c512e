"""What a person sees, in a real headless Chromium (Debian's chromium, driven by Playwright), with no network.

Screenshots of every page are saved under artifacts/.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from browser_helpers import (  # noqa: F401
    ARTIFACTS,
    blue_count,
    map_frame,
    shot,
    type_date,
    wait_for_regencies,
)
from conftest import CHROMIUM

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.browser, pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                                   reason="Debian's chromium is not installed (make test installs it)")]


def test_sumatera_utara_map_tooltip_and_typed_date(app, page):
    app = app.base
    pg = page.page
    pg.goto(app + "/peta?as_of=2024-07-17&province=12")  # the first request on a fresh server
    fr = wait_for_regencies(pg, 33)
    nav = pg.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Skor reformasi" in nav and "shared" not in nav  # app.py's navigation, not the pages/ folder
    assert fr.locator("path.regency").count() == 33
    assert blue_count(fr) == 5
    fr.locator("path.r12-06").hover()  # Kabupaten Karo: no MPP, no marker on top
    tip = fr.locator(".leaflet-tooltip").first
    tip.wait_for(timeout=10_000)
    text = tip.inner_text()
    assert "Kabupaten Karo" in text and "12.06" in text and "Belum ada MPP" in text
    # The MPP marker over Kota Medan: its tooltip names the MPP, its popup the date and sources.
    marker = fr.locator("path.leaflet-interactive:not(.regency)").first
    marker.click()
    popup = fr.locator(".peta-popup").first
    popup.wait_for(timeout=10_000)
    assert "Status" in popup.inner_text()
    assert not fr.locator(".peta-legend").first.is_visible()  # the legend steps aside for an open popup
    shot(pg, "peta_sumut_2024-07-17.png")
    # Type the first day of 2017 into the date input: no Sumut regency had an MPP then.
    type_date(pg, "01/01/2017")
    deadline = time.time() + 60
    while time.time() < deadline:
        fr = map_frame(pg)
        if fr.locator("path.regency").count() == 33 and blue_count(fr) == 0:
            break
        pg.wait_for_timeout(500)
    assert blue_count(map_frame(pg)) == 0
    assert "as_of=2017-01-01" in pg.url
    # A typed date followed by Enter applies too (Enter used to open the calendar and keep the old date).
    type_date(pg, "17/07/2024", enter=True)
    deadline = time.time() + 60
    while time.time() < deadline and "as_of=2024-07-17" not in pg.url:
        pg.wait_for_timeout(500)
    assert "as_of=2024-07-17" in pg.url
    assert not pg.locator('[data-baseweb="calendar"], [role="dialog"] [role="grid"]').count()


def test_national_overview_draws_514_regencies(app, page):
    app = app.base
    page.page.goto(app + "/?as_of=2025-12-31")
    fr = wait_for_regencies(page.page, 514)
    assert fr.locator("path.regency").count() == 514
    assert blue_count(fr) > 250
    shot(page.page, "ringkasan_national.png")


@pytest.mark.parametrize("path, name", [("/kesenjangan?province=12&as_of=2024-07-17", "kesenjangan.png"),
                                        ("/skor?as_of=2024-12-31", "skor.png"),
                                        ("/linimasa?province=12", "linimasa.png"),
                                        ("/presentasi?province=12&as_of=2024-07-17", "presentasi_sumut.png"),
                                        ("/data?lang=en", "data_en.png")])
def test_other_pages_render(app, page, path, name):
    app = app.base
    page.page.goto(app + path)
    page.page.locator("h1, .peta-present-title").first.wait_for(timeout=60_000)
    page.page.wait_for_timeout(1500)
    assert not page.page.locator('[data-testid="stException"]').count()
    shot(page.page, name)


@pytest.mark.parametrize("width, height", [(1500, 1000), (1280, 720), (1024, 768)])
def test_clicking_a_regency_opens_its_detail(app, page, width, height):
    """On a window shorter than the map's frame too: Leaflet's focus on the press must not scroll the page under the
    pointer (the release would land elsewhere and the click be lost)."""
    pg = page.page
    pg.set_viewport_size({"width": width, "height": height})
    pg.goto(app.base + "/peta?as_of=2024-07-17&province=12")
    fr = wait_for_regencies(pg, 33)
    fr.locator("path.r12-06").click()  # Kabupaten Karo
    heading = pg.get_by_text("Rincian wilayah: Kabupaten Karo (12.06), Sumatera Utara")
    heading.wait_for(timeout=60_000)
    assert pg.get_by_text("Belum ada MPP yang tercatat.").count() == 1
    pg.wait_for_timeout(1500)
    box = heading.bounding_box()
    assert box is not None and 0 <= box["y"] < height - 40  # brought into view, not left below the fold
    pdf = pg.get_by_role("button", name="PDF ringkasan")
    assert pdf.evaluate("b => [b, ...b.querySelectorAll('*')].every(e => e.scrollWidth <= e.clientWidth + 1)")  # the button's words whole, never "PDF rin…"
    shot(pg, f"peta_detail_karo_{width}x{height}.png")
    if width == 1500:  # a small city under its MPP's marker: the marker's click opens the city's detail too
        fr.locator("path.leaflet-interactive:not(.regency)").first.click()
        fr.locator(".peta-popup").first.wait_for(timeout=10_000)
        pg.get_by_text("Rincian wilayah: Kota ", exact=False).first.wait_for(timeout=60_000)


def test_pdf_briefing_download_from_the_overview(app, page):
    pg = page.page
    pg.goto(app.base + "/?as_of=2024-07-17&province=12")
    wait_for_regencies(pg, 33)
    with pg.expect_download(timeout=60_000) as dl:
        pg.get_by_role("button", name="PDF ringkasan").click()
    path = dl.value.path()
    data = Path(path).read_bytes()
    assert data.startswith(b"%PDF") and dl.value.suggested_filename.endswith(".pdf")


def test_render_map_offline_draws_every_regency(tmp_path, page, builtin):
    out = tmp_path / "x.html"
    p = subprocess.run([sys.executable, "-m", "geo", "render-map", "--out", str(out)], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    html = out.read_text()
    assert '"12.76"' in html  # each regency's Kemendagri code is in its feature data
    page.page.goto(out.as_uri())
    page.page.locator("path.regency").first.wait_for(timeout=30_000)
    assert page.page.locator("path.regency").count() == 514
    shot(page.page, "render_map_national.png")


def test_html_in_uploaded_mpp_names_shows_as_text(tmp_path, page, builtin):
    """SYNTHETIC MPP names carrying markup: they must appear as text, never run."""
    src = tmp_path / "mpp.csv"
    evil = '<img src=x onerror="document.title=\'pwned\'"><script>document.title="pwned"</script>'
    src.write_text(f"wilayah,nama_mpp,tanggal\nKota Medan,\"{evil.replace(chr(34), chr(34) * 2)}\",2024-03-07\n"
                   f"Kabupaten Asahan,<b>MPP Asahan</b>,2023-05-12\n", encoding="utf-8")
    out = tmp_path / "x.html"
    p = subprocess.run([sys.executable, "-m", "geo", "render-map", "--mpp-file", str(src), "--province", "12",
                        "--as-of", "2024-07-17", "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                       timeout=300)
    assert p.returncode == 0, p.stderr
    html = out.read_text()
    assert "<script>document.title" not in html and "<img src=x" not in html
    pg = page.page
    pg.goto(out.as_uri())
    pg.locator("path.regency").first.wait_for(timeout=30_000)
    marker = pg.locator("path.leaflet-interactive:not(.regency)").first
    marker.click()
    popup = pg.locator(".peta-popup").first
    popup.wait_for(timeout=10_000)
    assert "<script>" in popup.inner_text() or "<b>MPP Asahan</b>" in popup.inner_text()
    assert pg.title() != "pwned"
    assert pg.locator(".peta-popup img, .peta-popup script, .peta-popup b b").count() == 0


def test_people_layer_draws_people_left_out(app, page):
    """The people layer: regencies without an MPP in oranges by population, served ones pale blue; tooltips say the
    registered residents."""
    from geo.maps import PEOPLE_COLOURS, SERVED_COLOUR

    pg = page.page
    pg.goto(app.base + "/peta?as_of=2024-07-17&province=12&layer=people")
    fr = wait_for_regencies(pg, 33)
    fills = [fr.locator("path.regency").nth(k).get_attribute("fill") for k in range(33)]
    assert fills.count(SERVED_COLOUR) == 5 and all(f in PEOPLE_COLOURS + [SERVED_COLOUR] for f in fills)
    assert fr.locator(f'path.r12-07[fill="{PEOPLE_COLOURS[4]}"]').count() == 1  # Deli Serdang, over 2 million
    fr.locator("path.r12-07").hover()
    tip = fr.locator(".peta-tooltip").last
    tip.wait_for(timeout=10_000)
    assert "Penduduk terdaftar" in tip.inner_text() and "2." in tip.inner_text()
    shot(pg, "peta_people_sumut.png")


@pytest.mark.parametrize("width, height", [(1920, 1080), (1280, 720), (1024, 768)])
def test_presentation_fits_the_screen_and_its_legend_leaves_the_chosen_area_free(app, browser, width, height):
    """Presentasi for Jawa Barat + Sulawesi Selatan: no scrolling; the whole map, its legend and the source line on
    screen; the legend (which explains the colours, MPP dots and cluster bubbles) covers no chosen regency."""
    from browser_helpers import Page

    p = Page(browser)
    p.ctx.close()
    p.ctx = browser.new_context(viewport={"width": width, "height": height})
    p.ctx.route("**/*", p._route)
    pg = p.page = p.ctx.new_page()
    try:
        for layer in ("coverage", "people"):
            pg.goto(f"{app.base}/presentasi?province=32&province=73&as_of=2025-12-31&layer={layer}")
            fr = wait_for_regencies(pg, 51)
            pg.wait_for_timeout(1200)  # the map refits to its frame
            shot(pg, f"presentasi_{layer}_{width}x{height}.png")
            page_box = pg.evaluate("""() => { const m = document.querySelector('[data-testid="stMain"]');
              const s = document.querySelector('.peta-present-src').getBoundingClientRect();
              return {scroll: m.scrollHeight, client: m.clientHeight, src: s.bottom}; }""")
            assert page_box["scroll"] <= page_box["client"] + 2, page_box  # nothing to scroll to
            assert page_box["src"] <= height, page_box  # the source line is on screen
            # type sized for the back of a room (issue #40): subtitle at least 20 px, source line at least 14 px
            sizes = pg.evaluate("""() => ['.peta-present-sub', '.peta-present-src'].map(
              c => parseFloat(getComputedStyle(document.querySelector(c)).fontSize))""")
            assert sizes[0] >= 20 and sizes[1] >= 14, sizes
            frame = pg.locator('iframe[title="streamlit_folium.st_folium"]').bounding_box()
            assert frame["y"] + frame["height"] <= height
            legend = fr.locator(".peta-legend").bounding_box()
            text = fr.locator(".peta-legend").inner_text()
            assert "MPP" in text and "berdekatan" in text  # dots and cluster bubbles explained
            inside = lambda b: (b["x"] >= frame["x"] - 1 and b["y"] >= frame["y"] - 1 and  # noqa: E731
                                b["x"] + b["width"] <= frame["x"] + frame["width"] + 1 and
                                b["y"] + b["height"] <= frame["y"] + frame["height"] + 1)
            assert inside(legend), (legend, frame)
            boxes = fr.locator("path.regency").evaluate_all(
                "ps => ps.map(p => { const r = p.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })")
            off = [b for b in boxes if not inside({"x": b[0] + frame["x"], "y": b[1] + frame["y"], "width": b[2],
                                                   "height": b[3]})]
            assert not off, f"{len(off)} regencies outside the visible map"
            lx, ly = legend["x"] - frame["x"], legend["y"] - frame["y"]
            under = [b for b in boxes if b[0] < lx + legend["width"] and lx < b[0] + b[2]
                     and b[1] < ly + legend["height"] and ly < b[1] + b[3]]
            assert not under, f"the legend covers {len(under)} chosen regencies"
    finally:
        p.ctx.close()
    assert p.external == [] and p.errors == [], (p.external, p.errors)


#: For each corner the legend may take, the chosen regencies under the legend's box there: a dense grid of points
#: over the box, each asked of the browser (elementsFromPoint, the legend hidden) whether a regency is drawn there.
UNDER_LEGEND = """(body, corners) => {
  const el = document.querySelector('.peta-legend'), was = el.getAttribute('style'), out = {};
  el.style.visibility = 'hidden';
  for (const [k, css] of Object.entries(corners)) {
    for (const s of ['top', 'bottom', 'left', 'right']) el.style[s] = '';
    css.split(';').forEach(d => { const [s, v] = d.split(':'); el.style[s] = v; });
    const r = el.getBoundingClientRect(), hit = new Set();
    for (let x = r.left + 1; x < r.right; x += 3) for (let y = r.top + 1; y < r.bottom; y += 3) {
      for (const e of document.elementsFromPoint(x, y)) {
        if (e.classList && e.classList.contains('regency')) { hit.add(e.getAttribute('class')); break; }
      }
    }
    out[k] = hit.size;
  }
  el.setAttribute('style', was);
  return {under: out, chosen: el.dataset.corner};
}"""


@pytest.mark.parametrize("width, height, layer", [(1024, 768, "people"), (1280, 720, "rb"), (1920, 1080, "sakip")])
def test_the_map_legend_takes_an_empty_corner_when_there_is_one(app, browser, width, height, layer):
    """The tall legends (RB, people without an MPP) on the Peta page, Indonesia and Sumatera Utara: the legend sits
    in the corner that covers the fewest chosen regencies, so where a corner of the map is empty (sea), it covers
    none (issue #24)."""
    from browser_helpers import Page

    from geo.maps import CORNERS

    p = Page(browser)
    try:
        p.page.set_viewport_size({"width": width, "height": height})
        for query, n in (("", 514), ("&province=12", 33)):
            p.page.goto(f"{app.base}/peta?as_of=2025-12-31&layer={layer}{query}")
            fr = wait_for_regencies(p.page, n)
            p.page.wait_for_timeout(1200)  # fitted to the frame, the legend placed
            found = fr.locator("body").evaluate(UNDER_LEGEND, CORNERS)
            under, chosen = found["under"], found["chosen"]
            assert chosen in CORNERS, found
            # the browser's own choice tests polygons exactly; this grid may miss a sliver, so "fewest" within two
            assert under[chosen] <= min(under.values()) + 2, found
            if min(under.values()) == 0:
                assert under[chosen] == 0, found
            shot(p.page, f"peta_legend_{layer}_{width}x{height}{query.replace('&', '_')}.png")
        assert p.external == [] and p.errors == []
    finally:
        p.close()


CLIPPED = """() => Array.from(document.querySelectorAll(
    '[data-testid="stMetricValue"], [data-testid="stMetricLabel"]')).flatMap(card =>
  [card, ...card.querySelectorAll('*')].filter(e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0)
    .map(e => card.innerText))"""


CHIPS = """() => { const box = document.querySelector('[data-testid="stSidebar"] [data-testid="stMultiSelectTagsContainer"]');
  return {scrolls: box.scrollHeight > box.clientHeight + 1 || box.parentElement.scrollHeight > box.parentElement.clientHeight + 1,
          chips: Array.from(box.querySelectorAll('[data-tag] > span[title]')).map(e => ({text: e.textContent,
            whole: e.textContent === e.title && e.scrollWidth <= e.clientWidth + 1}))}; }"""


@pytest.mark.parametrize("query", ["", "?province=31"], ids=["indonesia", "dk-jakarta"])
def test_headline_figures_and_labels_are_whole_at_1024x768(app, browser, query):
    """Every headline card's figure and label whole on a 1024x768 screen (nothing cut or ellipsed), Indonesia and
    DK Jakarta; DK Jakarta's people card counts the residents its province-run MPP serves (issue #24)."""
    from browser_helpers import Page

    p = Page(browser)
    try:
        p.page.set_viewport_size({"width": 1024, "height": 768})
        p.page.goto(app.base + "/" + query)
        values = p.page.locator('[data-testid="stMetricValue"]')
        values.first.wait_for(timeout=90_000)
        p.page.wait_for_timeout(1500)
        assert values.count() >= 6
        assert p.page.evaluate(CLIPPED) == []
        texts = values.all_inner_texts()
        if query:
            assert texts[1] == "11,0 jt" and "Penduduk terlayani" in p.page.locator(
                '[data-testid="stMetricLabel"]').nth(1).inner_text()
        shot(p.page, f"overview_1024_{query.strip('?').replace('=', '_') or 'indonesia'}.png")
        if query:  # the sidebar's province chips: whole names, wrapped, none scrolled out of sight
            p.page.goto(app.base + "/" + query + "&province=19&province=34&province=12")
            values.first.wait_for(timeout=90_000)
            p.page.wait_for_timeout(1000)
            chips = p.page.evaluate(CHIPS)
            assert [c["text"] for c in chips["chips"]] == ["Daerah Khusus Ibukota Jakarta", "Kepulauan Bangka Belitung",
                                                          "Daerah Istimewa Yogyakarta", "Sumatera Utara"], chips
            assert all(c["whole"] for c in chips["chips"]) and not chips["scrolls"], chips
        assert p.external == [] and p.errors == []
    finally:
        p.close()


def test_the_gaps_page_offers_its_views_data_metadata_and_citation(app, page):
    """Kesenjangan for Sumatera Utara on 17 July 2024, sorted farthest first: "Data tampilan ini" downloads the same
    rows in the same order as the page's table (its own CSV), metadata with the filters and the citation shown, and
    the API address of the same view (issue #26)."""
    import io
    import json
    import re

    import pandas as pd

    pg = page.page
    pg.goto(app.base + "/kesenjangan?as_of=2024-07-17&province=12")
    said = pg.get_by_text("dari 33 kabupaten/kota belum memiliki layanan MPP", exact=False)
    said.wait_for(timeout=90_000)
    n = int(re.match(r"(\d+)", said.inner_text()).group(1))
    pg.get_by_text("Jarak ke MPP terdekat (terjauh dulu)").click()
    pg.wait_for_timeout(2500)

    def download(name: str) -> bytes:
        with pg.expect_download(timeout=60_000) as dl:
            pg.get_by_role("button", name=name, exact=True).click()
        return Path(dl.value.path()).read_bytes()

    shown = pd.read_csv(io.BytesIO(download("CSV")), dtype=str)  # the table on screen, as the page exports it
    pg.get_by_text("Data tampilan ini").click()
    data = pd.read_csv(io.BytesIO(download("CSV tampilan ini")), dtype={"code": str, "province_code": str})
    assert len(data) == len(shown) == n
    assert list(data["code"]) == list(shown["Kode"])  # the same regencies, farthest first
    assert list(data["nearest_mpp_km"].round(1)) == list(shown["Jarak (km)"].str.replace(",", ".").astype(float)
                                                         .round(1))
    meta = json.loads(download("Metadata (JSON)"))
    assert meta["filters"]["as_of"] == "2024-07-17" and meta["filters"]["provinces"] == ["12"]
    assert meta["title"] == "Kabupaten/kota tanpa layanan MPP, Sumatera Utara, per 17 Juli 2024"
    codes = pg.locator('[data-testid="stExpander"] [data-testid="stCode"]').all_inner_texts()
    assert any("/api/v1/gaps.csv?as_of=2024-07-17&province=12&sort=distance" in c for c in codes), codes
    assert any(c.strip() == meta["citation"] for c in codes), (codes, meta["citation"])
    assert meta["citation"].startswith("Peta MPP (") and "Diakses" in meta["citation"]
    shot(pg, "kesenjangan_data_tampilan_ini.png")
