"""Tables in and out (geo.tables): what is read and refused, and exports that open well in a spreadsheet."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


from datetime import date

import pandas as pd

from geo.tables import TableError, read_table_bytes, to_csv_bytes
from geo.uploads import read_mpp_file

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"   \n  ", "empty"),
    (b"wilayah,tanggal\n", "no data rows"),
    (b"PK\x03\x04garbage", "not a CSV or XLSX"),
    (b"\xd0\xcf\x11\xe0rest", ".xls"),
])
def test_unreadable_tables(data, message):
    with pytest.raises(TableError, match=message):
        read_table_bytes(data, "f.csv")


def test_exports_open_well_in_a_spreadsheet():

    from openpyxl import load_workbook

    from geo.labels import NUMBER_FORMATS, column_label, localize
    from geo.tables import to_xlsx_bytes

    df = pd.DataFrame({"name": ["Kabupaten Nias Selatan", "=HYPERLINK(1)"], "population": [376209, 99],
                       "nearest_mpp_km": [182.3, 1.0]})
    wb = load_workbook(io.BytesIO(to_xlsx_bytes(df, "Kesenjangan", about=[("Judul", "Kesenjangan"), ("Per", "x")],
                                                about_sheet="Keterangan")))
    assert wb.sheetnames == ["Keterangan", "Kesenjangan"] and wb["Keterangan"]["B1"].value == "Kesenjangan"
    ws = wb["Kesenjangan"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:C3"
    assert isinstance(ws["B2"].value, int) and isinstance(ws["C2"].value, float)  # numbers stay numbers
    # ... in a number format: thousands grouped, distances with one decimal (never "1" beside "182.3")
    assert ws["B2"].number_format == "#,##0" and ws["C3"].number_format == "#,##0.0"
    people = localize(df, "id")
    formats = {column_label(c, "id"): k for c, k in NUMBER_FORMATS.items()}
    ws = load_workbook(io.BytesIO(to_xlsx_bytes(people, "Kesenjangan", formats=formats)))["Kesenjangan"]
    assert ws["B1"].value == "Penduduk terdaftar" and ws["B2"].number_format == "#,##0"
    assert ws["A3"].value == "'=HYPERLINK(1)" and ws.column_dimensions["A"].width >= 22
    assert to_csv_bytes(df).startswith(b"\xef\xbb\xbfname,") and b"182,3" in to_csv_bytes(df, sep=";")
    # For people, headers in their language; for scripts, the field names (geo.labels.localize).
    assert to_csv_bytes(localize(df, "id")).startswith("\ufeffKabupaten/kota,Penduduk terdaftar,Jarak (km)".encode())
    assert to_csv_bytes(localize(df, "en", english=True)).startswith(b"\xef\xbb\xbfname,population,")


def test_separator_is_found_from_a_bounded_sample():
    from geo.tables import _separator

    assert _separator("a;b;c\n1;2,5;3\n") == ";"
    assert _separator("a,b\n1,2\n") == ","
    assert _separator("a\tb\n1\t2\n") == "\t"
    assert _separator("a|b|c\n1|2|3\n") == "|"


def test_a_cell_spanning_lines_keeps_every_row_and_its_line_number():

    data = ('wilayah,nama_mpp,tanggal\nKota Medan,"MPP\nMedan",2024-01-02\nKota Binjai,MPP Binjai,2024-01-03\n'
            'Kota Atlantis,MPP X,2024-01-04\n').encode()
    r = read_mpp_file(data, "multi.csv")
    rep = r.report.set_index("row")
    assert list(rep.index) == [2, 4, 5]  # the row numbers are the file's lines
    assert rep.at[5, "status"] == "rejected" and "Atlantis" in rep.at[5, "reason"]
    assert any("row 2: a quoted cell spans lines 2–3" in n for n in r.notes)


def test_digits_of_other_scripts_are_read_as_ascii():
    from geo.registry import parse_period

    r = read_mpp_file("wilayah,tanggal\nKota Medan,٢٠٢٤-٠٣-٠٧\n".encode(), "arab.csv")
    assert r.accepted == 1 and r.data.iloc[0]["opened_on"] == "2024-03-07"
    assert any("digits of another script" in n for n in r.notes)
    assert parse_period("٢٠٢٤") is None  # the parser itself takes ASCII digits only
