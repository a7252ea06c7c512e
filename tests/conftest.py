"""Test setup: the shared upstream boundary files (offline) and a cache folder inside the checkout."""

from __future__ import annotations

import http.server
import os
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

sys.path.insert(0, str(Path(__file__).resolve().parent))  # test helpers (load_driver)


@pytest.fixture(scope="session", autouse=True)
def environment(tmp_path_factory):
    """The settings every test runs with, unless the caller set them: a cache folder inside the checkout (the
    upstream files come from ``../shared``, which geo.sources finds by itself) and a store of its own (the
    corrections a user accepted in their own store never change a test's figures). Set for the session, undone at
    its end; the app and command-line processes the tests start inherit it. A test that needs another value sets it
    with ``monkeypatch``."""
    with pytest.MonkeyPatch.context() as mp:
        if not os.environ.get("PETA_MPP_CACHE"):
            mp.setenv("PETA_MPP_CACHE", str(ROOT / ".cache"))
        mp.delenv("PETA_MPP_DATABASE_URL", raising=False)
        mp.setenv("PETA_MPP_DATA_DIR", str(tmp_path_factory.mktemp("default-store")))
        yield


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared reference data beside the checkout (setting ``shared``, ``../shared`` by default)."""
    from geo import settings

    folder = settings.get("shared")
    if not folder.is_dir():
        pytest.fail(f"{folder} is missing: the tests run on the shared reference data beside the checkout")
    return folder


@pytest.fixture(scope="session")
def builtin(environment):
    """The built-in boundary set (cold build once per cache folder, then warm)."""
    from geo.boundary_io import builtin_boundaries

    return builtin_boundaries()


# --- a running app and a real browser, shared by the browser and load tests ---------------------------------

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]


class RunningApp:
    def __init__(self, base: str, proc):
        self.base, self.proc = base, proc

    def rss_mb(self) -> float:
        """Resident memory of the server process (MB)."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")


def start_app(extra_env: dict | None = None, port: int | None = None) -> RunningApp:
    """Start the app (streamlit run app.py) on a free local port and wait for its health endpoint."""
    import socket
    import subprocess
    import time
    import urllib.request

    if port is None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(extra_env or {})}
    proc = subprocess.Popen([sys.executable, "deploy/app_process.py", "--server.port", str(port),
                             "--server.headless", "true", "--server.address", "127.0.0.1"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180  # the process answers once warm (deploy/app_process.py): ~15 s here
    while time.time() < deadline:
        try:
            urllib.request.urlopen(base + "/_stcore/health", timeout=2)
            return RunningApp(base, proc)
        except OSError:
            time.sleep(0.5)
    proc.kill()
    pytest.fail("the app did not start within 180 s")


def stop_app(app: RunningApp) -> None:
    app.proc.terminate()
    try:
        app.proc.wait(timeout=20)
    except Exception:
        app.proc.kill()


@pytest.fixture(scope="session")
def app(builtin, tmp_path_factory):
    running = start_app({"PETA_MPP_DATA_DIR": str(tmp_path_factory.mktemp("store"))})
    yield running
    stop_app(running)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    from browser_helpers import Page

    p = Page(browser)
    yield p
    assert p.external == [], f"requests left localhost: {p.external[:5]}"
    assert p.errors == [], p.errors
    p.close()




# --- a local listener: hostile files must never make the app send it a request ------------------------------

class Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        Recorder.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"a,b\n1,2\n")

    def do_HEAD(self):  # noqa: N802
        Recorder.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    """A local HTTP server that records every request: a hostile file must never make the app call it."""
    Recorder.hits = []
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()


# --- the store's databases: SQLite always, PostgreSQL where a server answers (CI runs one on 127.0.0.1:5432) ------

POSTGRES_URL = os.environ.get("PETA_MPP_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def postgres_available() -> bool:
    try:
        import sqlalchemy

        eng = sqlalchemy.create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with eng.connect():
            pass
        eng.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A fresh store URL: a SQLite file, or the PostgreSQL test database (required in CI, skipped elsewhere)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
        return
    if not postgres_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_URL}; CI must test the store against it")
        pytest.skip("no PostgreSQL server reachable")
    drop_store_tables(POSTGRES_URL)
    yield POSTGRES_URL
    drop_store_tables(POSTGRES_URL)  # what a test left (accepted corrections) reaches no later test


#: Every table of the store (geo/store.py), for a fresh PostgreSQL test database.


def drop_store_tables(url: str) -> None:
    import sqlalchemy

    from geo.store import _engine, _raw_engine, metadata

    _engine.cache_clear()
    _raw_engine.cache_clear()
    eng = sqlalchemy.create_engine(url)
    with eng.begin() as conn:
        conn.execute(sqlalchemy.text(f"DROP TABLE IF EXISTS {', '.join(metadata.tables)}"))  # every table it has
    eng.dispose()
    _engine.cache_clear()  # the next Store() migrates the fresh database
    _raw_engine.cache_clear()
