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
    got = briefing_inputs(["12"])
    assert set(got) == {"totals", "negative", "digital_totals", "digital", "stats", "shapes", "borders", "centres",
                        "targets"}
    assert (got["targets"]["statement_kind"] == "target").sum() == 6
    assert int(got["totals"]["total"].max()) == 305  # KemenPAN-RB's count of December 2025


def test_map_inputs_are_the_scopes_display_level_and_its_borders(builtin):
    from geo.boundaries import LEVELS
    from geo.inputs import centres, map_inputs

    national, sumut = map_inputs([]), map_inputs(["12"])
    assert len(national["shapes"]) == 514 and len(sumut["shapes"]) == 514  # polygons for every regency, per level
    assert national["shapes"] is not sumut["shapes"] and len(LEVELS) == 2
    # Borders only between the chosen provinces: one province has none of its own, Indonesia has many.
    assert sumut["borders"].geometry.iloc[0].is_empty and not national["borders"].geometry.iloc[0].is_empty
    pts = centres()
    assert len(pts) == 514 and pts.index.name == "code"
    shapes = builtin.full.set_index("code").geometry
    assert shapes.loc[pts.index].contains(pts).all()  # each centre lies inside its own regency
