"""Briefing exports: the PDF's text and page count, the PNG's size, small multiples."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from helpers import run
from PIL import Image
from pypdf import PdfReader

from geo.briefing import briefing_data, briefing_pdf, briefing_png, small_multiples_png
from geo.inputs import briefing_inputs, map_inputs, reference
from geo.registry import load_registry
from geo.scores import load_scores

ROOT = Path(__file__).resolve().parent.parent
FIVE = ["Kabupaten Asahan", "Kabupaten Humbang Hasundutan", "Kabupaten Labuhanbatu Utara", "Kota Medan",
        "Kota Tebing Tinggi"]


@pytest.fixture(scope="module")
def sumut(builtin):
    return briefing_data(date(2024, 7, 17), ["12"], load_registry(), load_scores(), "id", **briefing_inputs(["12"]))


def pdf_text(blob: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(blob))
    return len(reader.pages), " ".join((p.extract_text() or "") for p in reader.pages)


def test_sumut_pdf_names_the_five_mpps_and_the_28_regencies_without(sumut):
    pages, text = pdf_text(briefing_pdf(sumut))
    flat = " ".join(text.split())
    assert pages == 1
    for name in FIVE:
        assert name in flat, name
    without = sumut.gaps["name"].tolist()
    assert len(without) == 28
    for name in without:
        assert name in flat, name
    assert "5 / 33" in flat and "Per 17 Juli 2024" in flat
    assert "RB BB (2023)" in flat and "SAKIP B (2023)" in flat
    assert "Kelengkapan data" in flat and "MIT" in flat and "MPP Digital" in flat


def test_english_briefing_and_the_command_line(tmp_path, builtin):
    out = tmp_path / "b.pdf"
    p = run("briefing", "--province", "Sumut", "--as-of", "2024-07-17", "--lang", "en", "--out", str(out))
    assert p.returncode == 0, p.stderr
    pages, text = pdf_text(out.read_bytes())
    flat = " ".join(text.split())
    assert pages == 1 and "As of 17 July 2024" in flat and "No MPP yet (28)" in flat
    png = tmp_path / "m.png"
    p = run("briefing", "--year", "2025", "--format", "png", "--out", str(png))
    assert p.returncode == 0, p.stderr
    with Image.open(png) as im:  # A4 landscape's width at 150 dpi, cropped to Indonesia's shape
        assert im.format == "PNG" and im.size[0] == 1753 and 700 < im.size[1] < 950, im.size


def test_a_briefing_from_an_analysts_file_on_the_command_line_names_the_file(tmp_path, builtin):
    """SYNTHETIC analyst list (one MPP in Kabupaten Karo) added with --merge: the PDF says so (issue #24)."""
    src = tmp_path / "mpp_kantor.csv"
    src.write_text("wilayah,tanggal\nKabupaten Karo,2020-01-01\n")
    out = tmp_path / "b.pdf"
    p = run("briefing", "--province", "12", "--as-of", "2024-07-17", "--mpp-file", str(src), "--merge",
            "--out", str(out))
    assert p.returncode == 0, p.stderr
    flat = " ".join(pdf_text(out.read_bytes())[1].split())
    assert "Memuat data analis yang belum diperiksa Peta MPP: MPP ditambahkan dari “mpp_kantor.csv”." in flat
    assert "ditambah MPP dari berkas analis (“mpp_kantor.csv”)" in flat


def test_png_map_size(sumut):
    with Image.open(io.BytesIO(briefing_png(sumut, dpi=100))) as im:
        assert im.size[0] == 1169 and 500 < im.size[1] < 1100  # the height follows the province's shape
        assert len(set(im.convert("RGB").getdata())) > 20  # a drawn map, not a blank page


def test_small_multiples_one_panel_per_year(builtin):
    blob = small_multiples_png(load_registry(), load_scores(), ["12"], "id", until=date(2024, 7, 17), dpi=60, **reference(),
                               **map_inputs(["12"]))
    with Image.open(io.BytesIO(blob)) as im:
        w, h = im.size
        assert w == int(11.69 * 60) and h == int((3.0 * 3 + 0.9) * 60)  # 2017..2024: 8 panels in 3 rows


@pytest.mark.slow
def test_national_briefing_is_landscape_with_a_complete_list_page(builtin):
    """Indonesia is wide: page 1 is A4 landscape with the map across it and a per-province chart; page 2 lists every
    regency without an MPP service (none cut off as '+N more')."""
    data = briefing_data(date(2025, 12, 31), [], load_registry(), load_scores(), "id", **briefing_inputs([]))
    blob = briefing_pdf(data)
    reader = PdfReader(io.BytesIO(blob))
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    first = " ".join((reader.pages[0].extract_text() or "").split())
    second = " ".join((reader.pages[1].extract_text() or "").split())
    assert "302 / 514" in first and "Kab/kota dengan MPP per provinsi" in first
    assert "lainnya" not in first + second
    flat = second.replace("- ", "")
    for name in data.gaps["name"]:
        short = name.replace("Kabupaten ", "Kab. ")
        assert short in flat or short.replace(" ", "") in flat.replace(" ", ""), short


def test_the_static_map_keeps_its_legend_and_labels_off_the_chosen_area(builtin):
    """Jawa Barat + Sulawesi Selatan: the legend goes where the web map's goes (the emptiest corner), not over Jawa
    Barat in the lower left, and no regency label is drawn under it."""
    import shapely
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from geo.boundary_io import load_boundaries
    from geo.briefing import draw_map
    from geo.coverage import regency_coverage
    from geo.inputs import map_inputs, reference

    table = regency_coverage(date(2025, 12, 31), ["32", "73"], load_registry(), load_scores(), **reference())
    fig = Figure(figsize=(11, 5.2))
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    draw_map(ax, table, ["32", "73"], "coverage", "id", labels=True, **map_inputs(["32", "73"]))
    renderer = fig.canvas.get_renderer()
    box = ax.get_legend().get_window_extent(renderer)
    (x0, y0), (x1, y1) = ax.transData.inverted().transform([[box.x0, box.y0], [box.x1, box.y1]])
    shapes = load_boundaries("province").set_index("code").loc[table["code"], "geometry"]
    assert not shapely.intersects(shapes.values, shapely.box(x0, y0, x1, y1)).any()
    labels = [t.get_window_extent(renderer) for t in ax.texts if t.get_text().startswith(("Kab.", "Kota"))]
    assert labels and not any(lb.overlaps(box) for lb in labels)


def test_a_province_map_labels_its_regencies_beside_their_mpp_dots_never_on_them(sumut):
    """The dots the legend announces ("MPP (lokasi)") stay visible: each label goes beside its point, and none
    covers a dot or another label."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from geo.briefing import draw_map

    fig, ax = plt.subplots(figsize=(6, 6), dpi=100)
    draw_map(ax, sumut.result.table, sumut.provinces, "coverage", "id", sumut.points, shapes=sumut.shapes,
             borders=sumut.borders)
    renderer = fig.canvas.get_renderer()
    labels = [t for t in ax.texts if t.get_text().startswith(("Kab.", "Kota"))]
    boxes = [t.get_window_extent(renderer) for t in labels]
    dots = ax.transData.transform(list(zip(sumut.points.geometry.x, sumut.points.geometry.y)))
    assert len(labels) == 5 and len(dots) == 5
    assert not any(b.contains(x, y) for b in boxes for x, y in dots)
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    plt.close(fig)
