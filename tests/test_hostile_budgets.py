"""Budgets on the work a file causes, not only on its size (issue #21): each SYNTHETIC hostile file of
tests/hostile_cases.py is refused or read within a bound, with one line saying which limit, in the reader's
language; and the worker that reads uploads in the app stops whatever outlives its budget."""

from __future__ import annotations

import time

import pytest

import hostile_cases as h
from geo.errors import PetaError
from geo.i18n import say
from geo.tables import TableError, read_table_bytes
from geo.uploads import read_mpp_file
from geo.vectorio import BoundaryError, read_vector_bytes


def refused(fn, *args, match: str, error=PetaError, seconds: float = 3.0, **kwargs) -> str:
    """Call ``fn``: it must raise ``error`` matching ``match`` within ``seconds`` of CPU, with an Indonesian line."""
    t = time.process_time()
    with pytest.raises(error, match=match) as info:
        fn(*args, **kwargs)
    assert time.process_time() - t < seconds
    text = info.value.say("id")
    assert "\n" not in text and text != str(info.value), text  # translated, one line
    return text


def test_a_workbook_claiming_a_million_rows_is_not_padded():
    text = refused(read_table_bytes, h.xlsx_declared_huge(), "dim.xlsx", match="row 1048576: a value in column XFD")
    assert "di luar 2 kolom" in text


def test_cells_are_counted_as_they_stream(monkeypatch):
    monkeypatch.setenv("PETA_MPP_MAX_CELLS", "1000")
    data = h.workbook([("Data", "worksheet", h.sheet_xml([(r, ["Kota Medan", "2024-01-01"])
                                                          for r in range(1, 800)]))])
    refused(read_table_bytes, data, "many.xlsx", match="more than 1,000 cells")


@pytest.mark.parametrize("build, match", [
    (h.xlsx_many_sheets, "10,000 sheets, over the limit of 50"),
    (h.xlsx_chartsheet_only, "no worksheet with cells"),
    (h.xlsx_no_sheets, "no worksheet with cells"),
])
def test_workbooks_without_usable_sheets_are_said_plainly(build, match):
    refused(read_table_bytes, build(), "book.xlsx", match=match)


def test_shared_strings_that_unpack_past_the_budget_are_refused_before_reading(monkeypatch):
    monkeypatch.setenv("PETA_MPP_MAX_UNPACKED_MB", "5")  # the same check as at 100 MB, on a file built quickly
    refused(read_table_bytes, h.xlsx_big_shared_strings(12), "sst.xlsx", match="unpacks to 12 MB, over the limit of 5")


@pytest.mark.parametrize("build", [h.csv_unbalanced_quote, h.csv_quote_closed_later])
def test_a_quote_that_swallows_rows_is_refused_with_its_line(build):
    text = refused(read_table_bytes, build(), "kutip.csv", match=r"row 2: a quote opened on line 2 closes only")
    assert "baris 2" in text


def test_a_quoted_cell_over_two_lines_is_still_read():
    data = b'wilayah,nama_mpp,tanggal\nKota Medan,"MPP Kota\nMedan",2024-01-01\nKabupaten Karo,MPP Karo,2024-02-01\n'
    assert read_table_bytes(data, "ok.csv").shape == (2, 3)


@pytest.mark.parametrize("build", [h.csv_long_name, h.csv_nested_brackets])
def test_a_huge_name_is_refused_before_matching(build):
    t = time.process_time()
    r = read_mpp_file(build(), "nama.csv")
    assert time.process_time() - t < 1.0
    reason = r.report["reason"].iloc[0]
    assert r.rejected == 1 and "over the limit of 300" in reason and len(reason) < 400


def test_too_many_distinct_names_stop_matching(monkeypatch):
    monkeypatch.setenv("PETA_MPP_MAX_DISTINCT_NAMES", "200")
    refused(read_mpp_file, h.csv_distinct_names(5_000), "nama.csv", match="more than 200 different region names")


def test_one_city_cannot_take_fifty_thousand_mpps():
    r = read_mpp_file(h.csv_one_city(2_000), "kota.csv")
    assert r.accepted == 10 and r.rejected == 1_990
    assert "more than 10 MPPs for Kota Medan" in r.report["reason"].iloc[-1]


def test_a_point_in_another_province_is_refused(builtin):
    from geo.inputs import regency_extents

    r = read_mpp_file(h.csv_point_elsewhere(), "titik.csv", extents=regency_extents())
    assert r.rejected == 1 and "lie outside Kabupaten Bandung" in r.report["reason"].iloc[0]
    right = b"wilayah,provinsi,tanggal,lintang,bujur\nKota Medan,Sumatera Utara,2024-01-01,3.59,98.67\n"
    assert read_mpp_file(right, "titik.csv", extents=regency_extents()).accepted == 1


def test_geojson_with_a_key_per_feature_is_refused_before_building_a_table():
    refused(read_vector_bytes, h.geojson_unique_keys(), "keys.geojson", error=BoundaryError,
            match="different property names make more than 1,000,000 cells")


def test_an_unknown_epsg_code_is_a_message():
    refused(read_vector_bytes, h.geojson_unknown_epsg(), "crs.geojson", error=BoundaryError,
            match="EPSG:99999, which is not a known")


def test_a_geopackage_view_is_refused_before_gdal_evaluates_it():
    text = refused(read_vector_bytes, h.gpkg_recursive_view(), "view.gpkg", error=BoundaryError,
                   match="layer 'endless' is a view, not a plain table")
    assert "sebuah view" in text


# --- the worker ---------------------------------------------------------------------------------------------

def test_the_worker_returns_results_and_errors_as_they_are():
    from geo.worker import bounded

    r = bounded(read_mpp_file, b"wilayah,tanggal\nKota Medan,2024-01-01\n", "w.csv", what="w.csv")
    assert r.accepted == 1 and r.data["code"].tolist() == ["12.71"]
    with pytest.raises(TableError, match="the file is empty") as info:
        bounded(read_table_bytes, b"   ", "kosong.csv", what="kosong.csv")
    assert "berkasnya kosong" in info.value.say("id")  # a message still translatable after the trip


def test_the_worker_stops_what_outlives_its_time_or_memory():
    from geo.worker import UploadBudgetError, bounded

    t = time.monotonic()
    with pytest.raises(UploadBudgetError, match=r"slow.csv: reading it took more than 1 s") as info:
        bounded(time.sleep, 30, what="slow.csv", seconds=1)
    assert time.monotonic() - t < 5
    assert "pembacaan dihentikan" in say("id", info.value.args[0])
    with pytest.raises(UploadBudgetError, match="more than 300 MB of memory"):
        bounded(bytearray, 3_000_000_000, what="big.csv", memory_mb=300)


def test_the_worker_leaves_no_child_behind(tmp_path):
    import os

    from geo.worker import UploadBudgetError, bounded

    marker = tmp_path / "pid"
    with pytest.raises(UploadBudgetError):
        bounded(h.report_pid_and_sleep, str(marker), 30, seconds=0.5)
    child = int(marker.read_text())
    assert child != os.getpid()
    time.sleep(0.2)
    gone = not os.path.exists(f"/proc/{child}") or open(f"/proc/{child}/stat").read().split()[2] == "Z"
    assert gone, f"the stopped worker {child} is still running"


def test_the_worker_never_runs_the_page_script_again(tmp_path, monkeypatch):
    """In the app ``__main__`` is the page being run; a worker must not execute it again (multiprocessing would)."""
    import sys
    import types

    from geo.worker import bounded

    marker = tmp_path / "ran"
    script = tmp_path / "page.py"
    script.write_text(f"open({str(marker)!r}, 'w').write('page ran')\n")
    page = types.ModuleType("__main__")
    page.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", page)
    assert bounded(read_mpp_file, b"wilayah\nKota Medan\n", "w.csv").accepted == 1
    assert not marker.exists()
