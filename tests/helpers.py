"""Helpers shared by the test files: the command line (in this process, or as a program), synthetic statement rows,
small zips."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import tempfile
import zipfile
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
