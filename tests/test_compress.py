"""deploy/compress.py: static files gzipped once per process, everything else left to Streamlit."""

from __future__ import annotations

import gzip

import pytest
from helpers import Client

from deploy.compress import IMMUTABLE, CompressedFiles, GzipStatic, precompress


async def fallback(scope, receive, send):  # stands for Streamlit: says who answered
    body = ("streamlit:" + scope["path"]).encode()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": body})


@pytest.fixture
def site(tmp_path):
    bundles, own = tmp_path / "bundles", tmp_path / "own"
    (bundles / "js").mkdir(parents=True)
    (own / "geo").mkdir(parents=True)
    (bundles / "js" / "index.abc123.js").write_text("console.log('x');" * 2000)
    (bundles / "logo.png").write_bytes(b"\x89PNG" + bytes(3000))
    (own / "geo" / "geometry-id-0123456789abcdef.json").write_text('{"regencies": []}' * 500)
    (own / "vendor.js").write_text("var L = 1;" * 1000)
    (tmp_path / "secret.js").write_text("secret" * 100)
    middleware = GzipStatic(fallback, folders={"/static/": (bundles, IMMUTABLE), "/app/static/geo/": (own / "geo", IMMUTABLE),
                                            "/app/static/": (own, "no-cache")}, files=CompressedFiles())
    return Client(middleware), middleware


def test_text_files_are_sent_gzipped_compressed_once_and_revalidated_by_etag(site):
    client, mw = site
    for _ in range(3):
        r = client.get("/static/js/index.abc123.js", headers={"Accept-Encoding": "gzip"})
        assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
        assert r.headers["cache-control"] == IMMUTABLE and r.text.startswith("console.log")
        assert int(r.headers["content-length"]) < 2000  # 34 kB of text
    assert mw.files.compressions == 1
    geo = client.get("/app/static/geo/geometry-id-0123456789abcdef.json", headers={"Accept-Encoding": "gzip"})
    assert geo.headers["cache-control"] == IMMUTABLE and geo.headers["content-type"].startswith("application/json")
    vendor = client.get("/app/static/vendor.js", headers={"Accept-Encoding": "gzip"})
    assert vendor.headers["cache-control"] == "no-cache"
    again = client.get("/app/static/vendor.js", headers={"Accept-Encoding": "gzip", "If-None-Match": vendor.headers["etag"]})
    assert again.status_code == 304 and not again.content


def test_what_it_does_not_serve_is_left_to_streamlit(site, tmp_path):
    client, mw = site
    plain = client.get("/static/js/index.abc123.js", headers={"Accept-Encoding": "identity"})
    assert plain.text == "streamlit:/static/js/index.abc123.js"  # no gzip accepted
    for path in ("/static/logo.png", "/static/../secret.js", "/app/static/geo/../../secret.js", "/static/js/.x.js",
                 "/static/js/missing.js", "/_stcore/health", "/static//js/index.abc123.js"):
        r = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert "content-encoding" not in r.headers and r.text.startswith("streamlit:"), path
    ranged = client.get("/static/js/index.abc123.js", headers={"Accept-Encoding": "gzip", "Range": "bytes=0-9"})
    assert ranged.text.startswith("streamlit:")
    assert mw.files.compressions == 0


def test_a_changed_file_is_compressed_again(site, tmp_path):
    client, mw = site
    f = tmp_path / "own" / "vendor.js"
    first = client.get("/app/static/vendor.js", headers={"Accept-Encoding": "gzip"})
    f.write_text("var L = 2;" * 1000)
    second = client.get("/app/static/vendor.js", headers={"Accept-Encoding": "gzip"})
    assert first.headers["etag"] != second.headers["etag"] and "L = 2" in second.text and mw.files.compressions == 2
    assert gzip.decompress(gzip.compress(b"x")) == b"x"


@pytest.mark.browser
def test_the_running_app_sends_its_bundles_and_the_map_geometry_gzipped(app):
    """The README's setup (no proxy): Streamlit's bundles and the map's geometry document arrive gzipped and
    cacheable; the page itself still comes from Streamlit."""
    import re
    import urllib.request

    def get(path: str):
        req = urllib.request.Request(app.base + path, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.headers, r.read()
    _, index = get("/")
    bundle = re.search(rb'src="\./(static/js/index[^"]+\.js)"', index) or re.search(rb'(static/js/index[^"]+\.js)', index)
    assert bundle, "Streamlit's index names its main bundle"
    headers, body = get("/" + bundle.group(1).decode())
    assert headers["Content-Encoding"] == "gzip" and headers["Cache-Control"] == IMMUTABLE
    assert len(gzip.decompress(body)) > 3 * len(body)
    from geo.mapviews import GEOMETRY_DIR

    docs = sorted(GEOMETRY_DIR.glob("geometry-id-*.json"), key=lambda p: p.stat().st_mtime)
    assert docs, "the warm process wrote the national geometry document"
    headers, body = get("/app/static/geo/" + docs[-1].name)
    assert headers["Content-Encoding"] == "gzip" and "immutable" in headers["Cache-Control"]
    assert b"\"regencies\"" in gzip.decompress(body)


def test_the_warm_up_compresses_a_folder_ahead_of_any_request(site, tmp_path):
    client, mw = site
    assert precompress(tmp_path / "bundles", mw.files) == 1  # the script; the PNG is not text
    client.get("/static/js/index.abc123.js", headers={"Accept-Encoding": "gzip"})
    assert mw.files.compressions == 1
