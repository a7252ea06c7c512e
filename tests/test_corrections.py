"""Corrections from the field and the stewards who review them, on SQLite and PostgreSQL.

The corrections here are SYNTHETIC (test data: made-up MPP names and example.go.id addresses), made in a throw-away
store; the regency they are about is a real one that has no MPP in the built-in registry today."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta, timezone

import pandas as pd
import pytest

from geo import corrections as corr
from geo import stewards
from geo.store import Store, correction_log, corrections

PDF = b"%PDF-1.4\n% SYNTHETIC evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PASSWORD = "a long synthetic password"


@pytest.fixture
def store(database_url, monkeypatch):
    monkeypatch.setenv("PETA_MPP_DATABASE_URL", database_url)
    return Store(database_url)


@pytest.fixture(scope="module")
def without_mpp() -> str:
    """A regency with no MPP of its own (and none of its province) in the built-in registry, today."""
    from geo.coverage import coverage
    from geo.inputs import reference
    from geo.registry import load_official_totals, load_registry
    from geo.scores import load_scores

    table = coverage(date.today(), [], load_registry(), load_scores(), load_official_totals(), **reference()).table
    return str(table[table["presence"] == "without"].iloc[0]["code"])


def operating(region: str, **kw) -> corr.Claim:
    return corr.Claim(**{"region": region, "claim": "operating", "date": "2025-03-01", "mpp_name": "MPP Uji (SYNTHETIC)",
                         "source_url": "https://example.go.id/berita-mpp", **kw})


def test_the_life_of_a_correction(store, without_mpp):
    stewards.add("ani", PASSWORD, store)
    a = corr.submit(operating(without_mpp, submitter_name="Budi", submitter_email="budi@example.go.id",
                              submitter_institution="DPMPTSP", doc=PDF, doc_name="sk.pdf"), store, visitor="10.0.0.1")
    b = corr.submit(corr.Claim(region=without_mpp, claim="other", note="<b>nama</b> MPP keliru"), store)
    c = corr.submit(corr.Claim(region=without_mpp, claim="closed", date="2026-01", source_url="https://example.go.id/x"),
                    store)
    assert corr.CORRECTION_ID.fullmatch(a.id) and a.id != b.id and a.token != b.token

    # the public list: statuses, claims, evidence, no personal data; the note stays text as typed
    public = corr.listing(store)
    assert list(public.columns) == corr.PUBLIC_COLUMNS
    assert set(public["status"]) == {"diajukan"} and len(public) == 3
    assert not {"submitter_name", "submitter_email", "submitter_institution"} & set(public.columns)
    assert "Budi" not in public.to_csv() and "budi@" not in public.to_csv()
    row = public.set_index("id").loc[a.id]
    assert row["has_document"] and row["source_url"] == "https://example.go.id/berita-mpp"
    assert public.set_index("id").loc[b.id, "note"] == "<b>nama</b> MPP keliru"
    private = corr.listing(store, private=True).set_index("id")
    assert private.loc[a.id, "submitter_email"] == "budi@example.go.id"
    assert corr.document(a.id, store) == ("sk.pdf", "application/pdf", PDF)

    # statuses: only the allowed moves, rejections with a reason, withdrawals with the token
    v0 = corr.version(store)
    assert corr.review(a.id, "ditinjau", "ani", store=store) == "diajukan"
    assert corr.review(a.id, "diterima", "ani", "SK bupati dan berita resmi", store=store) == "ditinjau"
    with pytest.raises(corr.CorrectionError, match="cannot become"):
        corr.review(a.id, "ditolak", "ani", "terlambat", store=store)
    with pytest.raises(corr.CorrectionError, match="reason"):
        corr.review(b.id, "ditolak", "ani", "", store=store)
    with pytest.raises(corr.CorrectionError, match="no steward"):
        corr.review(b.id, "ditolak", "mallory", "x", store=store)
    corr.review(b.id, "ditolak", "ani", "bukan kewenangan peta", store=store)
    with pytest.raises(corr.CorrectionError, match="token"):
        corr.withdraw(c.id, b.token, store)
    corr.withdraw(c.id, c.token, store)
    with pytest.raises(corr.CorrectionError, match="cannot become"):
        corr.withdraw(c.id, c.token, store)
    assert corr.version(store) > v0
    now = corr.listing(store).set_index("id")
    assert (now.loc[a.id, "status"], now.loc[b.id, "status"], now.loc[c.id, "status"]) == \
        ("diterima", "ditolak", "ditarik")
    assert now.loc[b.id, "status_reason"] == "bukan kewenangan peta"
    assert list(corr.listing(store, statuses=("diterima",))["id"]) == [a.id]
    assert corr.get(a.id, store)["status"] == "diterima" and corr.get("0" * 32, store) is None
    assert corr.get("not-an-id", store) is None

    # the audit log: every change appended (who, when, from, to, reason); no correction row was changed
    log = corr.history(a.id, store)
    assert list(zip(log["from_status"].fillna(""), log["to_status"], log["actor"])) == [
        ("", "diajukan", "submitter"), ("diajukan", "ditinjau", "steward:ani"), ("ditinjau", "diterima", "steward:ani")]
    assert log["reason"].iloc[-1] == "SK bupati dan berita resmi" and log["at"].is_monotonic_increasing
    assert list(corr.history(c.id, store)["actor"]) == ["submitter", "submitter"]
    n_log = store.read(lambda conn: conn.execute(correction_log.select()).all())
    assert len(n_log) == 3 + 2 + 2  # a: submit, review, accept; b: submit, reject; c: submit, withdraw
    assert len(store.read(lambda conn: conn.execute(corrections.select()).all())) == 3

    # export: the accepted correction as a statement add-statements takes; the others are not exported
    mpp, scores, left = corr.export(corr.accepted(store))
    assert len(mpp) == 1 and scores.empty and left == []
    assert mpp.loc[0, "note"].startswith(f"koreksi lapangan #{a.id}; accepted by steward ani")
    from geo.curation import validate_statements

    rows, report = validate_statements(mpp, [2])
    assert list(report["status"]) == ["accepted"] and rows.loc[0, "inaugurated_on"] == "2025-03-01"


def test_a_document_only_correction_is_exported_only_with_a_public_address(store, without_mpp):
    stewards.add("ani", PASSWORD, store)
    a = corr.submit(operating(without_mpp, source_url="", doc=PDF), store)
    corr.review(a.id, "diterima", "ani", store=store)
    mpp, _scores, left = corr.export(corr.accepted(store), public_url="")
    assert mpp.empty and a.id in left[0]
    mpp, _scores, left = corr.export(corr.accepted(store), public_url="https://peta-mpp.example.id/")
    assert mpp.loc[0, "source"] == f"https://peta-mpp.example.id/koreksi?correction={a.id}" and not left


def test_an_accepted_correction_changes_coverage_from_its_date_and_a_rejected_one_nothing(store, without_mpp,
                                                                                          capsys):
    """The command line's coverage sees the store's accepted corrections: the regency counts from the correction's
    date (not before), with the correction named in its sources; a rejected correction changes nothing."""
    from geo.cli import main

    def covered(as_of: str) -> dict:
        assert main(["coverage", "--as-of", as_of, "--json"]) == 0
        out = json.loads(capsys.readouterr().out)
        row = next(r for r in out["regencies"] if r["code"] == without_mpp)
        return {"has_mpp": row["has_mpp"], "sources": row["mpp_sources"], "n": out["summary"]["with_own_mpp"]}

    before = covered("2025-06-30")
    assert before["has_mpp"] is False
    stewards.add("ani", PASSWORD, store)
    rejected = corr.submit(operating(without_mpp, date="2024-01-05"), store)
    corr.review(rejected.id, "ditolak", "ani", "bukti tidak cukup", store=store)
    assert covered("2025-06-30") == before
    good = corr.submit(operating(without_mpp), store)
    corr.review(good.id, "diterima", "ani", store=store)
    after = covered("2025-06-30")
    assert after["has_mpp"] is True and after["n"] == before["n"] + 1
    assert after["sources"] == f"koreksi lapangan #{good.id} https://example.go.id/berita-mpp"
    assert covered("2025-02-28")["has_mpp"] is False  # not before its date


def test_a_score_correction_becomes_a_score_statement(store, without_mpp):
    stewards.add("ani", PASSWORD, store)
    s = corr.submit(corr.Claim(region=without_mpp, claim="score", assessment="sakip", year="2013", predikat="bb",
                               score="71,5", source_url="https://example.go.id/sakip"), store)
    corr.review(s.id, "diterima", "ani", store=store)
    now = corr.current(store)
    row = now.scores[(now.scores["code"] == without_mpp) & (now.scores["assessment"] == "SAKIP")
                     & (now.scores["year"] == 2013)]
    assert len(row) == 1 and row.iloc[0]["predikat"] == "BB" and row.iloc[0]["score"] == 71.5
    assert row.iloc[0]["note"].startswith(f"koreksi lapangan #{s.id}")
    assert now.registry.equals(corr.corrected(corr.accepted(store).iloc[0:0]).registry)  # no MPP changed


@pytest.mark.parametrize("claim, problem", [
    (corr.Claim(region="", claim="operating"), "no regency given"),
    (corr.Claim(region="Kabupaten Tidak Ada", claim="operating", date="2025-01-01",
                source_url="https://example.go.id"), "unmatched"),
    (corr.Claim(region="12.76", claim="dibuka", date="2025-01-01"), "is not one of"),
    (corr.Claim(region="12.76", claim="operating", source_url="https://example.go.id"), "needs a date"),
    (corr.Claim(region="12.76", claim="operating", date="2099-01-01", source_url="https://example.go.id"),
     "not plausible"),
    (corr.Claim(region="12.76", claim="operating", date="2025-01-01"), "evidence"),
    (corr.Claim(region="12.76", claim="operating", date="2025-01-01", source_url="javascript:alert(1)"), "http"),
    (corr.Claim(region="12.76", claim="operating", date="2025-01-01", source_url="file:///etc/passwd"), "http"),
    (corr.Claim(region="12.76", claim="operating", date="2025-01-01", doc=b"<html><script>x</script>"), "PDF, JPEG"),
    (corr.Claim(region="12.76", claim="score", assessment="IKM", year="2024", predikat="A",
                source_url="https://example.go.id"), "RB or SAKIP"),
    (corr.Claim(region="12.76", claim="score", assessment="RB", year="2024", predikat="Z",
                source_url="https://example.go.id"), "predikat"),
    (corr.Claim(region="12.76", claim="score", assessment="RB", year="2024", source_url="https://example.go.id"),
     "predikat, the score"),
    (corr.Claim(region="12.76", claim="other"), "note"),
    (corr.Claim(region="12.76", claim="other", note="x" * 2001), "at most 2,000"),
    (corr.Claim(region="12.76", claim="other", note="x", submitter_email="not an address"), "e-mail"),
])
def test_bad_claims_are_refused_with_the_reason(claim, problem):
    _fields, problems = corr.check(claim)
    assert any(problem in str(p) for p in problems), problems


def test_a_document_is_offered_back_under_a_safe_name_with_the_extension_of_its_content():
    assert corr.doc_filename("SK Bupati 2025.pdf", "application/pdf") == "SK_Bupati_2025.pdf"
    assert corr.doc_filename("evil.html", "application/pdf") == "evil.pdf"
    assert corr.doc_filename("../../etc/passwd", "image/png") == "etc_passwd.png"
    assert corr.doc_filename("", "image/jpeg") == "dokumen.jpg"
    fields, _problems = corr.check(corr.Claim(region="12.76", claim="other", note="x", doc=PDF,
                                              doc_name="<script>.svg"))
    assert fields["doc_name"] == "script.pdf" and fields["doc_type"] == "application/pdf"


def test_a_document_over_its_cap_is_refused(monkeypatch):
    monkeypatch.setenv("PETA_MPP_CORRECTION_DOC_MB", "0.001")
    _f, problems = corr.check(corr.Claim(region="12.76", claim="closed", date="2025", doc=PDF + b"0" * 2000))
    assert any("MB" in str(p) for p in problems)


def test_a_client_address_has_an_hourly_limit_and_a_bulk_file_counts_once(store, without_mpp, monkeypatch):
    monkeypatch.setenv("PETA_MPP_CORRECTIONS_PER_HOUR", "2")
    corr.submit(operating(without_mpp), store, visitor="10.0.0.9")
    fields, problems = corr.check(operating(without_mpp))
    assert not problems
    ids, token = corr.submit_bulk([fields] * 5, store, visitor="10.0.0.9", filename="x.csv")
    assert len(ids) == 5 and token
    with pytest.raises(corr.CorrectionLimit, match="last hour"):
        corr.submit(operating(without_mpp), store, visitor="10.0.0.9")
    corr.submit(operating(without_mpp), store, visitor="10.0.0.10")  # another address is not limited
    assert len(corr.listing(store)) == 7
    corr.withdraw(ids[3], token, store)  # the file's one token withdraws any of its corrections
    assert corr.get(ids[3], store)["status"] == "ditarik"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_bulk_file_in_either_language_reports_every_row(lang, without_mpp):
    from geo.tables import to_csv_bytes

    tpl = corr.template(lang)
    cols = list(tpl.columns)
    rows = pd.DataFrame([
        dict(zip(cols, [without_mpp, "", "operating", "2025-03-01", "MPP Uji", "", "", "", "",
                        "https://example.go.id/a", "", "", "", ""])),
        dict(zip(cols, ["Kota Tidak Ada", "", "operating", "2025-03-01", "", "", "", "", "",
                        "https://example.go.id/a", "", "", "", ""])),
        dict(zip(cols, [without_mpp, "", "nilai" if lang == "id" else "score", "", "", "SAKIP", "2024", "B", "",
                        "https://example.go.id/b", "", "", "", ""])),
    ])
    ok, report = corr.read_bulk(to_csv_bytes(rows), f"koreksi-{lang}.csv")
    assert list(report["status"]) == ["accepted", "rejected", "accepted"] and list(report["row"]) == [2, 3, 4]
    assert "unmatched" in str(report.loc[1, "reason"]) and len(ok) == 2
    assert ok[1]["assessment"] == "SAKIP" and ok[1]["year"] == 2024
    example, _ = corr.read_bulk(to_csv_bytes(tpl), "template.csv")  # the template's example rows name no regency
    assert example == []


def test_a_bulk_file_without_the_columns_says_which():
    with pytest.raises(corr.CorrectionError, match="wilayah, klaim"):
        corr.read_bulk(b"a,b\n1,2\n", "x.csv")


# --- stewards ------------------------------------------------------------------------------------------------------

def test_stewards_are_made_with_argon2_hashes_and_refuse_bad_names(store):
    stewards.add("ani", PASSWORD, store)
    from geo.store import stewards as table

    digest = store.read(lambda conn: conn.execute(table.select()).mappings().first())["password_hash"]
    assert digest.startswith("$argon2id$") and PASSWORD not in digest
    with pytest.raises(stewards.StewardError, match="exists"):
        stewards.add("ani", PASSWORD, store)
    with pytest.raises(stewards.StewardError, match="steward name"):
        stewards.add("Ani <b>", PASSWORD, store)
    with pytest.raises(stewards.StewardError, match="12 characters"):
        stewards.add("budi", "short", store)
    assert list(stewards.listing(store)["name"]) == ["ani"]
    assert stewards.remove("ani", store) and not stewards.remove("ani", store)


def test_steward_login_lockout_and_expiry(store, monkeypatch):
    """Wrong passwords pause the client that sent them (the same for unknown and real names, so nothing tells which
    names exist); many clients failing on one name lock the name; both end by time or by an operator (#36)."""
    monkeypatch.setenv("PETA_MPP_STEWARD_LOCKOUT_FAILURES", "3")
    monkeypatch.setenv("PETA_MPP_STEWARD_NAME_LOCKOUT_FAILURES", "5")
    monkeypatch.setenv("PETA_MPP_STEWARD_LOGINS_PER_MINUTE", "1000")
    monkeypatch.setenv("PETA_MPP_STEWARD_LOGINS_GLOBAL_PER_MINUTE", "1000")
    stewards.add("ani", PASSWORD, store)
    t0 = datetime.now(timezone.utc)
    answers = []
    for name in ("nobody", "ani"):  # an unknown name and a real one get the same answers and the same pause
        client = f"192.0.2.{len(answers) + 1}"
        for _ in range(3):
            with pytest.raises(stewards.StewardError) as err:
                stewards.login(name, "wrong password!!", store, now=t0, client=client)
            answers.append(str(err.value))
        with pytest.raises(stewards.StewardError, match="paused until") as err:
            stewards.login(name, PASSWORD, store, now=t0 + timedelta(minutes=5), client=client)  # even the right one
        answers.append(str(err.value))
    assert answers[:4] == answers[4:]
    assert "2 attempt(s) left" in answers[0] and "1 attempt(s) left" in answers[1] and "WIB" in answers[2]
    # another address is not paused, and a right password is no failure: its count is taken back
    other = "198.51.100.7"
    with pytest.raises(stewards.StewardError, match="2 attempt"):  # the name has 4 failures now ...
        stewards.login("ani", "wrong password!!", store, now=t0, client=other)
    ok = stewards.login("ani", PASSWORD, store, now=t0, client=other)
    assert stewards.who(ok.token, store, now=t0) == "ani"
    # ... the right password started the name's count again: a fresh client locks the name only after 5 failures
    for i in range(5):
        with pytest.raises(stewards.StewardError):
            stewards.login("ani", "wrong password!!", store, now=t0, client=f"203.0.113.{i // 2}")
    with pytest.raises(stewards.StewardError, match="paused until"):
        stewards.login("ani", PASSWORD, store, now=t0, client="203.0.113.99")  # the name is locked, for anyone
    assert stewards.listing(store).set_index("name").loc["ani", "locked_until"] is not None
    assert stewards.unlock("ani", store) == 1  # an operator ends it
    assert stewards.login("ani", PASSWORD, store, now=t0, client="203.0.113.99").steward == "ani"
    assert stewards.login("ani", PASSWORD, store, now=t0 + timedelta(minutes=16), client="192.0.2.2").steward == "ani"

    # a login ends after 30 idle minutes, after 8 hours however active, and on logout
    s = stewards.login("ani", PASSWORD, store, now=t0 + timedelta(minutes=20))
    t = t0 + timedelta(minutes=20)
    assert stewards.who(s.token, store, now=t + timedelta(minutes=29)) == "ani"
    assert stewards.who(s.token, store, now=t + timedelta(minutes=58)) == "ani"  # kept alive by the last action
    assert stewards.who(s.token, store, now=t + timedelta(minutes=89)) is None
    assert stewards.who(s.token, store, now=t + timedelta(minutes=90)) is None  # gone for good
    busy = stewards.login("ani", PASSWORD, store, now=t)
    for minutes in range(20, 8 * 60, 20):
        assert stewards.who(busy.token, store, now=t + timedelta(minutes=minutes)) == "ani"
    assert stewards.who(busy.token, store, now=t + timedelta(hours=8, minutes=1)) is None
    from geo.store import steward_sessions

    stale = stewards.login("ani", PASSWORD, store, now=t)  # a steward who never comes back ...
    stewards.login("ani", PASSWORD, store, now=t + timedelta(hours=9))  # ... leaves no login behind
    rows = store.read(lambda conn: conn.execute(steward_sessions.select()).all())
    assert len(rows) == 1 and stewards.who(stale.token, store, now=t + timedelta(hours=9)) is None
    last = stewards.login("ani", PASSWORD, store)
    stewards.logout(last.token, store)
    assert stewards.who(last.token, store) is None and stewards.who("", store) is None


def test_operators_manage_stewards_and_corrections_on_the_command_line(store, without_mpp, monkeypatch, capsys):
    from geo.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["stewards", "add", "ani"]) == 0
    assert main(["stewards", "list"]) == 0 and "ani" in capsys.readouterr().out
    assert main(["corrections", "submit", "--region", without_mpp, "--claim", "operating", "--date", "2025-03-01",
                 "--source", "https://example.go.id/berita"]) == 0
    cid = capsys.readouterr().out.strip()
    assert corr.CORRECTION_ID.fullmatch(cid)
    assert main(["corrections", "submit", "--region", without_mpp, "--claim", "operating"]) == 2
    assert "needs a date" in capsys.readouterr().err
    assert main(["corrections", "review", cid, "--accept", "--by", "ani", "--reason", "SK terbit"]) == 0
    assert capsys.readouterr().out == f"{cid}: diajukan -> diterima\n"
    assert main(["corrections", "list", "--status", "accepted", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in listed] == [cid] and "submitter_email" not in listed[0]
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "koreksi.csv"
        assert main(["corrections", "export", "--out", str(out)]) == 0
        capsys.readouterr()
        assert main(["add-statements", "--dry-run", str(out)]) == 0
        said = capsys.readouterr()
        assert "1 statement(s) accepted, 0 rejected" in said.out
    assert main(["stewards", "remove", "ani"]) == 0
    assert corr.history(cid, store)["actor"].iloc[-1] == "steward:ani"  # the audit log keeps the name


def test_an_app_process_sees_the_store_in_the_background_and_a_store_down_is_left_alone(store, without_mpp,
                                                                                       tmp_path):
    live = corr.Live(every=0, store=store)
    first = live.state(wait=10)
    assert first.key == "" and first.data is None and first.pending == frozenset()
    stewards.add("ani", PASSWORD, store)
    done = corr.submit(operating(without_mpp), store)
    assert live.refresh().pending == frozenset({without_mpp})
    corr.review(done.id, "diterima", "ani", store=store)
    now = live.refresh()
    assert now.key and now.pending == frozenset() and without_mpp in set(now.data.registry["code"])

    down = corr.Live(every=0, store=Store(f"sqlite:///{tmp_path}/no/such/folder/store.sqlite"), backoff=60)
    assert down.state(wait=10) == corr.LiveState()  # nothing known, nothing raised
    thread = down._running
    down.state()
    assert down._running is thread  # not asked again before the back-off ends
