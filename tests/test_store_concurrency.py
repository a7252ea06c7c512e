"""The store under concurrency: eight processes saving at once against an empty database (as when a deployment of
several app processes starts), and a database that goes away mid-save."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from geo.store import Store, StoreError

ROOT = Path(__file__).resolve().parent.parent

#: One saving process: wait for the common start time, save once, print the outcome as JSON.
SAVER = r"""
import json, sys, time
import pandas as pd
from geo.store import Store, StoreError, StoreFull
url, start, i = sys.argv[1], float(sys.argv[2]), sys.argv[3]
rows = pd.DataFrame({"mpp_id": ["U2"], "code": ["12.06"], "name": ["SYNTHETIC"]})
time.sleep(max(0.0, start - time.time()))
try:
    Store(url).save(f"dataset {i}", "synthetic.csv", b"SYNTHETIC", rows, visitor=f"10.0.0.{i}")
    print(json.dumps({"outcome": "stored"}))
except StoreFull as exc:
    print(json.dumps({"outcome": "full", "message": str(exc)}))
except StoreError as exc:
    print(json.dumps({"outcome": "error", "message": str(exc)}))
"""


def save_at_once(url: str, n: int, env: dict) -> list[dict]:
    start = time.time() + 4.0  # every process has imported and waits: the saves start together
    procs = [subprocess.Popen([sys.executable, "-c", SAVER, url, str(start), str(i)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT), **env}) for i in range(n)]
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=120)
        assert p.returncode == 0, stderr[-2000:]
        out.append(json.loads(stdout.strip().splitlines()[-1]))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("limit, stored", [(3, 3), (1000, 8)])
def test_eight_processes_saving_at_once_on_an_empty_database(database_url, limit, stored):
    outcomes = save_at_once(database_url, 8, {"PETA_MPP_MAX_DATASETS": str(limit)})
    kinds = [o["outcome"] for o in outcomes]
    assert kinds.count("stored") == stored and kinds.count("full") == 8 - stored, outcomes
    assert "error" not in kinds, outcomes  # no schema race, no driver error
    for o in outcomes:
        if o["outcome"] == "full":
            assert "the store is full" in o["message"] and "Error)" not in o["message"]
    assert Store(database_url).count() == stored


def test_per_visitor_quota_and_total_size(database_url, monkeypatch):
    rows = pd.DataFrame({"mpp_id": ["U2"], "code": ["12.06"], "name": ["SYNTHETIC"]})
    s = Store(database_url)
    monkeypatch.setenv("PETA_MPP_MAX_DATASETS_PER_VISITOR", "2")
    s.save("a", "x.csv", b"SYNTHETIC", rows, visitor="10.1.1.1")
    s.save("b", "x.csv", b"SYNTHETIC", rows, visitor="10.1.1.1")
    with pytest.raises(StoreError, match="the most one visitor may keep"):
        s.save("c", "x.csv", b"SYNTHETIC", rows, visitor="10.1.1.1")
    s.save("d", "x.csv", b"SYNTHETIC", rows, visitor="10.2.2.2")  # another visitor is not affected
    monkeypatch.setenv("PETA_MPP_MAX_STORE_MB", "0.0001")  # ~105 bytes: the next dataset does not fit
    with pytest.raises(StoreError, match=r"the store is full \(0 of 0 MB"):
        s.save("e", "x.csv", b"SYNTHETIC" * 20, rows, visitor="10.3.3.3")
    assert s.count() == 3
    listing = s.listing()
    assert list(listing["name"]) == ["a", "b", "d"] and (listing["size_bytes"] > 0).all()


def test_unvisited_datasets_expire_and_opened_ones_stay(database_url, monkeypatch):
    from datetime import datetime, timedelta, timezone

    from sqlalchemy import update

    from geo.store import datasets

    rows = pd.DataFrame({"mpp_id": ["U2"], "code": ["12.06"], "name": ["SYNTHETIC"]})
    s = Store(database_url)
    old, _ = s.save("old", "x.csv", b"SYNTHETIC", rows)
    kept, _ = s.save("kept", "x.csv", b"SYNTHETIC", rows)
    long_ago = datetime.now(timezone.utc) - timedelta(days=200)
    with s.engine.begin() as conn:
        conn.execute(update(datasets).values(last_seen_at=long_ago))
    assert s.get(kept).name == "kept"  # opening it renews it
    s.save("new", "x.csv", b"SYNTHETIC", rows)  # a save removes what expired
    assert s.get(old) is None and s.get(kept) is not None and s.count() == 2


def test_a_closed_port_is_one_translated_line_without_driver_names():
    from geo.i18n import say

    with pytest.raises(StoreError) as info:
        Store("postgresql+psycopg://nobody@127.0.0.1:1/none").save(
            "x", "x.csv", b"SYNTHETIC", pd.DataFrame({"code": ["12.06"]}))
    msg = info.value
    for lang in ("en", "id"):
        text = str(say(lang, msg.args[0]))
        assert "\n" not in text and "Error" not in text and "psycopg" not in text, text
        assert "reference" in text or "rujukan" in text
    assert "tidak menjawab" in str(say("id", msg.args[0]))


def test_a_connection_killed_mid_save_leaves_nothing_half_saved(database_url):
    """PostgreSQL: the saving connection is terminated while it waits for the store's write lock, again and again,
    until the save gives up: one line for the visitor, and no row stored."""
    if not database_url.startswith("postgresql"):
        pytest.skip("terminating a server connection is a PostgreSQL test")
    import sqlalchemy

    from geo.store import LOCK_KEY

    s = Store(database_url)
    holder = sqlalchemy.create_engine(database_url)
    done = threading.Event()
    result: dict = {}

    def save() -> None:
        try:
            s.save("x", "x.csv", b"SYNTHETIC", pd.DataFrame({"code": ["12.06"]}))
            result["outcome"] = "stored"
        except StoreError as exc:
            result["outcome"] = str(exc)
        done.set()

    with holder.connect() as lock_conn:
        lock_conn.execute(sqlalchemy.text("SELECT pg_advisory_lock(:k)"), {"k": LOCK_KEY})
        t = threading.Thread(target=save)
        t.start()
        with holder.connect() as killer:
            while not done.wait(0.1):
                killer.execute(sqlalchemy.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))
                killer.commit()
        t.join()
        lock_conn.execute(sqlalchemy.text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
        lock_conn.commit()
    holder.dispose()
    assert result["outcome"].startswith("the dataset store is not answering right now, so nothing was saved")
    assert s.count() == 0
