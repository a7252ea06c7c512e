"""Curation rules on small synthetic fixtures (labelled as such), and the built registry on the real sources."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from helpers import ROOT, SOURCES, synthetic  # noqa: E402

from geo import registry as rg
from geo.coverage import coverage, parse_as_of
from geo.gazetteer import resolve_provinces
from geo.inputs import reference
from geo.scores import load_scores


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
    cov = coverage(parse_as_of(year=2024), ["13"], b.registry, load_scores(), rg.load_official_totals(), **reference())
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
    cov = coverage(parse_as_of(year=2021), ["72", "31"], b.registry, load_scores(), rg.load_official_totals(), **reference())
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
def real_build():
    """The registry built from the project's own copy of the statements (data/sources/), not from ../shared."""
    return rg.build_registry(rg.read_sources(SOURCES / "mpp_sources.csv"))


@pytest.mark.slow
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


def test_province_filters_accept_names_codes_and_abbreviations():
    assert resolve_provinces(["Sumatera Utara", "32", "Jatim"]) == ["12", "32", "35"]


def test_an_mpp_no_source_dates_counts_from_the_datas_date_never_before_and_never_from_today():
    b = rg.build_registry(synthetic(
        ("Kabupaten Klungkung", "Bali", "MPP Klungkung", "", "inaugurated with Menteri PANRB (date not in excerpt)",
         "https://a", ""),
        ("Kota Medan", "Sumatera Utara", "MPP Medan", "2025-06-01", "inaugurated by Menteri PANRB", "https://b", ""),
    ))
    r = one(b, "51.05")
    assert (r.opened_on, r.known_by, r.date_basis) == ("", "", "existence only")
    assert "counted from the data's own date" in r.notes
    assert rg.data_as_of(b.registry) == date(2025, 6, 1)
    assert set(rg.as_of(b.registry, "2025-06-01")["code"]) == {"51.05", "12.71"}  # the data's date: both count
    assert rg.as_of(b.registry, "2025-05-31").empty  # never before it


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
    t = regency_coverage(date(2022, 12, 31), ["73"], b.registry, load_scores(), **reference())
    assert bool(t.set_index("code").at["73.71", "has_mpp"])
    assert len(regency_detail("73.71", b.registry, load_scores()).mpps) == 1


def test_an_inference_is_a_lead_never_an_mpp():
    b = rg.build_registry(synthetic(
        ("Kabupaten Pacitan", "Jawa Timur", "", "", "the governor names the 7 regions without an MPP", "https://a",
         "INFERENCE BY COMPLEMENT, no direct page found"),
    ))
    assert b.registry.empty and len(b.leads) == 1 and b.leads.iloc[0]["code"] == "35.01"
    assert b.accounting()["leads"] == 1


def test_real_registry_dates_and_official_totals():
    reg = rg.load_registry().set_index("name")
    assert reg.at["Kabupaten Mimika", "opened_on"] == "2025-09-24"
    assert reg.at["Kota Surakarta", "opened_on"] == "2020-08-28"
    assert reg.at["Kabupaten Hulu Sungai Selatan", "opened_on"] == "2022-05"
    assert reg.at["Kota Bandung", "opened_on"] == "2022-08-23"
    assert reg.at["Kabupaten Maluku Barat Daya", "opened_on"] == "2025-09-24"
    leads = pd.read_csv(ROOT / "data" / "mpp_leads.csv", dtype=str)
    assert "Kabupaten Pacitan" in set(leads["name"]) and "Kabupaten Pacitan" not in reg.index

