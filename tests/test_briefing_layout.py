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
    assert "6 / 6" in text and "0 / 6" not in text and "(0%)" not in text
    assert "kabupaten/kota dilayani, oleh" in text  # geo.story's words, in a box whose lines the extraction interleaves
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


@pytest.mark.parametrize("provinces", [[], ["12"]], ids=["indonesia", "sumatera-utara"])
def test_a_briefing_from_an_analysts_file_says_so_at_its_top_and_in_its_source_line(builtin, provinces):
    """SYNTHETIC provenance (the public data, labelled as if a file had replaced the registry and the scores): the
    PDF names the file at the top and in the source line, no longer claims the public sources, and stays laid out
    (issue #24)."""
    from geo.briefing import Provenance

    origin = Provenance("replace", "daftar_mpp_bappeda.xlsx", "skor_rb_2024.csv")
    data = briefing_data(date(2025, 12, 31), provinces, load_registry(), load_scores(), "id",
                         **briefing_inputs(provinces), provenance=origin)
    pdf = briefing_pdf(data)
    assert layout_problems(pdf) == []
    first = " ".join(page_text(pdf).split("\f")[0].split())
    assert "Memuat data analis yang belum diperiksa Peta MPP: MPP dari “daftar_mpp_bappeda.xlsx” menggantikan " \
           "registri publik; skor RB/SAKIP dari “skor_rb_2024.csv”." in first
    assert "MPP dari berkas analis (“daftar_mpp_bappeda.xlsx”), bukan dari registri publik" in first
    assert "registri MPP dari sumber publik" not in first and "skor RB/SAKIP dari sumber publik" not in first
    public = briefing_pdf(briefing_data(date(2025, 12, 31), provinces, load_registry(), load_scores(), "id",
                                        **briefing_inputs(provinces)))
    assert "data analis" not in page_text(public) and "registri MPP dari sumber publik" in " ".join(
        page_text(public).split())
