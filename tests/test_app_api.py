"""The app's own port answers its data links (issue #37): the server that `make run` starts (deploy/app_process.py,
deploy/asgi.py) serves the data API under /api/v1 beside Streamlit, so every "Data tampilan ini" link works as shown,
and an analyst's script reads a view from the address the page gives."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pandas as pd
import pytest
import requests
from conftest import CHROMIUM


def test_the_apps_port_serves_the_data_api_beside_the_app(app):
    df = pd.read_csv(f"{app.base}/api/v1/regencies.csv?province=12&as_of=2024-07-17")
    assert len(df) == 33 and df["has_mpp"].sum() == 5
    summary = requests.get(f"{app.base}/api/v1/summary?province=12&as_of=2024-07-17", timeout=60)
    assert summary.status_code == 200 and summary.json()["summary"]["with_own_mpp"] == 5
    assert requests.get(f"{app.base}/api/v1/docs", timeout=30).status_code == 200
    missing = requests.get(f"{app.base}/api/v1/nope", timeout=30)
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/json"
    page = requests.get(f"{app.base}/kesenjangan", timeout=30)  # the app itself, as before
    assert page.status_code == 200 and "<html" in page.text.lower()


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed (make test installs it)")
def test_every_data_link_of_the_gaps_page_downloads_from_the_apps_port(app, page):
    pg = page.page
    pg.goto(app.base + "/kesenjangan?province=12")
    pg.get_by_role("heading").first.wait_for(timeout=90_000)
    box = pg.get_by_text("Data tampilan ini", exact=True)
    box.wait_for(timeout=90_000)
    box.click()
    blocks = pg.locator('[data-testid="stExpander"] [data-testid="stCode"]')
    blocks.nth(1).wait_for(timeout=60_000)  # the links, and the citation (which names the JSON link again)
    codes = blocks.all_inner_texts()
    links = [w.rstrip(".") for text in codes for w in text.split() if "/api/v1/" in w and w.startswith("http")]
    assert len(links) >= 2, codes
    for url in dict.fromkeys(links):
        assert url.startswith(app.base + "/api/v1/"), url
        r = requests.get(url, timeout=120)
        assert r.status_code == 200, (url, r.text[:200])
        if ".csv" in url:
            table = pd.read_csv(io.StringIO(r.content.decode("utf-8-sig")))
            assert len(table) > 0 and "code" in table.columns
        else:
            body = json.loads(r.text)
            assert body["rows"] and body["provinces"] == ["12"]
    assert page.external == [] and page.errors == []
