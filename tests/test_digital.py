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


def test_one_breakdown_of_mpp_digital_adds_up_wherever_it_is_stated(builtin):
    """The subtitle, the legend and the briefing state the same counts, and they add up (issue #24: 62, "~25 of 199"
    and 21 + 25 + 6 read as three unrelated figures)."""
    from geo.boundaries import attach_geometry
    from geo.briefing import _completeness, briefing_data
    from geo.digital import digital_counts, digital_sentence, digital_short
    from geo.inputs import briefing_inputs, map_inputs
    from geo.maps import coverage_map

    when = date(2026, 12, 1)
    table = regency_coverage(when, [], load_registry(), load_scores(), **reference())
    c = digital_counts(table, load_digital_totals())
    assert (c.regencies, c.national, c.national_pilots, c.province_platform, c.own_platform, c.not_stated) == \
        (514, 25, 21, 33, 3, 1)
    assert c.named == 62 == int(table["digital_platform"].notna().sum()) and c.unnamed == 452
    assert (c.stated_total, c.stated_year) == (199, 2024)
    short, whole = digital_short(c, "id"), digital_sentence(c, "id")
    assert short == "Disebut sumber: 62 dari 514 kab/kota (25 memakai aplikasi nasional); tidak disebut bukan berarti " \
                    "tidak ada"
    assert "25 memakai aplikasi nasional KemenPAN-RB (21 di antaranya uji coba 2023), 33 melalui platform " \
           "provinsinya, 3 dengan platform sendiri, 1 tanpa menyebut platformnya" in whole and "452 kab/kota sisanya" in whole
    drawn = attach_geometry(table, map_inputs([])["shapes"])
    assert short in coverage_map(drawn, "digital", "id").get_root().render()  # the legend's note
    data = briefing_data(when, [], load_registry(), load_scores(), "id", **briefing_inputs([]))
    assert whole in _completeness(data)
    jabar = digital_counts(regency_coverage(when, ["32"], load_registry(), load_scores(), **reference()))
    assert (jabar.regencies, jabar.province_platform, jabar.named) == (27, 27, 27)


def test_coverage_table_carries_the_digital_stage_as_of_a_date():
    reg, sc = load_registry(), load_scores()
    before = regency_coverage(date(2023, 6, 1), ["33"], reg, sc, **reference()).set_index("code")
    after = regency_coverage(date(2023, 12, 31), ["33"], reg, sc, **reference()).set_index("code")
    assert pd.isna(before.at["33.72", "digital_stage"])  # Kota Surakarta: pilot from 2023-06-20
    assert after.at["33.72", "digital_stage"] == "pilot" and after.at["33.72", "digital_platform"] == "national"
    jabar = regency_coverage(date(2024, 1, 1), ["32"], reg, sc, **reference())
    assert (jabar["digital_platform"] == "province").all()  # Jawa Barat's own platform (2022)
