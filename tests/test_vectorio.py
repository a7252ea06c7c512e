"""Reading a user's boundary file (geo.vectorio): layers, CRS and coordinates checked before use."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
from helpers import one_line_exit_2, run, zip_bytes
from shapely.geometry import box

ROOT = Path(__file__).resolve().parent.parent


def test_zip_with_several_layers_is_refused_listing_them(tmp_path):
    a = gpd.GeoDataFrame({"nama": ["Kota Medan"]}, geometry=[box(98.6, 3.5, 98.7, 3.6)], crs=4326)
    gj = a.to_json().encode()
    z = tmp_path / "two.zip"
    z.write_bytes(zip_bytes({"a.geojson": gj, "b.geojson": gj}))
    line = one_line_exit_2(run("boundaries", str(z), tmp=tmp_path))
    assert "2 datasets" in line and "a.geojson" in line and "b.geojson" in line
    g = tmp_path / "two.gpkg"
    a.to_file(g, layer="one", driver="GPKG")
    a.to_file(g, layer="two", driver="GPKG")
    line = one_line_exit_2(run("boundaries", str(g), tmp=tmp_path))
    assert "2 layers" in line and "one" in line and "two" in line


def test_metres_labelled_as_degrees_and_swapped_axes_are_refused(tmp_path):
    medan = gpd.GeoDataFrame({"nama": ["Kota Medan"]}, geometry=[box(98.6, 3.5, 98.7, 3.6)], crs=4326)
    merc = json.loads(medan.to_crs(3857).to_json())
    merc.pop("crs", None)
    f = tmp_path / "merc.geojson"
    f.write_text(json.dumps(merc))
    assert "look like metres" in one_line_exit_2(run("boundaries", str(f), tmp=tmp_path))
    swapped = gpd.GeoDataFrame({"nama": ["Kota Medan"]}, geometry=[box(3.5, 98.6, 3.6, 98.7)])
    f.write_text(swapped.to_json())
    assert "swapped" in one_line_exit_2(run("boundaries", str(f), tmp=tmp_path))
    far = gpd.GeoDataFrame({"nama": ["Kota Medan", "Kota Binjai"]},
                           geometry=[box(98.6, 3.5, 98.7, 3.6), box(10, 50, 10.1, 50.1)], crs=4326)
    f.write_text(far.to_json())
    p = run("boundaries", str(f), "--json", tmp=tmp_path)
    r = json.loads(p.stdout)
    assert r["matched"] == 1 and "outside Indonesia" in json.dumps(r["no_geometry"])


def test_a_geojson_naming_its_utm_crs_is_reprojected(tmp_path):
    medan = gpd.GeoDataFrame({"nama": ["Kota Medan"]}, geometry=[box(98.6, 3.5, 98.7, 3.6)], crs=4326)
    utm = json.loads(medan.to_crs(32647).to_json())
    utm["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32647"}}
    f = tmp_path / "utm.geojson"
    f.write_text(json.dumps(utm))
    p = run("boundaries", str(f), "--json", tmp=tmp_path)
    assert p.returncode == 0 and json.loads(p.stdout)["matched"] == 1
    utm["crs"]["properties"]["name"] = "http://127.0.0.1:9/crs"
    f.write_text(json.dumps(utm))
    assert "not an EPSG code" in one_line_exit_2(run("boundaries", str(f), tmp=tmp_path))
