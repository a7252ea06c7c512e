"""Streamlit's own words in Bahasa Indonesia, as a person (or a screen reader) meets them on every page: the upload
box, screen-reader labels, a table's toolbar, a form's hint, charts' descriptions; read from the page in a real
headless Chromium, hidden elements aside (the main menu is hidden)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import CHROMIUM
from test_i18n import ENGLISH, _clean

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                                   reason="Debian's chromium is not installed (make test installs it)")]
#: Our English word list, and Streamlit's own words.
STREAMLIT_ENGLISH = re.compile(ENGLISH.pattern[:-3] + r"|file|files|drag|drop|browse|limit|press|enter|choose|option|"
                               r"help|selected|axis|scale|values|clear|open|close|menu|search|fullscreen|submit|"
                               r"apply|print|settings|record|rerun|day|month|year|previous|next|january|february|"
                               r"march|april|june|july|august|september|october|november|december|monday|tuesday|"
                               r"wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE)
READ = r"""() => {
  const out = [];
  const skip = el => !el || !el.getClientRects().length || el.closest(
    '[data-testid="stIconMaterial"], [role="gridcell"], [data-testid="stCode"], iframe, style, script, noscript');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n;
  while ((n = walker.nextNode())) {
    const t = n.textContent.trim();
    if (t && !skip(n.parentElement)) out.push(['text', t]);
  }
  document.querySelectorAll('[aria-label], [title], [placeholder]').forEach(el => {
    if (skip(el)) return;
    for (const a of ['aria-label', 'title', 'placeholder']) { const v = el.getAttribute(a); if (v) out.push([a, v]); }
  });
  return out;
}"""
PAGES = ["", "peta", "kesenjangan", "skor", "linimasa", "presentasi", "data", "koreksi"]


def english_on(pg) -> list[str]:
    return sorted({f"{kind}: {text[:100]}" for kind, text in pg.evaluate(READ)
                   if STREAMLIT_ENGLISH.search(_clean(text))})


CUT_BUTTONS = r"""() => [...document.querySelectorAll('button')].filter(b => b.getClientRects().length
  && [b, ...b.querySelectorAll('*')].some(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1))
  .map(b => b.innerText.trim() || b.getAttribute('aria-label'))"""


@pytest.mark.parametrize("path", PAGES)
def test_streamlit_speaks_indonesian_on_every_page(app, page, path):
    """At 1024x768, the narrowest screen we serve: every word Indonesian, and no button's label cut short."""
    pg = page.page
    pg.set_viewport_size({"width": 1024, "height": 768})
    pg.goto(f"{app.base}/{path}?province=12&lang=id")
    pg.locator("h1, .peta-present-title").first.wait_for(timeout=90_000)
    pg.wait_for_timeout(2500)
    found = english_on(pg)
    table = pg.locator('[data-testid="stDataFrame"]:visible').first
    if table.count():  # a table's toolbar appears under the pointer
        table.hover()
        pg.wait_for_timeout(600)
        found += english_on(pg)
    assert found == []
    assert pg.evaluate(CUT_BUTTONS) == []


def test_the_upload_box_the_form_hint_and_the_calendar_speak_indonesian(app, page):
    pg = page.page
    pg.set_viewport_size({"width": 1280, "height": 720})
    pg.goto(f"{app.base}/koreksi?lang=id")
    pg.get_by_role("heading", name="Koreksi").first.wait_for(timeout=90_000)
    pg.wait_for_timeout(1500)
    box = pg.locator('[data-testid="stFileUploaderDropzone"]').first
    said = box.inner_text()
    assert "Unggah" in said and "MB per berkas" in said and "Upload" not in said and "per file" not in said
    pg.get_by_text("Pengelola data", exact=True).click()  # the stewards' login form
    pg.get_by_role("textbox", name="Nama pengelola data").fill("ani")
    pg.wait_for_timeout(800)
    assert pg.get_by_text("Tekan Enter untuk mengirim formulir").count() >= 1
    pg.locator('[data-testid="stSidebar"] [data-testid="stDateInputField"]').first.click()
    pg.wait_for_timeout(800)
    found = english_on(pg)
    assert found == []
