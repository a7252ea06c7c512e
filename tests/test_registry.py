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

SOURCES = ROOT / "data" / "sources"


@pytest.fixture(scope="module")
def real_build():
    """The registry built from the project's own copy of the statements (data/sources/), not from ../shared."""
    return rg.build_registry(rg.read_sources(SOURCES / "mpp_sources.csv"))


def test_every_source_row_is_accounted_for(real_build):
    acc = real_build.accounting()
    assert acc["source rows"] == 796
    assert (acc["in the registry"] + acc["excluded"] + acc["negative evidence"] + acc["leads"]
            + acc["unmatched"]) == 796
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


def test_scores_tidy_pick_and_bands():
    raw = pd.read_csv(SOURCES / "reform_scores_sources.csv", dtype=str, keep_default_na=False)
    tidy, unmatched = build_scores(raw)
    assert len(tidy) + len(unmatched) == len(raw)  # every statement used or listed with its reason
    assert list(unmatched["region_name"]) == ["Kabupaten Bombana", "Kabupaten Bombana"]
    assert unmatched["reason"].str.startswith("no assessment year stated").all()
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


# --- issue #11: dated right, one definition everywhere, reproducible -------------------------------------------

def test_a_deputi_at_a_local_launch_is_not_the_national_inauguration():
    """SYNTHETIC rows: the Bupati's launch with a Deputi online, then the Minister's batch months later."""
    b = rg.build_registry(synthetic(
        ("Kabupaten Mimika", "Papua Tengah", "", "2025-06-18",
         "launched locally by the Bupati, Deputi KemenPANRB attending online", "https://a", "local launch"),
        ("Kabupaten Mimika", "Papua Tengah", "", "2025-09-24",
         "joint virtual inauguration of 11 MPP by Menteri PANRB", "https://b", ""),
    ))
    r = one(b, "94.04")
    assert (r.opened_on, r.date_basis) == ("2025-09-24", "national inauguration")
    assert rg.classify("inaugurated locally by the Wakil Gubernur, ahead of the KemenPANRB factual test", "")[0] == "local"
    assert rg.classify("local launch, Deputi Diah Natalisa present", "")[0] == "local"
    assert rg.classify("inaugurated by Menteri PANRB Azwar Anas", "")[0] == "national"


def test_a_batch_event_dates_the_rows_that_name_it():
    """SYNTHETIC: a year-only soft launch naming a batch is dated by the batch's event (dated by another row)."""
    events = pd.DataFrame([{"event_id": "E1", "date": "2024-10-08", "name": "Gebyar", "stated_size": "2",
                            "total_before": "208", "total_after": "210", "link_pattern": "Gebyar Pelayanan Prima",
                            "source_url": "https://e", "statement": ""}])
    b = rg.build_registry(synthetic(
        ("Kota Solok", "Sumatera Barat", "", "2024", "symbolic soft launch of 22 MPP at 'Gebyar Pelayanan Prima'",
         "https://a", "soft launch"),
        ("Kabupaten Solok", "Sumatera Barat", "", "2024", "symbolic soft launch at 'Gebyar Pelayanan Prima'",
         "https://a", "soft launch"),
        ("Kota Padang", "Sumatera Barat", "", "2024", "soft launch by the Wali Kota", "https://c", "soft launch"),
    ), events=events)
    solok = one(b, "13.72")
    assert (solok.opened_on, solok.date_basis, solok.event_id) == ("2024-10-08", "national inauguration", "E1")
    assert one(b, "13.71").opened_on == "2024"  # not named in the batch: keeps its own date
    check = rg.batch_check(b.registry, events)
    assert check.iloc[0][["stated_size", "linked", "difference"]].tolist() == [2, 2, 0]
    assert len(rg.as_of(b.registry, "2024-10-08")) == 2


def test_known_by_counts_on_its_date_everywhere():
    """SYNTHETIC: a source says the MPP existed on 2022-01-31; it was (re)inaugurated later. It counts from
    2022-01-31 on the map, in the detail and in every count."""
    from geo.coverage import regency_coverage, regency_detail

    b = rg.build_registry(synthetic(
        ("Kota Makassar", "Sulawesi Selatan", "", "", "listed as existing MPP as of 2022-01-31", "https://a",
         "no inauguration date"),
        ("Kota Makassar", "Sulawesi Selatan", "", "2024-12-12", "joint (virtual) inauguration of 42 MPP by Menteri PANRB",
         "https://b", ""),
    ))
    r = one(b, "73.71")
    assert (r.opened_on, r.known_by) == ("2024-12-12", "2022-01-31")
    assert rg.effective_date(b.registry).iloc[0] == pd.Timestamp("2022-01-31")
    t = regency_coverage(date(2022, 12, 31), ["73"], b.registry, load_scores())
    assert bool(t.set_index("code").at["73.71", "has_mpp"])
    assert len(regency_detail("73.71", b.registry, load_scores())["mpps"]) == 1


def test_an_inference_is_a_lead_never_an_mpp():
    b = rg.build_registry(synthetic(
        ("Kabupaten Pacitan", "Jawa Timur", "", "", "the governor names the 7 regions without an MPP", "https://a",
         "INFERENCE BY COMPLEMENT, no direct page found"),
    ))
    assert b.registry.empty and len(b.leads) == 1 and b.leads.iloc[0]["code"] == "35.01"
    assert b.accounting()["leads"] == 1


def test_a_province_served_regency_is_served_in_every_count_and_list():
    """SYNTHETIC registry: DK Jakarta's province-run MPP serves its six regencies."""
    from geo.coverage import gaps, province_ranking, regency_coverage, summarise

    b = rg.build_registry(synthetic(
        ("DKI Jakarta", "DKI Jakarta", "MPP DKI", "2017-10-12", "inaugurated by Menteri PANRB Asman Abnur", "https://a",
         "province-level MPP (Pemprov DKI)"),
    ))
    t = regency_coverage(date(2024, 1, 1), ["31"], b.registry, load_scores())
    s = summarise(t, date(2024, 1, 1), b.registry, rg.load_official_totals())
    assert (s.regencies, s.with_own_mpp, s.served, s.without_service, s.mpps_counted) == (6, 0, 6, 0, 1)
    assert s.provinces_fully_covered == 1 and s.scope == "provinces"
    assert gaps(t, None, None).empty  # never listed as having no service
    rank = province_ranking(t).iloc[0]
    assert (rank.served, rank.without, rank.served_rate) == (6, 0, 1.0)


def test_real_registry_dates_and_official_totals():
    reg = rg.load_registry().set_index("name")
    assert reg.at["Kabupaten Mimika", "opened_on"] == "2025-09-24"
    assert reg.at["Kota Surakarta", "opened_on"] == "2020-08-28"
    assert reg.at["Kabupaten Hulu Sungai Selatan", "opened_on"] == "2022-05"
    assert reg.at["Kota Bandung", "opened_on"] == "2022-08-23"
    assert reg.at["Kabupaten Maluku Barat Daya", "opened_on"] == "2025-09-24"
    leads = pd.read_csv(ROOT / "data" / "mpp_leads.csv", dtype=str)
    assert "Kabupaten Pacitan" in set(leads["name"]) and "Kabupaten Pacitan" not in reg.index


@pytest.mark.parametrize("day, official", [("2022-12-05", 103), ("2023-09-26", 152), ("2023-11-21", 175),
                                           ("2024-06-24", 208), ("2024-10-08", 230), ("2024-12-12", 272),
                                           ("2025-12-15", 305)])
def test_mpp_count_within_five_percent_of_kemenpanrb(day, official):
    from geo.coverage import regency_coverage, summary

    reg = rg.load_registry()
    t = regency_coverage(date.fromisoformat(day), [], reg, load_scores())
    s = summary(t, date.fromisoformat(day), reg, rg.load_official_totals())
    assert s["official_total"] == official
    assert abs(s["mpp_count"] - official) <= 0.05 * official, s["mpp_count"]


def test_scores_known_for_enough_regencies_and_never_out_of_scope():
    from geo.coverage import regency_coverage

    sc = load_scores()
    t = regency_coverage(date(2025, 12, 31), [], rg.load_registry(), sc)
    assert t["sakip_predikat"].notna().sum() >= 170 and t["rb_predikat"].notna().sum() >= 55
    assert not sc[sc["selected"] & (sc["quality"] == "outside-scope")].size
    assert (sc["quality"] == "names-supplied").sum() > 0  # the weaker class is kept and labelled


def test_build_registry_check_passes_without_shared(tmp_path):
    """The repository alone rebuilds every curated table (no ../shared needed)."""
    p = subprocess.run([sys.executable, "-m", "geo", "build-registry", "--check"], cwd=ROOT, capture_output=True,
                       text=True, timeout=300, env={**__import__("os").environ, "PYTHONPATH": str(ROOT),
                                                    "PETA_MPP_SHARED": str(tmp_path / "no-shared")})
    assert p.returncode == 0, p.stdout + p.stderr
    assert "ok: every curated table" in p.stdout


def test_check_fails_with_a_short_diff_when_a_table_differs(tmp_path):
    import shutil

    from geo.curation import build_all, differences

    for f in (ROOT / "data").glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    reg = (tmp_path / "mpp_registry.csv").read_text().splitlines()
    (tmp_path / "mpp_registry.csv").write_text("\n".join(reg[:-1]) + "\n")
    diff = differences(build_all(), tmp_path)
    assert diff and diff[0].startswith("mpp_registry.csv:") and len(diff) < 20


def test_add_statements_validates_appends_and_reports(tmp_path):
    """SYNTHETIC statements (not real facts) added to a copy of the sources."""
    import shutil

    from geo.curation import add_statements

    src, out = tmp_path / "sources", tmp_path / "data"
    shutil.copytree(ROOT / "data" / "sources", src)
    out.mkdir()
    f = tmp_path / "new.csv"
    f.write_text("Nama Wilayah,Tanggal,Peristiwa,Sumber\n"
                 "Kabupaten Pacitan,2025-12-20,SYNTHETIC inauguration by Menteri PANRB,https://example.org/a\n"
                 "Kota Atlantis,2025-12-20,x,https://example.org/b\n"
                 "Kabupaten Ponorogo,2031-01-01,x,https://example.org/c\n"
                 "Kabupaten Situbondo,2025-12-20,x,not-a-url\n")
    r = add_statements(f, sources=src, out=out)
    assert (r.accepted, r.rejected) == (1, 3)
    reasons = list(r.report["reason"])
    assert "unmatched" in reasons[1] and "not plausible" in reasons[2] and "not an http(s) URL" in reasons[3]
    assert (src / "mpp_sources.csv").read_text().count("SYNTHETIC inauguration") == 1
    assert any("MPPs in the registry: " in c and "->" in c for c in r.changes)
    assert "Kabupaten Pacitan" in (out / "mpp_registry.csv").read_text()
    again = add_statements(f, sources=src, out=out)  # the same file again appends nothing
    assert (src / "mpp_sources.csv").read_text().count("SYNTHETIC inauguration") == 1
    assert "statements appended: 0" in again.changes[0]


def test_schemas_name_the_table_column_and_row():
    from geo.errors import PetaError
    from geo.schemas import MPP_STATEMENTS, validate

    bad = synthetic(("Kota Medan", "Sumatera Utara", "", "07/03/2024", "x", "ftp://a", ""))
    with pytest.raises(PetaError, match=r"mpp_sources.csv: 2 value\(s\) break the schema.*inaugurated_on.*source_url"):
        validate(MPP_STATEMENTS, bad)
