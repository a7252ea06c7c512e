"""Schemas (geo.schemas): a table that breaks its schema is one error naming table, column and row."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import synthetic

ROOT = Path(__file__).resolve().parent.parent


def test_schemas_name_the_table_column_and_row():
    from geo.errors import PetaError
    from geo.schemas import MPP_STATEMENTS, validate

    bad = synthetic(("Kota Medan", "Sumatera Utara", "", "07/03/2024", "x", "ftp://a", ""))
    with pytest.raises(PetaError, match=r"mpp_sources.csv: 2 value\(s\) break the schema.*inaugurated_on.*source_url"):
        validate(MPP_STATEMENTS, bad)
