"""Corrections from the field: anyone may say the map is wrong for a regency, with evidence; a steward decides.

Life of a correction (statuses as the app shows them in Bahasa Indonesia)::

    diajukan (submitted) -> ditinjau (in review) -> diterima (accepted) | ditolak (rejected, with a reason)
    diajukan | ditinjau  -> ditarik (withdrawn by its submitter, with the token handed out on submission)

A correction is written once and never changed; every change of status is a new entry in its audit log (who, when,
from, to, reason), and its status is the last entry. It is deleted only when no steward ever looked at it (still
diajukan after ``corrections_expiry_days``), or by an operator (``python -m geo corrections remove|purge``). Ids are 128 random bits (hex); the withdraw token is
kept only as a hash. Personal data (name, institution, e-mail) is stored for stewards and never listed publicly.

Effect: an accepted correction becomes a statement (:func:`statements`) that the registry build takes in under the
same curation rules as every other statement (``geo/registry.py``): "operating since D" and "the opening date is
D" are openings by the regional government, "not operating since D" is negative evidence, a score is a score
statement. Its note says ``koreksi lapangan #<id>``, which the registry shows among the MPP's sources.
:func:`corrected` rebuilds the registry and scores with them (nothing is rebuilt while no correction is accepted);
:func:`export` writes them in the shape ``python -m geo add-statements`` takes, for the next release's
``data/sources/``.

Abuse: every text is cleaned (control characters) and capped; a URL must be http(s) and is never fetched; a
document must be a PDF, JPEG or PNG by its content and at most ``correction_doc_mb``, and the documents count in the
store's megabytes (``max_store_mb``) with the saved datasets. Budgets, all checked inside the inserting transaction
under the store's write lock (so concurrent submissions cannot slip past them): a client address may submit
``corrections_per_hour`` corrections an hour (a bulk file counts once) and ``corrections_rows_per_day`` rows a day
(every row of a bulk file counted); the store keeps at most ``corrections_max_open`` corrections waiting for a
steward. Lists are read a page at a time (``corrections_page_rows``).
"""

from __future__ import annotations

import hashlib
import hmac
import io
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pandas as pd
from sqlalchemy import Connection, and_, func, insert, select

from . import gazetteer as gz
from . import settings
from .errors import PetaError
from .i18n import N_, Msg, message_frame
from .registry import CORRECTION_NOTE, SOURCE_LABEL
from .store import Store, correction_log, corrections, stewards

STATUSES = ("diajukan", "ditinjau", "diterima", "ditolak", "ditarik")
OPEN = ("diajukan", "ditinjau")
#: status -> the statuses it may change to
MOVES = {"diajukan": {"ditinjau", "diterima", "ditolak", "ditarik"}, "ditinjau": {"diterima", "ditolak", "ditarik"}}
STATUS_WORDS = {"submitted": "diajukan", "in review": "ditinjau", "in_review": "ditinjau", "accepted": "diterima",
                "rejected": "ditolak", "withdrawn": "ditarik"}
#: Words a person or a file may use for a claim (both languages) -> the claim.
CLAIM_WORDS = {"operating": "operating", "beroperasi": "operating", "buka": "operating",
               "closed": "closed", "not operating": "closed", "tutup": "closed", "tidak beroperasi": "closed",
               "date": "date", "tanggal": "date", "opening date": "date", "tanggal peresmian": "date",
               "score": "score", "nilai": "score", "skor": "score", "other": "other", "lainnya": "other",
               "lain": "other"}
CORRECTION_ID = re.compile(r"[0-9a-f]{32}")
LIMITS = {"mpp_name": 120, "note": 2000, "source_url": 500, "submitter_name": 120, "submitter_institution": 160,
          "submitter_email": 160, "doc_name": 120}
DOC_TYPES = {b"%PDF-": "application/pdf", b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
_URL = re.compile(r"https?://[^\s/$.?#<>\"'`]+\.[^\s<>\"'`]*", re.IGNORECASE)
_EMAIL = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+")


class CorrectionError(PetaError):
    """A correction was refused, or a change of its status is not allowed; the message says why."""


class CorrectionLimit(CorrectionError):
    """A submission limit (per hour for a client address, per session) was reached; nothing was stored."""


@dataclass
class Claim:
    """What someone says is wrong, before it is checked (every field as typed)."""

    region: str
    claim: str
    province: str = ""
    date: str = ""
    mpp_name: str = ""
    assessment: str = ""
    year: str = ""
    predikat: str = ""
    score: str = ""
    source_url: str = ""
    note: str = ""
    submitter_name: str = ""
    submitter_institution: str = ""
    submitter_email: str = ""
    doc_name: str = ""
    doc: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Submitted:
    id: str
    token: str


def _text(value: object) -> str:
    from .tables import clean_cell

    s = "" if value is None or (isinstance(value, float) and value != value) else str(value)
    s = clean_cell(s)[0].strip()
    return s


def doc_type(data: bytes) -> str | None:
    """The document's type by its first bytes (PDF, PNG or JPEG), else None."""
    return next((t for magic, t in DOC_TYPES.items() if data.startswith(magic)), None)


def doc_filename(name: str, kind: str | None) -> str:
    """The name a document is offered back under: letters, digits, dots, hyphens and underscores only, and the
    extension of its type by content (a PDF named ``x.html`` downloads as ``x.pdf``)."""
    ext = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}.get(kind or "", ".bin")
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name or "")).strip("_")[:80]
    return f"{stem or 'dokumen'}{ext}"


def parse_date(raw: str) -> str | None:
    """'2025-03-01', '2025-03', '2025' or '01/03/2025' -> the ISO text, else None."""
    from .registry import parse_period

    raw = raw.strip()
    d = re.fullmatch(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})", raw)
    iso = f"{d.group(3)}-{int(d.group(2)):02d}-{int(d.group(1)):02d}" if d else raw[:10] if re.fullmatch(
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}([ T]00:00:00)?", raw) else raw
    period = parse_period(iso)
    return period.text if period is not None else None


def check(c: Claim, today: date | None = None) -> tuple[dict[str, Any], list[Msg]]:
    """(the correction's fields, ready to store; the problems, each a message). Nothing is stored when a problem
    is found. The form, the command line and bulk files all come through here."""
    from .registry import parse_period
    from .scores import ASSESSMENTS, PREDIKAT_ORDER

    today = today or date.today()
    problems: list[Msg] = []
    f = {k: _text(getattr(c, k)) for k in ("region", "province", "claim", "date", "mpp_name", "assessment", "year",
                                               "predikat", "score", "source_url", "note", "submitter_name",
                                               "submitter_institution", "submitter_email", "doc_name")}
    for key, most in LIMITS.items():
        if len(f[key]) > most:
            problems.append(N_("{field} is {n:,} characters long; at most {most:,} are kept", field=key,
                               n=len(f[key]), most=most))
    out: dict[str, Any] = {}
    g = gz.gazetteer()
    if not f["region"]:
        problems.append(N_("no regency given"))
    else:
        m = g.match(f["region"], f["province"] or None)
        if m.status != "matched":
            problems.append(N_("regency {region!r}: {why}", region=f["region"][:80], why=m.explain()))
        else:
            out["region_code"] = m.code
    claim = CLAIM_WORDS.get(f["claim"].lower())
    if claim is None:
        problems.append(N_("claim {claim!r} is not one of: operating, closed, date, score, other", claim=f["claim"]))
    out["claim"] = claim
    if claim in ("operating", "closed", "date"):
        iso = parse_date(f["date"]) if f["date"] else None
        if not f["date"]:
            problems.append(N_("this claim needs a date (YYYY-MM-DD, YYYY-MM or YYYY)"))
        elif iso is None:
            problems.append(N_("date {date!r} is not a date (YYYY-MM-DD, YYYY-MM, YYYY or DD/MM/YYYY)",
                               date=f["date"][:40]))
        else:
            period = parse_period(iso)
            if period is None or period.start > today or period.start.year < settings.FIRST_MPP_YEAR:
                problems.append(N_("date {date} is not plausible (from {first} to today)", date=iso,
                                   first=settings.FIRST_MPP_YEAR))
            out["claim_date"] = iso
    if claim == "operating":
        out["mpp_name"] = f["mpp_name"] or None
    if claim == "score":
        assessment = f["assessment"].upper()
        if assessment not in ASSESSMENTS:
            problems.append(N_("a score correction needs the assessment: RB or SAKIP"))
        year = f["year"]
        if not re.fullmatch(r"20[0-9]{2}", year) or not 2010 <= int(year) <= today.year:
            problems.append(N_("a score correction needs the assessment year (2010 to this year)"))
        predikat = f["predikat"].upper()
        if predikat and predikat not in PREDIKAT_ORDER:
            problems.append(N_("predikat {p!r} is not one of {all}", p=predikat[:8], all=", ".join(PREDIKAT_ORDER)))
        score = f["score"].replace(",", ".")
        if score:
            try:
                value = float(score)
                if not 0 <= value <= 130:
                    raise ValueError
            except ValueError:
                problems.append(N_("score {s!r} is not a number from 0 to 130", s=f["score"][:12]))
        if not predikat and not score:
            problems.append(N_("a score correction needs the predikat, the score, or both"))
        out.update(assessment=assessment, year=int(year) if year.isdigit() else None, predikat=predikat or None,
                   score=score or None)
    if claim == "other" and not f["note"]:
        problems.append(N_("say what is wrong in the note"))
    url = f["source_url"]
    if url and not _URL.fullmatch(url):
        problems.append(N_("the source must be an http or https address (it is shown as text, never opened by the "
                           "server)"))
    doc = c.doc or None
    if doc is not None:
        kind = doc_type(doc)
        if kind is None:
            problems.append(N_("the document is not a PDF, JPEG or PNG (by its content)"))
        if len(doc) > settings.get("correction_doc_mb") * 1048576:
            problems.append(N_("the document is {mb:.1f} MB; at most {most:.0f} MB", mb=len(doc) / 1048576,
                               most=settings.get("correction_doc_mb")))
        out.update(doc=doc, doc_type=kind, doc_name=doc_filename(f["doc_name"], kind))
    if claim not in (None, "other") and not url and doc is None:
        problems.append(N_("give the evidence: a source address, a document, or both"))
    email = f["submitter_email"]
    if email and not _EMAIL.fullmatch(email):
        problems.append(N_("the e-mail address {email!r} does not look like one", email=email[:60]))
    out.update(source_url=url or None, note=f["note"] or None, submitter_name=f["submitter_name"] or None,
               submitter_institution=f["submitter_institution"] or None, submitter_email=email or None)
    return out, problems


def _new_id() -> str:
    return secrets.token_hex(16)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _open_count(conn: Connection) -> int:
    latest = _latest()
    return int(conn.execute(select(func.count()).select_from(latest).where(latest.c.status.in_(OPEN))).scalar() or 0)


def _check_rate(conn: Connection, who: str | None, now: datetime, rows: int = 1, doc_bytes: int = 0) -> None:
    """Every budget of a submission of ``rows`` corrections (and a document of ``doc_bytes``), in the inserting
    transaction: :class:`CorrectionLimit` says which one it would break. ``who`` None is the operator's command
    line (no per-client budget); the app always gives an address (``geo.clients``)."""
    from .store import used_bytes

    _expire(conn, now)
    if who is not None:
        since = now - timedelta(hours=1)
        n = conn.execute(select(func.count(func.distinct(func.coalesce(corrections.c.batch, corrections.c.id))))
                         .where(corrections.c.visitor == who, corrections.c.created_at > since)).scalar() or 0
        limit = settings.get("corrections_per_hour")
        if n >= limit:
            raise CorrectionLimit(N_("{n} corrections were sent from your address in the last hour, the most "
                                     "allowed ({limit}, setting {env}); nothing was sent. Try again later, or send "
                                     "many at once as a file", n=n, limit=limit,
                                     env=settings.SETTINGS["corrections_per_hour"].env))
        day = conn.execute(select(func.count()).select_from(corrections).where(
            corrections.c.visitor == who, corrections.c.created_at > now - timedelta(days=1))).scalar() or 0
        limit = settings.get("corrections_rows_per_day")
        if day + rows > limit:
            raise CorrectionLimit(N_("{n} corrections were sent from your address in the last day; {rows} more would "
                                     "pass the most allowed ({limit}, setting {env}); nothing was sent",
                                     n=day, rows=rows, limit=limit,
                                     env=settings.SETTINGS["corrections_rows_per_day"].env))
    waiting, limit = _open_count(conn), settings.get("corrections_max_open")
    if waiting + rows > limit:
        raise CorrectionLimit(N_("{n} corrections are waiting for a steward, the most the store keeps ({limit}, "
                                 "setting {env}); nothing was sent. Try again when some have been reviewed",
                                 n=waiting, limit=limit, env=settings.SETTINGS["corrections_max_open"].env))
    if doc_bytes:
        used, budget = used_bytes(conn), settings.get("max_store_mb") * 1048576
        if used + doc_bytes > budget:
            raise CorrectionLimit(N_("the store is full ({used:.0f} of {budget:.0f} MB, setting {env}); the document "
                                     "was not kept and nothing was sent. Send the correction with a link to the "
                                     "evidence instead", used=used / 1048576, budget=budget / 1048576,
                                     env=settings.SETTINGS["max_store_mb"].env))


def _delete(conn: Connection, ids: list[str]) -> int:
    """Delete these corrections and their audit entries (in chunks: a statement's parameters are bounded)."""
    from sqlalchemy import delete

    n = 0
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        conn.execute(delete(correction_log).where(correction_log.c.correction_id.in_(part)))
        n += conn.execute(delete(corrections).where(corrections.c.id.in_(part))).rowcount or 0
    return n


def _unreviewed(conn: Connection, before: datetime | None = None, visitor: str | None = None) -> list[str]:
    """Ids of the corrections still diajukan (no steward has looked), optionally sent before a time or by a client."""
    latest = _latest()
    q = select(corrections.c.id).join(latest, latest.c.correction_id == corrections.c.id) \
        .where(latest.c.status == "diajukan")
    if before is not None:
        q = q.where(corrections.c.created_at < before)
    if visitor is not None:
        q = q.where(corrections.c.visitor == visitor)
    return [r[0] for r in conn.execute(q).all()]


def _expire(conn: Connection, now: datetime) -> int:
    """Remove the corrections no steward looked at within ``corrections_expiry_days``; return how many."""
    return _delete(conn, _unreviewed(conn, before=now - timedelta(days=settings.get("corrections_expiry_days"))))


def remove(ids: list[str], store: Store | None = None) -> int:
    """Operators: delete these corrections (any status) with their audit entries and documents; return how many
    existed."""
    bad = [i for i in ids if not CORRECTION_ID.fullmatch(i or "")]
    if bad:
        raise CorrectionError(N_("{id!r} is not a correction id (32 hexadecimal characters)", id=bad[0][:40]))
    return (store or Store()).write(lambda conn: _delete(conn, list(ids)))


def purge(older_than_days: float | None = None, like: str | None = None, store: Store | None = None) -> int:
    """Operators: delete the corrections still diajukan (no steward looked at them): all of them, those older than
    ``older_than_days``, and/or those sent from the same client address as correction ``like`` (a flood); return
    how many."""
    if like is not None and not CORRECTION_ID.fullmatch(like):
        raise CorrectionError(N_("{id!r} is not a correction id (32 hexadecimal characters)", id=like[:40]))

    def run(conn: Connection) -> int:
        visitor = None
        if like is not None:
            visitor = conn.execute(select(corrections.c.visitor).where(corrections.c.id == like)).scalar()
            if visitor is None:
                raise CorrectionError(N_("no correction {id} sent from a client address", id=like))
        before = _now() - timedelta(days=older_than_days) if older_than_days is not None else None
        return _delete(conn, _unreviewed(conn, before=before, visitor=visitor))
    return (store or Store()).write(run)


def _insert(conn: Connection, fields: dict[str, Any], token_hash: str, who: str | None, channel: str,
            batch: str | None, now: datetime, actor: str) -> str:
    cid = _new_id()
    conn.execute(insert(corrections).values(id=cid, created_at=now, withdraw_hash=token_hash, visitor=who,
                                            channel=channel, batch=batch, **fields))
    conn.execute(insert(correction_log).values(correction_id=cid, at=now, actor=actor, from_status=None,
                                               to_status="diajukan", reason=None))
    return cid


def submit(c: Claim, store: Store | None = None, visitor: str | None = None, channel: str = "form",
           today: date | None = None) -> Submitted:
    """Check and keep one correction; return its id and the token that withdraws it. A problem raises
    :class:`CorrectionError` listing every problem found; nothing is stored."""
    fields, problems = check(c, today)
    if problems:
        raise CorrectionError(Msg.join("; ", problems))
    store = store or Store()
    token = secrets.token_urlsafe(16)

    def run(conn: Connection) -> str:
        now = _now()
        who = store.visitor_hash(conn, visitor)
        _check_rate(conn, who, now, doc_bytes=len(fields.get("doc") or b""))
        return _insert(conn, fields, _hash(token), who, channel, None, now, "submitter")
    return Submitted(store.write(run), token)


# ----------------------------------------------------------------------------------------------------------------
# Bulk files
# ----------------------------------------------------------------------------------------------------------------

#: Template columns in each language, in the form's order; a file may use either language's headers.
BULK_COLUMNS = {
    "region": ("wilayah", "region"), "province": ("provinsi", "province"), "claim": ("klaim", "claim"),
    "date": ("tanggal", "date"), "mpp_name": ("nama_mpp", "mpp_name"), "assessment": ("penilaian", "assessment"),
    "year": ("tahun", "year"), "predikat": ("predikat", "predikat"), "score": ("nilai", "score"),
    "source_url": ("sumber", "source"), "note": ("catatan", "note"),
    "submitter_name": ("nama_pengirim", "submitter_name"),
    "submitter_institution": ("instansi", "institution"), "submitter_email": ("email", "email"),
}


def template(lang: str) -> pd.DataFrame:
    """An empty bulk file with the headers in ``lang`` and one example row per claim (labelled as examples)."""
    i = 0 if lang == "id" else 1
    cols = [v[i] for v in BULK_COLUMNS.values()]
    ex = "CONTOH - hapus baris ini" if lang == "id" else "EXAMPLE - delete this row"
    rows = [
        ["Kabupaten Contoh", "Provinsi Contoh", "beroperasi" if i == 0 else "operating", "2025-03-01", "MPP Contoh",
         "", "", "", "", "https://contoh.go.id/berita", ex, "", "", ""],
        ["Kabupaten Contoh", "Provinsi Contoh", "nilai" if i == 0 else "score", "", "", "SAKIP", "2024", "BB",
         "72.5", "https://contoh.go.id/sakip", ex, "", "", ""],
    ]
    return pd.DataFrame(rows, columns=cols)


def read_bulk(data: bytes, name: str, today: date | None = None) -> tuple[list[dict[str, Any]], pd.DataFrame]:
    """Read and check a bulk corrections file (CSV or XLSX, the template's columns in either language): (the rows
    ready to store, a report with every row accepted or rejected with its reason). Runs in the upload worker."""
    from .tables import read_table_bytes

    df = read_table_bytes(data, name)
    most = settings.get("correction_rows")
    if len(df) > most:
        raise CorrectionError(N_("{name}: {n:,} rows; a corrections file may have at most {most:,} (setting {env})",
                                 name=name, n=len(df), most=most, env=settings.SETTINGS["correction_rows"].env))
    norm = {re.sub(r"[^a-z0-9]+", "_", str(c).lower()).strip("_"): c for c in df.columns}
    cols = {key: next((norm[n] for n in names if n in norm), None) for key, names in BULK_COLUMNS.items()}
    missing = [BULK_COLUMNS[k][0] for k in ("region", "claim") if cols[k] is None]
    if missing:
        raise CorrectionError(N_("{name}: missing column(s) {missing}; the template's columns are {all}", name=name,
                                 missing=", ".join(missing), all=", ".join(v[0] for v in BULK_COLUMNS.values())))
    numbers = df.attrs.get("row_numbers", list(range(2, len(df) + 2)))
    ok, report = [], []
    for rec, rowno in zip(df.to_dict("records"), numbers):
        values = {k: ("" if c is None else rec.get(c)) for k, c in cols.items()}
        fields, problems = check(Claim(**{k: "" if v is None else str(v) for k, v in values.items()}), today)
        region = _text(values["region"])[:80]
        if problems:
            report.append({"row": rowno, "region": region, "status": "rejected", "reason": Msg.join("; ", problems)})
        else:
            ok.append(fields)
            report.append({"row": rowno, "region": region, "status": "accepted", "reason": ""})
    return ok, message_frame(report, ["row", "region", "status", "reason"])


def submit_bulk(rows: list[dict[str, Any]], store: Store | None = None, visitor: str | None = None,
                filename: str = "") -> tuple[list[str], str]:
    """Keep the checked rows of a bulk file as corrections, all or none (one transaction; the file counts once
    against the hourly limit); return their ids and the one token that withdraws any of them."""
    if not rows:
        raise CorrectionError(N_("no row of the file was accepted, so nothing was sent"))
    store = store or Store()
    token = secrets.token_urlsafe(16)
    batch = _new_id()

    def run(conn: Connection) -> list[str]:
        now = _now()
        who = store.visitor_hash(conn, visitor)
        _check_rate(conn, who, now, rows=len(rows))
        return [_insert(conn, fields, _hash(token), who, "bulk", batch, now, "submitter") for fields in rows]
    return store.write(run), token


# ----------------------------------------------------------------------------------------------------------------
# Statuses and the audit log
# ----------------------------------------------------------------------------------------------------------------

def _latest() -> Any:
    """A subquery: each correction's last log entry (its status)."""
    last = select(correction_log.c.correction_id, func.max(correction_log.c.seq).label("seq")) \
        .group_by(correction_log.c.correction_id).subquery()
    return select(correction_log.c.correction_id, correction_log.c.to_status.label("status"),
                  correction_log.c.at.label("changed_at"), correction_log.c.reason.label("status_reason")) \
        .join(last, and_(last.c.correction_id == correction_log.c.correction_id,
                         last.c.seq == correction_log.c.seq)).subquery()


def _status(conn: Connection, cid: str) -> str | None:
    return conn.execute(select(correction_log.c.to_status).where(correction_log.c.correction_id == cid)
                        .order_by(correction_log.c.seq.desc()).limit(1)).scalar()


def _move(conn: Connection, cid: str, to: str, actor: str, reason: str | None) -> str:
    now = _now()
    current = _status(conn, cid)
    if current is None:
        raise CorrectionError(N_("no correction {id}", id=cid[:40]))
    if to not in MOVES.get(current, set()):
        raise CorrectionError(N_("correction {id} is {current}; it cannot become {to}", id=cid, current=current,
                                 to=to))
    conn.execute(insert(correction_log).values(correction_id=cid, at=now, actor=actor, from_status=current,
                                               to_status=to, reason=reason))
    return current


def withdraw(cid: str, token: str, store: Store | None = None) -> None:
    """The submitter withdraws an open correction with the token handed out on submission."""
    store = store or Store()

    def run(conn: Connection) -> None:
        h = conn.execute(select(corrections.c.withdraw_hash).where(corrections.c.id == cid)).scalar()
        if h is None or not hmac.compare_digest(h, _hash(token or "")):
            raise CorrectionError(N_("this token does not withdraw correction {id}", id=cid[:40]))
        _move(conn, cid, "ditarik", "submitter", None)
    store.write(run)


def review(cid: str, to: str, steward: str, reason: str = "", store: Store | None = None) -> str:
    """A steward moves a correction to ``ditinjau``, ``diterima`` or ``ditolak`` (a rejection needs a reason);
    return the status it had."""
    from .tables import clean_cell

    if to not in ("ditinjau", "diterima", "ditolak"):
        raise CorrectionError(N_("a steward may set ditinjau, diterima or ditolak, not {to!r}", to=to))
    reason = clean_cell(reason or "")[0].strip()[:LIMITS["note"]]
    if to == "ditolak" and not reason:
        raise CorrectionError(N_("a rejection needs its reason"))
    store = store or Store()

    def run(conn: Connection) -> str:
        if conn.execute(select(stewards.c.name).where(stewards.c.name == steward)).first() is None:
            raise CorrectionError(N_("no steward {name!r}", name=steward[:40]))
        return _move(conn, cid, to, f"steward:{steward}", reason or None)
    return store.write(run)


PUBLIC_COLUMNS = ["id", "region_code", "region", "province_code", "province", "claim", "claim_date", "mpp_name",
                  "assessment", "year", "predikat", "score", "source_url", "has_document", "note", "status",
                  "submitted_at", "changed_at", "status_reason"]


def _filtered(q: Any, latest: Any, provinces: tuple[str, ...], statuses: tuple[str, ...], region: str | None,
              ids: tuple[str, ...] = ()) -> Any:
    c = corrections.c
    if statuses:
        q = q.where(latest.c.status.in_(statuses))
    if ids:
        q = q.where(c.id.in_(ids))
    if region:
        q = q.where(c.region_code == region)
    elif provinces:
        q = q.where(func.substr(c.region_code, 1, 2).in_(provinces))
    return q


def count(store: Store | None = None, provinces: tuple[str, ...] = (), statuses: tuple[str, ...] = (),
          region: str | None = None) -> int:
    """How many corrections :func:`listing` would give with these filters (for its pages)."""
    latest = _latest()
    q = _filtered(select(func.count()).select_from(corrections).join(latest, latest.c.correction_id ==
                                                                     corrections.c.id),
                  latest, provinces, statuses, region)
    return int((store or Store()).read(lambda conn: conn.execute(q).scalar()) or 0)


def page_bounds(total: int, page: int, rows: int | None = None) -> tuple[int, int, int]:
    """(offset, rows per page, number of pages) of page ``page`` (1-based, clamped into range) of ``total`` rows."""
    rows = int(rows or settings.get("corrections_page_rows"))
    pages = max(1, -(-total // rows))
    page = min(max(1, int(page)), pages)
    return (page - 1) * rows, rows, pages


def listing(store: Store | None = None, provinces: tuple[str, ...] = (), statuses: tuple[str, ...] = (),
            region: str | None = None, private: bool = False, ids: tuple[str, ...] = (), limit: int | None = None,
            offset: int = 0) -> pd.DataFrame:
    """The corrections, newest first, with their status: the public columns (no personal data), and with
    ``private`` (stewards) the submitter's name, institution and e-mail too; ``limit`` rows from ``offset`` (a page,
    see :func:`page_bounds`), or all."""
    latest = _latest()
    c = corrections.c
    cols = [c.id, c.region_code, c.claim, c.claim_date, c.mpp_name, c.assessment, c.year, c.predikat, c.score,
            c.source_url, c.doc_type, c.note, latest.c.status, c.created_at, latest.c.changed_at,
            latest.c.status_reason, c.batch, c.channel]
    if private:
        cols += [c.submitter_name, c.submitter_institution, c.submitter_email]
    q = _filtered(select(*cols).join(latest, latest.c.correction_id == c.id).order_by(c.created_at.desc(), c.id),
                  latest, provinces, statuses, region, ids)
    if limit is not None:
        q = q.limit(int(limit)).offset(int(offset))
    rows = (store or Store()).read(lambda conn: conn.execute(q).mappings().all())
    df = pd.DataFrame([dict(r) for r in rows], columns=[col.name for col in cols])
    regs = gz.regencies().set_index("code")
    df["region"] = df["region_code"].map(regs["name"])
    df["province_code"] = df["region_code"].str[:2]
    df["province"] = df["region_code"].map(regs["province"])
    df["has_document"] = df["doc_type"].notna()
    df = df.rename(columns={"created_at": "submitted_at"})
    extra = ["submitter_name", "submitter_institution", "submitter_email", "batch", "channel"] if private else []
    return df[PUBLIC_COLUMNS + extra].reset_index(drop=True)


def history(cid: str, store: Store | None = None) -> pd.DataFrame:
    """A correction's audit log, oldest first: seq, at, actor, from, to, reason."""
    q = select(correction_log.c.seq, correction_log.c.at, correction_log.c.actor, correction_log.c.from_status,
               correction_log.c.to_status, correction_log.c.reason) \
        .where(correction_log.c.correction_id == cid).order_by(correction_log.c.seq)
    rows = (store or Store()).read(lambda conn: conn.execute(q).all())
    return pd.DataFrame(rows, columns=["seq", "at", "actor", "from_status", "to_status", "reason"])


def get(cid: str, store: Store | None = None) -> dict[str, Any] | None:
    """One correction's public fields and status, or None (an id that is not one is no correction)."""
    if not isinstance(cid, str) or not CORRECTION_ID.fullmatch(cid):
        return None
    rows = listing(store, ids=(cid,))
    return None if rows.empty else rows.iloc[0].to_dict()


def document(cid: str, store: Store | None = None) -> tuple[str, str, bytes] | None:
    """(name, type, bytes) of a correction's evidence document, or None."""
    if not CORRECTION_ID.fullmatch(cid or ""):
        return None
    row = (store or Store()).read(lambda conn: conn.execute(
        select(corrections.c.doc_name, corrections.c.doc_type, corrections.c.doc).where(corrections.c.id == cid)
    ).first())
    if row is None or row.doc is None:
        return None
    return str(row.doc_name), str(row.doc_type), bytes(row.doc)


def version(store: Store | None = None) -> int:
    """A number that changes whenever any correction's status changes (the last audit entry)."""
    return int((store or Store()).read(lambda conn: conn.execute(select(func.max(correction_log.c.seq))).scalar())
               or 0)


def pending_regions(store: Store | None = None) -> frozenset[str]:
    """The regency codes with an open correction (diajukan or ditinjau): one distinct list from the database, however
    many corrections wait."""
    latest = _latest()
    q = select(corrections.c.region_code).distinct().join(latest, latest.c.correction_id == corrections.c.id) \
        .where(latest.c.status.in_(OPEN))
    return frozenset(r[0] for r in (store or Store()).read(lambda conn: conn.execute(q).all()))


# ----------------------------------------------------------------------------------------------------------------
# Effect: accepted corrections as statements
# ----------------------------------------------------------------------------------------------------------------

def accepted(store: Store | None = None) -> pd.DataFrame:
    """The accepted corrections, oldest first, with the steward and day of acceptance."""
    store = store or Store()
    df = listing(store, statuses=("diterima",))
    if df.empty:
        return df.assign(steward=pd.Series(dtype=str), accepted_on=pd.Series(dtype=str))
    q = select(correction_log.c.correction_id, correction_log.c.actor, correction_log.c.at) \
        .where(correction_log.c.to_status == "diterima")
    log = pd.DataFrame(store.read(lambda conn: conn.execute(q).all()), columns=["id", "actor", "at"])
    log = log.drop_duplicates("id", keep="last").set_index("id")
    df["steward"] = df["id"].map(log["actor"]).str.removeprefix("steward:")
    df["accepted_on"] = df["id"].map(log["at"]).map(lambda t: pd.Timestamp(t).date().isoformat())
    return df.sort_values(["accepted_on", "submitted_at", "id"]).reset_index(drop=True)


MPP_STATEMENT_COLUMNS = ["region_name", "province", "mpp_name", "inaugurated_on", "event", "source_url", "note"]
SCORE_STATEMENT_COLUMNS = ["region_name", "region_level", "province", "assessment", "year", "predikat", "score",
                           "source_url", "note"]


def _events(r: Any) -> tuple[str, str]:
    """(event, expected kind) of an accepted MPP correction; the texts are ours, never the submitter's, so the
    curation rules classify them as intended."""
    if r.claim == "closed":
        return f"NO MPP operating since {r.claim_date} (field correction, accepted)", "negative"
    what = "operating since" if r.claim == "operating" else "operating since (corrected opening date)"
    return f"{what} {r.claim_date} (field correction, accepted)", "local"


def statements(acc: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(MPP statements, score statements) of accepted corrections, in the columns of ``data/sources/``; each note
    names the correction (``koreksi lapangan #<id>``), the steward and the day of acceptance."""
    from .registry import classify

    g = gz.gazetteer()
    regs = gz.regencies().set_index("code")
    mpp, score = [], []
    for r in acc.itertuples():
        name, province = str(regs.at[r.region_code, "name"]), g.province_name(r.region_code[:2])
        note = f"{SOURCE_LABEL.format(id=r.id)}; accepted by steward {r.steward} on {r.accepted_on}"
        url = r.source_url if isinstance(r.source_url, str) else ""
        if r.claim in ("operating", "closed", "date"):
            event, kind = _events(r)
            if classify(event, note)[0] != kind:  # a steward's name that reads as a curation keyword: leave it out
                note = SOURCE_LABEL.format(id=r.id)
            mpp.append({"region_name": name, "province": province,
                        "mpp_name": r.mpp_name if isinstance(r.mpp_name, str) else "",
                        "inaugurated_on": r.claim_date, "event": event, "source_url": url, "note": note})
        elif r.claim == "score":
            score.append({"region_name": name, "region_level": "kabupaten/kota", "province": province,
                          "assessment": r.assessment, "year": str(int(r.year)),
                          "predikat": r.predikat if isinstance(r.predikat, str) else "",
                          "score": r.score if isinstance(r.score, str) else "", "source_url": url, "note": note})
    return pd.DataFrame(mpp, columns=MPP_STATEMENT_COLUMNS), pd.DataFrame(score, columns=SCORE_STATEMENT_COLUMNS)


@dataclass(frozen=True)
class Corrected:
    """The registry, the scores and the negative evidence with the accepted corrections taken in."""

    registry: pd.DataFrame
    scores: pd.DataFrame
    negative: pd.DataFrame
    applied: pd.DataFrame       # the accepted corrections used
    version: int


def corrected(acc: pd.DataFrame, version_: int = 0) -> Corrected:
    """Rebuild the registry and scores from the project's statements plus those of ``acc`` (accepted corrections),
    by the same rules as ``build-registry``; the committed tables when ``acc`` is empty."""
    from .curation import csv_text, read_statements
    from .registry import build_registry, load_curation_report, load_registry
    from .scores import build_scores, load_scores

    if acc.empty:
        return Corrected(load_registry(), load_scores(), load_curation_report("negative_evidence"), acc, version_)
    mpp_rows, score_rows = statements(acc)
    build = build_registry(pd.concat([read_statements("mpp_sources.csv").drop(columns="source_row"), mpp_rows],
                                     ignore_index=True))
    reg = load_registry(io.StringIO(csv_text(build.registry)))
    negative = pd.read_csv(io.StringIO(csv_text(build.negative)), dtype=str, keep_default_na=False)
    if score_rows.empty:
        scores = load_scores()
    else:
        tidy, _unmatched = build_scores(pd.concat(
            [read_statements("reform_scores_sources.csv").drop(columns="source_row"), score_rows], ignore_index=True))
        scores = load_scores(io.StringIO(csv_text(tidy)))
    return Corrected(reg, scores, negative, acc, version_)


def current(store: Store | None = None) -> Corrected:
    """The registry and scores as they stand with every accepted correction in the store."""
    store = store or Store()
    return corrected(accepted(store), version(store))


def export(acc: pd.DataFrame, public_url: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """(MPP statements in the columns ``add-statements`` reads, score statements in the columns of
    ``reform_scores_sources.csv``, lines for what was left out and why). A correction whose only evidence is a
    document cites its public status page (setting ``public_url``); without that setting it is left out."""
    base = (settings.get("public_url") if public_url is None else public_url).rstrip("/")
    mpp_rows, score_rows = statements(acc)
    left: list[str] = []
    ids = [CORRECTION_NOTE.search(n).group(1) for n in mpp_rows["note"]]  # type: ignore[union-attr]
    keep = []
    for i, (url, cid) in enumerate(zip(mpp_rows["source_url"], ids)):
        if not url:
            if base:
                mpp_rows.at[i, "source_url"] = f"{base}/koreksi?correction={cid}"
            else:
                left.append(f"correction {cid}: its only evidence is a document; set PETA_MPP_PUBLIC_URL to cite "
                            "its status page")
                continue
        keep.append(i)
    mpp = mpp_rows.loc[keep].rename(columns={"region_name": "region", "inaugurated_on": "date",
                                             "source_url": "source"})
    mpp = mpp[["region", "province", "date", "event", "source", "mpp_name", "note"]]
    return mpp.reset_index(drop=True), score_rows, left


# ----------------------------------------------------------------------------------------------------------------
# What an app process sees: the store read in the background, never on the path of a page
# ----------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LiveState:
    """The corrections as a process last read them: ``key`` names the accepted set ("" while none is accepted;
    caches of tables and maps include it), ``pending`` the regencies with an open correction, ``data`` the
    corrected tables (None while none is accepted)."""

    key: str = ""
    pending: frozenset[str] = frozenset()
    data: Corrected | None = None
    version: int = -1


class Live:
    """The store's corrections for an app process: read in a background thread at most every ``every`` seconds
    (a page asks :meth:`state` and gets the last answer at once), the corrected registry rebuilt there only when the
    accepted set changes. A store that does not answer leaves the last state in place (and the error in the log, once
    per outage) and is asked again only after ``backoff`` seconds."""

    def __init__(self, every: float = 5.0, store: Store | None = None, backoff: float = 60.0) -> None:
        import threading

        self.every, self.backoff = every, backoff
        self._store = store
        self._state = LiveState()
        self._lock = threading.Lock()
        self._checked = float("-inf")
        self._running: Any = None
        self._url = ""
        self._failing = False
        self._waited = False
        self._quiet_until = float("-inf")

    def _read(self) -> LiveState:
        store = self._store or Store()
        v = version(store)
        old = self._state
        if v == old.version and store.url == self._url:
            return old
        self._url = store.url
        acc = accepted(store)
        key = hashlib.sha256(",".join(sorted(acc["id"])).encode()).hexdigest()[:12] if len(acc) else ""
        pending = pending_regions(store)
        data = old.data if key == old.key else (corrected(acc, v) if key else None)
        return LiveState(key, pending, data, v)

    def _work(self) -> None:
        from .errors import log_bug

        try:
            new = self._read()
            with self._lock:
                self._state = new
            self._failing = False
        except Exception as exc:  # noqa: BLE001  (a store down: keep serving what was read last)
            if not self._failing:  # logged once per outage, not every few seconds
                log_bug(exc, "corrections not read")
            self._failing = True
            import time

            self._quiet_until = time.monotonic() + self.backoff  # a store that is down is not asked every few seconds

    def state(self, wait: float = 0.0) -> LiveState:
        """The last state read; starts a background read when the last one is older than ``every`` seconds. The
        first call of the process that gives ``wait`` waits up to that long for the read (later calls never wait)."""
        import threading
        import time

        now = time.monotonic()
        with self._lock:
            running = self._running
            if (running is None or not running.is_alive()) and now - self._checked >= self.every \
                    and now >= self._quiet_until:
                self._checked = now
                running = self._running = threading.Thread(target=self._work, name="peta-mpp-corrections",
                                                            daemon=True)
                running.start()
        if wait and running is not None and not self._waited:
            self._waited = True  # once per process: a store that does not answer delays one call, not every page
            running.join(wait)
        return self._state

    def refresh(self) -> LiveState:
        """Read now (after a change made in this process)."""
        with self._lock:
            self._checked = self._quiet_until = float("-inf")
        self._work()
        return self._state


# ----------------------------------------------------------------------------------------------------------------
# For people
# ----------------------------------------------------------------------------------------------------------------

def _day(value: Any, lang: str) -> str:
    from .i18n import fmt_date

    if value is None or (isinstance(value, float) and value != value):
        return ""
    return fmt_date(pd.Timestamp(value).date(), lang)


def _claimed_date(text: Any, lang: str) -> str:
    """A claimed date as a reader writes it (7 Maret 2025; a month or a year alone as given)."""
    from .i18n import fmt_date, fmt_month
    from .registry import parse_period

    p = parse_period(text)
    if p is None:
        return ""
    return fmt_date(p.start, lang) if p.precision == "day" else fmt_month(p.start, lang) if p.precision == "month" \
        else p.text


def claim_text(row: Any, lang: str) -> str:
    """What a correction claims, in one line of plain text (the submitter's words as typed)."""
    from .i18n import gettext

    when = _claimed_date(row["claim_date"], lang)
    note = row["note"] if isinstance(row["note"], str) else ""
    if row["claim"] == "operating":
        name = row["mpp_name"] if isinstance(row["mpp_name"], str) else ""
        text = gettext(lang, "operating since {date}", date=when) + (f": {name}" if name else "")
    elif row["claim"] == "closed":
        text = gettext(lang, "not operating since {date}", date=when)
    elif row["claim"] == "date":
        text = gettext(lang, "opened on {date}", date=when)
    elif row["claim"] == "score":
        parts = [str(row["assessment"]), str(int(row["year"])) if row["year"] == row["year"] and row["year"] else ""]
        parts += [str(v) for v in (row["predikat"], row["score"]) if isinstance(v, str) and v]
        text = " ".join(p for p in parts if p)
    else:
        text = ""
    return " — ".join(t for t in (text, note) if t)


def public_view(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The public list for people: dates as a reader writes them, the claim in one line, the evidence as text (an
    address is never a link), the status and the steward's reason."""
    from .i18n import gettext

    document = gettext(lang, "document")
    out = pd.DataFrame({
        "submitted_on": [_day(v, lang) for v in df["submitted_at"]], "correction_status": df["status"],
        "region": df["region"], "province": df["province"], "claim": df["claim"],
        "claim_text": [claim_text(r, lang) for _, r in df.iterrows()],
        "evidence": [" + ".join(x for x in ((u if isinstance(u, str) else ""), document if d else "") if x)
                     for u, d in zip(df["source_url"], df["has_document"])],
        "changed_on": [_day(c, lang) if s != "diajukan" else "" for c, s in zip(df["changed_at"], df["status"])],
        "status_reason": df["status_reason"].where(df["status_reason"].notna(), ""),
        "id": df["id"],
    })
    return out.reset_index(drop=True)


def public_history(cid: str, lang: str, store: Store | None = None) -> pd.DataFrame:
    """A correction's audit log for the public: when, from, to, reason, and who as a role (the submitter, or a
    steward by name, since a steward decides in public)."""
    log = history(cid, store)
    return pd.DataFrame({"at": [_day(v, lang) for v in log["at"]],
                         "actor": [a.removeprefix("steward:") if a.startswith("steward:") else a for a in log["actor"]],
                         "from_status": log["from_status"].fillna(""), "to_status": log["to_status"],
                         "reason": log["reason"].where(log["reason"].notna(), "")})
