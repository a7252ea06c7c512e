"""MPP Digital curation: platforms kept apart, every statement accounted for, incompleteness stated."""

from __future__ import annotations

from datetime import date

import pandas as pd

from geo.coverage import regency_coverage
from geo.digital import build_digital, completeness, load_digital, load_digital_totals
from geo.inputs import reference
from geo.registry import load_registry
from geo.scores import load_scores


def test_build_from_shared_statements(shared):
    src = pd.read_csv(shared / "data" / "mpp_digital" / "mpp_digital_sources.csv", dtype=str, keep_default_na=False)
    b = build_digital(src)
    acc = b.accounting()
    assert acc["source rows"] == 66 and acc["in the table"] + acc["unmatched"] == 66
    assert sorted(b.unmatched["region_name"]) == ["Kabupaten Bengkulu", "Kotawaringin"]  # ambiguous as written
    r = b.regions.set_index("name")
    pilots = r[(r["platform"] == "national") & (r["stage"] == "pilot")]
    assert len(pilots) == 21
    assert r.at["Jawa Barat", "platform"] == "province" and r.at["Jawa Barat", "level"] == "province"
    assert r.at["Kabupaten Sinjai", "platform"] == "local"          # Kemendagri's MPPI, not the national app
    assert r.at["Kabupaten Tulang Bawang Barat", "first_on"] == "2023-01-16"  # the CONFLICT-flagged 2022 date loses
    assert r.at["Kabupaten Penajam Paser Utara", "platform"] == "not stated"
    committed = load_digital()
    assert list(committed["code"]) == list(b.regions["code"])


def test_completeness_says_how_little_is_named():
    lines = completeness(load_digital(), load_digital_totals())
    assert any("199" in line for line in lines) and any("named here: 21 pilot" in line for line in lines)


def test_coverage_table_carries_the_digital_stage_as_of_a_date():
    reg, sc = load_registry(), load_scores()
    before = regency_coverage(date(2023, 6, 1), ["33"], reg, sc, **reference()).set_index("code")
    after = regency_coverage(date(2023, 12, 31), ["33"], reg, sc, **reference()).set_index("code")
    assert pd.isna(before.at["33.72", "digital_stage"])  # Kota Surakarta: pilot from 2023-06-20
    assert after.at["33.72", "digital_stage"] == "pilot" and after.at["33.72", "digital_platform"] == "national"
    jabar = regency_coverage(date(2024, 1, 1), ["32"], reg, sc, **reference())
    assert (jabar["digital_platform"] == "province").all()  # Jawa Barat's own platform (2022)
