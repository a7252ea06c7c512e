"""Saved datasets: analysts' uploads kept under a name, in a real database, shared by a link (``?dataset=<id>``).

SQLAlchemy, SQLite in the user's data folder by default (nothing to install), PostgreSQL (or any SQLAlchemy URL)
when ``PETA_MPP_DATABASE_URL`` is set, so several app processes share one store. The schema is created and migrated
when a store is opened (:func:`migrate`, versions in ``peta_schema``).

Each dataset keeps the raw uploaded bytes with their sha256 (a later fix of the parser can re-read them), the
column mapping used, and the parsed rows. Ids are unguessable (128 random bits); deleting needs the owner's token,
handed out once when saving and stored only as a hash. Limits (settings): ``max_upload_mb`` for the raw bytes,
``max_rows`` for the rows, ``max_datasets`` per store. An oversize or malformed dataset is refused and stores nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

import pandas as pd
from sqlalchemy import (
    Column,
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
    func,
    insert,
    select,
)
from sqlalchemy.exc import SQLAlchemyError

from . import settings
from .errors import PetaError
from .i18n import N_

SCHEMA_VERSION = 1
metadata = MetaData()
schema_table = Table("peta_schema", metadata, Column("version", Integer, nullable=False))
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
)


class StoreError(PetaError):
    """The store refused a dataset or cannot be reached; the message says which and why."""


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


@lru_cache(maxsize=8)
def _engine(url: str) -> Engine:
    kwargs: dict = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        kwargs["connect_args"] = {"connect_timeout": 5}
    eng = create_engine(url, **kwargs)
    migrate(eng)
    return eng


def migrate(engine: Engine) -> int:
    """Create the tables and apply the migrations up to :data:`SCHEMA_VERSION`; return the version."""
    metadata.create_all(engine)
    with engine.begin() as conn:
        version = conn.execute(select(func.max(schema_table.c.version))).scalar()
        if version is None:
            conn.execute(insert(schema_table).values(version=SCHEMA_VERSION))
            version = SCHEMA_VERSION
        # Future migrations: `if version < 2: ...; version = 2` here, each in this one transaction.
    return int(version)


class Store:
    """A store of saved datasets at a SQLAlchemy URL (default: the configured one)."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        try:
            self.engine = _engine(self.url)
        except SQLAlchemyError as exc:
            raise StoreError(N_("the dataset store cannot be opened ({type_exc_name})",
                                type_exc_name=type(exc).__name__)) from exc

    def save(self, name: str, filename: str, raw: bytes, rows: pd.DataFrame, mode: str = "add", kind: str = "mpp",
             columns: dict | None = None) -> tuple[str, str]:
        """Keep a dataset; return (id, owner token). Refuses, storing nothing, what breaks a limit."""
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
        if rows.empty:
            raise StoreError(N_("{filename}: no row was accepted, so there is nothing to save", filename=filename))
        if len(rows) > settings.get("max_rows"):
            raise StoreError(N_("{filename}: {len_rows:,} rows is over the limit of {settings_get_max_rows:,}",
                                filename=filename, len_rows=len(rows),
                                settings_get_max_rows=settings.get('max_rows')))
        dataset_id, token = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        buf = io.StringIO()
        rows.to_csv(buf, index=False)
        try:
            with self.engine.begin() as conn:
                n = conn.execute(select(func.count()).select_from(datasets)).scalar() or 0
                if n >= settings.get("max_datasets"):
                    raise StoreError(N_("the store is full ({n} datasets; setting {settings_settings_max_datasets}); "
                                        "delete one first", n=n,
                                        settings_settings_max_datasets=settings.SETTINGS['max_datasets'].env))
                conn.execute(insert(datasets).values(
                    id=dataset_id, name=name, kind=kind, mode=mode, filename=clean_cell(filename)[0][:255], raw=raw,
                    sha256=hashlib.sha256(raw).hexdigest(), columns_json=json.dumps(columns or {}),
                    rows_csv=buf.getvalue(), row_count=len(rows), owner_hash=_hash(token),
                    created_at=datetime.now(timezone.utc)))
        except SQLAlchemyError as exc:
            raise StoreError(N_("the dataset could not be saved ({type_exc_name}); nothing was stored",
                                type_exc_name=type(exc).__name__)) from exc
        return dataset_id, token

    def get(self, dataset_id: str) -> SavedDataset | None:
        """The dataset, or None for an unknown id (an id is never guessable, and none is listed)."""
        if not isinstance(dataset_id, str) or not 10 <= len(dataset_id) <= 40:
            return None
        try:
            with self.engine.connect() as conn:
                r = conn.execute(select(datasets).where(datasets.c.id == dataset_id)).mappings().first()
        except SQLAlchemyError as exc:
            raise StoreError(N_("the dataset store cannot be read ({type_exc_name})",
                                type_exc_name=type(exc).__name__)) from exc
        if r is None:
            return None
        rows = pd.read_csv(io.StringIO(r["rows_csv"]), dtype=str, keep_default_na=False)
        for col in ("province_run", "counted_nationally"):
            if col in rows:
                rows[col] = rows[col].map({"True": True, "False": False}).fillna(False).astype(bool)
        for col in ("latitude", "longitude"):
            if col in rows:
                rows[col] = pd.to_numeric(rows[col], errors="coerce")
        return SavedDataset(r["id"], r["name"], r["kind"], r["mode"], r["filename"], r["sha256"], r["row_count"],
                            r["created_at"], rows, json.loads(r["columns_json"]), bytes(r["raw"]))

    def delete(self, dataset_id: str, token: str) -> bool:
        """Delete a dataset if ``token`` is its owner's; True if deleted."""
        with self.engine.begin() as conn:
            res = conn.execute(delete(datasets).where(datasets.c.id == dataset_id,
                                                      datasets.c.owner_hash == _hash(token or "")))
        return bool(res.rowcount)

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(datasets)).scalar() or 0)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
