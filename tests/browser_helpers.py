"""Helpers for the browser tests: a page that refuses every request leaving this machine, map locators, screenshots."""

from __future__ import annotations

import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
LOCAL = ("http://localhost", "http://127.0.0.1", "ws://localhost", "ws://127.0.0.1", "data:", "blob:", "about:",
         "file:")

class Page:
    """A browser page that refuses and records every request that would leave this machine."""

    def __init__(self, browser):
        self.ctx = browser.new_context(viewport={"width": 1500, "height": 1000})
        self.external: list[str] = []
        self.errors: list[str] = []
        self.ctx.route("**/*", self._route)
        self.page = self.ctx.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route):
        url = route.request.url
        if url.startswith(LOCAL):
            return route.continue_()
        self.external.append(url)
        return route.abort()

    def close(self):
        self.ctx.close()


def map_frame(page):
    return page.frame_locator('iframe[title="streamlit_folium.st_folium"]').last


def wait_for_regencies(page, expected: int):
    fr = map_frame(page)
    fr.locator("path.regency").first.wait_for(timeout=90_000)
    deadline = time.time() + 30
    while fr.locator("path.regency").count() != expected and time.time() < deadline:
        page.wait_for_timeout(250)
    return fr


def blue_count(fr) -> int:
    return fr.locator('path.regency[fill="#2171b5"]').count()


def shot(page, name: str):
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)




def type_date(page, ddmmyyyy: str, enter: bool = False) -> None:
    """Type a date into the sidebar's date field (day, month, year segments) as a person would, then leave it (a
    click elsewhere) or, with ``enter``, press Enter."""
    day = page.locator('[data-testid="stSidebar"] [data-testid="stDateInputField"] [data-type="day"]').first
    day.click()
    page.keyboard.type(ddmmyyyy.replace("/", ""), delay=40)
    if enter:
        page.keyboard.press("Enter")
    else:
        page.locator("h1, .peta-present-title").first.click()  # leaving the field commits the date
