"""The command line: contracts of `python -m geo boundaries` and `python -m geo match`."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from helpers import run

ROOT = Path(__file__).resolve().parent.parent



def test_boundaries_json_on_builtin_data(builtin):
    p = run("boundaries", "--json")
    assert p.returncode == 0, p.stderr
    r = json.loads(p.stdout)
    for key in ("features_read", "matched", "missing_official", "unmatched", "duplicates", "repaired", "invalid",
                "overlap_share"):
        assert key in r
    assert (r["features_read"], r["matched"], r["missing_official"], r["unmatched"], r["invalid"]) == (514, 514, [], [], 0)
    assert r["overlap_share"] < 0.0001


def test_boundaries_text_report(builtin):
    p = run("boundaries")
    assert p.returncode == 0 and "Regencies matched: 514 of 514" in p.stdout
    assert "Features: 514 matched, 0 duplicate, 0 unmatched, 0 ambiguous, 0 no geometry" in p.stdout
    p = run("boundaries", env={"PETA_MPP_LANG": "id"})  # the same report for an Indonesian reader
    assert "Kabupaten/kota cocok: 514 dari 514" in p.stdout and "Geometri diperbaiki: 124" in p.stdout
    assert "Bagian tumpang tindih: 0,3496% sebelum" in p.stdout


def test_coverage_summary_in_either_language(builtin):
    en = run("coverage", "--province", "Sumut", "--as-of", "2024-07-17").stdout.splitlines()
    assert en[0].startswith("As of 2024-07-17 (provinces): 5 / 33 regencies and cities with their own MPP (15%)")
    assert "4,140,295 of 15,640,905 live in a regency with its own MPP" in en[2]
    idn = run("coverage", "--province", "Sumut", "--as-of", "2024-07-17", env={"PETA_MPP_LANG": "id"}).stdout
    lines = idn.splitlines()
    assert lines[0].startswith("Per 2024-07-17 (provinsi): 5 / 33 kabupaten/kota memiliki MPP sendiri (15%)")
    assert "4.140.295 dari 15.640.905 tinggal di kabupaten/kota dengan MPP sendiri" in lines[2]
    assert "Provinsi Sumatera Utara: SAKIP B (2023)" in idn


def test_match_keeps_rows_and_adds_columns(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("no;nama;prov\n1;Kab. Bandung;Jabar\n2;Magelang;Jawa Tengah\n3;Kota Atlantis;\n", encoding="cp1252")
    out = tmp_path / "out.csv"
    p = run("match", str(src), "--name-column", "nama", "--province-column", "prov", "--out", str(out))
    assert p.returncode == 0, p.stderr
    df = pd.read_csv(out, dtype=str, encoding="utf-8-sig")
    assert list(df.columns[:3]) == ["no", "nama", "prov"]
    for col in ("code", "official_name", "province_code", "status", "score", "candidates"):
        assert col in df.columns
    assert list(df["status"]) == ["matched", "ambiguous", "unmatched"]
    assert df.loc[0, "code"] == "32.04"
    assert "Matched 1, ambiguous 1, unmatched 1 of 3 rows" in p.stderr
    p = run("match", str(src), "--name-column", "nama", "--province-column", "prov", env={"PETA_MPP_LANG": "id"})
    assert "Cocok 1, ambigu 1, tidak cocok 1 dari 3 baris" in p.stderr


def test_match_xlsx_to_xlsx(tmp_path):
    src = tmp_path / "in.xlsx"
    pd.DataFrame({"wilayah": ["Kota Medan", "+cmd|' /C calc'!A0"]}).to_excel(src, index=False)
    out = tmp_path / "out.xlsx"
    p = run("match", str(src), "--name-column", "wilayah", "--out", str(out))
    assert p.returncode == 0, p.stderr
    df = pd.read_excel(out, dtype=str)
    assert df.loc[0, "code"] == "12.71"
    assert df.loc[1, "wilayah"].startswith("'+")  # neutralised, not a formula


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"nama,prov\n", "no data rows"),
    (b"\x00\x01\x02binary", "not a CSV or XLSX"),
])
def test_unreadable_input_exits_2_with_one_line(tmp_path, content, message):
    src = tmp_path / "bad.csv"
    src.write_bytes(content)
    p = run("match", str(src), "--name-column", "nama")
    assert p.returncode == 2
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.csv" in lines[0] and message in lines[0]


def test_missing_column_and_file(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("nama\nMedan\n")
    p = run("match", str(src), "--name-column", "region")
    assert p.returncode == 2 and "no column 'region'" in p.stderr
    p = run("match", str(tmp_path / "missing.csv"), "--name-column", "x")
    assert p.returncode == 2 and "no such file" in p.stderr
    p = run("boundaries", str(tmp_path / "missing.shp"))
    assert p.returncode == 2 and "no such file" in p.stderr
