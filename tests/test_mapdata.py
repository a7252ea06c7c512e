"""The map's geometry document (geo.mapdata): one versioned file per scope, only values per view."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from geo.boundary_io import borders_for, load_boundaries
from geo.mapdata import NAME, document_bytes, document_name, geometry_document, scope_name, view_values, write_document


@pytest.fixture(scope="module")
def national(builtin):
    shapes = load_boundaries("national")
    return shapes, borders_for("national", ())


def test_the_national_document_holds_every_regency_once_with_quantised_coordinates(national):
    shapes, borders = national
    doc = geometry_document(shapes, borders)
    codes = [f["properties"]["code"] for f in doc["regencies"]["features"]]
    assert len(codes) == len(set(codes)) == 514
    assert doc["borders"]["features"]
    text = document_bytes(doc).decode()
    decimals = [len(d) for d in re.findall(r"\d\.(\d+)", text[:200_000])]
    assert decimals and max(decimals) <= 4
    assert len(text) < 700_000  # the polygons sent once, instead of 0.73 MB in every session's map message


def test_a_name_is_a_hash_of_the_content_and_a_file_is_written_once(national, tmp_path):
    shapes, borders = national
    doc = geometry_document(shapes.iloc[:5], borders.iloc[:0])
    name = write_document(tmp_path, "id", doc)
    assert NAME.match(name) and (tmp_path / name).read_bytes() == document_bytes(doc)
    assert write_document(tmp_path, "id", doc) == name and len(list(tmp_path.iterdir())) == 1
    other = geometry_document(shapes.iloc[:6], borders.iloc[:0])
    assert write_document(tmp_path, "id", other) != name
    assert scope_name(("32", "11")) == "11-32" and scope_name(()) == "id"
    with pytest.raises(ValueError):
        document_name(b"x", "../etc")


def test_view_values_are_plain_json_columns():
    import numpy as np

    values = view_values({"code": ["11.01", "11.02"], "n": [np.int64(3), None], "x": [np.float64("nan"), 1.5]})
    assert json.loads(json.dumps(values)) == {"code": ["11.01", "11.02"], "n": [3, ""], "x": ["", 1.5]}


def test_an_app_view_sends_values_only_and_its_document_has_every_regency_it_colours(builtin):
    """The overview's map message carries colours and tooltip values; the polygons are in the versioned document
    it names, which holds each coloured regency."""
    from geo.mapviews import GEOMETRY_DIR, GEOMETRY_URL, build_map, builtin_registry, builtin_scores
    from pages._views import folium_payload

    m = build_map("overview", date(2025, 6, 30), (), "coverage", "id", builtin_registry(), builtin_scores(), "test")
    script = folium_payload(m)["script"]
    assert len(script) < 120_000, len(script)
    url = re.search(re.escape(GEOMETRY_URL) + r"(geometry-id-[0-9a-f]{16}\.json)", script)
    assert url, "the view names its geometry document"
    doc = json.loads((GEOMETRY_DIR / url.group(1)).read_text(encoding="utf-8"))
    in_doc = {f["properties"]["code"] for f in doc["regencies"]["features"]}
    coloured = set(re.findall(r'"(\d{2}\.\d{2})"', script))
    assert len(coloured) == 514 and coloured <= in_doc


def test_scopes_beyond_the_budget_get_no_file_and_carry_their_polygons(builtin, monkeypatch):
    """A visitor trying one province combination after another cannot fill the disk: past the budget of document
    files, a view's message carries its polygons itself (and still draws every regency)."""
    import geo.mapviews as views
    from geo.mapviews import builtin_registry, builtin_scores
    from pages._views import folium_payload

    monkeypatch.setattr(views, "_documents", {("99",): "geometry-99-0000000000000000.json"})
    monkeypatch.setattr(views, "MAX_DOCUMENTS", 1)
    before = set(views.GEOMETRY_DIR.glob("geometry-12-*.json")) if views.GEOMETRY_DIR.exists() else set()
    m = views.build_map("overview", date(2025, 6, 30), ("12",), "coverage", "id", builtin_registry(),
                        builtin_scores(), "test-budget")
    script = folium_payload(m)["script"]
    assert views.GEOMETRY_URL not in script and '"regencies"' in script
    assert len(set(re.findall(r'"(12\.\d{2})"', script))) == 33  # Sumatera Utara's regencies, inline
    after = set(views.GEOMETRY_DIR.glob("geometry-12-*.json")) if views.GEOMETRY_DIR.exists() else set()
    assert after == before

