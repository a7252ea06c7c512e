"""Map assets (geo.assets): Leaflet and its plugins from npm, served by the app or inlined; never from a CDN."""

from __future__ import annotations

import re

import folium
import pytest
from folium.plugins import MarkerCluster

from geo import assets
from geo.errors import PetaError


def small_map() -> folium.Map:
    m = folium.Map(tiles=None)
    MarkerCluster().add_to(m)
    return m


def test_served_maps_load_only_our_copies_of_the_assets(tmp_path, monkeypatch):
    folder = assets.publish_static(tmp_path / "vendor")
    assert sorted(p.name for p in folder.iterdir()) == sorted(assets.ASSETS)
    m = assets.localize(small_map(), "/" + assets.SERVED_PREFIX)
    html = m.get_root().render()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(u.startswith("/app/static/vendor/") for u in urls), urls
    assert "jquery" not in html.lower() and "cdn" not in " ".join(urls)


def test_a_standalone_map_inlines_everything():
    html = assets.standalone_html(small_map())
    assert not re.search(r'<script src=|<link rel="stylesheet" href=', html)
    assert "L.markerClusterGroup" in html and "leaflet-container" in html  # Leaflet and the plugin are inside


def test_a_missing_asset_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PETA_MPP_ASSETS", str(tmp_path))
    with pytest.raises(PetaError, match="npm ci"):
        assets.asset_file("leaflet.js")
