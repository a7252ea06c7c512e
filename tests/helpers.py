"""Helpers shared by the test files: the command line (in this process, or as a program), synthetic statement rows,
small zips, an ASGI caller."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import io
import os
import subprocess
import sys
import tempfile
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "sources"
COLS = ["region_name", "province", "mpp_name", "inaugurated_on", "event", "source_url", "note"]


def run(*args: str, tmp: Path | None = None, env: dict | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """``python -m geo ARGS``, run in this process: ``geo.cli.main`` as ``geo/__main__.py`` calls it, with its output
    and exit status captured, the settings in ``env`` and ``tmp`` as the temporary folder for this call only (a new
    interpreter per call cost about a second; :func:`program` runs the real one)."""
    from geo.cli import main

    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        for key, value in (env or {}).items():
            mp.setenv(key, value)
        if tmp is not None:
            mp.setenv("TMPDIR", str(tmp))
            mp.setattr(tempfile, "tempdir", str(tmp))
        mp.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse: usage errors and --help
                code = exc.code if isinstance(exc.code, int) else 2
    return subprocess.CompletedProcess(["python", "-m", "geo", *args], code, out.getvalue(), err.getvalue())


def program(*args: str, env: dict | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """``python -m geo ARGS`` as a program, in a new interpreter."""
    e = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=cwd, capture_output=True, text=True, env=e,
                          timeout=300)


def one_line_exit_2(p: subprocess.CompletedProcess) -> str:
    """Bad input: exit status 2, one line on stderr starting with 'error:', no traceback."""
    assert p.returncode == 2, (p.returncode, p.stderr[-2000:])
    assert "Traceback" not in p.stderr
    lines = [x for x in p.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), p.stderr
    return lines[0]


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, b in members.items():
            zf.writestr(n, b)
    return buf.getvalue()


def synthetic(*rows: tuple) -> pd.DataFrame:
    """SYNTHETIC test rows in the shape of shared/data/mpp/mpp_sources.csv (not real facts)."""
    return pd.DataFrame([dict(zip(COLS, r)) for r in rows])


@dataclass
class Reply:
    status_code: int
    headers: dict
    content: bytes

    @property
    def text(self) -> str:
        body = gzip.decompress(self.content) if self.headers.get("content-encoding") == "gzip" else self.content
        return body.decode()


class Client:
    """A plain ASGI caller (no HTTP client library needed): ``get("/path?query", headers, method)``."""

    def __init__(self, app) -> None:
        self.app = app

    def get(self, path: str, headers: dict | None = None, method: str = "GET", client: str | None = None) -> Reply:
        sent: list[dict] = []

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            sent.append(message)
        path, _, query = path.partition("?")
        scope = {"type": "http", "method": method, "path": path, "raw_path": path.encode(), "query_string": query.encode(),
                 "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]}
        if client is not None:  # the connection's peer, as a server gives it
            scope["client"] = (client, 50000)
        # in a thread of its own: the browser tests of the same run may leave an event loop running in this one
        worker = threading.Thread(target=lambda: asyncio.run(self.app(scope, receive, send)))
        worker.start()
        worker.join()
        start = next(m for m in sent if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        return Reply(start["status"], {k.decode().lower(): v.decode() for k, v in start["headers"]}, body)
