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
