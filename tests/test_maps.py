"""Map building: layers, escaping, assets, optional tiles."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import pytest

from geo.assets import standalone_html
from geo.boundaries import CRS
from geo.boundary_io import load_boundaries
from geo.coverage import regency_coverage
from geo.inputs import reference
from geo.maps import LAYERS, coverage_map, layer_classes, legend_html
from geo.registry import load_registry
from geo.scores import load_scores


@pytest.fixture(scope="module")
def sumut(builtin):
    t = regency_coverage(date(2024, 7, 17), ["12"], load_registry(), load_scores(), **reference())
    geoms = load_boundaries("province").set_index("code")["geometry"]
    return gpd.GeoDataFrame(t, geometry=t["code"].map(geoms).values, crs=CRS)


def test_every_layer_has_a_colour_per_regency_and_a_no_data_class(sumut):
    for layer in LAYERS:
        colours, legend = layer_classes(sumut, layer, "id")
        assert len(colours) == len(sumut) and legend
        if layer in ("rb", "sakip", "first_year", "digital"):
            assert "#d9d9d9" in [c for c, _ in legend]  # "no data" is its own grey class


def test_legend_escapes_text():
    html = legend_html("<b>x</b>", [("#fff", "<script>alert(1)</script>")], note="a & b")
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;" in html


def test_no_basemap_by_default_and_an_office_tile_server_when_configured(sumut, monkeypatch):
    monkeypatch.delenv("PETA_MPP_TILES", raising=False)
    html = standalone_html(coverage_map(sumut, "coverage"))
    assert "L.tileLayer" not in html
    monkeypatch.setenv("PETA_MPP_TILES", "http://tiles.kantor.example/{z}/{x}/{y}.png")
    monkeypatch.setenv("PETA_MPP_TILES_ATTRIBUTION", "© Kantor")
    html = standalone_html(coverage_map(sumut, "coverage"))
    assert "L.tileLayer" in html and "tiles.kantor.example" in html and "Kantor" in html


def test_the_zoom_buttons_are_named_in_the_maps_language_and_a_projectors_map_has_none(sumut):
    def script(m) -> str:
        return m.get_root().render()
    indonesian = script(coverage_map(sumut, "coverage", "id"))
    assert 'L.control.zoom({zoomInTitle: "Perbesar", zoomOutTitle: "Perkecil"})' in indonesian
    assert '"zoomControl": false' in indonesian  # not Leaflet's own, which says "Zoom in"
    assert 'zoomInTitle: "Zoom in", zoomOutTitle: "Zoom out"' in script(coverage_map(sumut, "coverage", "en"))
    assert "L.control.zoom(" not in script(coverage_map(sumut, "coverage", "id", zoom_control=False))


def test_standalone_map_has_no_external_script_or_stylesheet(sumut):
    html = standalone_html(coverage_map(sumut, "coverage"))
    assert "<script src=" not in html and '<link rel="stylesheet"' not in html
    assert "jquery" not in html.lower() and "cdn." not in html


def test_the_legend_goes_where_the_chosen_area_is_not(builtin):
    from geo.maps import legend_corner

    b = load_boundaries("province")
    two = b[b["province_code"].isin(["32", "73"])]  # Jawa Barat (south-west) and Sulawesi Selatan (north-east)
    assert legend_corner(two) not in ("bottomleft", "topright")
    html = legend_html("Predikat", [("#fff", "A")], corner="topleft")
    assert html.startswith("<details open") and "top:12px;left:56px" in html and "<summary" in html


def test_a_province_run_mpp_without_a_known_place_stands_on_land_in_a_city_it_serves(builtin):
    """DK Jakarta's MPP: no source gives its place, so it is drawn (as approximate) at the centre of the served city
    nearest the middle of them all; never at Kepulauan Seribu's centre, out at sea."""
    from geo.inputs import centres
    from geo.maps import mpp_points

    reg = load_registry()
    point = mpp_points(reg[reg["mpp_id"] == "P31"], centres())
    assert len(point) == 1 and point.iloc[0]["location"] == "regency centre"
    shapes = load_boundaries("full").set_index("code")
    inside = [c for c in ("31.01", "31.71", "31.72", "31.73", "31.74", "31.75")
              if shapes.loc[c, "geometry"].contains(point.geometry.iloc[0])]
    assert len(inside) == 1 and inside[0] != "31.01"
