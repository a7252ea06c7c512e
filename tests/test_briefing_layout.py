"""Every briefing's layout read back from the PDF: no character off the page, none printed over another, for
Indonesia, DK Jakarta (served by one province-run MPP) and Sumatera Utara (many small cities), today and at the end
of 2025, in both languages (issue #24)."""

from __future__ import annotations

from datetime import date

import pytest
from pdf_layout import layout_problems, page_text

from geo.briefing import briefing_data, briefing_pdf
from geo.i18n import fmt_int
from geo.inputs import briefing_inputs
from geo.registry import load_registry
from geo.scores import load_scores

pytestmark = pytest.mark.slow


def _briefing(provinces: list[str], when: date, lang: str):
    data = briefing_data(when, provinces, load_registry(), load_scores(), lang, **briefing_inputs(provinces))
    return data, briefing_pdf(data)


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("when", [date.today(), date(2025, 12, 31)], ids=["today", "end-2025"])
@pytest.mark.parametrize("provinces", [[], ["31"], ["12"]], ids=["indonesia", "dk-jakarta", "sumatera-utara"])
def test_no_word_off_the_page_or_over_another(builtin, provinces, when, lang):
    _, pdf = _briefing(provinces, when, lang)
    assert layout_problems(pdf) == []


def test_dk_jakarta_shows_its_province_run_mpp_and_the_residents_it_serves(builtin):
    data, pdf = _briefing(["31"], date.today(), "id")
    s = data.result.summary
    assert s.with_own_mpp == 0 and s.served == s.regencies == 6  # the real data: one MPP for the whole province
    text = " ".join(page_text(pdf).split())
    assert "6 / 6" in text and "0 / 6" not in text
    assert fmt_int(s.population_served, "id") in text and s.population_served > 10_000_000
    assert "Mal Pelayanan Publik Jakarta (dikelola provinsi) — 12 Oktober 2017" in text


def test_the_layout_check_finds_an_overprint_and_a_word_off_the_page():
    """SYNTHETIC: the check itself, on a page with both defects."""
    from matplotlib.figure import Figure

    from geo.briefing import to_bytes

    fig = Figure(figsize=(8.27, 11.69))
    fig.text(0.1, 0.5, "Sumber: Peta MPP", fontsize=10)
    fig.text(0.1, 0.5, "Kelengkapan data", fontsize=10)  # printed over the line above
    fig.text(0.9, 0.9, "Daerah Khusus Ibukota Jakarta", fontsize=16)  # runs off the right edge
    problems = layout_problems(to_bytes(fig, "pdf"))
    assert any("overlap" in p for p in problems) and any("off the page" in p for p in problems)
