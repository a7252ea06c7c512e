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


def test_operators_list_and_remove_datasets(tmp_path, monkeypatch):
    from helpers import run

    monkeypatch.setenv("PETA_MPP_DATABASE_URL", f"sqlite:///{tmp_path / 'ops.sqlite'}")
    assert run("datasets", "migrate").stdout.strip() == "store ready: 0 datasets"
    ds_id, _ = Store().save("kept <b>x</b>", "mine.csv", RAW, parsed())
    listing = run("datasets", "list").stdout
    assert ds_id in listing and "kept <b>x</b>" in listing
    assert run("datasets", "remove", ds_id).stdout.strip() == f"removed {ds_id}"
    again = run("datasets", "remove", ds_id)
    assert again.returncode == 2 and "no saved dataset" in again.stderr
    assert run("datasets", "list").stdout.strip() == "no saved datasets"


def test_a_version_1_store_is_migrated_in_place(database_url):
    """A store written by the first schema keeps its datasets, which gain a size and a last visit."""
    import sqlalchemy

    from geo.store import _engine, _raw_engine

    eng = sqlalchemy.create_engine(database_url)
    ts = "TIMESTAMP WITH TIME ZONE" if database_url.startswith("postgresql") else "TIMESTAMP"
    with eng.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE peta_schema (version INTEGER NOT NULL)")
        conn.exec_driver_sql("INSERT INTO peta_schema VALUES (1)")
        conn.exec_driver_sql(
            "CREATE TABLE datasets (id VARCHAR(40) PRIMARY KEY, name VARCHAR(120) NOT NULL, kind VARCHAR(20) NOT NULL, "
            "mode VARCHAR(10) NOT NULL, filename VARCHAR(255) NOT NULL, raw BYTEA NOT NULL, sha256 VARCHAR(64) NOT "
            f"NULL, columns_json TEXT NOT NULL, rows_csv TEXT NOT NULL, row_count INTEGER NOT NULL, owner_hash "
            f"VARCHAR(64) NOT NULL, created_at {ts} NOT NULL)".replace(
                "BYTEA", "BYTEA" if database_url.startswith("postgresql") else "BLOB"))
        conn.execute(sqlalchemy.text(
            "INSERT INTO datasets VALUES ('old-dataset-0001', 'lama', 'mpp', 'add', 'x.csv', :raw, :sha, '{}', "
            "'code\n12.06\n', 1, 'h', :at)"), {"raw": b"SYNTHETIC", "sha": "0" * 64, "at": "2026-01-02 03:04:05+00"})
    eng.dispose()
    _engine.cache_clear()
    _raw_engine.cache_clear()
    s = Store(database_url)
    assert migrate(s.engine) == SCHEMA_VERSION == 4
    from geo import corrections

    assert corrections.listing(s).empty and corrections.version(s) == 0  # version 3's tables are there, empty
    d = s.get("old-dataset-0001")
    assert d.name == "lama" and list(d.rows["code"]) == ["12.06"]
    listing = s.listing()
    assert int(listing.loc[0, "size_bytes"]) == len(b"SYNTHETIC") + len("code\n12.06\n")


def test_an_id_that_is_no_id_is_no_dataset_on_every_database(database_url):
    s = Store(database_url)
    for bad in ("abcdef\x00ghijkl", "abcdefghij'; --", "ä" * 20, "a b c d e f g h"):
        assert s.get(bad) is None and not s.is_owner(bad, "token")
