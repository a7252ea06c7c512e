"""Saved datasets: analysts' uploads kept under a name, in a real database, shared by a link (``?dataset=<id>``).

SQLAlchemy, SQLite in the user's data folder by default (nothing to install), PostgreSQL (or any SQLAlchemy URL)
when ``PETA_MPP_DATABASE_URL`` is set, so several app processes share one store.

Each dataset keeps the raw uploaded bytes with their sha256 (a later fix of the parser can re-read them), the
column mapping used, and the parsed rows. Ids are unguessable (128 random bits); deleting needs the owner's token,
handed out once when saving (the private "owner link", usable from any browser) and stored only as a hash.

Limits (settings), each enforced inside the transaction that inserts, so concurrent saves from several processes
cannot overshoot them: ``max_upload_mb`` for the raw bytes, ``max_rows`` for the rows, ``max_datasets`` per store,
``max_datasets_per_visitor`` per visitor (a keyed hash of the client address, never the address itself) and
``max_store_mb`` for the bytes of all datasets together. Datasets nobody opened for ``dataset_expiry_days`` are
removed when the next one is saved. An oversize or malformed dataset is refused and stores nothing; a full store
refuses new saves with a message and keeps serving the ones it has.

Concurrency: on SQLite every writing transaction is ``BEGIN IMMEDIATE`` (one writer at a time, waiting its turn;
readers go on through WAL); on PostgreSQL a writing transaction takes a transaction-level advisory lock first.
The schema is created and migrated under the same lock (:func:`migrate`, versions in ``peta_schema``), so any
number of processes may start together on an empty database. Transient failures (a lost connection, a busy
database, a serialisation failure) are retried with a short backoff; what remains reaches the user as one line
in their language, and the log as the exception with a reference.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import re
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import pandas as pd
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    DateTime,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError

from . import settings
from .errors import PetaError, log_bug
from .i18n import N_

SCHEMA_VERSION = 4
#: PostgreSQL advisory lock key of the store's writers and its migration ("peta" in ASCII).
LOCK_KEY = 0x70657461
#: Attempts for one store operation, and the pause before each retry (seconds).
ATTEMPTS = 3
BACKOFF = (0.2, 0.6)
#: What a dataset id looks like (``secrets.token_urlsafe(16)``); anything else is no dataset.
DATASET_ID = re.compile(r"[A-Za-z0-9_-]{10,40}")

metadata = MetaData()
schema_table = Table("peta_schema", metadata, Column("version", Integer, nullable=False))
meta_table = Table("peta_meta", metadata, Column("key", String(40), primary_key=True),
                   Column("value", String(200), nullable=False))
datasets = Table(
    "datasets", metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(120), nullable=False),
    Column("kind", String(20), nullable=False),          # "mpp"
    Column("mode", String(10), nullable=False),          # "add" or "replace"
    Column("filename", String(255), nullable=False),
    Column("raw", LargeBinary, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("columns_json", Text, nullable=False),        # the column mapping used when reading
    Column("rows_csv", Text, nullable=False),            # the parsed rows, registry-shaped
    Column("row_count", Integer, nullable=False),
    Column("owner_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # version 2
    Column("visitor", String(64), nullable=True),         # keyed hash of the saving client's address
    Column("size_bytes", BigInteger, nullable=False, server_default="0"),
    Column("last_seen_at", DateTime(timezone=True), nullable=True),
)

# version 3: corrections from the field (geo/corrections.py) and the stewards who review them (geo/stewards.py).
# A correction row is written once and never changed; its status is the last entry of its audit log.
corrections = Table(
    "corrections", metadata,
    Column("id", String(40), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("region_code", String(8), nullable=False),
    Column("claim", String(12), nullable=False),          # operating, closed, date, score, other
    Column("claim_date", String(10), nullable=True),      # YYYY-MM-DD, YYYY-MM or YYYY
    Column("mpp_name", String(120), nullable=True),
    Column("assessment", String(8), nullable=True),       # RB, SAKIP
    Column("year", Integer, nullable=True),
    Column("predikat", String(4), nullable=True),
    Column("score", String(12), nullable=True),
    Column("source_url", String(500), nullable=True),
    Column("note", Text, nullable=True),
    Column("doc_name", String(255), nullable=True),
    Column("doc_type", String(40), nullable=True),
    Column("doc", LargeBinary, nullable=True),
    Column("submitter_name", String(120), nullable=True),  # never shown publicly
    Column("submitter_institution", String(160), nullable=True),
    Column("submitter_email", String(160), nullable=True),
    Column("withdraw_hash", String(64), nullable=False),
    Column("visitor", String(64), nullable=True),         # keyed hash of the client address, as for datasets
    Column("batch", String(40), nullable=True),           # the bulk file it came in, if any
    Column("channel", String(10), nullable=False),        # form, bulk, cli
)
correction_log = Table(
    "correction_log", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("correction_id", String(40), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(80), nullable=False),
    Column("from_status", String(12), nullable=True),
    Column("to_status", String(12), nullable=False),
    Column("reason", Text, nullable=True),
)
stewards = Table(
    "stewards", metadata,
    Column("name", String(40), primary_key=True),
    Column("password_hash", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("failures", Integer, nullable=False, server_default="0"),
    Column("locked_until", DateTime(timezone=True), nullable=True),
)
# version 4: login attempts, per client address and per steward name alike (geo/stewards.py); keys are hashes.
login_attempts = Table(
    "login_attempts", metadata,
    Column("key", String(64), primary_key=True),
    Column("failures", Integer, nullable=False, server_default="0"),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("locked_until", DateTime(timezone=True), nullable=True),
)
steward_sessions = Table(
    "steward_sessions", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("steward", String(40), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)


class StoreError(PetaError):
    """The store refused a dataset or cannot be reached; the message says which and why."""


class StoreFull(StoreError):
    """A limit of the store (datasets, per visitor, total size) would be exceeded; nothing was stored."""


@dataclass(frozen=True)
class SavedDataset:
    id: str
    name: str
    kind: str
    mode: str
    filename: str
    sha256: str
    row_count: int
    created_at: datetime
    rows: pd.DataFrame
    columns: dict
    raw: bytes


def default_url() -> str:
    url = settings.get("database_url")
    if url:
        return url
    folder = settings.get("data_dir")
    if folder is None:
        import platformdirs

        folder = Path(platformdirs.user_data_dir("peta-mpp"))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'peta-mpp.sqlite'}"


# ----------------------------------------------------------------------------------------------------------------
# Engines, transactions, retries
# ----------------------------------------------------------------------------------------------------------------

def _sqlite_events(eng: Engine) -> None:
    """SQLite: SQLAlchemy issues BEGIN itself (pysqlite's own is off), IMMEDIATE for writing transactions, so two
    processes never both count and then both insert; a busy database is waited for (timeout) rather than failed."""

    @event.listens_for(eng, "connect")
    def _connect(dbapi_conn, _record) -> None:  # noqa: ANN001
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        try:
            cur.execute("PRAGMA journal_mode=WAL")  # readers are not blocked by the one writer
        except Exception:  # noqa: BLE001  (a busy file keeps its journal mode; WAL is an optimisation)
            pass
        finally:
            cur.close()

    @event.listens_for(eng, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("peta_write") else "BEGIN")


@lru_cache(maxsize=8)
def _raw_engine(url: str) -> Engine:
    kwargs: dict = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        # short timeouts: a database that hangs fails a call within seconds (the app asks it off the map's path)
        kwargs["connect_args"] = {"connect_timeout": 3, "options": "-c statement_timeout=15000"}
    elif url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": 30}
    eng = create_engine(url, **kwargs)
    if eng.dialect.name == "sqlite":
        _sqlite_events(eng)
    return eng


@lru_cache(maxsize=8)
def _engine(url: str) -> Engine:
    """The engine of ``url``, its schema migrated (once per process; safe with many processes at once)."""
    eng = _raw_engine(url)
    _retry(lambda: migrate(eng))
    return eng


@contextmanager
def _writing(engine: Engine) -> Iterator[Connection]:
    """A transaction that holds the store's write lock until it ends (see the module's docstring)."""
    with engine.execution_options(peta_write=True).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
        yield conn


T = TypeVar("T")


def _transient(exc: BaseException) -> bool:
    """A failure worth another try: the connection or the database, not the statement."""
    if isinstance(exc, (OperationalError, InterfaceError)):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def _retry(fn: Callable[[], T]) -> T:
    """``fn()``, tried again after a short pause when it fails transiently (at most :data:`ATTEMPTS` times)."""
    for attempt in range(ATTEMPTS):
        try:
            return fn()
        except SQLAlchemyError as exc:
            if attempt == ATTEMPTS - 1 or not _transient(exc):
                raise
            time.sleep(BACKOFF[min(attempt, len(BACKOFF) - 1)])
    raise AssertionError("unreachable")


def used_bytes(conn: Connection) -> int:
    """The bytes the store's budget (``max_store_mb``) counts: saved datasets and corrections' documents."""
    return int((conn.execute(select(func.coalesce(func.sum(datasets.c.size_bytes), 0))).scalar() or 0)
               + (conn.execute(select(func.coalesce(func.sum(func.length(corrections.c.doc)), 0))).scalar() or 0))


def migrate(engine: Engine) -> int:
    """Create the tables and apply the migrations up to :data:`SCHEMA_VERSION` under the write lock; return the
    version. Any number of processes may call it at once: one creates, the others find it done."""
    with _writing(engine) as conn:
        metadata.create_all(conn)
        version = conn.execute(select(func.max(schema_table.c.version))).scalar()
        if version is None:  # a new database: create_all made the current schema
            conn.execute(insert(schema_table).values(version=SCHEMA_VERSION))
            version = SCHEMA_VERSION
        if version < 2:  # per-visitor quota, total size, expiry
            ts = "TIMESTAMP WITH TIME ZONE" if conn.dialect.name == "postgresql" else "TIMESTAMP"
            for ddl in ("ADD COLUMN visitor VARCHAR(64)", "ADD COLUMN size_bytes BIGINT NOT NULL DEFAULT 0",
                        f"ADD COLUMN last_seen_at {ts}"):
                conn.exec_driver_sql(f"ALTER TABLE datasets {ddl}")
            conn.execute(update(datasets).values(
                size_bytes=func.length(datasets.c.raw) + func.length(datasets.c.rows_csv),
                last_seen_at=datasets.c.created_at))
            conn.execute(update(schema_table).values(version=2))
            version = 2
        if version < 4:  # 3: corrections, their audit log, stewards; 4: login attempts (new tables: create_all)
            conn.execute(update(schema_table).values(version=4))
            version = 4
        if conn.execute(select(meta_table.c.value).where(meta_table.c.key == "visitor_key")).scalar() is None:
            conn.execute(insert(meta_table).values(key="visitor_key", value=secrets.token_hex(32)))
    return int(version)


def _unavailable(exc: BaseException, action: str = "read") -> StoreError:
    """One line for a person (no driver class names) saying what did not happen; the exception is logged with the
    reference the line gives. ``action``: "read", "save" or "delete"."""
    ref = log_bug(exc, "store unavailable")
    if action == "save":
        return StoreError(N_("the dataset store is not answering right now, so nothing was saved; try again in a "
                             "minute (reference {ref})", ref=ref))
    if action == "delete":
        return StoreError(N_("the dataset store is not answering right now, so the dataset was not deleted; try "
                             "again in a minute (reference {ref})", ref=ref))
    if action == "change":
        return StoreError(N_("the database is not answering right now, so nothing was changed; try again in a "
                             "minute (reference {ref})", ref=ref))
    return StoreError(N_("the dataset store is not answering right now; try again in a minute (reference {ref})",
                         ref=ref))


# ----------------------------------------------------------------------------------------------------------------
# The store
# ----------------------------------------------------------------------------------------------------------------

class Store:
    """A store of saved datasets at a SQLAlchemy URL (default: the configured one)."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()

    @property
    def engine(self) -> Engine:
        """The migrated engine (opened, and the schema checked, at first use in this process)."""
        return self._engine()

    def _engine(self, action: str = "read") -> Engine:
        try:
            return _engine(self.url)
        except SQLAlchemyError as exc:
            raise _unavailable(exc, action) from exc

    def write(self, fn: Callable[[Connection], T], action: str = "change") -> T:
        """``fn(conn)`` in a writing transaction under the store's lock, retried when the failure is transient; a
        database that does not answer becomes a :class:`StoreError` saying nothing happened (``action``: what)."""
        engine = self._engine(action)

        def attempt() -> T:
            with _writing(engine) as conn:
                return fn(conn)
        try:
            return _retry(attempt)
        except SQLAlchemyError as exc:
            raise _unavailable(exc, action) from exc

    def read(self, fn: Callable[[Connection], T]) -> T:
        """``fn(conn)`` on a reading connection, retried when the failure is transient."""
        engine = self._engine()

        def attempt() -> T:
            with engine.connect() as conn:
                return fn(conn)
        try:
            return _retry(attempt)
        except SQLAlchemyError as exc:
            raise _unavailable(exc) from exc

    def visitor_hash(self, conn: Connection, visitor: str | None) -> str | None:
        """The keyed hash that stands for a client address (the address itself is never stored)."""
        return self._visitor_hash(conn, visitor)

    def _visitor_hash(self, conn: Connection, visitor: str | None) -> str | None:
        if not visitor:
            return None
        key = conn.execute(select(meta_table.c.value).where(meta_table.c.key == "visitor_key")).scalar() or ""
        return hmac.new(key.encode(), visitor.encode(), hashlib.sha256).hexdigest()

    def save(self, name: str, filename: str, raw: bytes, rows: pd.DataFrame, mode: str = "add", kind: str = "mpp",
             columns: dict | None = None, visitor: str | None = None) -> tuple[str, str]:
        """Keep a dataset; return (id, owner token). Refuses, storing nothing, what breaks a limit (:class:`StoreFull`
        for the store's own limits). ``visitor`` identifies the saving client (its address) for the per-visitor
        quota; it is kept only as a keyed hash."""
        from .tables import clean_cell

        name = clean_cell(str(name or ""))[0].strip()[:120]
        if not name:
            raise StoreError(N_("give the dataset a name"))
        if mode not in ("add", "replace") or kind != "mpp":
            raise StoreError(N_("cannot save a {kind!r} dataset in mode {mode!r}", kind=kind, mode=mode))
        if len(raw) > settings.max_upload_bytes():
            raise StoreError(N_("{filename}: {len_raw_1048576:.1f} MB is over the limit of "
                                "{settings_get_max_upload_mb:.0f} MB",
                                filename=filename, len_raw_1048576=len(raw) / 1048576,
                                settings_get_max_upload_mb=settings.get('max_upload_mb')))
        if rows is None or rows.empty:
            raise StoreError(N_("{filename}: no row was accepted, so there is nothing to save", filename=filename))
        if len(rows) > settings.get("max_rows"):
            raise StoreError(N_("{filename}: {len_rows:,} rows is over the limit of {settings_get_max_rows:,}",
                                filename=filename, len_rows=len(rows),
                                settings_get_max_rows=settings.get('max_rows')))
        buf = io.StringIO()
        rows.to_csv(buf, index=False)
        rows_csv = buf.getvalue()
        size = len(raw) + len(rows_csv.encode())
        dataset_id, token = _new_id(), secrets.token_urlsafe(16)

        engine = self._engine("save")

        def attempt() -> None:
            with _writing(engine) as conn:
                now = datetime.now(timezone.utc)
                self._expire(conn, now)
                who = self._visitor_hash(conn, visitor)
                self._check_limits(conn, who, size)
                conn.execute(insert(datasets).values(
                    id=dataset_id, name=name, kind=kind, mode=mode, filename=clean_cell(filename)[0][:255], raw=raw,
                    sha256=hashlib.sha256(raw).hexdigest(), columns_json=json.dumps(columns or {}),
                    rows_csv=rows_csv, row_count=len(rows), owner_hash=_hash(token), created_at=now,
                    visitor=who, size_bytes=size, last_seen_at=now))

        try:
            _retry(attempt)
        except SQLAlchemyError as exc:
            raise _unavailable(exc, "save") from exc
        return dataset_id, token

    def _expire(self, conn: Connection, now: datetime) -> int:
        """Remove the datasets nobody has opened for ``dataset_expiry_days``; return how many."""
        cutoff = now - timedelta(days=settings.get("dataset_expiry_days"))
        return conn.execute(delete(datasets).where(datasets.c.last_seen_at < cutoff)).rowcount or 0

    def _check_limits(self, conn: Connection, who: str | None, size: int) -> None:
        n = conn.execute(select(func.count()).select_from(datasets)).scalar() or 0
        if n >= settings.get("max_datasets"):
            raise StoreFull(N_("the store is full ({n} datasets, setting {env}); nothing was saved. The data stays "
                               "in use in this session; saved datasets nobody opens for {days} days are removed",
                               n=n, env=settings.SETTINGS["max_datasets"].env,
                               days=settings.get("dataset_expiry_days")))
        budget, used = settings.get("max_store_mb") * 1048576, used_bytes(conn)
        if used + size > budget:
            raise StoreFull(N_("the store is full ({used:.0f} of {budget:.0f} MB, setting {env}); nothing was saved. "
                               "The data stays in use in this session", used=used / 1048576,
                               budget=budget / 1048576, env=settings.SETTINGS["max_store_mb"].env))
        if who is not None:
            mine = conn.execute(select(func.count()).select_from(datasets).where(datasets.c.visitor == who)).scalar()
            limit = settings.get("max_datasets_per_visitor")
            if mine >= limit:
                raise StoreFull(N_("you have saved {n} datasets, the most one visitor may keep (setting {env}); "
                                   "delete one with its owner link first", n=mine,
                                   env=settings.SETTINGS["max_datasets_per_visitor"].env))

    def get(self, dataset_id: str) -> SavedDataset | None:
        """The dataset, or None for an unknown id (an id is never guessable, and none is listed). Opening a dataset
        keeps it from expiring."""
        if not isinstance(dataset_id, str) or not DATASET_ID.fullmatch(dataset_id):
            return None

        def attempt():
            with self.engine.connect() as conn:
                return conn.execute(select(datasets).where(datasets.c.id == dataset_id)).mappings().first()

        try:
            r = _retry(attempt)
        except SQLAlchemyError as exc:
            raise _unavailable(exc) from exc
        if r is None:
            return None
        self._seen(dataset_id, r["last_seen_at"])
        rows = pd.read_csv(io.StringIO(r["rows_csv"]), dtype=str, keep_default_na=False)
        for col in ("province_run", "counted_nationally"):
            if col in rows:
                rows[col] = rows[col].map({"True": True, "False": False}).fillna(False).astype(bool)
        for col in ("latitude", "longitude"):
            if col in rows:
                rows[col] = pd.to_numeric(rows[col], errors="coerce")
        return SavedDataset(r["id"], r["name"], r["kind"], r["mode"], r["filename"], r["sha256"], r["row_count"],
                            r["created_at"], rows, json.loads(r["columns_json"]), bytes(r["raw"]))

    def _seen(self, dataset_id: str, last: datetime | None) -> None:
        """Note that a dataset was opened (at most once a day; a failure here costs the visitor nothing)."""
        now = datetime.now(timezone.utc)
        if last is not None and (last if last.tzinfo else last.replace(tzinfo=timezone.utc)) > now - timedelta(days=1):
            return
        try:
            with self.engine.begin() as conn:
                conn.execute(update(datasets).where(datasets.c.id == dataset_id).values(last_seen_at=now))
        except SQLAlchemyError:
            pass

    def is_owner(self, dataset_id: str, token: str) -> bool:
        """Whether ``token`` is the owner token of ``dataset_id`` (for an owner link opened in any browser)."""
        if not DATASET_ID.fullmatch(dataset_id or "") or not token:
            return False
        try:
            with self.engine.connect() as conn:
                h = conn.execute(select(datasets.c.owner_hash).where(datasets.c.id == dataset_id)).scalar()
        except SQLAlchemyError as exc:
            raise _unavailable(exc) from exc
        return h is not None and hmac.compare_digest(h, _hash(token))

    def delete(self, dataset_id: str, token: str) -> bool:
        """Delete a dataset if ``token`` is its owner's; True if deleted."""
        engine = self._engine("delete")

        def attempt() -> int:
            with engine.begin() as conn:
                return conn.execute(delete(datasets).where(datasets.c.id == dataset_id,
                                                           datasets.c.owner_hash == _hash(token or ""))).rowcount
        try:
            return bool(_retry(attempt))
        except SQLAlchemyError as exc:
            raise _unavailable(exc, "delete") from exc

    def remove(self, dataset_id: str) -> bool:
        """Delete a dataset without its token (an operator's command); True if deleted."""
        with self.engine.begin() as conn:
            return bool(conn.execute(delete(datasets).where(datasets.c.id == dataset_id)).rowcount)

    def listing(self) -> pd.DataFrame:
        """Every dataset's id, name, rows, size and dates (for operators; the app lists none)."""
        cols = [datasets.c.id, datasets.c.name, datasets.c.row_count, datasets.c.size_bytes, datasets.c.created_at,
                datasets.c.last_seen_at]
        with self.engine.connect() as conn:
            return pd.DataFrame(conn.execute(select(*cols).order_by(datasets.c.created_at)).all(),
                                columns=[c.name for c in cols])

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(datasets)).scalar() or 0)


def _new_id() -> str:
    """128 random bits, URL-safe, never starting with '-' or '_' (so a command line never takes it for an option)."""
    while not (dataset_id := secrets.token_urlsafe(16))[0].isalnum():
        pass
    return dataset_id


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
