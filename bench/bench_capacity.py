"""Capacity: a briefing's audience opening the same view at once.

Starts the app, then opens N fresh headless-Chromium sessions together (N = 1, 8, 16) on the default view and on a
province view, and prints for each: server CPU seconds per session, the time until the last session draws every
regency, p50/p95 of the per-session times, and server memory before and after. Then a soak (10 rounds of 8 fresh
sessions, closed after each round) says whether memory plateaus. Requests never leave this machine.

    .venv/bin/python bench/bench_capacity.py [--rounds 10] [--sizes 1,8,16] [--proxy N]

With ``--proxy N`` the app runs as N processes behind nginx (deploy/serve.py), and the server CPU counts every
process that serves a request: the app processes and nginx's master and workers.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / TICKS


def browser_cpu() -> float:
    """CPU used so far by every Chromium process on this machine (the sessions' own cost, on the same 2 cores)."""
    total = 0.0
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if b"chromium" in (d / "cmdline").read_bytes()[:200]:
                    total += cpu_seconds(int(d.name))
            except OSError:
                continue
    return total


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_app() -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "deploy/app_process.py", "--server.port", str(port),
                             "--server.headless", "true", "--server.address", "127.0.0.1"], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(360):  # healthy once warm
        try:
            urllib.request.urlopen(base + "/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    return proc, base


def open_sessions(browser, url: str, n: int, regencies: int, budget_s: float = 300) -> list[float]:
    """Open n fresh sessions at once; the seconds until each one draws all ``regencies`` paths."""
    contexts, pages, started = [], [], time.perf_counter()
    for _ in range(n):
        ctx = browser.new_context(viewport={"width": 1280, "height": 720})
        ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL) else r.abort())
        pg = ctx.new_page()
        pg.goto(url, wait_until="commit")
        contexts.append(ctx)
        pages.append(pg)
    done: list[float] = []
    try:
        for pg in pages:
            frame = pg.frame_locator('iframe[title="streamlit_folium.st_folium"]').last
            frame.locator("path.regency").first.wait_for(timeout=budget_s * 1000)
            while frame.locator("path.regency").count() < regencies:
                pg.wait_for_timeout(100)
            done.append(time.perf_counter() - started)
    finally:
        for ctx in contexts:
            ctx.close()
    return done


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,8,16")
    ap.add_argument("--rounds", type=int, default=10, help="soak rounds of 8 sessions")
    ap.add_argument("--proxy", type=int, default=0, metavar="N",
                    help="serve through nginx with N app processes (deploy/serve.py) instead of one process directly")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    dep = None
    if args.proxy:
        sys.path.insert(0, str(ROOT / "deploy"))
        import serve

        dep = serve.start(args.proxy, 18380)
        base = dep.base
        nginx = [dep.nginx.pid] if dep.nginx else []
        nginx += [int(c) for n in nginx for c in Path(f"/proc/{n}/task/{n}/children").read_text().split()]
        pids = [p.pid for p in dep.apps] + nginx
        proc = dep.apps[0]
    else:
        proc, base = start_app()
        pids = [proc.pid]

    last: dict[int, float] = {}

    def cpu() -> float:
        for p in pids:  # a process that has exited (nginx's cache loader does) keeps its last figure
            try:
                last[p] = cpu_seconds(p)
            except FileNotFoundError:
                pass
        return sum(last.values())

    def mem() -> float:
        return sum(rss_mb(p) for p in pids if Path(f"/proc/{p}").exists())

    views = [("default view (national)", base + "/", 514),
             ("province view (Sumatera Utara)", base + "/?province=12", 33)]
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            print(f"app server pids {pids}" + (f" behind nginx ({args.proxy} processes)" if dep else "")
                  + f", memory after start {mem():.0f} MB")
            for label, url, n_reg in views:
                print(f"\n{label}")
                for _ in range(max(1, args.proxy)):  # processes are warm before they listen: the first visitor
                    before = cpu()                   # of each should cost what the others do
                    open_sessions(browser, url, 1, n_reg)
                    print(f"  first session: {cpu() - before:.2f} s of server CPU")
                print(f"{'sessions':>8} {'CPU s/session':>14} {'browser CPU s/session':>22} {'last drawn s':>13} "
                      f"{'p50 s':>7} {'p95 s':>7} {'RSS before':>11} {'RSS after':>10}")
                for n in [int(x) for x in args.sizes.split(",")]:
                    before, mem0, b0 = cpu(), mem(), browser_cpu()
                    times = sorted(open_sessions(browser, url, n, n_reg))
                    per = (cpu() - before) / n
                    bper = (browser_cpu() - b0) / n
                    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
                    print(f"{n:8d} {per:14.2f} {bper:22.2f} {times[-1]:13.1f} {statistics.median(times):7.1f} {p95:7.1f} "
                          f"{mem0:9.0f} MB {mem():7.0f} MB")
            print(f"\nsoak: {args.rounds} rounds of 8 fresh sessions on the default view (closed after each round)")
            series = []
            for r in range(args.rounds):
                open_sessions(browser, views[0][1], 8, 514)
                time.sleep(2)
                series.append(mem())
                print(f"  round {r + 1:2d}: server memory {series[-1]:.0f} MB")
            half = len(series) // 2
            if half:
                growth = (series[-1] - series[half - 1]) / max(1, len(series) - half)
                print(f"  second half grows {growth:+.1f} MB a round "
                      f"({'plateaus' if abs(growth) < 2 else 'still growing'})")
            browser.close()
    finally:
        if dep is not None:
            dep.stop()
        else:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
