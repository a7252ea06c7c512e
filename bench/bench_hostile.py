"""Pathological input: CPU time, wall time and peak memory of `match`, `coverage --mpp-file` and `boundaries` on
hostile files.

Each file is built here or in tests/hostile_cases.py (SYNTHETIC), each command runs in its own process; the CPU
time is that process's user + system time and the peak memory its maximum resident set (both include the
interpreter's start, about 1.5 s and 150 MB). Every run must end within 10 s of CPU and 500 MB, refused with one
line or read; the last column says whether it did.

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
sys.path.insert(0, str(ROOT / "tests"))
import hostile_cases as h  # noqa: E402


#: Runs the command line and ends by printing the process's own peak resident memory (VmHWM: the memory of this
#: program, not of the benchmark that forked it, which ru_maxrss would include).
WRAPPER = ("import sys\nfrom geo.cli import main\ntry:\n    code = main(sys.argv[1:])\nexcept SystemExit as e:\n"
           "    code = e.code if isinstance(e.code, int) else 2\n"
           "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0].split()[1]\n"
           "print(f'peak-kb {hwm}', file=sys.stderr)\nsys.exit(code)\n")


def run(args: list[str]) -> tuple[float, float, float, int, str]:
    """(wall seconds, CPU seconds, peak MB, exit status, last stderr line) of `python -m geo ARGS`."""
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", WRAPPER, *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    lines = [x for x in err.splitlines() if x.strip()]
    peak = next((int(x.split()[1]) / 1024 for x in lines if x.startswith("peak-kb ")), float("nan"))
    lines = [x for x in lines if not x.startswith("peak-kb ")]
    return (time.perf_counter() - t, usage.ru_utime + usage.ru_stime, peak, proc.returncode,
            (lines[-1] if lines else "")[:90])


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

    # Second round (issue #21): work that a small file can cause.
    put("XLSX claiming A1:XFD1048576", "table", "dimension.xlsx", h.xlsx_declared_huge())
    put("XLSX rows 16,384 cells wide", "table", "wide.xlsx", h.xlsx_wide_rows())
    put("XLSX of 10,000 sheets", "table", "sheets.xlsx", h.xlsx_many_sheets())
    put("XLSX shared strings 190 MB", "table", "sst.xlsx", h.xlsx_big_shared_strings())
    put("XLSX, chartsheet only", "table", "chart.xlsx", h.xlsx_chartsheet_only())
    put("XLSX without sheets", "table", "nosheet.xlsx", h.xlsx_no_sheets())
    put("130 KB name, (abc) x 26,000", "table", "longname.csv", h.csv_long_name())
    put("1,000 nested brackets", "table", "nested.csv", h.csv_nested_brackets())
    put("50,000 distinct names", "table", "distinct.csv", h.csv_distinct_names())
    put("50,000 MPPs in one city", "table", "onecity.csv", h.csv_one_city())
    put("unbalanced quote", "table", "quote.csv", h.csv_unbalanced_quote())
    put("quote closed 2 lines later", "table", "quote2.csv", h.csv_quote_closed_later())
    put("Medan's point for Kab. Bandung", "table", "point.csv", h.csv_point_elsewhere())
    put("GeoJSON, 2 unique keys/feature", "vector", "keys.geojson", h.geojson_unique_keys())
    put("GeoJSON crs EPSG:99999", "vector", "crs.geojson", h.geojson_unknown_epsg())
    put("GeoPackage: recursive view", "vector", "view.gpkg", h.gpkg_recursive_view())

    run(["boundaries", "--json"])  # the boundary cache is built once, as a deployed app has it, before timing
    before = set(Path(tempfile.gettempdir()).glob("peta-mpp-*"))
    print(f"{'file':32} {'command':20} {'size MB':>8} {'wall s':>7} {'CPU s':>6} {'peak MB':>8} exit  within  message")
    for label, (kind, path) in files.items():
        size = path.stat().st_size / 1048576
        commands = ([("match", ["match", str(path), "--name-column", "wilayah"]),
                     ("coverage --mpp-file", ["coverage", "--mpp-file", str(path), "--json"])] if kind == "table"
                    else [("boundaries", ["boundaries", str(path), "--json"])])
        for cname, args in commands:
            wall, cpu, mb, code, msg = run(args)
            ok = "yes" if cpu <= 10 and mb <= 500 and code in (0, 2) else "NO"
            print(f"{label:32} {cname:20} {size:8.2f} {wall:7.2f} {cpu:6.2f} {mb:8.0f} {code:4}  {ok:6}  {msg}")
    left = set(Path(tempfile.gettempdir()).glob("peta-mpp-*")) - before
    print(f"temporary folders left by the runs: {len(left)}")
    for p in tmp.iterdir():
        p.unlink()
    tmp.rmdir()


if __name__ == "__main__":
    main()
