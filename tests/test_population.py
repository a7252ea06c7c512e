"""People: the registered-resident and official-area files reconciled to the gazetteer, people in every summary,
the people layer, and the polygons checked against BIG's official areas."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from helpers import run

from geo.coverage import regency_coverage, summarise
from geo.inputs import reference
from geo.maps import NO_DATA_COLOUR, PEOPLE_COLOURS, SERVED_COLOUR, layer_classes
from geo.population import read_region_stats, regency_stats, region_stats
from geo.registry import load_official_totals, load_registry
from geo.scores import load_scores

ROOT = Path(__file__).resolve().parent.parent



def test_every_row_of_the_real_files_is_accounted_for():
    r = region_stats()
    pop, area = r.report["population"], r.report["area"]
    assert pop["rows_read"] == 553 and pop["national_total"] == 284_973_643 and pop["sums_to_national"]
    assert pop["unmatched"] == [] and pop["missing_official"] == [] and area["missing_official"] == []
    # The documented defects, repaired because the names agree, and reported:
    assert sorted(x["code"] for x in area["remapped"]) == ["11.1", "12.1", "12.2", "14.1", "31.0"]
    # A defect SOURCE.md does not list: the province row '96' is spelled "Papua Barat Oaya".
    assert [x["code"] for x in pop["remapped"]] == ["96"] and "misspelling" in pop["remapped"][0]["reason"]
    s = regency_stats()
    assert len(s) == 514 and s["population"].notna().all() and s["area_km2"].notna().all()
    assert int(s.set_index("code").at["12.71", "population"]) == 2_546_452


def test_unknown_and_unmatched_rows_are_reported_not_dropped(tmp_path):
    """SYNTHETIC rows: a code that is no region, a duplicate, a row without a number."""
    (tmp_path / "p.sql").write_text("INSERT INTO x VALUES ('0','INDONESIA','1','1','10'),('12.71','Kota Medan','1','1','5'),"
                                    "('12.71','Kota Medan','1','1','5'),('99.99','Kota Atlantis','1','1','5'),"
                                    "('12.72','Kota Pematangsiantar','1','1','');")
    (tmp_path / "a.sql").write_text("INSERT INTO y VALUES ('12.71','Kota Medan',265.1);")
    r = read_region_stats(tmp_path / "p.sql", tmp_path / "a.sql")
    pop = r.report["population"]
    assert pop["matched"] == 1 and len(pop["duplicates"]) == 1
    assert {x["code"] for x in pop["unmatched"]} == {"99.99", "12.72"}
    assert "12.72" in pop["missing_official"] and not pop["sums_to_national"]


def test_people_in_the_summary_for_the_seed_case_and_nationally():
    p = run("coverage", "--as-of", "2024-07-17", "--province", "Sumatera Utara", "--json")
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    s = d["summary"]
    assert (s["population_total"], s["population_covered"]) == (15_640_905, 4_140_295)
    assert s["population_served"] == 4_140_295 and s["population_without"] == 15_640_905 - 4_140_295
    assert all("population" in r and "area_km2" in r for r in d["regencies"])
    t = regency_coverage(date(2025, 12, 31), [], load_registry(), load_scores(), **reference())
    s = summarise(t, date(2025, 12, 31), load_registry(), load_official_totals())
    assert s.population_total == 284_973_643 and s.population_served >= s.population_covered


def test_a_regency_without_a_figure_is_no_data_never_zero():
    full = regency_stats()
    karo_people = int(full.set_index("code").at["12.06", "population"])
    stats = full[full["code"] != "12.06"]  # SYNTHETIC gap: Karo's figure removed
    t = regency_coverage(date(2024, 7, 17), ["12"], load_registry(), load_scores(), **{**reference(), "stats": stats})
    karo = t.set_index("code").loc["12.06"]
    assert pd.isna(karo["population"])
    s = summarise(t, date(2024, 7, 17), load_registry(), load_official_totals())
    assert s.population_unknown == 1 and s.population_total == 15_640_905 - karo_people
    colours, legend = layer_classes(t, "people")
    assert colours[t.index[t["code"] == "12.06"][0]] == NO_DATA_COLOUR


def test_people_layer_keeps_no_mpp_and_no_data_apart():
    t = regency_coverage(date(2024, 7, 17), ["12"], load_registry(), load_scores(), **reference())
    colours, legend = layer_classes(t, "people", "id")
    by_code = dict(zip(t["code"], colours))
    assert by_code["12.71"] == SERVED_COLOUR                      # Kota Medan has an MPP
    assert by_code["12.07"] == PEOPLE_COLOURS[4]                  # Deli Serdang, over 2 million, none
    assert by_code["12.25"] == PEOPLE_COLOURS[0]                  # Nias Barat, under 250 thousand, none
    assert [c for c, _ in legend][-2:] == [SERVED_COLOUR, NO_DATA_COLOUR]


def test_boundaries_report_compares_every_polygon_with_its_official_area(builtin):
    p = run("boundaries", "--json")
    r = json.loads(p.stdout)["area_vs_official"]
    assert r["compared"] == 514 and 0.99 <= r["median_ratio"] <= 1.01
    out = {o["code"]: o for o in r["outliers"]}
    assert "12.78" in out and out["12.78"]["ratio"] > 1.3  # Kota Gunungsitoli's polygon is ~35% too large
    assert 8 <= len(out) <= 16 and all(abs(o["ratio"] - 1) > 0.10 for o in out.values())


def test_stats_files_are_pinned_and_verified(tmp_path, monkeypatch):
    from geo.sources import REGION_STATS, SourceError, resolve

    bad = tmp_path / "db"
    bad.mkdir()
    (bad / "wilayah_penduduk.sql").write_text("tampered")
    monkeypatch.setenv("PETA_MPP_REGION_STATS", str(tmp_path))
    with pytest.raises(SourceError, match="missing|checksum"):
        resolve(REGION_STATS)
