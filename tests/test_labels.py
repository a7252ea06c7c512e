"""Words for columns and coded values (geo.labels)."""

from __future__ import annotations

from pathlib import Path

from geo.i18n import (
    N_,
    message_frame,
)
from geo.labels import column_label, localize

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "N_": None, "gettext": (2,)}


def test_tables_for_people_have_words_not_codes():
    df = message_frame([{"code": "12.71", "presence": "without", "has_mpp": False, "rb_predikat": None,
                         "date_basis": "national inauguration", "reason": N_("empty name")}],
                       ["code", "presence", "has_mpp", "rb_predikat", "date_basis", "reason"])
    out = localize(df, "id")
    assert list(out.columns) == ["Kode", "MPP", "Punya MPP sendiri", "Predikat RB", "Dasar tanggal", "Alasan"]
    assert out.iloc[0].tolist() == ["12.71", "Belum ada MPP", "tidak", "tidak ada data", "peresmian nasional",
                                    "nama kosong"]
    assert localize(df, "id", english=True) is df  # machine-friendly headers for scripts
    assert column_label("nearest_mpp_km", "en") == "Distance (km)"


def test_every_curated_table_downloads_with_words_for_headers_and_codes():
    """The Data page's downloads in id: every header a word (no field name), no two alike; codes in words."""
    import re

    from geo.registry import load_curation_report, load_official_totals, load_registry
    from geo.scores import load_scores
    from geo.tables import to_csv_bytes

    for df in (load_registry(), load_scores(), load_official_totals(), load_curation_report("exclusions"),
               load_curation_report("negative_evidence")):
        out = localize(df, "id", missing=False)
        header = to_csv_bytes(out).decode("utf-8-sig").splitlines()[0]
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", header), header
        assert len(set(out.columns)) == len(df.columns) and len(out) == len(df)
    reg = localize(load_registry(), "id")
    assert set(reg["Dasar tanggal"]) <= {"peresmian nasional", "pembukaan daerah", "hanya diketahui ada",
                                         "uji coba atau peluncuran terbatas"}
    assert set(reg["Dihitung secara nasional"]) <= {"ya", "tidak"}


def test_numbers_are_written_per_column_in_the_readers_language():
    from geo.labels import NUMBER_FORMATS, number_text

    assert number_text("population", 4140295, "id") == "4.140.295" and number_text("population", 4140295, "en") == "4,140,295"
    assert number_text("nearest_mpp_km", 182.44, "id") == "182,4" and number_text("nearest_mpp_km", 182.44, "en") == "182.4"
    assert number_text("score", 72.35, "id") == "72,35" and number_text("rb_score", 68.1, "id") == "68,1"
    assert number_text("coverage_rate", 0.1515, "id") == "15,2%"
    assert number_text("population", None, "id") == "tidak ada data"
    assert number_text("year", 2024, "id") == 2024 and "year" not in NUMBER_FORMATS  # years are never grouped
    assert number_text("code", "12.14", "id") == "12.14"


def test_an_analysts_rows_read_in_the_readers_language():
    """SYNTHETIC upload: the provenance an analyst's rows carry (no date, their own file and row as source) and their
    coordinates' headers are words in Bahasa Indonesia, not the stored English (issue #24)."""
    from geo.uploads import read_mpp_file

    up = read_mpp_file(b"wilayah,tanggal,lat,lon\nKabupaten Karo,,3.1,98.5\nKota Medan,2020-01-01,,\n", "mpp_kantor.csv")
    out = localize(up.data, "id")
    assert list(out["Dasar tanggal"]) == ["berkas analis, tanpa tanggal", "berkas analis"]
    assert list(out["Sumber"]) == ["mpp_kantor.csv baris 2", "mpp_kantor.csv baris 3"]
    assert {"Lintang", "Bujur"} <= set(out.columns)
    assert list(localize(up.data, "en")["Sources"]) == ["mpp_kantor.csv row 2", "mpp_kantor.csv row 3"]
    urls = message_frame([{"sources": "https://example.go.id/berita row 2"}], ["sources"])
    assert localize(urls, "id").iloc[0, 0] == "https://example.go.id/berita row 2"  # an address is never rewritten
