"""Analysts' own files: every row accepted or rejected with its row number and reason (SYNTHETIC test data)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from geo.tables import TableError, read_table_bytes, to_csv_bytes
from geo.uploads import read_mpp_file, read_scores_file

TODAY = date(2026, 11, 29)


def test_mpp_file_rows_accepted_or_rejected_with_reasons():
    csv = ("wilayah;provinsi;nama_mpp;tanggal;lat;lon\n"
           "Kota Medan;Sumut;MPP Medan Merdéka;07/03/2024;3,59;98,67\n"  # Indonesian day/month/year, decimal commas
           "Magelang;Jawa Tengah;MPP X;2023-11-21;;\n"               # ambiguous
           "Kota Atlantis;;MPP Y;2023;;\n"                           # unmatched
           "Kabupaten Asahan;;MPP Asahan;2030-01-01;;\n"             # future
           "Kabupaten Asahan;;MPP Asahan;2015;;\n"                   # before 2017
           "Kabupaten Karo;;MPP Karo;2024-05;51,5;-0,1\n"            # outside Indonesia
           "Kota Medan;Sumut;MPP Medan Merdéka;07/03/2024;3,59;98,67\n"  # duplicate
           "Kabupaten Toba;;;kemarin;;\n").encode("cp1252")          # not a date
    r = read_mpp_file(csv, "mpp.csv", today=TODAY)
    rep = r.report.set_index("row")
    assert len(rep) == 8 and r.accepted == 1 and r.rejected == 7  # rows in = used + reported
    assert rep.at[2, "status"] == "accepted" and rep.at[2, "code"] == "12.71"
    assert "ambiguous" in rep.at[3, "reason"] and "Kota Magelang" in rep.at[3, "reason"]
    assert "unmatched" in rep.at[4, "reason"]
    assert "future" in rep.at[5, "reason"]
    assert "before 2017" in rep.at[6, "reason"]
    assert "outside Indonesia" in rep.at[7, "reason"]
    assert "duplicate of row 2" in rep.at[8, "reason"]
    assert "not a date" in rep.at[9, "reason"]
    row = r.data.iloc[0]
    assert (row.opened_on, row.date_precision, row.latitude) == ("2024-03-07", "day", pytest.approx(3.59))
    assert row.mpp_name == "MPP Medan Merdéka"
    assert any("cp1252" in n for n in r.notes) and any("decimal comma" in n for n in r.notes)


def test_scores_file_validation():
    df = pd.DataFrame({"region": ["Sumatera Utara", "Kota Medan", "Kota Medan", "Kabupaten Karo", "Provinsi Jambi",
                                  "Jambi"],
                       "assessment": ["RB", "SAKIP", "IKM", "SAKIP", "RB", "RB"],
                       "year": ["2023", "2024", "2024", "1999", "2022", "2022"],
                       "predikat": ["BB", "E", "B", "B", "", "B"],
                       "score": ["", "", "", "", "61.5", ""]})
    r = read_scores_file(to_csv_bytes(df), "scores.csv", today=TODAY)
    rep = r.report.set_index("row")
    assert r.accepted == 2 and r.rejected == 4
    data = r.data.set_index("code")
    assert data.at["12", "level"] == "province" and data.at["15", "score"] == pytest.approx(61.5)
    assert data.at["15", "predikat"] == ""  # never derived from the score
    assert "ambiguous" in rep.at[7, "reason"] and "Kota Jambi" in rep.at[7, "reason"]
    assert "not on the scale" in rep.at[3, "reason"]
    assert "unknown assessment 'IKM'" in rep.at[4, "reason"]
    assert "outside" in rep.at[5, "reason"]


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


def test_no_region_column_is_named(tmp_path):
    with pytest.raises(TableError, match="no region column"):
        read_mpp_file(b"foo,bar\n1,2\n", "x.csv")


def test_xlsx_with_several_sheets_reads_the_first_with_data(tmp_path):
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as xw:
        pd.DataFrame().to_excel(xw, sheet_name="cover", index=False)
        pd.DataFrame({"wilayah": ["Kota Medan"], "tanggal": ["2024-03-07"]}).to_excel(xw, sheet_name="mpp", index=False)
    r = read_mpp_file(path.read_bytes(), "book.xlsx", today=TODAY)
    assert r.accepted == 1
    assert any("sheet 'mpp'" in n for n in r.notes)
