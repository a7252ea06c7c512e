"""Helpers shared by the test files: the command line in a subprocess, synthetic statement rows, small zips."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "sources"
COLS = ["region_name", "province", "mpp_name", "inaugurated_on", "event", "source_url", "note"]


def run(*args: str, tmp: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m geo ARGS`` in a subprocess (with TMPDIR set to ``tmp`` when given)."""
    e = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    if tmp is not None:
        e["TMPDIR"] = str(tmp)
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True, text=True, env=e,
                          timeout=120)


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
