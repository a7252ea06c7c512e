"""Pathological input: time and peak memory of `match`, `coverage --mpp-file` and `boundaries` on hostile files.

Each file is built here (SYNTHETIC), each command runs in its own process; the peak memory is that process's
maximum resident set. Every run must end within a few seconds and a few hundred MB, or be refused at once.

    .venv/bin/python bench/bench_hostile.py
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str]) -> tuple[float, float, int, str]:
    """(seconds, peak MB, exit status, last stderr line) of `python -m geo ARGS`."""
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "geo", *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    lines = [x for x in err.splitlines() if x.strip()]
    return time.perf_counter() - t, usage.ru_maxrss / 1024, proc.returncode, (lines[-1] if lines else "")[:90]


def deflated(name: str, size_mb: int, extra: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, b in (extra or {}).items():
            zf.writestr(n, b)
        with zf.open(name, "w") as w:
            block = b" " * (1 << 20)
            for _ in range(size_mb):
                w.write(block)
    return buf.getvalue()


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-hostile-"))
    files: dict[str, tuple[str, Path]] = {}

    def put(label: str, kind: str, name: str, data: bytes) -> None:
        p = tmp / name
        p.write_bytes(data)
        files[label] = (kind, p)

    put("one line, 100 KB", "table", "line100k.csv", b"wilayah;" + b'";x' * 33_000)
    put("one line, 10 MB", "table", "line10m.csv", b"wilayah;" + b'";x' * 3_300_000)
    put("419k valid rows", "table", "rows419k.csv", b"wilayah,tanggal\n" + b"Kota Medan,2024-01-01\n" * 419_000)
    put("2M short rows", "table", "rows2m.csv", b"w\n" + b"a\n" * 2_000_000)
    put("45k MPPs in one city", "table", "rows45k.csv", b"wilayah,tanggal\n" + b"Kota Medan,2024-01-01\n" * 45_000)
    put("XLSX unpacking to 1 GB", "table", "bomb.xlsx",
        deflated("xl/worksheets/sheet1.xml", 1024, {"xl/workbook.xml": b"<workbook/>"}))
    feature = {"type": "Feature", "properties": {"nama": "Kota Medan"},
               "geometry": {"type": "Point", "coordinates": [98.67, 3.59]}}
    put("100k tiny features", "vector", "many.geojson",
        json.dumps({"type": "FeatureCollection", "features": [feature] * 100_000}).encode())
    square = {"type": "Polygon", "coordinates": [[[98.6, 3.5], [98.7, 3.5], [98.7, 3.6], [98.6, 3.6], [98.6, 3.5]]]}
    put("15k polygon features", "vector", "some.geojson",
        json.dumps({"type": "FeatureCollection",
                    "features": [{**feature, "geometry": square}] * 15_000}).encode())
    put("zip bomb, 1 GiB inside", "vector", "bomb.zip", deflated("big.geojson", 1024))
    put("VRT reading /etc/passwd", "vector", "evil.geojson",
        b'<OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>CSV:/etc/passwd</SrcDataSource>'
        b'</OGRVRTLayer></OGRVRTDataSource>')

    before = set(Path(tempfile.gettempdir()).glob("peta-mpp-*"))
    print(f"{'file':28} {'command':22} {'size MB':>8} {'s':>6} {'peak MB':>8} exit  message")
    for label, (kind, path) in files.items():
        size = path.stat().st_size / 1048576
        commands = ([("match", ["match", str(path), "--name-column", "wilayah"]),
                     ("coverage --mpp-file", ["coverage", "--mpp-file", str(path), "--json"])] if kind == "table"
                    else [("boundaries", ["boundaries", str(path), "--json"])])
        for cname, args in commands:
            s, mb, code, msg = run(args)
            print(f"{label:28} {cname:22} {size:8.2f} {s:6.2f} {mb:8.0f} {code:4}  {msg}")
    left = set(Path(tempfile.gettempdir()).glob("peta-mpp-*")) - before
    print(f"temporary folders left by the runs: {len(left)}")
    for p in tmp.iterdir():
        p.unlink()
    tmp.rmdir()


if __name__ == "__main__":
    main()
