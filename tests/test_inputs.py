"""The edge where built-in tables are read (geo.inputs): once per process, in the shapes the computations join."""

from __future__ import annotations

from geo.inputs import briefing_inputs, reference


def test_reference_tables_are_read_once_with_the_columns_coverage_joins(builtin):
    first, again = reference(), reference()
    assert first["digital"] is again["digital"] and first["stats"] is again["stats"]  # read once per process
    assert {"code", "level", "platform", "stage"} <= set(first["digital"].columns)
    stats = first["stats"]
    assert {"code", "population", "area_km2"} <= set(stats.columns) and len(stats) == 514


def test_briefing_inputs_hold_everything_a_briefing_needs(builtin):
    got = briefing_inputs()
    assert set(got) == {"totals", "negative", "digital_totals", "digital", "stats"}
    assert int(got["totals"]["total"].max()) == 305  # KemenPAN-RB's count of December 2025
