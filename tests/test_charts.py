"""geo.charts: static SVG charts in the reader's language."""

from __future__ import annotations

import base64
import re
from datetime import date

from geo.charts import as_image, progress_chart, year_chart

YEARS = [2019, 2020, 2021]


def test_a_year_chart_writes_its_numbers_the_readers_way_and_describes_itself():
    svg = year_chart(YEARS, [1234.5, 2000.25, 12.0], "juta", "id", "juta <b>&</b>", decimals=1, key="a")
    assert svg.startswith("<svg") and 'role="img"' in svg and "width:100%" in svg
    assert "1.234,5" in svg and "2.000,2" in svg  # grouping dot and decimal comma (Bahasa Indonesia)
    assert "<b>" not in svg and "juta &lt;b&gt;&amp;&lt;/b&gt;" in svg
    en = year_chart(YEARS, [1234.5, 2000.25, 12.0], "million", "en", "x", decimals=1, key="a")
    assert "1,234.5" in en
    for y in YEARS:
        assert f">{y}<" in svg


def test_two_charts_on_one_page_share_no_element_id():
    a = year_chart(YEARS, [1, 2, 3], "n", "id", "a", key="a")
    b = year_chart(YEARS, [1, 2, 3], "n", "id", "b", key="b")
    ids_a, ids_b = set(re.findall(r'id="([^"]+)"', a)), set(re.findall(r'id="([^"]+)"', b))
    assert ids_a and not ids_a & ids_b
    for ref in re.findall(r"url\(#([^)]+)\)", a):
        assert ref in ids_a  # every reference points at its own chart's element


def test_the_progress_chart_and_its_image_element():
    months = [date(2024, m, 28) for m in range(1, 13)]
    svg = progress_chart(months, list(range(100, 112)), 509, "id", "Unit", "Unit ber-MPP",
                         official=[(date(2024, 6, 1), 105)], targets=[date(2025, 12, 31)],
                         legend={"registry": "registri", "official": "hitungan", "target": "target", "all": "semua",
                                 "projection": "proyeksi"}, key="p")
    assert "registri" in svg and "proyeksi" not in svg  # no band given, so no band in the legend
    img = as_image(svg, 'a "quoted" <description>')
    assert img.startswith('<img class="peta-chart" src="data:image/svg+xml;base64,')
    assert 'alt="a &quot;quoted&quot; &lt;description&gt;"' in img
    data = re.search(r"base64,([^\"]+)", img).group(1)
    assert base64.b64decode(data).decode() == svg


def test_a_count_of_one_has_no_ticks_between_whole_numbers():
    """DK Jakarta: one unit, so the axis goes 0 to 1; before, its ticks read 0, 0, 0, 1, 1, 1."""
    svg = progress_chart([date(2024, 1, 31), date(2024, 2, 29)], [0, 1], 1, "id", "d", "Unit", key="j")
    def y_ticks(chart: str) -> list[str]:  # the y axis's tick labels (each in a group ytick_N, as text)
        return re.findall(r'ytick_\d+".*?<text[^>]*>([^<]*)</text>', chart, re.S)
    numbers = y_ticks(svg)
    assert numbers == ["0", "1"], numbers
    bars = y_ticks(year_chart(YEARS, [0, 0, 0], "kab/kota", "id", "d", key="z"))
    assert bars == ["0", "1"], bars
