"""Every setting of the app and the command line, declared once: name, environment variable, default, help, parser.

Read a setting with :func:`get` (``get("max_upload_mb")``); it is read from the environment at call time, so tests
can set it per test with ``monkeypatch.setenv``. ``python -m geo settings`` prints the table; a test checks that the
README lists every environment variable declared here. No other module reads ``os.environ``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .errors import PetaError, log_into
from .i18n import N_

#: The year the first MPPs opened (2017): the start of every time axis and the earliest plausible opening date.
FIRST_MPP_YEAR = 2017

#: The checkout's parent folder; ``../shared`` beside the checkout is the development and CI mirror.
CHECKOUT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str


def _path(value: str) -> Path:
    return Path(value).expanduser()


def _positive(kind: Callable[[str], Any]) -> Callable[[str], Any]:
    def parse(value: str) -> Any:
        v = kind(value)
        if v <= 0:
            raise ValueError(f"{value!r} is not positive")
        return v
    return parse


def _networks(value: str) -> tuple:
    """A comma-separated list of IP addresses or networks (CIDR), e.g. ``127.0.0.1,::1`` or ``10.0.0.0/8``."""
    import ipaddress

    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in value.replace(";", ",").split(",")
                 if part.strip())


def _lang(value: str) -> str:
    if value not in ("id", "en"):
        raise ValueError(f"{value!r} is not id or en")
    return value


SETTINGS: dict[str, Setting] = {s.name: s for s in (
    Setting("boundaries", "PETA_MPP_BOUNDARIES", None,
            "folder holding the upstream boundary files at their upstream paths (db/kab/…, db/prov/…); read offline",
            _path),
    Setting("region_stats", "PETA_MPP_REGION_STATS", None,
            "folder holding the upstream population and area files at their upstream paths (db/wilayah_penduduk.sql, "
            "db/wilayah_luas.sql); read offline", _path),
    Setting("shared", "PETA_MPP_SHARED", CHECKOUT.parent / "shared",
            "the shared reference folder beside the checkout (its data/ holds boundaries, regions_stats and the "
            "statement files that build-registry merges)", _path),
    Setting("cache", "PETA_MPP_CACHE", None,
            "cache folder for downloads and the cleaned GeoParquet boundaries (default: the platform's user cache)",
            _path),
    Setting("assets", "PETA_MPP_ASSETS", CHECKOUT / "node_modules",
            "a node_modules folder holding leaflet and leaflet.markercluster", _path),
    Setting("tiles", "PETA_MPP_TILES", "",
            "an optional basemap tile URL template, e.g. an office's own tile server (default: no basemap)"),
    Setting("tiles_attribution", "PETA_MPP_TILES_ATTRIBUTION", "basemap", "attribution shown for PETA_MPP_TILES"),
    Setting("max_upload_mb", "PETA_MPP_MAX_UPLOAD_MB", 20.0,
            "size limit of an uploaded or command-line input file, in MB", _positive(float)),
    Setting("max_rows", "PETA_MPP_MAX_ROWS", 50_000, "most data rows read from one table (CSV/XLSX)",
            _positive(int)),
    Setting("max_features", "PETA_MPP_MAX_FEATURES", 20_000, "most features read from one boundary file",
            _positive(int)),
    Setting("max_cells", "PETA_MPP_MAX_CELLS", 2_000_000,
            "most cells (rows x columns as read, empty ones included) read from one table", _positive(int)),
    Setting("max_sheets", "PETA_MPP_MAX_SHEETS", 50, "most sheets a workbook may have", _positive(int)),
    Setting("max_cell_chars", "PETA_MPP_MAX_CELL_CHARS", 300,
            "longest region or MPP name read, in characters (a longer cell is refused before any matching)",
            _positive(int)),
    Setting("max_distinct_names", "PETA_MPP_MAX_DISTINCT_NAMES", 2_000,
            "most different region names one file may ask to match (Indonesia has 514 regencies)", _positive(int)),
    Setting("max_feature_cells", "PETA_MPP_MAX_FEATURE_CELLS", 1_000_000,
            "most feature x property cells read from one boundary file", _positive(int)),
    Setting("upload_seconds", "PETA_MPP_UPLOAD_SECONDS", 30.0,
            "wall-clock budget for reading and matching one uploaded file in the app (its worker is then stopped)",
            _positive(float)),
    Setting("upload_memory_mb", "PETA_MPP_UPLOAD_MEMORY_MB", 1024.0,
            "memory budget for reading one uploaded file in the app, in MB (its worker is then stopped)",
            _positive(float)),
    Setting("max_mpps_per_regency", "PETA_MPP_MAX_MPPS_PER_REGENCY", 10,
            "most MPPs one file may give for one regency (further rows are rejected)", _positive(int)),
    Setting("max_unpacked_mb", "PETA_MPP_MAX_UNPACKED_MB", 100.0,
            "most bytes a zip or XLSX may unpack to, in MB", _positive(float)),
    Setting("database_url", "PETA_MPP_DATABASE_URL", "",
            "SQLAlchemy URL of the store of saved datasets, e.g. postgresql+psycopg://user@host/db to share it "
            "between app processes (default: SQLite in the data folder)"),
    Setting("data_dir", "PETA_MPP_DATA_DIR", None,
            "folder for the default SQLite store (default: the platform's user data folder)", _path),
    Setting("max_datasets", "PETA_MPP_MAX_DATASETS", 1000, "most saved datasets a store keeps", _positive(int)),
    Setting("max_datasets_per_visitor", "PETA_MPP_MAX_DATASETS_PER_VISITOR", 20,
            "most saved datasets one visitor (client address) may keep in the store", _positive(int)),
    Setting("max_store_mb", "PETA_MPP_MAX_STORE_MB", 2048.0,
            "most megabytes all saved datasets together may take in the store", _positive(float)),
    Setting("dataset_expiry_days", "PETA_MPP_DATASET_EXPIRY_DAYS", 90,
            "a saved dataset nobody opens for this many days is removed", _positive(int)),
    Setting("map_cache_entries", "PETA_MPP_MAP_CACHE_ENTRIES", 48,
            "rendered map views an app process keeps (about 1 MB each), least recently used dropped first",
            _positive(int)),
    Setting("cli_lang", "PETA_MPP_LANG", "en",
            "language of the command line's messages: en or id (the app's language is chosen in the app)",
            _lang),
    Setting("max_zip_ratio", "PETA_MPP_MAX_ZIP_RATIO", 100.0,
            "highest compression ratio accepted for a member of a zip or XLSX (zip bombs exceed it)",
            _positive(float)),
    Setting("corrections_per_hour", "PETA_MPP_CORRECTIONS_PER_HOUR", 10,
            "most corrections (a bulk file counts once) one client address may submit in an hour", _positive(int)),
    Setting("corrections_per_session", "PETA_MPP_CORRECTIONS_PER_SESSION", 20,
            "most corrections one browser session may submit", _positive(int)),
    Setting("corrections_rows_per_day", "PETA_MPP_CORRECTIONS_ROWS_PER_DAY", 1000,
            "most corrections (every row of a bulk file counted) one client address may submit in a day",
            _positive(int)),
    Setting("corrections_max_open", "PETA_MPP_CORRECTIONS_MAX_OPEN", 5000,
            "most corrections waiting for a steward (diajukan or ditinjau) the store keeps; beyond it nothing more "
            "is taken until stewards review some", _positive(int)),
    Setting("corrections_expiry_days", "PETA_MPP_CORRECTIONS_EXPIRY_DAYS", 365,
            "a correction no steward has looked at (still diajukan) for this many days is removed", _positive(int)),
    Setting("corrections_page_rows", "PETA_MPP_CORRECTIONS_PAGE_ROWS", 100,
            "corrections shown or sent in one page of a list (the Corrections page, /api/v1/corrections)",
            _positive(int)),
    Setting("correction_rows", "PETA_MPP_CORRECTION_ROWS", 500,
            "most rows of one bulk corrections file", _positive(int)),
    Setting("correction_doc_mb", "PETA_MPP_CORRECTION_DOC_MB", 5.0,
            "largest evidence document (PDF, JPEG or PNG) one correction may carry", _positive(float)),
    Setting("steward_lockout_failures", "PETA_MPP_STEWARD_LOCKOUT_FAILURES", 5,
            "wrong passwords from one client address after which its logins are paused (for unknown and real names "
            "alike)", _positive(int)),
    Setting("steward_lockout_minutes", "PETA_MPP_STEWARD_LOCKOUT_MINUTES", 15.0,
            "how long a paused client or a locked steward name stays so (or until python -m geo stewards unlock)",
            _positive(float)),
    Setting("steward_name_lockout_failures", "PETA_MPP_STEWARD_NAME_LOCKOUT_FAILURES", 20,
            "wrong passwords for one steward name, from any number of clients, after which that name is locked "
            "(a per-client lock comes first, after steward_lockout_failures)", _positive(int)),
    Setting("steward_logins_per_minute", "PETA_MPP_STEWARD_LOGINS_PER_MINUTE", 10,
            "most login attempts one client address may make in a minute (refused before any password is checked)",
            _positive(int)),
    Setting("steward_logins_global_per_minute", "PETA_MPP_STEWARD_LOGINS_GLOBAL_PER_MINUTE", 60,
            "most login attempts one app process checks in a minute, all clients together", _positive(int)),
    Setting("steward_verify_concurrency", "PETA_MPP_STEWARD_VERIFY_CONCURRENCY", 2,
            "most password checks (argon2, 64 MB each) one app process runs at once; a further login is told to "
            "try again in a moment", _positive(int)),
    Setting("steward_session_minutes", "PETA_MPP_STEWARD_SESSION_MINUTES", 30.0,
            "a steward's login ends after this many minutes without an action", _positive(float)),
    Setting("steward_session_hours", "PETA_MPP_STEWARD_SESSION_HOURS", 8.0,
            "a steward's login ends this many hours after it began, active or not", _positive(float)),
    Setting("trusted_proxies", "PETA_MPP_TRUSTED_PROXIES", (),
            "addresses or networks of the proxies whose X-Real-IP header names the client (deploy/serve.py sets "
            "loopback for its nginx); from any other peer no header is read", _networks),
    Setting("briefing_builds_per_minute", "PETA_MPP_BRIEFING_BUILDS_PER_MINUTE", 6,
            "most briefing-link pages one client address may have built in a minute (pages already built are "
            "served without limit)", _positive(int)),
    Setting("public_url", "PETA_MPP_PUBLIC_URL", "",
            "the public address of this deployment (e.g. https://peta-mpp.example.id); an exported correction "
            "whose only evidence is a document cites its status page there"),
    Setting("api_url", "PETA_MPP_API_URL", "",
            "where readers reach the read-only data API (e.g. https://peta-mpp.example.id/api/v1); without it, the "
            "app's own address followed by /api/v1, as `make serve` serves it; each page's 'Data of this view' gives "
            "its view's API link there"),
)}


class SettingError(PetaError):
    """An environment variable holds a value its setting cannot use."""


def get(name: str) -> Any:
    """The value of a setting: its environment variable parsed, else the default."""
    s = SETTINGS[name]
    raw = os.environ.get(s.env)
    if raw is None or raw == "":
        return s.default
    try:
        return s.parse(raw)
    except (TypeError, ValueError) as exc:
        raise SettingError(N_("{s_env}={raw!r}: {exc}", s_env=s.env, raw=raw, exc=exc)) from exc


def source(name: str) -> str:
    """Where the value comes from: 'environment' or 'default'."""
    return "environment" if os.environ.get(SETTINGS[name].env) else "default"


def table() -> list[dict[str, str]]:
    """Every setting with its value and where it was read from (for ``python -m geo settings``)."""
    rows = []
    for s in SETTINGS.values():
        try:
            value = get(s.name)
        except SettingError as exc:
            value = f"invalid: {exc}"
        rows.append({"setting": s.name, "variable": s.env, "value": "" if value is None else str(value),
                     "default": "" if s.default is None else str(s.default), "from": source(s.name), "help": s.help})
    return rows


def max_upload_bytes() -> int:
    return int(get("max_upload_mb") * 1024 * 1024)


def max_unpacked_bytes() -> int:
    return int(get("max_unpacked_mb") * 1024 * 1024)


def cache_dir() -> Path:
    """Folder for downloads, derived caches and the log (setting ``cache``, else the platform's user cache dir)."""
    configured = get("cache")
    if configured:
        return configured
    import platformdirs

    return Path(platformdirs.user_cache_dir("peta-mpp"))


log_into(cache_dir)  # the error base's log goes to the cache folder (it imports nothing of the project itself)
