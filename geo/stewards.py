"""Data stewards: the accounts that review corrections from the field.

Accounts are made on the command line only (``python -m geo stewards add NAME``); the password is kept as an argon2
hash (argon2-cffi's defaults, RFC 9106 low-memory profile), never in clear. Logging in on the app:

- a wrong name and a wrong password get the same answer, and take the same time (an unknown name is checked
  against a dummy hash);
- after ``steward_lockout_failures`` wrong passwords in a row the account is locked for ``steward_lockout_minutes``
  (in the shared store, so every app process sees it); a right password during the lock is refused too;
- a login is a random token kept only as a hash in the store; it ends after ``steward_session_minutes`` without an
  action or ``steward_session_hours`` after it began, whichever comes first, and on logout.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, delete, insert, select, update

from . import settings
from .errors import PetaError
from .i18n import N_
from .store import Store, steward_sessions, stewards

#: A steward's name: lower-case letters, digits, dots, hyphens (it appears in the audit log).
NAME = re.compile(r"[a-z][a-z0-9.-]{1,39}")
MIN_PASSWORD = 12


class StewardError(PetaError):
    """A steward account could not be made, or a login was refused; the message says why."""


@dataclass(frozen=True)
class Login:
    steward: str
    token: str


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash(secrets.token_hex(16))


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(t: datetime | None) -> datetime | None:
    return None if t is None else (t if t.tzinfo else t.replace(tzinfo=timezone.utc))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add(name: str, password: str, store: Store | None = None) -> None:
    """Make a steward account (refused: a malformed or taken name, a password shorter than 12 characters)."""
    if not NAME.fullmatch(name or ""):
        raise StewardError(N_("{name!r} is not a steward name: 2 to 40 lower-case letters, digits, dots or "
                              "hyphens, starting with a letter", name=name))
    if len(password or "") < MIN_PASSWORD:
        raise StewardError(N_("the password must have at least {n} characters", n=MIN_PASSWORD))
    digest = _hasher().hash(password)
    store = store or Store()

    def run(conn: Connection) -> None:
        if conn.execute(select(stewards.c.name).where(stewards.c.name == name)).first() is not None:
            raise StewardError(N_("a steward {name!r} exists already", name=name))
        conn.execute(insert(stewards).values(name=name, password_hash=digest, created_at=_now(), failures=0))
    store.write(run)


def remove(name: str, store: Store | None = None) -> bool:
    """Remove a steward account and end its logins (its entries in the audit log stay); True if it existed."""
    def run(conn: Connection) -> bool:
        conn.execute(delete(steward_sessions).where(steward_sessions.c.steward == name))
        return bool(conn.execute(delete(stewards).where(stewards.c.name == name)).rowcount)
    return (store or Store()).write(run)


def listing(store: Store | None = None) -> pd.DataFrame:
    """Every steward: name, created, failures in a row, locked until (no hashes)."""
    cols = [stewards.c.name, stewards.c.created_at, stewards.c.failures, stewards.c.locked_until]
    rows = (store or Store()).read(lambda conn: conn.execute(select(*cols).order_by(stewards.c.name)).all())
    return pd.DataFrame(rows, columns=[c.name for c in cols])


def exists(name: str, store: Store | None = None) -> bool:
    return (store or Store()).read(
        lambda conn: conn.execute(select(stewards.c.name).where(stewards.c.name == name)).first()) is not None


def login(name: str, password: str, store: Store | None = None, now: datetime | None = None) -> Login:
    """Check a steward's password; return a login (its token to keep in the session) or raise
    :class:`StewardError` saying why (wrong name or password, or locked until when)."""
    now = now or _now()
    store = store or Store()
    row = store.read(lambda conn: conn.execute(select(stewards).where(stewards.c.name == (name or "")))
                     .mappings().first())
    if row is None:
        try:  # the same work as for a known name: the answer's timing tells nothing
            _hasher().verify(_dummy_hash(), password or "-")
        except (VerificationError, InvalidHashError):
            pass
        raise StewardError(N_("wrong name or password"))
    locked = _aware(row["locked_until"])
    if locked is not None and locked > now:
        raise StewardError(N_("this account is locked after too many wrong passwords; try again after {time} UTC",
                              time=locked.strftime("%H:%M")))
    try:
        ok = _hasher().verify(row["password_hash"], password or "")
    except (VerifyMismatchError, InvalidHashError, VerificationError):
        ok = False
    limit = settings.get("steward_lockout_failures")

    def record(conn: Connection) -> Login | None:
        current = conn.execute(select(stewards.c.failures, stewards.c.locked_until)
                               .where(stewards.c.name == name)).first()
        if current is None:
            return None
        if not ok:
            failures = int(current.failures or 0) + 1
            until = now + timedelta(minutes=settings.get("steward_lockout_minutes")) if failures >= limit else None
            conn.execute(update(stewards).where(stewards.c.name == name).values(
                failures=0 if until else failures, locked_until=until))
            return None
        conn.execute(update(stewards).where(stewards.c.name == name).values(failures=0, locked_until=None))
        conn.execute(delete(steward_sessions).where(  # logins that have ended, of stewards who never came back
            (steward_sessions.c.seen_at < now - timedelta(minutes=settings.get("steward_session_minutes")))
            | (steward_sessions.c.started_at < now - timedelta(hours=settings.get("steward_session_hours")))))
        token = secrets.token_urlsafe(32)
        conn.execute(insert(steward_sessions).values(token_hash=_token_hash(token), steward=name, started_at=now,
                                                     seen_at=now))
        return Login(name, token)
    result = store.write(record)
    if result is None:
        raise StewardError(N_("wrong name or password"))
    return result


def who(token: str | None, store: Store | None = None, now: datetime | None = None) -> str | None:
    """The steward a login token belongs to while it is valid (each call is an action: it keeps the login alive),
    else None (expired, logged out, unknown)."""
    if not token:
        return None
    now = now or _now()
    idle = timedelta(minutes=settings.get("steward_session_minutes"))
    longest = timedelta(hours=settings.get("steward_session_hours"))
    h = _token_hash(token)

    def run(conn: Connection) -> str | None:
        row = conn.execute(select(steward_sessions).where(steward_sessions.c.token_hash == h)).mappings().first()
        if row is None:
            return None
        if now - _aware(row["seen_at"]) > idle or now - _aware(row["started_at"]) > longest:
            conn.execute(delete(steward_sessions).where(steward_sessions.c.token_hash == h))
            return None
        conn.execute(update(steward_sessions).where(steward_sessions.c.token_hash == h).values(seen_at=now))
        return str(row["steward"])
    return (store or Store()).write(run)


def logout(token: str | None, store: Store | None = None) -> None:
    if token:
        (store or Store()).write(lambda conn: conn.execute(
            delete(steward_sessions).where(steward_sessions.c.token_hash == _token_hash(token))))
