"""Numbers and dates the Indonesian way in id, the English way in en."""

from __future__ import annotations

from datetime import date

import pandas as pd

from geo.i18n import fmt_date, fmt_int, fmt_millions, fmt_pct


def test_numbers_and_dates():
    assert fmt_int(4_140_295, "id") == "4.140.295" and fmt_int(4_140_295, "en") == "4,140,295"
    assert fmt_date(date(2024, 7, 17), "id") == "17 Juli 2024" and fmt_date(date(2024, 7, 17), "en") == "17 July 2024"
    assert fmt_pct(0.2647, "id") == "26,5%" and fmt_pct(0.2647, "en") == "26.5%"
    assert fmt_int(pd.NA, "id") == "tidak ada data" and fmt_int(None, "en") == "no data"
    assert fmt_millions(172_802_000, "id") == "172,8 jt" and fmt_millions(4_140_295, "en") == "4.1 M"
