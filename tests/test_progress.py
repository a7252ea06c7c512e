"""Progress in the ministry's terms (issue #23): units of 509, pace, projection, targets, and no count past the
data's own date; the same figures on the overview, the presentation, the national PDF and `coverage --json`."""

from __future__ import annotations

import io
import json
from datetime import date

import pandas as pd
import pytest

from geo.progress import (
    load_targets,
    official_pace,
    progress,
    projection,
    registry_pace,
    unit_dates,
    unit_of,
    units,
    units_with_mpp,
)
from geo.registry import data_as_of, effective_date, load_official_totals, load_registry

DEC = date(2025, 12, 15)


@pytest.fixture(scope="module")
def reg() -> pd.DataFrame:
    return load_registry()


def test_units_are_508_kab_kota_and_dk_jakarta_as_one():
    u = units()
    assert len(u) == 509 and (u["unit"] == "31").sum() == 1 and unit_of("31.71") == "31"
    assert len(units(("31",))) == 1 and len(units(("12",))) == 33


def test_the_ministrys_count_is_within_2_percent_of_the_official_one(reg):
    p = progress(DEC, (), reg, load_official_totals(), load_targets())
    assert p.units_total == 509 and abs(p.units_with_mpp - 305) / 305 <= 0.02
    assert p.units_with_mpp + p.units_without_mpp == 509
    for key in ("from", "to"):
        value = p.projected_complete[key]
        assert value is None or date.fromisoformat(value) > DEC
    # the targets in force on the date, with their sources; the latest is the Minister's of 2024-12-12
    assert p.targets[-1]["stated_on"] == "2024-12-12" and p.targets[-1]["target_by"] == "2025-12-31"
    assert all(t["source_url"].startswith("http") for t in p.targets)


def test_pace_from_the_registry_and_from_the_official_totals(reg):
    ud = unit_dates(reg)
    p12 = registry_pace(ud, DEC, 12)
    assert p12 == round((len(units_with_mpp(reg, DEC)) - len(units_with_mpp(reg, date(2024, 12, 15)))) / 12, 2)
    o = official_pace(load_official_totals(), DEC, 12)
    assert o["to"] == "2025-12-15" and o["from"] == "2024-12-12" and o["to_total"] == 305 and o["from_total"] == 272
    assert o["pace"] == pytest.approx((305 - 272) / ((date(2025, 12, 15) - date(2024, 12, 12)).days / 30.44), abs=0.01)


def test_a_projection_is_a_range_and_never_beyond_20_years():
    anchor = date(2026, 1, 1)
    r = projection(100, anchor, [10.0, 5.0])
    assert r["from"] == "2026-10-31" or r["from"].startswith("2026-1")
    assert r["to"].startswith("2027-0")  # 20 months at the slower pace
    slow = projection(200, anchor, [0.5, 0.0])
    assert slow == {"from": None, "to": None, "within_horizon": False, "reached": False}
    half = projection(200, anchor, [5.0, 0.0])
    assert half["from"] is not None and half["to"] is None
    assert projection(0, anchor, [1.0])["reached"]


def test_an_mpp_without_any_date_counts_from_the_datas_date_not_from_today(reg):
    undated = reg[(reg["opened_on"] == "") & (reg["known_by"] == "")]
    assert len(undated) == 5
    eff = effective_date(reg)
    assert (eff[undated.index] == pd.Timestamp(data_as_of(reg))).all()


def test_today_equals_the_datas_own_date_when_nothing_was_inaugurated_since():
    from helpers import run

    today = json.loads(run("coverage", "--json").stdout)["summary"]
    day = today["data_as_of"]
    then = json.loads(run("coverage", "--json", "--as-of", day).stdout)["summary"]
    for key in ("with_own_mpp", "served", "units_with_mpp", "mpps_in_registry", "provinces_fully_covered",
                "population_covered"):
        assert today[key] == then[key], key
    assert set(("units_total", "units_without_mpp", "pace_per_month_12m", "pace_per_month_24m",
                "projected_complete", "targets")) <= set(today)
    assert today["units_total"] == 509 and today["mpps_without_opening_date"] >= 5


@pytest.mark.slow
def test_overview_presentation_and_pdf_say_the_same_units(builtin):
    """The ministry's count on 2025-12-15 on the overview (a card), the presentation (its subtitle), the national
    PDF (its headline box) and the command line's JSON."""
    from pypdf import PdfReader
    from test_app import run as page

    from geo.briefing import briefing_data, briefing_pdf
    from geo.inputs import briefing_inputs
    from geo.scores import load_scores
    from helpers import run

    units = json.loads(run("coverage", "--json", "--as-of", DEC.isoformat()).stdout)["summary"]["units_with_mpp"]
    shown = f"{units} / 509"
    at = page("pages/ringkasan.py", as_of=DEC.isoformat())
    assert shown in [m.value for m in at.metric]
    assert any("Pada laju 12 dan 24 bulan terakhir" in m.value for m in at.markdown)
    at = page("pages/presentasi.py", as_of=DEC.isoformat(), layer="coverage")
    sub = " ".join(m.value for m in at.markdown)
    assert f"{units} dari 509 unit (hitungan KemenPAN-RB)" in sub
    from geo import views

    proj = views.summary(DEC, [], views.builtin_inputs())["summary"]["projected_complete"]  # as the API gives it
    assert "dengan laju saat ini selesai antara" in sub and proj["from"][:4] in sub and proj["to"][:4] in sub
    reg, sc = load_registry(), load_scores()
    pdf = briefing_pdf(briefing_data(DEC, [], reg, sc, "id", **briefing_inputs([])))
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    assert shown in pages[0] and "Kemajuan terhadap target" in pages[1]
    assert f"{units} dari 509 unit memiliki MPP" in pages[1].replace("\n", " ")


def test_the_overview_names_the_mpps_without_an_opening_date(builtin):
    from test_app import run as page

    at = page("pages/ringkasan.py")
    captions = [c.value.replace("\\", "") for c in at.caption]  # shown as plain text (Markdown escaped)
    assert any("MPP tidak diketahui tanggal pembukaannya (5 tanpa tanggal sama sekali" in c for c in captions)


def test_an_undated_uploaded_row_moves_neither_the_data_date_nor_the_pace_nor_the_projection():
    """Issue #37: an analyst's file with one row whose date cannot be used (SYNTHETIC) keeps the row (on the map from
    the data's own date) but the national story is the dated statements': the data's date, the paces and the
    projected completion are those of the registry without it; the upload report says how the row is counted."""
    from geo import views
    from geo.registry import load_curation_report
    from geo.uploads import merge_registry, read_mpp_file

    base = views.builtin_inputs()
    when = date.today()
    before = views.coverage_result(when, [], base).progress
    table = views.regencies(when, [], base)
    target = table[~table["has_mpp"] & ~table["province_run_mpp"].astype(bool)].iloc[0]
    up = read_mpp_file(f"wilayah,tanggal\n{target['name']},31/02/2023\n".encode(), "tanpa_tanggal.csv")
    assert up.report.iloc[0]["status"] == "warning"
    assert "changes neither that date nor the pace or the projected completion" in up.report.iloc[0]["reason"]
    merged = merge_registry(base.registry, up.data)[0]
    inputs = views.Inputs(registry=merged, scores=base.scores, totals=base.totals, key="undated-test", dataset="x")
    after = views.coverage_result(when, [], inputs).progress
    assert views.data_date(inputs) == views.data_date(base) == data_as_of(base.registry,
                                                                           load_curation_report("negative_evidence"))
    assert (after.pace_per_month_12m, after.pace_per_month_24m) == (before.pace_per_month_12m,
                                                                    before.pace_per_month_24m)
    assert after.projected_complete == before.projected_complete and after.data_as_of == before.data_as_of
    assert after.units_with_mpp == before.units_with_mpp + 1  # the row is on the map: its regency counts today
    assert bool(views.regencies(when, [], inputs).set_index("code").at[target["code"], "has_mpp"])
