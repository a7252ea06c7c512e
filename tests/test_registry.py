"""Curation rules on small synthetic fixtures (labelled as such), and the built registry on the real sources."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from geo import registry as rg
from geo.coverage import coverage, parse_as_of
from geo.gazetteer import resolve_provinces
from geo.scores import PREDIKAT_BANDS, build_scores, latest_scores, load_scores

ROOT = Path(__file__).resolve().parent.parent
COLS = ["region_name", "province", "mpp_name", "inaugurated_on", "event", "source_url", "note"]


def synthetic(*rows: tuple) -> pd.DataFrame:
    """SYNTHETIC test rows in the shape of shared/data/mpp/mpp_sources.csv (not real facts)."""
    return pd.DataFrame([dict(zip(COLS, r)) for r in rows])


def one(build: rg.RegistryBuild, code: str) -> pd.Series:
    hit = build.registry[build.registry["code"] == code]
    assert len(hit) == 1, hit
    return hit.iloc[0]


def test_conflicting_national_dates_keep_both_and_pick_the_earliest_precise():
    b = rg.build_registry(synthetic(
        ("Kota Medan", "Sumatera Utara", "MPP Medan", "2024-03-07", "joint inauguration of 16 MPP", "https://a", ""),
        ("Kota Medan", "Sumatera Utara", "", "2024-03-09", "inaugurated by Menteri PANRB", "https://b", ""),
        ("Kota Medan", "Sumatera Utara", "", "2024", "inaugurated by Menteri PANRB (year only)", "https://c", ""),
    ))
    r = one(b, "12.71")
    assert (r.opened_on, r.date_precision, r.date_basis) == ("2024-03-07", "day", "national inauguration")
    assert "2024-03-09" in r.conflicts and "2024" not in r.conflicts.replace("2024-03-09", "")
    assert r.sources == "https://a | https://b | https://c"


def test_a_more_precise_date_beats_a_vaguer_one_that_agrees():
    b = rg.build_registry(synthetic(
        ("Kota Tebing Tinggi", "Sumatera Utara", "", "2022", "inauguration witnessed by Deputi Diah Natalisa", "https://a", ""),
        ("Kota Tebing Tinggi", "Sumatera Utara", "", "2022-03", "inaugurated with Deputi KemenPANRB", "https://b", ""),
        ("Kota Tebing Tinggi", "Sumatera Utara", "", "2022-03-02", "inaugurated with Deputi KemenPANRB", "https://c", ""),
    ))
    r = one(b, "12.76")
    assert (r.opened_on, r.date_precision, r.conflicts) == ("2022-03-02", "day", "")


def test_soft_launch_then_national_inauguration():
    b = rg.build_registry(synthetic(
        ("Kabupaten Asahan", "Sumatera Utara", "", "2023-03-15", "soft launching by Gubernur", "https://a", "soft launch"),
        ("Kabupaten Asahan", "Sumatera Utara", "", "2023-05-12", "joint inauguration of 4 MPP by Menteri PANRB", "https://b", ""),
    ))
    r = one(b, "12.09")
    assert (r.opened_on, r.date_basis, r.status) == ("2023-05-12", "national inauguration", "operating")
    only_soft = rg.build_registry(synthetic(
        ("Kabupaten Deli Serdang", "Sumatera Utara", "", "2026-01-30", "soft launching by Bupati", "https://a", "soft launch"),
    ))
    r = one(only_soft, "12.07")
    assert (r.opened_on, r.date_basis, r.status) == ("2026-01-30", "soft launch or trial", "soft launch")


def test_local_opening_is_used_and_flagged_when_there_is_no_national_inauguration():
    b = rg.build_registry(synthetic(
        ("Kabupaten Banyumas", "Jawa Tengah", "MPP Banyumas", "2018-12-28", "launched by Pemkab Banyumas", "https://a", ""),
    ))
    r = one(b, "33.02")
    assert r.date_basis == "local opening" and "local opening" in r.notes


def test_a_relocation_and_a_second_unit_never_double_count():
    b = rg.build_registry(synthetic(
        ("Kota Padang", "Sumatera Barat", "MPP Padang", "2018-12-27", "inaugurated by Menteri PANRB Syafruddin", "https://a", ""),
        ("Kota Padang", "Sumatera Barat", "MPP Padang (Plaza Andalas)", "2023-12-19", "soft opening of relocated MPP",
         "https://b", "RELOCATION of an existing MPP"),
        ("Kota Padang", "Sumatera Barat", "Mini MPP", "2024-02-01", "Mini MPP inaugurated", "https://c",
         "SECOND MPP unit (satellite)"),
    ))
    r = one(b, "13.71")
    assert r.opened_on == "2018-12-27" and len(b.registry) == 1
    assert "https://b" in r.sources and "2023-12-19" in r.notes
    cov = coverage(parse_as_of(year=2024), ["13"], b.registry, load_scores(), rg.load_official_totals())
    assert cov.table.set_index("code").at["13.71", "mpp_count"] == 1


def test_a_province_run_mpp_is_flagged_with_its_province_and_the_regency_it_stands_in():
    b = rg.build_registry(synthetic(
        ("Provinsi Sulawesi Tengah (with Kota Palu)", "Sulawesi Tengah", "MPP Sulawesi Tengah", "2020-07-15",
         "inaugurated by Kepala BKPM with Wagub Sulteng, in Palu", "https://a", "province-level MPP"),
        ("DKI Jakarta", "DKI Jakarta", "MPP Jakarta", "2017-10-12", "inaugurated by Menteri PANRB Asman Abnur",
         "https://b", "province-level MPP"),
    ))
    sulteng = b.registry.set_index("mpp_id").loc["P72"]
    assert sulteng.province_run and sulteng.province_code == "72" and sulteng.code == "72.71"
    assert not sulteng.counted_nationally
    dki = b.registry.set_index("mpp_id").loc["P31"]
    assert dki.counted_nationally and len(dki.serves.split(";")) == 6
    cov = coverage(parse_as_of(year=2021), ["72", "31"], b.registry, load_scores(), rg.load_official_totals())
    t = cov.table.set_index("code")
    assert t.at["72.71", "presence"] == "province-run" and not t.at["72.71", "has_mpp"]
    assert (t.loc[t.index.str.startswith("31."), "presence"] == "province-run").all()


def test_a_year_only_date_counts_from_the_end_of_its_year():
    b = rg.build_registry(synthetic(
        ("Kota Pematangsiantar", "Sumatera Utara", "", "2024", "symbolic soft launch of 22 MPP by Menteri PANRB", "https://a",
         "soft launch"),
    ))
    r = one(b, "12.72")
    assert r.date_precision == "year"
    assert rg.as_of(b.registry, "2024-12-30").empty
    assert len(rg.as_of(b.registry, "2024-12-31")) == 1


def test_negative_evidence_plans_and_designations_make_no_mpp():
    b = rg.build_registry(synthetic(
        ("Kota Gorontalo", "Gorontalo", "", "2023-10-31", "Deputi: Kota Gorontalo has no MPP", "https://a",
         "NO MPP at article date (negative evidence)"),
        ("Kota Jambi", "Jambi", "", "2022-05-17", "PLANNED inauguration on city anniversary", "https://b", "planned date"),
        ("Kabupaten Langkat", "Sumatera Utara", "", "2018", "designated as MPP location", "https://c", "DESIGNATION ONLY"),
        ("Kota Pematang Siantar", "Sumatera Utara", "", "2023-09-11", "inaugurated by Wali Kota; operation planned for Q1 2024",
         "https://d", "local inauguration"),
    ))
    assert b.registry.empty
    assert list(b.negative["code"]) == ["75.71"]
    assert sorted(b.exclusions["kind"]) == ["construction", "designation", "plan"]
    assert b.accounting()["source rows"] == 4 and len(b.exclusions) + len(b.negative) == 4


def test_an_unmatched_name_is_listed_with_its_reason():
    b = rg.build_registry(synthetic(
        ("Magelang", "Jawa Tengah", "", "2023-11-21", "joint inauguration of 12 MPP", "https://a", ""),
        ("Kabupaten Atlantis", "", "", "2023-11-21", "joint inauguration of 12 MPP", "https://b", ""),
    ))
    assert b.registry.empty and len(b.unmatched) == 2
    reasons = list(b.unmatched["reason"])
    assert reasons[0].startswith("ambiguous") and "Kota Magelang" in reasons[0]
    assert reasons[1].startswith("unmatched")


# --- the real registry ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_build(shared):
    return rg.build_registry(rg.read_sources(shared / "data" / "mpp" / "mpp_sources.csv"))


def test_every_source_row_is_accounted_for(real_build):
    acc = real_build.accounting()
    assert acc["source rows"] == 772
    assert acc["in the registry"] + acc["excluded"] + acc["negative evidence"] + acc["unmatched"] == 772
    assert (real_build.exclusions["reason"].str.len() > 0).all()
    assert (real_build.unmatched["reason"].str.len() > 0).all()
    assert real_build.registry["mpp_id"].is_unique
    regencies = real_build.registry[~real_build.registry["province_run"]]
    assert regencies["code"].is_unique  # one MPP per regency: relocations and second units never double-count
    assert regencies["sources"].str.startswith("http").all()


def test_committed_registry_is_the_build_of_the_shared_sources(real_build):
    committed = rg.load_registry()
    assert len(committed) == len(real_build.registry)
    assert list(committed["mpp_id"]) == list(real_build.registry["mpp_id"])
    for col in ("opened_on", "mpp_name", "status", "sources", "source_rows"):
        assert list(committed[col]) == list(real_build.registry[col]), col


def test_seed_case_north_sumatra_on_2024_07_17():
    p = subprocess.run([sys.executable, "-m", "geo", "coverage", "--as-of", "2024-07-17", "--province",
                        "Sumatera Utara", "--json"], cwd=ROOT, capture_output=True, text=True, timeout=120)
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


def test_scores_tidy_pick_and_bands(shared):
    raw = pd.read_csv(shared / "data" / "reform" / "reform_scores_sources.csv", dtype=str, keep_default_na=False)
    tidy, unmatched = build_scores(raw)
    assert len(tidy) == len(raw) and unmatched.empty
    assert set(tidy["predikat"]) <= set(PREDIKAT_BANDS) | {""}
    one_per_year = tidy[tidy["selected"]].groupby(["code", "assessment", "year"]).size()
    assert (one_per_year == 1).all()
    kalsel = tidy[(tidy["code"] == "63") & (tidy["assessment"] == "SAKIP") & (tidy["year"] == 2020)]
    assert len(kalsel) >= 2 and kalsel["conflict"].str.contains("disagree").all()
    chosen = kalsel[kalsel["selected"]].iloc[0]
    assert chosen.quality == "direct" and chosen.predikat == "BB"  # direct beats the blanket "A since 2020"
    # Never derived: rows without a stated predikat keep none, even with a score.
    aceh = tidy[(tidy["code"] == "11") & (tidy["assessment"] == "RB") & (tidy["year"] == 2021)].iloc[0]
    assert aceh.predikat == "" and aceh.score == pytest.approx(63.36)
    assert list(PREDIKAT_BANDS) == ["AA", "A", "BB", "B", "CC", "C", "D"]


def test_latest_scores_as_of_a_date_use_only_assessments_of_earlier_years():
    scores = load_scores()
    mid = latest_scores(scores, "2024-07-17")
    row = mid[(mid["code"] == "12") & (mid["assessment"] == "RB")].iloc[0]
    assert (row.predikat, row.year) == ("BB", 2023)
    before = latest_scores(scores, "2023-06-30")  # the 2023 results are not counted yet
    sumut = before[before["code"] == "12"].set_index("assessment")
    assert "RB" not in sumut.index  # no earlier RB result for Sumut is known
    assert (sumut.at["SAKIP", "predikat"], sumut.at["SAKIP", "year"]) == ("B", 2019)


def test_province_filters_accept_names_codes_and_abbreviations():
    assert resolve_provinces(["Sumatera Utara", "32", "Jatim"]) == ["12", "32", "35"]


def test_an_mpp_no_source_dates_counts_today_but_never_in_the_past():
    b = rg.build_registry(synthetic(
        ("Kabupaten Klungkung", "Bali", "MPP Klungkung", "", "inaugurated with Menteri PANRB (date not in excerpt)",
         "https://a", ""),
    ))
    r = one(b, "51.05")
    assert (r.opened_on, r.known_by, r.date_basis) == ("", "", "existence only")
    assert "today only" in r.notes
    assert len(rg.as_of(b.registry, pd.Timestamp.today().normalize())) == 1
    assert rg.as_of(b.registry, "2025-12-31").empty


def test_provinces_fully_covered_today_match_kemenpanrb():
    """KemenPAN-RB (2025-09-24): Banten, DIY, Jawa Tengah, Bali and DK Jakarta at 100%."""
    from geo.coverage import regency_coverage, summary

    reg, sc = rg.load_registry(), load_scores()
    t = regency_coverage(date(2025, 12, 31), [], reg, sc)
    served = (t["has_mpp"] | t["province_run_mpp"]).groupby(t["province"]).all()
    assert set(served[served].index) == {"Banten", "Daerah Istimewa Yogyakarta", "Jawa Tengah",
                                         "Daerah Khusus Ibukota Jakarta"}  # Klungkung (Bali) is undated: today only
    today = regency_coverage(date.today(), [], reg, sc)
    s = summary(today, date.today(), reg, rg.load_official_totals())
    assert s["provinces_fully_covered"] == 5
