"""The briefing link (deploy/briefing.py, geo/briefing_page.py): a view's light page, read from a checked link, built
once per process and served from memory; in a real browser it draws the same map as the overview."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from helpers import Client

from deploy.briefing import MAX_PAGES, MAX_WAITING, BriefingPages, Link, LinkError, Page, Pages, csp, read_link
from geo.briefing_page import BriefingText, briefing_page
from geo.i18n import say

TODAY = date(2026, 12, 6)
PROVINCES = {"11", "12", "31", "94"}


def link(query: str) -> Link:
    return read_link(query, PROVINCES, TODAY, 2017)


def refusal(query: str, lang: str = "id") -> str:
    with pytest.raises(LinkError) as err:
        link(query)
    return str(say(lang, err.value.msg))


def test_a_link_names_a_language_a_date_and_provinces_with_today_and_indonesia_by_default():
    assert link("") == Link("id", TODAY, ())
    assert link("lang=en&as_of=2024-12-31&province=31&province=12&province=31&utm_source=wa") == \
        Link("en", date(2024, 12, 31), ("12", "31"))


@pytest.mark.parametrize("query, said", [
    ("province=99", "Kode provinsi '99' pada parameter province tautan tidak dikenal"),
    ("province=<b>x</b>", "Kode provinsi '<b>x</b>'"),
    ("as_of=31/12/2024", "Parameter as_of '31/12/2024' pada tautan bukan tanggal (YYYY-MM-DD)."),
    ("as_of=2027-01-01", "Tanggal as_of 2027-01-01 pada tautan di luar rentang 2017-01-01 sampai 2026-12-06."),
    ("as_of=2016-12-31", "di luar rentang"),
    ("lang=fr", "Bahasa 'fr' pada parameter lang tautan tidak dikenal: gunakan id atau en."),
    ("dataset=abc", "Tautan paparan hanya menampilkan data publik"),
    ("province=12&" * 70, "terlalu banyak parameter (paling banyak 64)"),
    ("lang=" + "x" * 3000, "Tautan terlalu panjang (3.005 karakter; paling banyak 2.048)."),
    ("province=%ff", "karakter yang bukan UTF-8"),
])
def test_a_wrong_link_is_refused_saying_what_and_where(query, said):
    assert said in refusal(query)


def test_a_refusal_quotes_at_most_forty_characters_of_what_it_was_given():
    text = refusal("province=" + "9" * 500, "en")
    assert "9" * 40 + "…'" in text and "9" * 41 not in text


def payload(script: str = "document.documentElement.dataset.drawn = '1';") -> dict:
    return {"css_links": ["/app/static/vendor/leaflet.css"], "js_links": ["/app/static/vendor/leaflet.js"],
            "header": "<style>.x{}</style>", "html": '<details class="peta-legend"></details>', "script": script,
            "id": "map_div"}


def text(**changes) -> BriefingText:
    base = {"lang": "id", "title": "Cakupan MPP: Indonesia", "figure": "308 / 514", "headline": "kabupaten/kota",
            "detail": "", "footer": ["Sumber: Peta MPP"], "app_label": "Buka aplikasi lengkap",
            "other_label": "English", "other_lang": "en", "map_label": "Peta"}
    return BriefingText(**{**base, **changes})


def test_the_page_is_plain_text_around_the_map_with_relative_links_to_the_app_and_the_other_language():
    html = briefing_page(payload(), text(title='<img src=x onerror="alert(1)">', footer=["a & <b>", ""]),
                         "2025-12-31", ("12", "31"))
    assert "<img src=x" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "<footer><p>a &amp; &lt;b&gt;</p></footer>" in html  # an empty footer line is left out
    assert 'href="./?lang=id&amp;as_of=2025-12-31&amp;province=12&amp;province=31"' in html
    assert 'href="briefing?lang=en&amp;as_of=2025-12-31&amp;province=12&amp;province=31" hreflang="en"' in html
    assert html.startswith('<!DOCTYPE html><html lang="id">') and '<div class="folium-map" id="map_div">' in html
    assert '<script src="/app/static/vendor/leaflet.js"></script>' in html and "//" not in html.split("<body")[0] \
        .replace("/app/static/vendor/", "")


def test_the_pages_policy_allows_scripts_and_fetches_from_the_app_only_and_images_from_a_tile_server():
    assert "connect-src 'self';" in csp(None) and "img-src 'self' data:;" in csp(None)
    assert "default-src 'none'" in csp(None) and "frame-ancestors 'self'" in csp(None)
    assert "img-src 'self' data: https://*.tile.example.org;" in csp("https://{s}.tile.example.org/{z}/{x}/{y}.png")
    assert "img-src 'self' data: http://tiles.office:8080;" in csp("http://tiles.office:8080/{z}/{x}/{y}.png")
    for odd in ("javascript:alert(1)", "https://a.org; script-src *", "file:///etc/x"):
        assert "img-src 'self' data:;" in csp(odd), odd


def fake_build(calls: list, html: str = "<!DOCTYPE html><p>page</p>", gate: threading.Event | None = None):
    def build(lk: Link) -> Page:
        if gate is not None:
            gate.wait(10)
        calls.append(lk)
        return Page(html * 40 + lk.lang)
    return build


async def streamlit(scope, receive, send):  # stands for Streamlit: says who answered
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": ("streamlit:" + scope["path"]).encode()})


def middleware(pages: Pages) -> Client:
    return Client(BriefingPages(streamlit, pages, reference=lambda: (PROVINCES, TODAY, 2017)))


def test_a_page_is_built_once_then_served_from_memory_compressed_revalidated_and_hardened():
    calls: list = []
    client = middleware(Pages(fake_build(calls), data_key=lambda: "builtin"))
    gz = {"Accept-Encoding": "gzip, br"}
    first = client.get("/briefing?province=12", gz)
    for _ in range(5):
        again = client.get("/briefing?province=12&utm=x", gz)
    assert len(calls) == 1 and first.status_code == again.status_code == 200
    assert first.headers["content-encoding"] == "gzip" and first.text.endswith("id")
    assert first.headers["content-type"] == "text/html; charset=utf-8"
    assert first.headers["content-security-policy"] == csp(None) and first.headers["x-content-type-options"] == "nosniff"
    plain = client.get("/briefing?province=12")
    assert "content-encoding" not in plain.headers and plain.content.endswith(b"id")
    assert int(first.headers["content-length"]) < int(plain.headers["content-length"]) / 5
    cached = client.get("/briefing?province=12", {"If-None-Match": first.headers["etag"]})
    assert cached.status_code == 304 and not cached.content
    head = client.get("/briefing?province=12", gz, method="HEAD")
    assert head.status_code == 200 and not head.content and head.headers["content-length"] == first.headers["content-length"]
    assert client.get("/briefing?lang=en").text.endswith("en") and len(calls) == 2


def test_what_is_not_a_briefing_link_is_left_to_streamlit_and_a_wrong_link_gets_plain_text():
    calls: list = []
    client = middleware(Pages(fake_build(calls), data_key=lambda: "builtin"))
    for path in ("/", "/ringkasan", "/briefing/x", "/app/static/briefing", "/briefings"):
        assert client.get(path).text == "streamlit:" + path
    wrong = client.get("/briefing?lang=en&province=%3Cscript%3E")
    assert wrong.status_code == 400 and wrong.headers["content-type"] == "text/plain; charset=utf-8"
    assert wrong.text == "Unknown province code '<script>' in the link's province parameter (codes like 12 for " \
                         "Sumatera Utara).\n"
    assert client.get("/briefing?as_of=kemarin").text.startswith("Parameter as_of 'kemarin'")
    posted = client.get("/briefing", method="POST")
    assert posted.status_code == 405 and posted.headers["allow"] == "GET, HEAD"
    assert posted.text == "Alamat ini hanya melayani GET dan HEAD.\n"  # in the reader's language (#36)
    assert client.get("/briefing?lang=en", method="DELETE").text == "This address answers GET and HEAD only.\n"
    assert calls == []


def test_builds_are_budgeted_one_at_a_time_a_few_waiting_the_rest_told_to_retry_and_pages_bounded(monkeypatch):
    monkeypatch.setenv("PETA_MPP_BRIEFING_BUILDS_PER_MINUTE", "1000")  # the per-client budget: its own test
    calls: list = []
    gate = threading.Event()
    pages = Pages(fake_build(calls, gate=gate), data_key=lambda: "builtin")
    client = middleware(pages)
    replies: list = []
    workers = [threading.Thread(target=lambda d=d: replies.append(client.get(f"/briefing?as_of=2025-01-{d:02d}")))
               for d in range(1, MAX_WAITING + 4)]
    for w in workers:
        w.start()
    for _ in range(200):  # until the builds beyond the budget have been told to retry
        if sum(r.status_code == 503 for r in list(replies)) == 3:
            break
        threading.Event().wait(0.05)
    gate.set()
    for w in workers:
        w.join()
    busy = [r for r in replies if r.status_code == 503]
    assert len(busy) == 3 and busy[0].headers["retry-after"] == "5"
    assert busy[0].text.startswith("Peta MPP sedang menyiapkan halaman paparan lain")
    assert len(calls) == MAX_WAITING
    free = Pages(fake_build([]), data_key=lambda: "builtin")
    for d in range(MAX_PAGES + 10):
        free.build(Link("id", date.fromordinal(TODAY.toordinal() - d), ()))
    assert len(free._pages) == MAX_PAGES


def test_one_client_may_have_a_few_pages_built_a_minute_and_todays_pages_are_never_evicted(monkeypatch):
    """Issue #36: a visitor flooding distinct links gets 429 (with Retry-After and the limit said) after its budget,
    other visitors do not; pages already built are served to anyone without limit; today's national and
    province pages are pinned, so no flood of odd dates pushes them out of the bounded cache."""
    monkeypatch.setenv("PETA_MPP_BRIEFING_BUILDS_PER_MINUTE", "3")
    calls: list = []
    pages = Pages(fake_build(calls), data_key=lambda: "builtin", today=lambda: TODAY)
    client = middleware(pages)
    pages.build(Link("id", TODAY, ()))  # the warm-up's page
    pages.build(Link("id", TODAY, ("12",)))
    flood = "198.51.100.23"
    codes = [client.get(f"/briefing?as_of=2024-02-{d:02d}", client=flood).status_code for d in range(1, 6)]
    assert codes == [200, 200, 200, 429, 429]
    refused = client.get("/briefing?as_of=2024-03-01&lang=en", client=flood)
    assert refused.text.startswith("You asked for more than 3 new briefing pages in a minute")
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert client.get("/briefing?as_of=2024-02-01", client=flood).status_code == 200  # built already: served
    assert client.get("/briefing?as_of=2024-03-01", client="203.0.113.5").status_code == 200  # another visitor
    for d in range(MAX_PAGES + 20):  # a flood from many addresses: the unpinned cache turns over ...
        pages.build(Link("en", date.fromordinal(TODAY.toordinal() - 1 - d), ()))
    built = len(calls)
    for province in ((), ("12",)):  # ... but today's pages are still there, answered without a build
        query = "&".join(f"province={p}" for p in province)
        assert client.get(f"/briefing?{query}", client="192.0.2.9").status_code == 200
    assert len(calls) == built and len(pages._pages) == MAX_PAGES


@pytest.mark.slow
def test_the_real_page_says_the_views_figures_in_its_language_and_carries_the_overviews_map(builtin):
    from geo.coverage import summary
    from geo.mapviews import briefing_html, builtin_key, builtin_registry, builtin_scores, coverage_table, official_totals
    from pages._views import folium_payload  # noqa: F401  (the app's pages register the map renderer)

    when = date(2025, 12, 31)
    html = briefing_html(when, ("12",), "id")
    table = coverage_table(when, ("12",), builtin_key(), builtin_registry(), builtin_scores())
    s = summary(table, when, builtin_registry(), official_totals())
    assert "<title>Cakupan MPP: Sumatera Utara</title>" in html
    assert f"<b>{s['covered']} / {s['regencies']}</b> kabupaten/kota memiliki MPP sendiri" in html
    assert s["regencies"] == 33 and "per 31 Desember 2025." in html
    assert "Sumber: Peta MPP" in html and "/app/static/geo/geometry-" in html  # the shared geometry document
    # issue #37: served by a province-run MPP only, DK Jakarta leads with the served; never "0 / 6" or "0%"
    jakarta = briefing_html(when, ("31",), "id")
    assert "<b>6 / 6</b> kabupaten/kota dilayani, oleh MPP yang dikelola provinsi" in jakarta
    header = jakarta[jakarta.index("<header>"):jakarta.index("</header>")]
    assert "0 / 6" not in header and " 0%" not in header and "(0,0%)" not in header
    # the ministry's terms, as the API's summary gives them: units, the projected completion, the target passed
    from geo import views

    today = date.today()  # after the target's date (31 December 2025): said to have passed
    national = briefing_html(today, (), "id")
    story = views.summary(today, [], views.builtin_inputs(), lang="id")
    proj = story["summary"]["projected_complete"]
    assert story["story"]["progress_brief"] in national  # units, projected completion, the target and its date
    assert proj["from"][:4] in national and proj["to"][:4] in national and "tanggalnya sudah lewat" in national
    assert story["story"]["registry"]["value"] + " " + story["story"]["registry"]["words"] in national
    english = briefing_html(when, ("12",), "en")
    assert '<html lang="en">' in english and "regencies and cities with their own MPP" in english
    assert 'href="briefing?lang=id&amp;as_of=2025-12-31&amp;province=12"' in english


VIEWPORTS = [(1024, 768), (1280, 720), (1920, 1080)]


@pytest.mark.browser
def test_the_briefing_link_draws_the_map_whole_on_every_screen_with_nothing_clipped(app, page):
    """In Bahasa Indonesia at 1024x768, 1280x720 and full HD: all 514 regencies drawn, the header's words and the
    footer's inside the window, the map between them, nothing scrolling sideways; nothing fetched from outside."""
    import urllib.request

    with urllib.request.urlopen(app.base + "/briefing", timeout=60) as r:
        assert r.headers["Content-Security-Policy"] == csp(None)
    pg = page.page
    for width, height in VIEWPORTS:
        pg.set_viewport_size({"width": width, "height": height})
        pg.goto(app.base + "/briefing")
        pg.wait_for_function("() => Number(document.documentElement.dataset.drawn) === 514", timeout=60_000)
        assert pg.locator("path.regency").count() == 514
        assert pg.locator("h1").inner_text() == "Cakupan MPP: Indonesia"
        assert pg.locator("a.leaflet-control-zoom-in").get_attribute("title") == "Perbesar"
        boxes = pg.evaluate("""() => {
            const r = e => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
            const words = [...document.querySelectorAll('header *, footer p')].filter(e => e.childElementCount === 0)
              .map(r);
            return {words, map: r(document.querySelector('main')), legend: r(document.querySelector('.peta-legend')),
                    width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight};
        }""")
        assert boxes["width"] <= width and boxes["height"] <= height, (width, boxes)
        for left, top, right, bottom in boxes["words"]:
            assert 0 <= left and right <= width and 0 <= top and bottom <= height, (width, left, top, right, bottom)
        mleft, mtop, mright, mbottom = boxes["map"]
        assert mbottom - mtop >= 0.6 * height and mright - mleft == width, (width, boxes["map"])
        lleft, ltop, lright, lbottom = boxes["legend"]
        assert mleft <= lleft and lright <= mright and mtop <= ltop and lbottom <= mbottom
    pg.get_by_role("link", name="English").click()
    pg.wait_for_function("() => Number(document.documentElement.dataset.drawn) === 514", timeout=60_000)
    assert pg.locator("h1").inner_text() == "MPP coverage: Indonesia"


@pytest.mark.browser
def test_the_overview_offers_the_views_briefing_link_and_it_opens_that_view(app, page):
    from browser_helpers import wait_for_regencies

    pg = page.page
    pg.goto(app.base + "/?province=12&as_of=2025-12-31")
    wait_for_regencies(pg, 33)
    button = pg.get_by_role("link", name="Tautan paparan")
    href = button.get_attribute("href")
    assert href == "briefing?lang=id&as_of=2025-12-31&province=12"
    pg.goto(app.base + "/" + href)
    pg.wait_for_function("() => Number(document.documentElement.dataset.drawn) === 33", timeout=60_000)
    assert pg.locator("h1").inner_text() == "Cakupan MPP: Sumatera Utara"
    pg.get_by_role("link", name="Buka aplikasi lengkap").click()
    wait_for_regencies(pg, 33)
    assert "province=12" in pg.url and "as_of=2025-12-31" in pg.url


@pytest.mark.browser
def test_the_briefing_link_prints_on_one_landscape_page_with_the_whole_map_and_no_word_off_it_or_on_another(app, page):
    """Printing lays the page out at the paper's width: the map takes its print size and fits the area again, so no
    regency is cut off at the edge (Papua was, at the screen's fit), on one A4 landscape page."""
    from pdf_layout import layout_problems, page_text
    from pypdf import PdfReader

    pg = page.page
    pg.set_viewport_size({"width": 1280, "height": 720})
    pg.goto(app.base + "/briefing")
    pg.wait_for_function("() => Number(document.documentElement.dataset.drawn) === 514", timeout=60_000)
    pg.wait_for_timeout(500)  # a reader prints a page that has settled (its first fit to the window is done)
    pg.emulate_media(media="print")
    outside = """() => {
        const m = document.querySelector('main').getBoundingClientRect();
        if (m.width !== 960) return -1;
        return [...document.querySelectorAll('path.regency')].map(p => p.getBoundingClientRect())
          .filter(b => b.left < m.left - 1 || b.right > m.right + 1 || b.top < m.top - 1 || b.bottom > m.bottom + 1)
          .length;
    }"""
    try:
        pg.wait_for_function(f"() => ({outside})() === 0", timeout=10_000)
    except Exception:  # noqa: BLE001  (say how many were cut off)
        state = pg.evaluate("() => [window.map_div.getSize(), window.matchMedia('print').matches]")
        pytest.fail(f"{pg.evaluate(outside)} regencies cut off at the printed map's edge; map size, printing: {state}")
    pdf = pg.pdf(prefer_css_page_size=True, print_background=True)
    reader = PdfReader(__import__("io").BytesIO(pdf))
    assert len(reader.pages) == 1
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    assert layout_problems(pdf) == []
    text = page_text(pdf)
    assert "Cakupan MPP: Indonesia" in text and "Sumber: Peta MPP" in text and "Buka aplikasi lengkap" not in text
