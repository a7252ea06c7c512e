"""The third round of hostile visitors (issue #36), in the library and the app: who is asking, budgets on everything
the public can write, logins that are cheap to refuse, and text that cannot lie about itself. Corrections, names and
files here are SYNTHETIC (test data). The same cases through nginx and a browser: tests/test_hostile_proxy.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import ROOT

from geo import clients, stewards
from geo import corrections as corr
from geo.store import Store

PASSWORD = "a long synthetic password"
RLO = "\u202e"


@pytest.fixture
def store(database_url, monkeypatch):
    monkeypatch.setenv("PETA_MPP_DATABASE_URL", database_url)
    return Store(database_url)


def claim(note: str = "SYNTHETIC: the opening date is wrong", **kw) -> corr.Claim:
    return corr.Claim(**{"region": "Kabupaten Karo", "claim": "other", "note": note, **kw})


# ----------------------------------------------------------------------------------------------------------------
# Who is asking
# ----------------------------------------------------------------------------------------------------------------

def test_the_client_address_is_read_from_a_trusted_proxy_only_and_never_missing(monkeypatch):
    spoof = {"X-Real-IP": "203.0.113.9", "X-Forwarded-For": "203.0.113.9, 198.51.100.1"}
    # no trusted proxy (make run): the peer, whatever the headers say
    assert clients.client_address("192.0.2.10", spoof) == "192.0.2.10"
    assert clients.client_address("127.0.0.1", spoof) == "127.0.0.1"
    monkeypatch.setenv("PETA_MPP_TRUSTED_PROXIES", "127.0.0.1,::1")  # as deploy/serve.py starts the app
    assert clients.client_address("127.0.0.1", {"x-real-ip": "198.51.100.4"}) == "198.51.100.4"
    assert clients.client_address("::1", {"X-Forwarded-For": "203.0.113.9, 198.51.100.4"}) == "198.51.100.4"
    assert clients.client_address("192.0.2.10", spoof) == "192.0.2.10"  # an untrusted peer's headers: ignored
    # no address at all, or junk from the proxy: the one shared, strictest budget, never none
    for peer, headers in ((None, {}), ("", spoof), ("127.0.0.1", {}), ("127.0.0.1", {"X-Real-IP": "<script>"}),
                          ("not an ip", {})):
        assert clients.client_address(peer, headers) == clients.UNKNOWN
    monkeypatch.setenv("PETA_MPP_TRUSTED_PROXIES", "10.0.0.0/8")
    assert clients.client_address("10.1.2.3", {"X-Real-IP": "198.51.100.4"}) == "198.51.100.4"


def test_a_budget_counts_per_key_in_a_sliding_window_and_forgets_the_oldest_keys():
    b = clients.Budget(2, 60.0, keys=3)
    assert [b.take("a", now=t) for t in (0, 1, 2)] == [True, True, False]
    assert 57 < b.retry_after("a", now=2) <= 58 and b.take("b", now=2)
    assert b.take("a", now=60.5)  # the first event left the window
    for k in ("c", "d", "e"):  # a flood of new keys keeps at most 3
        b.take(k, now=61)
    assert len(b._seen) == 3


# ----------------------------------------------------------------------------------------------------------------
# Corrections: every budget, under the store's lock
# ----------------------------------------------------------------------------------------------------------------

def test_every_correction_budget_holds_and_says_its_limit(store, monkeypatch):
    monkeypatch.setenv("PETA_MPP_CORRECTIONS_PER_HOUR", "1000")
    monkeypatch.setenv("PETA_MPP_CORRECTIONS_ROWS_PER_DAY", "5")
    monkeypatch.setenv("PETA_MPP_CORRECTIONS_MAX_OPEN", "8")
    fields, problems = corr.check(claim())
    assert not problems
    corr.submit_bulk([fields] * 4, store, visitor="198.51.100.1")
    with pytest.raises(corr.CorrectionLimit, match=r"most allowed \(5, setting PETA_MPP_CORRECTIONS_ROWS_PER_DAY"):
        corr.submit_bulk([fields] * 2, store, visitor="198.51.100.1")  # 4 + 2 > 5: all or nothing
    corr.submit(claim(), store, visitor="198.51.100.1")
    corr.submit_bulk([fields] * 3, store, visitor="198.51.100.2")
    with pytest.raises(corr.CorrectionLimit, match=r"8 corrections are waiting for a steward.*\(8, setting"):
        corr.submit(claim(), store, visitor="198.51.100.3")
    assert corr.count(store) == 8
    # the operator: remove named ones, purge a client's flood (by one of its corrections), purge the old
    ids = list(corr.listing(store)["id"])
    assert corr.remove(ids[:1], store) == 1 and corr.count(store) == 7
    newest = corr.listing(store, limit=1)["id"].iloc[0]  # one of the second client's bulk file (2 left of 3)
    assert corr.purge(like=newest, store=store) == 2 and corr.count(store) == 5
    with pytest.raises(corr.CorrectionError, match="not a correction id"):
        corr.remove(["<script>"], store)
    assert corr.purge(older_than_days=1, store=store) == 0 and corr.purge(store=store) == 5
    # the hourly limit says its limit too
    monkeypatch.setenv("PETA_MPP_CORRECTIONS_PER_HOUR", "1")
    corr.submit(claim(), store, visitor="198.51.100.9")
    with pytest.raises(corr.CorrectionLimit, match=r"most allowed \(1, setting PETA_MPP_CORRECTIONS_PER_HOUR"):
        corr.submit(claim(), store, visitor="198.51.100.9")


def test_unreviewed_corrections_expire_and_documents_count_in_the_stores_megabytes(store, monkeypatch):
    from sqlalchemy import update

    from geo.store import corrections as table

    old = corr.submit(claim(), store, visitor="198.51.100.1")
    seen = corr.submit(claim(), store, visitor="198.51.100.1")
    stewards.add("ani", PASSWORD, store)
    corr.review(seen.id, "ditinjau", "ani", store=store)  # a steward looked: it never expires
    long_ago = datetime.now(timezone.utc) - timedelta(days=400)
    store.write(lambda conn: conn.execute(update(table).values(created_at=long_ago)))
    corr.submit(claim(), store, visitor="198.51.100.2")  # any submission expires the unreviewed ones past 365 days
    assert corr.get(old.id, store) is None and corr.get(seen.id, store) is not None
    assert corr.history(old.id, store).empty
    monkeypatch.setenv("PETA_MPP_MAX_STORE_MB", "0.01")  # about 10 KB for datasets and documents together
    pdf = b"%PDF-1.4\n" + b"0" * 20_000
    with pytest.raises(corr.CorrectionLimit, match="the store is full"):
        corr.submit(claim(doc=pdf, doc_name="bukti.pdf", source_url="https://example.go.id/x"), store,
                    visitor="198.51.100.3")


def test_a_list_is_read_a_page_at_a_time_and_pending_regions_in_one_query(store, monkeypatch):
    monkeypatch.setenv("PETA_MPP_CORRECTIONS_PAGE_ROWS", "3")
    fields, _ = corr.check(claim())
    corr.submit_bulk([fields] * 7, store, visitor="198.51.100.1")
    assert corr.count(store) == 7 and corr.page_bounds(7, 9) == (6, 3, 3)  # past the end: the last page
    pages = [corr.listing(store, limit=3, offset=o)["id"].tolist() for o in (0, 3, 6)]
    assert [len(p) for p in pages] == [3, 3, 1] and len(set(sum(pages, []))) == 7
    from geo import views

    page2 = views.corrections([], store, page=2)
    assert len(page2) == 3 and page2.attrs["pages"] == {"page": 2, "pages": 3, "per_page": 3, "total": 7}
    assert corr.pending_regions(store) == frozenset({"12.06"})


@pytest.mark.slow
def test_with_25000_corrections_a_visit_to_koreksi_stays_small(database_url, monkeypatch, tmp_path):
    """25,000 SYNTHETIC corrections stored (as five clients' bulk files would leave them): a fresh visit to the
    Corrections page costs less than 1 s of CPU and 100 MB, and an API page stays under 1 MB (issue #36)."""
    monkeypatch.setenv("PETA_MPP_DATABASE_URL", database_url)
    store = Store(database_url)
    fields, _ = corr.check(claim(note="SYNTHETIC " + "x" * 400))
    now = datetime.now(timezone.utc)

    def fill(conn):
        from sqlalchemy import insert

        from geo.store import correction_log
        from geo.store import corrections as table

        rows = [dict(id=f"{i:032x}", created_at=now - timedelta(seconds=i), withdraw_hash="0" * 64, channel="bulk",
                     visitor=f"v{i % 5}", batch=f"b{i // 500}", **fields) for i in range(25_000)]
        conn.execute(insert(table), rows)
        conn.execute(insert(correction_log), [dict(correction_id=r["id"], at=now, actor="submitter",
                                                   from_status=None, to_status="diajukan") for r in rows])
    store.write(fill)
    code = (
        "import json, resource, sys, time; from streamlit.testing.v1 import AppTest; "
        "at = AppTest.from_file('app.py', default_timeout=300); at.run(); at.switch_page('pages/koreksi.py').run(); "
        "t0 = time.process_time(); m0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; "
        "at = AppTest.from_file('app.py', default_timeout=300); at.run(); at.switch_page('pages/koreksi.py').run(); "
        "assert not at.exception, at.exception; "
        "print(json.dumps({'cpu': time.process_time() - t0, "
        "'mb': (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - m0) / 1024, "
        "'captions': [c.value for c in at.caption]}))")
    env = {**os.environ, "PETA_MPP_DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr[-3000:]
    got = json.loads(p.stdout.strip().splitlines()[-1])
    assert any("Koreksi 1–100 dari 25.000" in c for c in got["captions"]), got["captions"]
    print("koreksi visit with 25,000 stored:", {k: got[k] for k in ("cpu", "mb")})
    assert got["cpu"] < 1.0 and got["mb"] < 100, got
    from geo import views

    page = views.corrections([], store, page=250)
    body = json.dumps({"rows": corr.public_view(page, "id").astype(str).to_dict("records")})
    assert len(page) == 100 and len(body.encode()) < 1_000_000


# ----------------------------------------------------------------------------------------------------------------
# Steward logins: cheap to refuse, counted atomically
# ----------------------------------------------------------------------------------------------------------------

def counting(monkeypatch) -> list:
    """Count the password checks (argon2 verifications) from now on; returns the list that grows by one each."""
    checked: list = []
    real = stewards._hasher()

    class Counting:
        def verify(self, *a):
            checked.append(1)
            return real.verify(*a)

        def hash(self, *a):
            return real.hash(*a)
    monkeypatch.setattr(stewards, "_hasher", lambda: Counting())
    return checked


def test_24_concurrent_tries_on_one_account_check_at_most_5_and_leave_it_paused(store, monkeypatch):
    """24 tries at once from one client, the right password among them: at most 5 passwords are ever checked (the
    rest are refused before hashing), and the client is left paused."""
    monkeypatch.setenv("PETA_MPP_STEWARD_LOGINS_PER_MINUTE", "1000")  # the database count is what is tested here
    monkeypatch.setenv("PETA_MPP_STEWARD_LOGINS_GLOBAL_PER_MINUTE", "1000")
    monkeypatch.setenv("PETA_MPP_STEWARD_VERIFY_CONCURRENCY", "24")
    stewards.add("ani", PASSWORD, store)
    checked = counting(monkeypatch)
    results: list = []
    client = f"2001:db8::{uuid.uuid4().hex[:4]}"
    barrier = threading.Barrier(24)

    def attempt(i: int) -> None:
        barrier.wait()
        try:
            results.append(stewards.login("ani", PASSWORD if i == 11 else f"wrong password {i}", store,
                                          client=client))
        except stewards.StewardError as exc:
            results.append(str(exc))
    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(checked) <= 5, len(checked)
    refused_before = [r for r in results if isinstance(r, str) and r.startswith("too many wrong passwords")]
    assert len(refused_before) >= 19
    with pytest.raises(stewards.StewardError, match="paused until"):
        stewards.login("ani", PASSWORD, store, client=client)


def test_24_concurrent_logins_keep_the_process_under_200_mb_more(tmp_path):
    """24 logins at once (24 tabs pressing Masuk): at most 2 argon2 checks (64 MB each) run at once; the others
    wait briefly or are told to try again. Measured as the process's peak resident memory."""
    code = f"""
import json, resource, threading, time
from geo import stewards
from geo.store import Store
store = Store("sqlite:///{tmp_path}/s.sqlite")
stewards.add("ani", {PASSWORD!r}, store)
stewards.login("ani", {PASSWORD!r}, store, client="192.0.2.1")  # the hasher and the store warmed
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
out = []
def go(i):
    try:
        out.append(stewards.login("ani", "wrong" + str(i) if i % 2 else {PASSWORD!r}, store,
                                  client="198.51.100." + str(i)).steward)
    except stewards.StewardError as exc:
        out.append(type(exc).__name__)
ts = [threading.Thread(target=go, args=(i,)) for i in range(24)]
[t.start() for t in ts]; [t.join() for t in ts]
print(json.dumps({{"mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024, "out": out}}))
"""
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert p.returncode == 0, p.stderr[-2000:]
    got = json.loads(p.stdout.strip().splitlines()[-1])
    print("24 concurrent logins:", got["mb"], "MB more")
    assert got["mb"] < 200, got
    assert len(got["out"]) == 24 and "ani" in got["out"]


def test_a_crowd_of_logins_is_refused_before_any_password_is_checked(store, monkeypatch):
    monkeypatch.setenv("PETA_MPP_STEWARD_LOGINS_PER_MINUTE", "3")
    checked = counting(monkeypatch)
    said = []
    client = f"2001:db8::{uuid.uuid4().hex[:4]}"  # a new address per run: the budget lives as long as the process
    for _ in range(6):
        try:
            stewards.login("nobody", "x" * 12, store, client=client)
        except stewards.StewardError as exc:
            said.append(exc)
    assert len(checked) == 3 and all(isinstance(e, stewards.LoginBusy) for e in said[3:])
    assert "at most 3" in str(said[-1])


# ----------------------------------------------------------------------------------------------------------------
# Plain text means plain text
# ----------------------------------------------------------------------------------------------------------------

def test_bidi_and_invisible_characters_never_reach_a_page_an_export_or_the_sources(store, tmp_path, monkeypatch):
    from geo.curation import validate_statements
    from geo.tables import clean_cell, read_table_bytes

    done = corr.submit(claim(note=f"SYNTHETIC{RLO}fdp.exe\u200b note", mpp_name=f"MPP{RLO} Karo"), store,
                       visitor="198.51.100.1")
    row = corr.get(done.id, store)
    assert RLO not in json.dumps(row, default=str) and "\u200b" not in json.dumps(row, default=str)
    assert row["note"] == "SYNTHETICfdp.exe note"
    import pandas as pd

    from geo.uploads import read_mpp_file

    up = read_mpp_file(f"wilayah,tanggal,nama_mpp\nKabupaten Karo,2020-01-01,MPP{RLO} Karo\u2066x\u2069\n".encode(),
                       "karo.csv")
    dataset, _ = store.save(f"Data{RLO} analis", "karo.csv", b"x", up.data, "add", visitor="198.51.100.1")
    assert store.get(dataset).name == "Data analis"
    assert not up.data.astype(str).apply(lambda c: c.str.contains(RLO)).any().any()
    assert clean_cell(f"a{RLO}b")[1] == ["bidirectional or invisible characters removed"]
    df = read_table_bytes(("wilayah,tanggal,peristiwa,sumber\nKota Medan,2020-01-01,=cmd|' /C calc'!A0,"
                           f"https://example.go.id/x\nKota Binjai,2020-01-01,Peresmian{RLO},https://example.go.id/y\n"
                           "Kota Tebing Tinggi,2020-01-01,@SUM(A1),https://example.go.id/z\n").encode(), "s.csv")
    rows, report = validate_statements(df, [2, 3, 4])
    assert list(report["status"]) == ["rejected", "accepted", "rejected"]
    assert "spreadsheet formula" in report["reason"].iloc[0] and "spreadsheet formula" in report["reason"].iloc[2]
    assert rows["event"].tolist() == ["Peresmian"] and isinstance(rows, pd.DataFrame)
    assert any("bidirectional" in str(n) for n in df.attrs["notes"])


def test_a_quoted_carriage_return_in_a_csv_cell_is_read_as_the_standard_says():
    from geo.tables import read_table_bytes

    for eol in (b"\n", b"\r\n"):
        data = eol.join([b"wilayah,nama_mpp,catatan", b'Kota Medan,"MPP\rKota Medan",x', b"Kabupaten Karo,MPP Karo,y"])
        df = read_table_bytes(data + eol, "cr.csv")
        assert df["nama_mpp"].tolist() == ["MPP Kota Medan", "MPP Karo"]
