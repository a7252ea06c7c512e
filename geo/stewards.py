"""Data stewards: the accounts that review corrections from the field.

Accounts are made on the command line only (``python -m geo stewards add NAME``); the password is kept as an argon2
hash (argon2-cffi's defaults, RFC 9106 low-memory profile), never in clear. Logging in on the app:

- cheap refusals come first, before any password is hashed: at most ``steward_logins_per_minute`` attempts per
  client address and ``steward_logins_global_per_minute`` per process (in memory), and at most
  ``steward_verify_concurrency`` argon2 checks (64 MB each) at once per process; a further one is told to try again
  in a moment, so a crowd of logins cannot take the process's memory;
- every attempt is counted before its password is checked, atomically in the shared store (under its write lock),
  for the client address and for the name alike: a client with ``steward_lockout_failures`` wrong passwords is
  paused for ``steward_lockout_minutes`` (backing off the client, not the account), and a name with
  ``steward_name_lockout_failures`` wrong passwords from any number of clients is locked as long; concurrent tries
  cannot slip past either count. A lock ends by time or by an operator (``python -m geo stewards unlock``);
- a wrong name and a wrong password get the same answers, counts and locks, and take the same time (an unknown
  name is checked against a dummy hash), so nothing tells which names exist;
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
from sqlalchemy import Connection, delete, insert, or_, select, update

from . import settings
from .errors import PetaError
from .i18n import N_
from .store import Store, login_attempts, steward_sessions, stewards

#: A steward's name: lower-case letters, digits, dots, hyphens (it appears in the audit log).
NAME = re.compile(r"[a-z][a-z0-9.-]{1,39}")
MIN_PASSWORD = 12


class StewardError(PetaError):
    """A steward account could not be made, or a login was refused; the message says why."""


class LoginBusy(StewardError):
    """A login was refused before any check: too many attempts, or too many checks at once."""


#: Western Indonesia Time, in which a lock's end is said (the app's audience; the time zone is named).
WIB = timezone(timedelta(hours=7), "WIB")


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
    """Every steward: name, created, wrong passwords counted for the name, locked until (no hashes)."""
    store = store or Store()
    rows = store.read(lambda conn: conn.execute(select(stewards.c.name, stewards.c.created_at)
                                                .order_by(stewards.c.name)).all())
    attempts = {r.key: r for r in store.read(lambda conn: conn.execute(select(login_attempts)).all())}
    out = []
    for r in rows:
        a = attempts.get(_key("name", r.name))
        out.append({"name": r.name, "created_at": r.created_at, "failures": int(a.failures) if a else 0,
                    "locked_until": _aware(a.locked_until) if a else None})
    return pd.DataFrame(out, columns=["name", "created_at", "failures", "locked_until"])


def exists(name: str, store: Store | None = None) -> bool:
    return (store or Store()).read(
        lambda conn: conn.execute(select(stewards.c.name).where(stewards.c.name == name)).first()) is not None


def _key(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def _until_text(t: datetime) -> str:
    return t.astimezone(WIB).strftime("%H:%M WIB")


def _reserve(conn: Connection, keys: dict[str, int], now: datetime, window: timedelta) -> int:
    """Count one attempt for each key (client, name) before its password is checked; refuse, counting nothing,
    while any key is locked. Returns the attempts the client has left after this one."""
    # counts nobody added to within the window, and locks that have ended, are let go (the table stays small)
    conn.execute(delete(login_attempts).where(login_attempts.c.updated_at < now - window,
                                              or_(login_attempts.c.locked_until.is_(None),
                                                  login_attempts.c.locked_until < now)))
    rows = {r.key: r for r in conn.execute(select(login_attempts).where(login_attempts.c.key.in_(list(keys))))}
    locks = [_aware(r.locked_until) for r in rows.values() if r.locked_until is not None]
    locked = max((t for t in locks if t is not None and t > now), default=None)
    if locked is not None:
        raise StewardError(N_("too many wrong passwords: logging in is paused until {time}; try again then, or ask "
                              "an operator", time=_until_text(locked)))
    left = 0
    for key, limit in keys.items():
        row = rows.get(key)
        stale = row is None or (row.locked_until is not None) or now - _aware(row.updated_at) > window
        failures = (0 if stale else int(row.failures)) + 1
        until = now + window if failures >= limit else None
        values = dict(failures=failures, updated_at=now, locked_until=until)
        if row is None:
            conn.execute(insert(login_attempts).values(key=key, **values))
        else:
            conn.execute(update(login_attempts).where(login_attempts.c.key == key).values(**values))
        if key == next(iter(keys)):
            left = limit - failures
    return left


def login(name: str, password: str, store: Store | None = None, now: datetime | None = None,
          client: str | None = None) -> Login:
    """Check a steward's password; return a login (its token to keep in the session) or raise
    :class:`StewardError` saying why (wrong name or password with the attempts left, paused until when), or
    :class:`LoginBusy` (refused before any check). ``client`` is the client address (``geo.clients``)."""
    from .clients import UNKNOWN, budget, gate

    now = now or _now()
    store = store or Store()
    client = client or UNKNOWN
    name = (name or "")[:80]
    per_client = budget("steward-login", settings.get("steward_logins_per_minute"), 60.0)
    if not per_client.take(client):
        raise LoginBusy(N_("too many login attempts from your address in a minute (at most {n}); try again in "
                           "{s} seconds", n=settings.get("steward_logins_per_minute"),
                           s=max(1, round(per_client.retry_after(client)))))
    if not budget("steward-login-all", settings.get("steward_logins_global_per_minute"), 60.0).take("*"):
        raise LoginBusy(N_("the app has had too many login attempts this minute (at most {n}); try again in a "
                           "minute", n=settings.get("steward_logins_global_per_minute")))
    checks = gate("steward-verify", settings.get("steward_verify_concurrency"))
    if not checks.acquire(timeout=2.0):
        raise LoginBusy(N_("the app is checking other logins; try again in a few seconds"))
    try:
        window = timedelta(minutes=settings.get("steward_lockout_minutes"))
        limit = settings.get("steward_lockout_failures")
        keys = {_key("client", client): limit, _key("name", name): settings.get("steward_name_lockout_failures")}
        left = store.write(lambda conn: _reserve(conn, keys, now, window))
        row = store.read(lambda conn: conn.execute(select(stewards.c.password_hash).where(stewards.c.name == name))
                         .first())
        try:  # an unknown name is checked against a dummy hash: the same work, the same time
            ok = _hasher().verify(row.password_hash if row else _dummy_hash(), password or "-") and row is not None
        except (VerifyMismatchError, InvalidHashError, VerificationError):
            ok = False
    finally:
        checks.release()
    if not ok:
        if left <= 0:
            raise StewardError(N_("wrong name or password; logging in is paused until {time}",
                                  time=_until_text(now + window)))
        raise StewardError(N_("wrong name or password; {n} attempt(s) left before logging in is paused for {m} "
                              "minutes", n=left, m=f"{window.total_seconds() / 60:.0f}"))

    def record(conn: Connection) -> Login | None:
        if conn.execute(select(stewards.c.name).where(stewards.c.name == name)).first() is None:
            return None  # removed meanwhile
        # A right password is no failure: its own count is taken back (never below 0), and the name's count starts
        # again. A pause already set stays until its time: concurrent tries cannot lift it by guessing right.
        unlocked = login_attempts.c.locked_until.is_(None)
        client_key, name_key = list(keys)
        conn.execute(update(login_attempts).where(login_attempts.c.key == client_key, unlocked,
                                                  login_attempts.c.failures > 0)
                     .values(failures=login_attempts.c.failures - 1))
        conn.execute(update(login_attempts).where(login_attempts.c.key == name_key, unlocked)
                     .values(failures=0, updated_at=now))
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


def unlock(name: str | None = None, store: Store | None = None) -> int:
    """Operators: end the lock on a steward name (with ``name``), or every lock and count (names and client
    addresses); return how many were cleared."""
    q = delete(login_attempts)
    if name is not None:
        q = q.where(login_attempts.c.key == _key("name", name))
    return int((store or Store()).write(lambda conn: conn.execute(q).rowcount) or 0)


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
