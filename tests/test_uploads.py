"""Analysts' own files: every row accepted or rejected with its row number and reason (SYNTHETIC test data)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from geo.tables import TableError, to_csv_bytes
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
    assert len(rep) == 8 and r.accepted == 3 and r.rejected == 5  # rows in = used + reported
    assert rep.at[2, "status"] == "accepted" and rep.at[2, "code"] == "12.71"
    assert "ambiguous" in rep.at[3, "reason"] and "Kota Magelang" in rep.at[3, "reason"]
    assert "unmatched" in rep.at[4, "reason"]
    # A date that cannot be used keeps its row, undated, with a warning (never dropped):
    assert rep.at[5, "status"] == "warning" and "future" in rep.at[5, "reason"] and "kept as undated" in rep.at[5, "reason"]
    assert rep.at[6, "status"] == "rejected" and "duplicate of row 5" in rep.at[6, "reason"]
    assert "before 2017" in rep.at[6, "reason"]
    assert "outside Indonesia" in rep.at[7, "reason"]
    assert "duplicate of row 2" in rep.at[8, "reason"]
    assert rep.at[9, "status"] == "warning" and "not a date" in rep.at[9, "reason"]
    assert r.warnings == 2 and (r.data.set_index("code").at["12.12", "opened_on"] == "")
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


# --- issue #14: Indonesian headers, mapping, merge / replace / compare, exports ---------------------------------

#: SYNTHETIC: a semicolon CSV in Windows-1252 with a "Tgl Peresmian" column, dd/mm/yyyy dates and one impossible
#: date, naming two regencies without an MPP (Karo, Nias Selatan) and one with (Kota Medan).
W1252 = ("Nama Wilayah;Provinsi;Tgl Peresmian;Nama MPP;Sumber\n"
         "Kabupaten Karo;Sumatera Utara;12/03/2024;MPP Karo Tanah Simalem;https://contoh.go.id/karo\n"
         "Kabupaten Nias Selatan;Sumut;31/02/2023;MPP Nias Selatan Gö;https://contoh.go.id/nias\n"
         "Kota Medan;Sumut;07/03/2024;MPP Medan;\n").encode("cp1252")


def test_usual_indonesian_headers_are_recognised():
    from geo.uploads import detect_mpp_columns

    found = detect_mpp_columns(["Kabupaten/Kota", "Provinsi", "Tgl Diresmikan", "Nama MPP", "Sumber"])
    assert found == {"region": "Kabupaten/Kota", "code": None, "province": "Provinsi", "mpp_name": "Nama MPP",
                     "date": "Tgl Diresmikan", "source": "Sumber", "latitude": None, "longitude": None}
    r = read_mpp_file(W1252, "mpp.csv", today=TODAY)
    assert r.accepted == 3 and r.rejected == 0 and r.warnings == 1
    by = r.data.set_index("code")
    assert by.at["12.06", "opened_on"] == "2024-03-12" and by.at["12.06", "sources"] == "https://contoh.go.id/karo"
    assert by.at["12.14", "opened_on"] == "" and "31/02/2023" in by.at["12.14", "notes"]
    assert by.at["12.14", "mpp_name"] == "MPP Nias Selatan Gö"


def test_the_user_maps_a_column_the_reader_does_not_know():
    data = "Daerah Layanan,Kapan\nKabupaten Karo,12/03/2024\n".encode()
    with pytest.raises(TableError, match="no region column"):
        read_mpp_file(data.replace(b"Daerah Layanan", b"Lokasi"), "x.csv")
    r = read_mpp_file(data.replace(b"Daerah Layanan", b"Lokasi"), "x.csv", columns={"region": "Lokasi", "date": "Kapan"})
    assert r.data.iloc[0]["opened_on"] == "2024-03-12"
    with pytest.raises(TableError, match="no column 'Nope'"):
        read_mpp_file(data, "x.csv", columns={"date": "Nope"})


def test_merge_adds_only_what_the_registry_lacks_and_compare_lists_the_differences():
    from geo.registry import load_registry
    from geo.uploads import apply_mode, compare_registry, merge_registry

    reg = load_registry()
    mine = read_mpp_file(W1252, "mpp.csv", today=TODAY).data
    merged, outcome = merge_registry(reg, mine)
    assert len(merged) == len(reg) + 2
    assert dict(zip(outcome["code"], outcome["outcome"])) == {"12.06": "added", "12.14": "added",
                                                               "12.71": "already in the registry"}
    assert len(apply_mode(reg, mine, "replace")) == 3 and len(apply_mode(reg, mine, "compare")) == len(reg)
    comp = compare_registry(reg, mine).set_index("code")
    assert comp.at["12.06", "comparison"] == "only in your file"
    assert comp.at["12.71", "comparison"] in ("dates differ", "same")
    assert (comp["comparison"] == "only in the registry").sum() == reg[~reg["province_run"]]["code"].nunique() - 1


def test_cli_merge_raises_the_covered_count_by_exactly_two(tmp_path):
    import json

    from helpers import run

    f = tmp_path / "mpp.csv"
    f.write_bytes(W1252)

    def covered(*extra: str) -> int:
        p = run("coverage", "--json", *extra)
        assert p.returncode == 0, p.stderr
        return json.loads(p.stdout)["summary"]["covered"], p.stderr

    base, _ = covered()
    merged, err = covered("--mpp-file", str(f), "--merge")
    assert merged == base + 2
    assert "31/02/2023" in err and "kept as undated" in err and "2 MPP(s) added" in err
    replaced, _ = covered("--mpp-file", str(f))
    assert replaced == 3



def test_merge_says_why_each_row_was_not_added():
    from geo.registry import load_registry
    from geo.uploads import merge_registry

    reg = load_registry()
    mine = read_mpp_file(W1252, "mpp.csv", today=TODAY).data
    outcome = merge_registry(reg, mine)[1].set_index("code")
    assert outcome.at["12.71", "row"] != "" and "already has this regency's MPP" in outcome.at["12.71", "reason"]
    assert outcome.at["12.06", "reason"] == ""
