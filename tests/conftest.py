"""Test setup: the shared upstream boundary files (offline) and a cache folder inside the checkout."""

from __future__ import annotations

import http.server
import os
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SHARED_BOUNDARIES = SHARED / "data" / "boundaries" / "cahyadsn__wilayah_boundaries"

if not os.environ.get("PETA_MPP_BOUNDARIES") and SHARED_BOUNDARIES.is_dir():
    os.environ["PETA_MPP_BOUNDARIES"] = str(SHARED_BOUNDARIES)
os.environ.setdefault("PETA_MPP_CACHE", str(ROOT / ".cache"))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # test helpers (load_driver)


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"{SHARED} is missing: the tests run on the shared reference data beside the checkout")
    return SHARED


@pytest.fixture(scope="session")
def builtin():
    """The built-in boundary set (cold build once per cache folder, then warm)."""
    from geo.boundaries import builtin_boundaries

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


@pytest.fixture(scope="session")
def app(builtin):
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.headless", "true", "--server.address", "127.0.0.1"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(base + "/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("the app did not start within 60 s")
    yield RunningApp(base, proc)
    proc.terminate()
    proc.wait(timeout=20)


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
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
