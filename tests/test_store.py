"""Saved datasets in a real database: SQLite, and PostgreSQL where a server answers (CI has one)."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.store import SCHEMA_VERSION, Store, StoreError, migrate
from geo.uploads import read_mpp_file

#: SYNTHETIC analyst file (not real facts).
RAW = "Nama Wilayah;Tgl Peresmian\nKabupaten Karo;12/03/2024\nKabupaten Nias Selatan;01/02/2024\n".encode("cp1252")


def parsed() -> pd.DataFrame:
    return read_mpp_file(RAW, "mine.csv").data


def test_save_get_delete_round_trip(database_url):
    s = Store(database_url)
    ds_id, token = s.save("Data <b>uji</b>\x07", "mine.csv", RAW, parsed(), "add", columns={"date": "Tgl Peresmian"})
    assert len(ds_id) >= 20 and ds_id != token  # unguessable: 128 random bits
    d = s.get(ds_id)
    assert d.name == "Data <b>uji</b>" and d.mode == "add" and d.row_count == 2  # control character removed
    assert d.raw == RAW and len(d.sha256) == 64 and d.columns == {"date": "Tgl Peresmian"}
    pd.testing.assert_series_equal(d.rows["code"], parsed()["code"])
    assert d.rows["province_run"].dtype == bool
    assert not s.delete(ds_id, "not-the-owner") and s.get(ds_id) is not None
    assert s.delete(ds_id, token) and s.get(ds_id) is None
    assert s.get("../../etc") is None and s.get("x" * 500) is None


def test_the_store_survives_a_new_connection(database_url):
    from geo.store import _engine

    ds_id, _ = Store(database_url).save("kept", "mine.csv", RAW, parsed())
    _engine.cache_clear()  # as after a restart
    assert Store(database_url).get(ds_id).name == "kept"
    assert migrate(_engine(database_url)) == SCHEMA_VERSION  # migrating again changes nothing


def test_limits_refuse_and_store_nothing(database_url, monkeypatch):
    s = Store(database_url)
    with pytest.raises(StoreError, match="name"):
        s.save("   ", "mine.csv", RAW, parsed())
    with pytest.raises(StoreError, match="nothing to save"):
        s.save("empty", "mine.csv", RAW, parsed().iloc[0:0])
    rows = parsed()
    monkeypatch.setenv("PETA_MPP_MAX_UPLOAD_MB", "0.00001")
    with pytest.raises(StoreError, match="over the limit"):
        s.save("big", "mine.csv", RAW, rows)
    monkeypatch.delenv("PETA_MPP_MAX_UPLOAD_MB")
    monkeypatch.setenv("PETA_MPP_MAX_DATASETS", "1")
    s.save("one", "mine.csv", RAW, parsed())
    with pytest.raises(StoreError, match="full"):
        s.save("two", "mine.csv", RAW, parsed())
    assert s.count() == 1


def test_default_store_is_sqlite_in_the_data_folder(tmp_path, monkeypatch):
    from geo.store import default_url

    monkeypatch.delenv("PETA_MPP_DATABASE_URL", raising=False)
    monkeypatch.setenv("PETA_MPP_DATA_DIR", str(tmp_path))
    assert default_url() == f"sqlite:///{tmp_path / 'peta-mpp.sqlite'}"
    monkeypatch.setenv("PETA_MPP_DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert default_url() == "postgresql+psycopg://u@h/db"
