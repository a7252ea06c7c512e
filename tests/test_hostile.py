"""Hostile and broken input, built in each test (no committed binaries), through the command line and the library.

One test (or more) per class of issue #10: 1 server file read and network requests through GDAL, 2 script in names,
3 quadratic CSV sniffing, 4 unbounded work, 5 zip bombs and leftovers, 6 control characters, 7 tracebacks,
8 silent loss, 9 wrong coordinates, 10 odd digits and Markdown. The browser half is in test_browser_hostile.py.
"""

from __future__ import annotations

import io
import json
import stat
import zipfile

import geopandas as gpd
import pytest
from conftest import Recorder
from helpers import one_line_exit_2, run, zip_bytes  # noqa: E402
from shapely.geometry import Point, box, mapping


def vrt(src: str, layer: str = "x", geometry: bool = True) -> str:
    geom = '<GeometryType>wkbNone</GeometryType>' if not geometry else \
        '<GeometryField encoding="PointFromColumns" x="a" y="b"/>'
    return (f'<OGRVRTDataSource><OGRVRTLayer name="{layer}"><SrcDataSource>{src}</SrcDataSource>'
            f'{geom}</OGRVRTLayer></OGRVRTDataSource>')




# --- 1. server files and network through GDAL --------------------------------------------------------------------

@pytest.mark.parametrize("name", ["evil.geojson", "evil.json", "evil.gpkg", "evil.shp"])
def test_vrt_disguised_as_a_boundary_file_reads_nothing(tmp_path, listener, name):
    for src in ("CSV:/etc/passwd", "/etc/passwd", f"/vsicurl/{listener}/x.csv", f"CSV:/vsicurl/{listener}/y.csv"):
        f = tmp_path / name
        f.write_text(vrt(src))
        if name.endswith(".shp"):  # with siblings, as a shapefile would come
            (tmp_path / "evil.shx").write_text(vrt(src))
            (tmp_path / "evil.dbf").write_text(vrt(src))
        p = run("boundaries", str(f), "--json", tmp=tmp_path)
        line = one_line_exit_2(p)
        assert "root:" not in p.stdout + p.stderr
        assert any(w in line for w in ("not a GeoJSON", "not a shapefile part", "not a GeoPackage")), line
    assert Recorder.hits == []


@pytest.mark.parametrize("member", ["evil.json", "evil.geojson", "evil.gpkg"])
def test_vrt_inside_a_zip_reads_nothing(tmp_path, listener, member):
    z = tmp_path / "evil.zip"
    z.write_bytes(zip_bytes({member: vrt(f"/vsicurl/{listener}/z.csv").encode()}))
    p = run("boundaries", str(z), "--json", tmp=tmp_path)
    one_line_exit_2(p)
    assert Recorder.hits == []
    z.write_bytes(zip_bytes({"a.shp": vrt("CSV:/etc/passwd").encode(), "a.shx": b"x", "a.dbf": b"x"}))
    p = run("boundaries", str(z), "--json", tmp=tmp_path)
    assert "not a shapefile part" in one_line_exit_2(p)


def test_gdal_is_left_with_only_the_drivers_we_read(tmp_path, listener):
    """Configuration, not string matching: once restricted, GDAL itself cannot open a VRT or a CSV."""
    import pyogrio

    from geo.vectorio import ALLOWED_GDAL_DRIVERS, restrict_gdal

    left = restrict_gdal()
    assert set(left) <= set(ALLOWED_GDAL_DRIVERS) and "OGR_VRT" not in left and "CSV" not in left
    f = tmp_path / "direct.vrt"
    f.write_text(vrt(f"CSV:/vsicurl/{listener}/d.csv"))
    with pytest.raises(Exception):
        pyogrio.read_dataframe(f)
    with pytest.raises(Exception):
        pyogrio.read_dataframe("/etc/passwd")
    assert Recorder.hits == []


# --- 2. script in names (the HTML half; hovering and opening is in the browser tests) ------------------------------

def test_script_in_mpp_names_is_never_html_in_a_rendered_map(tmp_path):
    f = tmp_path / "mpp.csv"
    f.write_text('wilayah,nama_mpp,tanggal\nKota Medan,"<img src=x onerror=""window.__xss=1"">",2024-01-02\n'
                 'Kabupaten Karo,</script><script>window.__xss=2</script>,2024-02-03\n')
    out = tmp_path / "map.html"
    p = run("render-map", "--province", "Sumut", "--mpp-file", str(f), "--out", str(out))
    assert p.returncode == 0, p.stderr
    html = out.read_text()
    assert "<img src=x" not in html and "</script><script>window.__xss" not in html
    assert "bindTooltip(el(" in html and ".innerHTML" not in html.split("peta-popup")[0][-4000:]


# --- 3. CSV sniffing in linear time ---------------------------------------------------------------------------------

def test_one_long_line_is_refused_quickly_not_sniffed_for_seconds(tmp_path):
    from geo.tables import TableError, read_table_bytes

    for size in (30_000, 100_000, 5_000_000):
        data = (b'a"' + b"x," * (size // 2))
        with pytest.raises(TableError) as e:
            read_table_bytes(data, "long.csv")
        assert "long.csv" in str(e.value)
    f = tmp_path / "long.csv"
    f.write_bytes(b"wilayah;" + b'";x' * 3_000_000)  # 9 MB on one line
    one_line_exit_2(run("coverage", "--mpp-file", str(f), "--json", tmp=tmp_path))


# --- 4. bounded work ------------------------------------------------------------------------------------------------

def test_too_many_rows_or_features_are_refused_at_once(tmp_path):
    rows = tmp_path / "rows.csv"
    rows.write_text("wilayah,tanggal\n" + "Kota Medan,2024-01-01\n" * 60_000)
    assert "more than 50,000 data rows" in one_line_exit_2(run("coverage", "--mpp-file", str(rows), tmp=tmp_path))
    feats = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"nama": "Kota Medan"}, "geometry": mapping(Point(98.67, 3.59))}] * 25_000}
    fc = tmp_path / "many.geojson"
    fc.write_text(json.dumps(feats))
    assert "25,000 features is over the limit" in one_line_exit_2(run("boundaries", str(fc), tmp=tmp_path))


def test_limits_are_settings(tmp_path):
    rows = tmp_path / "rows.csv"
    rows.write_text("wilayah,tanggal\n" + "Kota Medan,2024-01-01\n" * 30)
    line = one_line_exit_2(run("coverage", "--mpp-file", str(rows), tmp=tmp_path, env={"PETA_MPP_MAX_ROWS": "10"}))
    assert "more than 10 data rows" in line and "PETA_MPP_MAX_ROWS" in line


def test_xlsx_that_unpacks_beyond_the_limit_is_refused_before_opening(tmp_path):
    from geo.tables import TableError, read_table_bytes

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w") as w:
            for _ in range(40):
                w.write(b" " * (1 << 20))
    data = buf.getvalue()
    assert len(data) < 200_000
    with pytest.raises(TableError, match="compressed|unpacks"):
        read_table_bytes(data, "bomb.xlsx")


def test_many_mpps_in_one_city_need_no_regency_by_mpp_matrix(builtin):
    import tracemalloc

    from geo.boundary_io import representative_points
    from geo.coverage import nearest_mpp
    from geo.gazetteer import gazetteer

    table = gazetteer().regencies[["code"]]
    pts = gpd.GeoDataFrame({"mpp_name": ["MPP Medan"] * 100_000, "name": ["Kota Medan"] * 100_000},
                           geometry=[Point(98.67, 3.59)] * 100_000, crs=4326)
    tracemalloc.start()
    out = nearest_mpp(table, representative_points(), pts)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 100e6  # the full matrix was 514 x 100,000 x 8 bytes x several arrays
    assert out.set_index("code").at["12.71", "nearest_mpp_km"] < 10


# --- 5. zip bombs and leftovers ---------------------------------------------------------------------------------------

def test_zip_bomb_is_refused_before_extraction_and_nothing_is_left(tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("big.geojson", "w") as w:
            for _ in range(30):
                w.write(b" " * (1 << 20))
    z = tmp_path / "bomb.zip"
    z.write_bytes(buf.getvalue())
    assert "zip bomb" in one_line_exit_2(run("boundaries", str(z), tmp=tmp))
    line = one_line_exit_2(run("boundaries", str(z), tmp=tmp, env={"PETA_MPP_MAX_UNPACKED_MB": "5"}))
    assert "over the limit" in line
    assert list(tmp.iterdir()) == []


def test_a_good_zip_leaves_no_temporary_folder(tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    a = gpd.GeoDataFrame({"nama": ["Kota Medan"]}, geometry=[box(98.6, 3.5, 98.7, 3.6)], crs=4326)
    shp = tmp_path / "shp"
    shp.mkdir()
    a.to_file(shp / "medan.shp")
    z = tmp_path / "medan.zip"
    z.write_bytes(zip_bytes({p.name: p.read_bytes() for p in shp.iterdir()}))
    p = run("boundaries", str(z), "--json", tmp=tmp)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["matched"] == 1
    assert list(tmp.iterdir()) == []


def test_zip_with_a_symlink_or_a_path_out_is_refused(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = zipfile.ZipInfo("data")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc")
        zf.writestr("data/a.geojson", "{}")
    z = tmp_path / "link.zip"
    z.write_bytes(buf.getvalue())
    assert "symbolic link" in one_line_exit_2(run("boundaries", str(z), tmp=tmp_path))
    z.write_bytes(zip_bytes({"../../evil.geojson": b"{}"}))
    assert "unsafe path" in one_line_exit_2(run("boundaries", str(z), tmp=tmp_path))


# --- 6. control characters ----------------------------------------------------------------------------------------

def test_control_characters_are_removed_everywhere_and_exports_survive():
    from openpyxl import load_workbook

    from geo.tables import read_table_bytes, to_xlsx_bytes
    from geo.uploads import read_mpp_file

    r = read_mpp_file(b"wilayah,nama_mpp\nKota Medan,MPP\x01Me\x1bdan\x0b\n", "c.csv")
    assert r.accepted == 1 and r.data.iloc[0]["mpp_name"] == "MPPMedan"
    assert any("control characters removed" in n and "row 2" in n for n in r.notes)
    wb = load_workbook(io.BytesIO(to_xlsx_bytes(r.data.assign(notes="a\x00b\x07c"))))
    assert wb.active.max_row == 2
    data = b"wilayah\n" + b"Kota Medan\n" * 10_000 + b"Kota\x00Medan\n"  # a NUL byte far past the first 64 KB
    from geo.tables import TableError

    with pytest.raises(TableError, match="binary"):
        read_table_bytes(data, "nul.csv")


# --- 7. tracebacks --------------------------------------------------------------------------------------------------

def test_malformed_input_is_one_line_and_exit_2(tmp_path):
    f = tmp_path / "extra.csv"
    f.write_text("wilayah,tanggal\nKota Medan,2024-01-01\nKota Binjai,2024-01-01,surplus\n")
    line = one_line_exit_2(run("coverage", "--mpp-file", str(f), tmp=tmp_path))
    assert "row 3: 3 cells but the header has 2" in line
    g = tmp_path / "nogeom.geojson"
    g.write_text(vrt("CSV:/etc/passwd", geometry=False))
    one_line_exit_2(run("boundaries", str(g), tmp=tmp_path))
    d = tmp_path / "deep.geojson"
    d.write_text("[" * 100_000 + "]" * 100_000)
    one_line_exit_2(run("boundaries", str(d), tmp=tmp_path))
    for bad in ('{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Polygon", '
                '"coordinates": [[1, 2]]}, "properties": {"nama": "Kota Medan"}}]}', '{"type": "Topology"}', "{}"):
        g.write_text(bad)
        p = run("boundaries", str(g), tmp=tmp_path)
        assert "Traceback" not in p.stderr and p.returncode in (0, 2), p.stderr


# --- 8. silent loss ---------------------------------------------------------------------------------------------------

def test_mixed_utf8_and_windows_1252_is_decoded_per_row_and_said(tmp_path):
    f = tmp_path / "mixed.csv"
    f.write_bytes("wilayah,nama_mpp\nKota Medan,MPP Medan Merdéka\n".encode("utf-8")
                  + "Kota Binjai,MPP Binjai Café\n".encode("cp1252"))
    from geo.uploads import read_mpp_file

    r = read_mpp_file(f)
    assert list(r.data["mpp_name"]) == ["MPP Medan Merdéka", "MPP Binjai Café"]
    assert any(n == "row 3: not UTF-8, read as Windows-1252" for n in r.notes)
    p = run("coverage", "--mpp-file", str(f), "--province", "Sumut", "--json", tmp=tmp_path)
    assert p.returncode == 0 and "row 3: not UTF-8, read as Windows-1252" in p.stderr


# --- 9. wrong coordinates -------------------------------------------------------------------------------------------

# --- 10. odd digits and Markdown ------------------------------------------------------------------------------------

def test_user_text_in_messages_is_plain_text():
    import importlib

    shared = importlib.import_module("pages._errors")
    shown = shared.plain("column ![x](http://127.0.0.1:9/pixel.png) <b>x</b> $y$")
    assert "![" not in shown and "](" not in shown and "<b>" not in shown and "\\$" in shown
