"""Reform scores (geo.scores): tidy rows, the pick per regency and year, what is counted on a date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from helpers import SOURCES

from geo import registry as rg
from geo.inputs import reference
from geo.scores import PREDIKAT_BANDS, build_scores, latest_scores, load_scores

ROOT = Path(__file__).resolve().parent.parent


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


def test_scores_known_for_enough_regencies_and_never_out_of_scope():
    from geo.coverage import regency_coverage

    sc = load_scores()
    t = regency_coverage(date(2025, 12, 31), [], rg.load_registry(), sc, **reference())
    assert t["sakip_predikat"].notna().sum() >= 170 and t["rb_predikat"].notna().sum() >= 55
    assert not sc[sc["selected"] & (sc["quality"] == "outside-scope")].size
    assert (sc["quality"] == "names-supplied").sum() > 0  # the weaker class is kept and labelled
