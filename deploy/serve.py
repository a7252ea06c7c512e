"""Serve Peta MPP with several app processes behind nginx (sticky sessions, WebSocket upgrade, cached static files).

    PETA_MPP_DATABASE_URL=postgresql+psycopg://user@host/db python deploy/serve.py --processes 2 --port 8080

One Streamlit process uses one core: N processes serve about N times the sessions. Saved datasets live in the database
named by PETA_MPP_DATABASE_URL (PostgreSQL), so every process sees the same ones; a process that dies costs its
sessions a reconnect, never data. Stops everything on Ctrl-C. Needs Debian's nginx (`apt-get install nginx-light`).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"


@dataclass
class Deployment:
    port: int
    run_dir: Path
    apps: list[subprocess.Popen] = field(default_factory=list)
    app_ports: list[int] = field(default_factory=list)
    nginx: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        for p in ([self.nginx] if self.nginx else []) + self.apps:
            if p.poll() is None:
                p.terminate()
        for p in ([self.nginx] if self.nginx else []) + self.apps:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(self.run_dir, ignore_errors=True)


def _wait(url: str, seconds: float = 90) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


def start(processes: int = 2, port: int = 8080, env: dict | None = None, max_upload_mb: int = 20) -> Deployment:
    """Start ``processes`` app processes on port+1… and nginx on ``port``; return when all answer."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise RuntimeError("nginx is not installed (Debian: apt-get install nginx-light)")
    run_dir = Path(tempfile.mkdtemp(prefix="peta-mpp-serve-"))
    dep = Deployment(port, run_dir)
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    secret = secrets.token_hex(32)  # one cookie secret for all processes: a session's XSRF token is valid on each
    try:
        for i in range(1, processes + 1):
            p = port + i
            dep.app_ports.append(p)
            dep.apps.append(subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(p), "--server.address",
                 "127.0.0.1", "--server.headless", "true"],
                cwd=ROOT, env={**env, "STREAMLIT_SERVER_COOKIE_SECRET": secret}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for p in dep.app_ports:
            _wait(f"http://127.0.0.1:{p}/_stcore/health")
        servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in dep.app_ports)
        conf = (TEMPLATE.read_text().replace("@RUN@", str(run_dir)).replace("@SERVERS@", servers)
                .replace("@LISTEN@", f"127.0.0.1:{port}").replace("@MAX_UPLOAD_MB@", str(max_upload_mb)))
        (run_dir / "nginx.conf").write_text(conf)
        if os.geteuid() == 0:  # nginx's workers drop to "nobody": give them the cache and temp folders only
            import pwd

            nobody = pwd.getpwnam("nobody")
            run_dir.chmod(0o711)
            for sub in ("cache", "body", "proxy", "fastcgi", "uwsgi", "scgi"):
                (run_dir / sub).mkdir(exist_ok=True)
                os.chown(run_dir / sub, nobody.pw_uid, nobody.pw_gid)
        dep.nginx = subprocess.Popen([nginx, "-c", str(run_dir / "nginx.conf"), "-p", str(run_dir)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait(f"{dep.base}/_stcore/health")
    except Exception:
        dep.stop()
        raise
    return dep


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--processes", type=int, default=max(1, os.cpu_count() or 1))
    ap.add_argument("--port", type=int, default=8080)
    args = ap.parse_args()
    if not os.environ.get("PETA_MPP_DATABASE_URL"):
        print("note: PETA_MPP_DATABASE_URL is not set: each process keeps its own SQLite store, so a dataset saved "
              "through one process is not seen by the others", file=sys.stderr)
    dep = start(args.processes, args.port)
    print(f"Peta MPP on {dep.base}: {args.processes} app processes (ports {dep.app_ports}) behind nginx; Ctrl-C stops")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while all(p.poll() is None for p in dep.apps) and dep.nginx and dep.nginx.poll() is None:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        dep.stop()


if __name__ == "__main__":
    main()
