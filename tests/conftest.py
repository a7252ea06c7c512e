"""Test setup: the shared upstream boundary files (offline) and a cache folder inside the checkout."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SHARED_BOUNDARIES = SHARED / "data" / "boundaries" / "cahyadsn__wilayah_boundaries"

if not os.environ.get("PETA_MPP_BOUNDARIES") and SHARED_BOUNDARIES.is_dir():
    os.environ["PETA_MPP_BOUNDARIES"] = str(SHARED_BOUNDARIES)
os.environ.setdefault("PETA_MPP_CACHE", str(ROOT / ".cache"))


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"{SHARED} is missing: the tests run on the shared reference data beside the checkout")
    return SHARED


@pytest.fixture(scope="session")
def builtin():
    """The built-in boundary set (cold build once per cache folder, then warm)."""
    from geo.boundaries import builtin_boundaries

    return builtin_boundaries()
