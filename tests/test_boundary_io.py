"""Boundaries at the edge (geo.boundary_io): the upstream files read, the built-in set cached and loaded."""

from __future__ import annotations

import pytest
from test_boundaries import SYNTHETIC_SQL

from geo import boundary_io as bio
from geo.sources import BoundarySource


def test_cache_readiness_is_known_without_touching_the_sources(tmp_path, monkeypatch, builtin):
    assert bio.cache_is_ready()  # the session's cache holds the built boundaries
    monkeypatch.setenv("PETA_MPP_CACHE", str(tmp_path))
    monkeypatch.setenv("PETA_MPP_BOUNDARIES", str(tmp_path / "nowhere"))  # would fail if it were read
    assert not bio.cache_is_ready()


@pytest.fixture
def synthetic_source(tmp_path, monkeypatch) -> BoundarySource:
    """A SYNTHETIC upstream folder (two made-up squares) and an empty cache folder."""
    sql = tmp_path / "src" / "db" / "kab" / "12.sql"
    sql.parent.mkdir(parents=True)
    sql.write_text(SYNTHETIC_SQL, encoding="utf-8")
    monkeypatch.setenv("PETA_MPP_CACHE", str(tmp_path / "cache"))
    return BoundarySource(tmp_path / "src", "local folder", {"db/kab/12.sql": sql})


def test_built_once_then_loaded_from_the_cache_and_a_corrupt_cache_is_rebuilt(synthetic_source, monkeypatch):
    built = bio.builtin_boundaries(synthetic_source)
    assert list(built.full["code"]) == ["12.07", "12.71"]
    assert built.report["source"]["origin"] == "local folder"
    assert bio.cache_is_ready()
    folder = bio._cache_folder(synthetic_source)
    assert sorted(p.name for p in folder.iterdir()) == ["full.parquet", "national.parquet", "province.parquet",
                                                         "report.json"]  # no temporary folder left

    real_build = bio.build_from_source
    monkeypatch.setattr(bio, "build_from_source", lambda source: pytest.fail("rebuilt although cached"))
    again = bio.builtin_boundaries(synthetic_source)
    assert again.report == built.report and again.national.geometry.geom_equals(built.national.geometry).all()

    (folder / "national.parquet").write_bytes(b"not parquet")
    calls = []
    monkeypatch.setattr(bio, "build_from_source", lambda source: calls.append(source) or real_build(source))
    rebuilt = bio.builtin_boundaries(synthetic_source)
    assert calls and list(rebuilt.national["code"]) == ["12.07", "12.71"]
    assert bio.builtin_boundaries(synthetic_source).report == built.report  # the repaired cache is read again


def test_upstream_files_are_read_as_utf8_text(tmp_path):
    f = tmp_path / "32.sql"
    f.write_text(SYNTHETIC_SQL.replace("Kota Medan", "Kota Médan"), encoding="utf-8")
    raw = bio.read_upstream_sql([f])
    assert list(raw["name"])[:2] == ["Kota Médan", "Deli Serdang"] and list(raw["feature"])[0] == "32.sql:1"


def test_memoised_views_of_the_builtin_set(builtin):
    assert bio.load_boundaries("national") is bio.load_boundaries("national")
    assert bio.borders_for("national", ()) is bio.borders_for("national", ())
    pts = bio.representative_points()
    assert len(pts) == 514 and pts.index.is_unique
    assert len(bio.load_boundaries("full")) == len(builtin.full) == 514
