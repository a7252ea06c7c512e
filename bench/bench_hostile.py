"""Pathological input: CPU time, wall time and peak memory of `match`, `coverage --mpp-file` and `boundaries` on
hostile files.

Each file is built here or in tests/hostile_cases.py (SYNTHETIC), each command runs in its own process; the CPU
time is that process's user + system time and the peak memory its maximum resident set (both include the
interpreter's start, about 1.5 s and 150 MB). Every run must end within 10 s of CPU and 500 MB, refused with one
line or read; the last column says whether it did.

    .venv/bin/python bench/bench_hostile.py             # the files, then the third round
    .venv/bin/python bench/bench_hostile.py --round 3   # only the third round (issue #36)

The third round measures what the public can write and ask for (corrections, logins, the briefing link, the data
API's links, text that lies about itself), each case in a throw-away store, and says for each whether it held.
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


def third_round() -> None:
    """Issue #36: one row per case; the last column says whether it held."""
    import resource
    import threading

    work = Path(tempfile.mkdtemp(prefix="bench-hostile-3-"))
    os.environ.update(PETA_MPP_DATA_DIR=str(work), PETA_MPP_TRUSTED_PROXIES="127.0.0.1,::1")
    os.environ.pop("PETA_MPP_DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    from geo import clients, stewards, views
    from geo import corrections as corr
    from geo.store import Store

    store = Store()
    rows: list[tuple[str, str, bool]] = []
    # 1. a spoofed address behind the proxy: the limit of 2 an hour holds for the client nginx saw
    os.environ["PETA_MPP_CORRECTIONS_PER_HOUR"] = "2"
    claim = corr.Claim(region="Kabupaten Karo", claim="other", note="SYNTHETIC bench correction")
    stored = 0
    for i in range(10):
        who = clients.client_address("127.0.0.1", {"X-Real-IP": "198.51.100.1", "X-Forwarded-For": f"203.0.113.{i}"})
        try:
            corr.submit(claim, store, visitor=who)
            stored += 1
        except corr.CorrectionLimit:
            pass
    rows.append(("10 corrections, spoofed X-Forwarded-For", f"{stored} stored (limit 2)", stored == 2))
    os.environ["PETA_MPP_CORRECTIONS_PER_HOUR"] = "1000"
    # 2. 25,000 corrections stored (five clients' bulk files): one page, the pending regions
    fields, _ = corr.check(claim)
    refusals: list[str] = []
    for c in range(5):  # five clients, ten bulk files of 500 each: the daily and the open budgets stop them
        for _ in range(10):
            try:
                corr.submit_bulk([fields] * 500, store, visitor=f"198.51.100.{10 + c}")
            except corr.CorrectionLimit as exc:
                refusals.append(str(exc))
    rows.append(("5 clients x 10 bulk files of 500", f"{corr.count(store):,} stored, {len(refusals)} files refused",
                 corr.count(store) <= 5000))
    os.environ["PETA_MPP_CORRECTIONS_ROWS_PER_DAY"] = "100000"
    os.environ["PETA_MPP_CORRECTIONS_MAX_OPEN"] = "100000"
    for c in range(5):
        for _ in range(10):
            corr.submit_bulk([fields] * 500, store, visitor=f"198.51.100.{20 + c}")
    t = time.process_time()
    page = views.corrections([], store, page=120)
    body = json.dumps(page.astype(str).to_dict("records")).encode()
    pending = corr.pending_regions(store)
    cpu = time.process_time() - t
    rows.append((f"{corr.count(store):,} corrections stored", f"a page {len(body) / 1e6:.2f} MB, {cpu:.2f} s CPU "
                 f"with the pending regions ({len(pending)})", len(body) < 1e6 and cpu < 1))
    # 3. 24 logins at once: memory; 24 tries on one account from one client: passwords checked
    stewards.add("ani", "a long synthetic password", store)
    stewards.login("ani", "a long synthetic password", store, client="192.0.2.1")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out: list = []

    def go(i: int, client: str) -> None:
        try:
            out.append(stewards.login("ani", "a long synthetic password" if i == 11 else f"wrong {i}", store,
                                      client=client).steward)
        except stewards.StewardError as exc:
            out.append(str(exc))
    threads = [threading.Thread(target=go, args=(i, f"198.51.100.{100 + i}")) for i in range(24)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    rows.append(("24 concurrent logins", f"+{grown:.0f} MB", grown < 200))
    out.clear()
    threads = [threading.Thread(target=go, args=(i, "203.0.113.50")) for i in range(24)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    checked = sum(o == "ani" or o.startswith("wrong name or password") for o in out)
    rows.append(("24 tries on one account, one client", f"{checked} passwords checked, {24 - checked} refused first",
                 checked <= 5))
    # 4. a visitor flooding distinct briefing links (a stand-in build: the budget and the cache are what count)
    sys.path.insert(0, str(ROOT / "deploy"))
    from datetime import date, timedelta

    from briefing import MAX_PAGES, Link, Page, Pages

    pages = Pages(lambda link: Page("<p>page</p>"), data_key=lambda: "builtin")
    pages.build(Link("id", date.today(), ()))
    allowed = sum(pages.allowed("198.51.100.200")[0] for _ in range(100))
    for d in range(MAX_PAGES * 3):
        pages.build(Link("id", date.today() - timedelta(days=d + 1), ()))
    kept = pages.cached(Link("id", date.today(), ())) is not None
    rows.append(("100 new briefing links from one visitor", f"{allowed} built, today's page kept: {kept}",
                 allowed <= 6 and kept))
    # 5. Host: evil.example on the data API
    sys.path.insert(0, str(ROOT / "tests"))
    from helpers import Client

    from geo.api import create_app

    api = Client(create_app())
    api.get("/api/v1/meta", {"Host": "evil.example", "X-Forwarded-Host": "evil.example"})
    later = api.get("/api/v1/meta").text + api.get("/api/v1/regencies.metadata.json?province=12").text
    rows.append(("Host: evil.example, then a plain request", "trace in later answers: "
                 f"{'evil.example' in later}", "evil.example" not in later))
    # 6. U+202E in a correction, a dataset name and a statement cell
    from geo.tables import clean_cell

    done = corr.submit(corr.Claim(region="Kabupaten Karo", claim="other", note="SYNTHETIC\u202egpj.exe"), store,
                       visitor="192.0.2.77")
    kept_rlo = "\u202e" in json.dumps(corr.get(done.id, store), default=str) or "\u202e" in clean_cell("a\u202e")[0]
    rows.append(("U+202E in a correction and a cell", f"kept: {kept_rlo}", not kept_rlo))
    print(f"\n{'third round (issue #36)':42} {'measured':58} held")
    for case, measured, held in rows:
        print(f"{case:42} {measured:58} {'yes' if held else 'NO'}")


if __name__ == "__main__":
    if "--round" in sys.argv and sys.argv[sys.argv.index("--round") + 1] == "3":
        third_round()
    else:
        main()
        third_round()
