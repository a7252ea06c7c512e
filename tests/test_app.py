"""The Streamlit pages, run headless with AppTest."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from geo.coverage import regency_coverage
from geo.registry import load_registry
from geo.scores import load_scores


@pytest.fixture(scope="module", autouse=True)
def _boundaries(builtin):
    return builtin


def run(page: str, **params) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def test_overview_headline_matches_geo():
    at = run("pages/ringkasan.py", as_of="2024-07-17", province="12")
    table = regency_coverage(date(2024, 7, 17), ["12"], load_registry(), load_scores())
    covered = at.metric[0]
    assert covered.value == f"{int(table['has_mpp'].sum())} / {len(table)}" == "5 / 33"


def test_map_page_every_layer():
    at = run("pages/peta.py", as_of="2024-07-17")
    for layer in ("coverage", "mpp_count", "first_year", "rb", "sakip"):
        at.radio(key="layer").set_value(layer).run()
        assert not at.exception, (layer, at.exception)


def test_gaps_page_lists_regencies_without_mpp():
    at = run("pages/kesenjangan.py", as_of="2024-07-17", province="12")
    assert "28 dari 33" in at.markdown[0].value
    assert len(at.dataframe[0].value) == 28


def test_data_page_and_language_switch():
    at = run("pages/data.py", lang="en")
    assert at.title[0].value == "Data"
    assert any("Completeness" in s.value for s in at.subheader)
