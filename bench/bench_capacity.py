"""Capacity: a briefing's audience opening the same view at once, against a naive folium app in the same run.

Starts the project (deploy/app_process.py, as ``make run`` does) and the naive app (bench/naive_app.py:
``folium.Choropleth`` + ``st_folium`` on the same 514 national polygons, its map built in every session), one after
the other on this machine. The project is measured twice, each on a server of its own: ``project`` opens the app's
page (``--view``, the overview by default: filters, headline cards, map, charts), ``briefing`` opens the briefing link
(``/briefing``: the same map with its headline, the page an audience opens at once; deploy/briefing.py). For each it
prints:

- per fresh session (the median of ``--fresh`` sessions opened one at a time): server CPU, browser CPU (what every
  Chromium process used from opening the session until just before closing it, each session 2 s after the
  previous one closed; :func:`browser_processes`) and Chrome's own count of the page's
  work (``Performance.getMetrics`` TaskDuration: the renderer's tasks for the page), bytes over HTTP (as sent: compressed where the server compresses) and over the WebSocket (all
  frames, and the largest one: the map), and the time until the map is drawn;
- N fresh sessions at once (``--sizes``, default 1, 8 and 30): the time until the last one draws its map, server
  and browser CPU per session;
- the server's memory (RSS) after start and at the end.

The browsers share the machine's cores with the server, as they did in the issue's measurements. Requests never
leave this machine.

    .venv/bin/python bench/bench_capacity.py [--apps project,naive] [--sizes 1,8,30] [--fresh 3] [--view /]
    .venv/bin/python bench/bench_capacity.py --apps project --proxy 2 --rounds 10   # behind nginx, with a soak

With ``--proxy N`` the project runs as N processes behind nginx (deploy/serve.py) and the server CPU counts nginx's
processes too. ``--rounds`` adds a soak (rounds of 8 fresh sessions) that says whether memory plateaus.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")
TICKS = os.sysconf("SC_CLK_TCK")
FRAME = 'iframe[title="streamlit_folium.st_folium"]'
#: How many regency shapes a drawn map has, counted in the map's frame (the app's pages) or the page itself (the
#: briefing link), per app: the project's map reports what it drew (its test hook), the naive app's are Leaflet's SVG
#: paths.
PROJECT_JS = "() => Number(document.documentElement.dataset.drawn || document.querySelectorAll('path.regency').length)"
DRAWN_JS = {
    "project": PROJECT_JS,
    "briefing": PROJECT_JS,
    "naive": "() => document.querySelectorAll('path.leaflet-interactive').length",
}
#: The page each app is measured on (the project's with ``--view``).
PATHS = {"briefing": "/briefing", "naive": "/"}


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its waited-for children so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / TICKS


def browser_processes() -> dict[int, float]:
    """The CPU each Chromium process on this machine has used so far, its own only (user + system). A process's
    children's CPU (what Chromium's zygote collects from each renderer that exits) is left out: it would count a
    closed session's renderer again, in whichever later session's window the zygote happens to collect it."""
    seen = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if b"chromium" in (d / "cmdline").read_bytes()[:200]:
                    fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
                    seen[int(d.name)] = (int(fields[11]) + int(fields[12])) / TICKS
            except OSError:
                continue
    return seen


def browser_work(before: dict[int, float], after: dict[int, float]) -> float:
    """The browser CPU between two readings of :func:`browser_processes`: what each process running at the second
    used since the first (all of it for a process started in between: a session's renderer)."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, proc: subprocess.Popen) -> None:
    for _ in range(720):
        if proc.poll() is not None:
            raise SystemExit(f"the app at {base} exited ({proc.returncode})")
        try:
            urllib.request.urlopen(base + "/_stcore/health", timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the app at {base} never became healthy")


def naive_geojson(folder: Path) -> Path:
    """The project's national display polygons (514) with names and residents, for the naive app."""
    sys.path.insert(0, str(ROOT))
    from geo.boundary_io import load_boundaries
    from geo.population import regency_stats

    gdf = load_boundaries("national")[["code", "name", "geometry"]]
    people = regency_stats().set_index("code")["population"]
    gdf = gdf.assign(people=gdf["code"].map(people))
    path = folder / "regencies.geojson"
    gdf.to_file(path, driver="GeoJSON")
    return path


@dataclass
class Server:
    name: str
    base: str
    pids: list[int]
    stop: object
    last: dict[int, float] = field(default_factory=dict)

    def cpu(self) -> float:
        for p in self.pids:  # a process that has exited (nginx's cache loader does) keeps its last figure
            try:
                self.last[p] = cpu_seconds(p)
            except FileNotFoundError:
                pass
        return sum(self.last.values())

    def rss(self) -> float:
        return sum(rss_mb(p) for p in self.pids if Path(f"/proc/{p}").exists())


def launch(name: str, command: list[str], cwd: Path, env: dict[str, str]) -> Server:
    """A Streamlit server started by ``command`` on a free local port, once it answers its health check."""
    port = free_port()
    proc = subprocess.Popen([*command, "--server.port", str(port), "--server.headless", "true",
                             "--server.address", "127.0.0.1"], cwd=cwd, env={**os.environ, **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_healthy(base, proc)

    def stop() -> None:
        proc.terminate()
        proc.wait(timeout=30)
    return Server(name, base, [proc.pid], stop)


def start_project(proxy: int) -> Server:
    if proxy:
        sys.path.insert(0, str(ROOT / "deploy"))
        import serve

        dep = serve.start(proxy, 18380)
        nginx = [dep.nginx.pid] if dep.nginx else []
        nginx += [int(c) for n in nginx for c in Path(f"/proc/{n}/task/{n}/children").read_text().split()]
        return Server("project", dep.base, [p.pid for p in dep.apps] + nginx, dep.stop)
    return launch("project", [sys.executable, "deploy/app_process.py"], ROOT, {"PYTHONPATH": str(ROOT)})


def start_naive(folder: Path) -> Server:
    """The naive app with Streamlit's defaults, except file watching (off, as in the project: polling would charge
    it CPU that no session causes)."""
    geojson = naive_geojson(folder)
    static = folder / "static"
    if not static.exists():
        static.symlink_to(ROOT / "static")  # Leaflet, served locally (no CDN here)
    script = folder / "naive_app.py"  # Streamlit serves the static folder beside the script
    script.write_text((ROOT / "bench" / "naive_app.py").read_text())
    return launch("naive", [sys.executable, "-m", "streamlit", "run", str(script), "--server.fileWatcherType", "none",
                            "--browser.gatherUsageStats", "false", "--server.enableStaticServing", "true"],
                  folder, {"NAIVE_GEOJSON": str(geojson)})


def drawn(pg, app: str) -> int:
    for fr in pg.frames:
        if "streamlit_folium" in fr.url or (app == "briefing" and fr == pg.main_frame):
            try:
                return int(fr.evaluate(DRAWN_JS[app]))
            except Exception:  # noqa: BLE001  (the frame is being replaced)
                return 0
    return 0


def open_sessions(browser, url: str, n: int, app: str, regencies: int, budget_s: float = 600,
                  measure: bool = False) -> tuple[list[float], dict]:
    """Open n fresh sessions at once; the seconds until each one draws all ``regencies``, and (with ``measure``)
    the bytes each received over HTTP and the WebSocket."""
    contexts, pages, started = [], [], time.perf_counter()
    traffic = {"http": 0, "ws": 0, "ws_largest": 0, "renderer": 0.0, "browser": 0.0}
    cpu_before = browser_processes()
    cdp = None

    def on_request(req) -> None:
        try:
            s = req.sizes()
            traffic["http"] += s["responseBodySize"] + s["responseHeadersSize"]
        except Exception:  # noqa: BLE001
            pass

    def on_ws(ws) -> None:
        def frame(payload) -> None:
            size = len(payload if isinstance(payload, bytes) else payload.encode())
            traffic["ws"] += size
            traffic["ws_largest"] = max(traffic["ws_largest"], size)
        ws.on("framereceived", frame)
    for _ in range(n):
        ctx = browser.new_context(viewport={"width": 1280, "height": 720})
        ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL) else r.abort())
        pg = ctx.new_page()
        if measure:
            pg.on("requestfinished", on_request)
            pg.on("websocket", on_ws)
            cdp = ctx.new_cdp_session(pg)  # Chrome's own count of the page's work (its renderer's tasks)
            cdp.send("Performance.enable")
        pg.goto(url, wait_until="commit")
        contexts.append(ctx)
        pages.append(pg)
    done: list[float] = []
    try:
        for pg in pages:
            deadline = time.time() + budget_s
            while drawn(pg, app) < regencies:
                if time.time() > deadline:
                    raise SystemExit(f"{app}: a session did not draw its map in {budget_s:.0f} s")
                pg.wait_for_timeout(50)
            done.append(time.perf_counter() - started)
        if measure:
            pages[0].wait_for_timeout(1500)  # what arrives after the map (the last messages, lazy files)
            metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
            traffic["renderer"] = metrics.get("TaskDuration", 0.0)
        traffic["browser"] = browser_work(cpu_before, browser_processes())  # before the sessions close
    finally:
        for ctx in contexts:
            ctx.close()
    return done, traffic


def measure_app(browser, server: Server, app: str, path: str, regencies: int, fresh: int,
                sizes: list[int]) -> dict:
    url = server.base + path
    open_sessions(browser, url, 1, app, regencies)  # the browser's own first start is nobody's session
    rows = []
    for _ in range(fresh):
        time.sleep(2)  # the previous session's closing (its renderer exiting) is not this one's work
        c0 = server.cpu()
        times, traffic = open_sessions(browser, url, 1, app, regencies, measure=True)
        rows.append({"server": server.cpu() - c0, "drawn": times[0], **traffic})
    med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    batches = {}
    for n in sizes:
        c0 = server.cpu()
        times, traffic = open_sessions(browser, url, n, app, regencies)
        batches[n] = {"last": max(times), "p50": statistics.median(times), "server": (server.cpu() - c0) / n,
                      "browser": traffic["browser"] / n}
    return {"fresh": med, "rows": rows, "batches": batches, "rss": server.rss()}


def report(results: dict[str, dict], sizes: list[int]) -> None:
    print("\nper fresh session (median of the fresh sessions, one at a time)")
    print(f"{'app':8s} {'server CPU s':>12s} {'browser CPU s':>13s} {'renderer s':>10s} {'HTTP MB':>8s} "
          f"{'WS MB':>7s} {'largest WS frame MB':>19s} {'drawn s':>8s} {'RSS MB':>7s}")
    for app, r in results.items():
        f = r["fresh"]
        print(f"{app:8s} {f['server']:12.3f} {f['browser']:13.2f} {f['renderer']:10.2f} {f['http'] / 1e6:8.2f} "
              f"{f['ws'] / 1e6:7.3f} "
              f"{f['ws_largest'] / 1e6:19.3f} {f['drawn']:8.1f} {r['rss']:7.0f}")
    for app, r in results.items():  # the medians' spread
        print(f"  {app}: each fresh session, server / browser / renderer s: "
              + ", ".join(f"{x['server']:.2f}/{x['browser']:.2f}/{x['renderer']:.2f}" for x in r["rows"]))
    print("\nsessions at once: time until the last map is drawn (p50), server / browser CPU per session")
    print(f"{'app':8s} " + " ".join(f"{n:>26d}" for n in sizes))
    for app, r in results.items():
        cells = [f"{b['last']:5.1f} s ({b['p50']:4.1f}) {b['server']:4.2f}/{b['browser']:4.2f}"
                 for b in r["batches"].values()]
        print(f"{app:8s} " + " ".join(f"{c:>26s}" for c in cells))
    for mine in ("project", "briefing"):
        if {mine, "naive"} <= results.keys():
            p, n = results[mine]["fresh"], results["naive"]["fresh"]
            print(f"\n{mine} / naive: " + "server CPU {:.2f}x, browser CPU {:.2f}x (renderer {:.2f}x), WebSocket "
                  "bytes {:.2f}x (largest frame {:.2f}x), HTTP bytes {:.2f}x".format(
                      p["server"] / n["server"], p["browser"] / n["browser"], p["renderer"] / n["renderer"],
                      p["ws"] / n["ws"], p["ws_largest"] / n["ws_largest"], p["http"] / n["http"]))
            for size in sizes:
                a, b = results[mine]["batches"][size]["last"], results["naive"]["batches"][size]["last"]
                print(f"  {size} at once: last map {a:.1f} s vs {b:.1f} s ({mine if a < b else 'naive'} first)")


def soak(browser, server: Server, rounds: int) -> None:
    print(f"\nsoak: {rounds} rounds of 8 fresh sessions on the default view (closed after each round)")
    series = []
    for r in range(rounds):
        open_sessions(browser, server.base + "/", 8, "project", 514)
        time.sleep(2)
        series.append(server.rss())
        print(f"  round {r + 1:2d}: server memory {series[-1]:.0f} MB")
    half = len(series) // 2
    if half:
        growth = (series[-1] - series[half - 1]) / max(1, len(series) - half)
        print(f"  second half grows {growth:+.1f} MB a round ({'plateaus' if abs(growth) < 2 else 'still growing'})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--apps", default="project,briefing,naive",
                    help="project: the app's page (--view); briefing: the project's briefing link; naive")
    ap.add_argument("--sizes", default="1,8,30")
    ap.add_argument("--fresh", type=int, default=3, help="fresh sessions measured one at a time (median)")
    ap.add_argument("--view", default="/", help="the project's page and query (e.g. '/?province=12')")
    ap.add_argument("--rounds", type=int, default=0, help="soak rounds of 8 sessions (project)")
    ap.add_argument("--proxy", type=int, default=0, metavar="N",
                    help="serve the project through nginx with N app processes (deploy/serve.py)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    sizes = [int(x) for x in args.sizes.split(",") if x]
    regencies = 514 if "province" not in args.view else 1
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for app in args.apps.split(","):
            server = start_naive(Path(tmp)) if app == "naive" else start_project(args.proxy)
            try:
                print(f"{app}: server pids {server.pids}, memory after start {server.rss():.0f} MB", flush=True)
                results[app] = measure_app(browser, server, app, PATHS.get(app, args.view),
                                           regencies if app == "project" else 514, args.fresh, sizes)
                if app == "project" and args.rounds:
                    soak(browser, server, args.rounds)
            finally:
                server.stop()
        browser.close()
    report(results, sizes)


if __name__ == "__main__":
    main()
