"""Serve Peta MPP with several app processes behind nginx (sticky sessions, WebSocket upgrade, cached static files).

    PETA_MPP_DATABASE_URL=postgresql+psycopg://user@host/db python deploy/serve.py --processes 2 --port 8080

One Streamlit process uses one core: N processes serve about N times the sessions. Saved datasets live in the database
named by PETA_MPP_DATABASE_URL (PostgreSQL), or else in the SQLite file of the data folder, which the processes on
this machine share. The processes are supervised: one that dies is started again on its port while nginx routes its
sessions to the others (they reconnect; nothing saved is lost). Each process writes its output to
``LOG_DIR/app-PORT.log`` and nginx its errors to ``LOG_DIR/nginx-error.log`` (``--log-dir``, default ``logs/``).
Stops everything on Ctrl-C. Needs Debian's nginx (`apt-get install nginx-light`).
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
    log_dir: Path
    apps: list[subprocess.Popen] = field(default_factory=list)
    app_ports: list[int] = field(default_factory=list)
    nginx: subprocess.Popen | None = None
    app_env: dict = field(default_factory=dict)
    restarts: int = 0
    api: subprocess.Popen | None = None
    api_port: int = 0

    def start_api(self) -> subprocess.Popen:
        """Start (or start again) the data API process (python -m geo api) on its port."""
        log = open(self.log_dir / f"api-{self.api_port}.log", "ab")  # noqa: SIM115  (the child keeps it open)
        self.api = subprocess.Popen([sys.executable, "-m", "geo", "api", "--port", str(self.api_port)], cwd=ROOT,
                                    env=self.app_env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        return self.api

    def start_app(self, i: int) -> subprocess.Popen:
        """Start (or start again) app process ``i`` on its port, its output appended to its log file."""
        p = self.app_ports[i]
        log = open(self.log_dir / f"app-{p}.log", "ab")  # noqa: SIM115  (the child keeps it open)
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "deploy" / "app_process.py"), "--server.port", str(p), "--server.address",
             "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=self.app_env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        if i < len(self.apps):
            self.apps[i] = proc
        else:
            self.apps.append(proc)
        return proc

    def supervise_once(self) -> list[int]:
        """Start again every app process that has exited; return their ports. nginx, if it died, too."""
        restarted = []
        for i, proc in enumerate(self.apps):
            if proc.poll() is not None:
                print(f"app process on port {self.app_ports[i]} exited ({proc.returncode}); starting it again",
                      file=sys.stderr)
                self.start_app(i)
                self.restarts += 1
                restarted.append(self.app_ports[i])
        if self.api is not None and self.api.poll() is not None:
            print(f"data API on port {self.api_port} exited ({self.api.returncode}); starting it again",
                  file=sys.stderr)
            self.start_api()
            self.restarts += 1
        if self.nginx is not None and self.nginx.poll() is not None:
            print(f"nginx exited ({self.nginx.returncode}); starting it again", file=sys.stderr)
            self.nginx = _nginx(self.run_dir)
        return restarted

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        everything = ([self.nginx] if self.nginx else []) + self.apps + ([self.api] if self.api else [])
        for p in everything:
            if p.poll() is None:
                p.terminate()
        for p in everything:
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


def _nginx_binary() -> str:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise RuntimeError("nginx is not installed (Debian: apt-get install nginx-light)")
    return nginx


def _nginx(run_dir: Path) -> subprocess.Popen:
    return subprocess.Popen([_nginx_binary(), "-c", str(run_dir / "nginx.conf"), "-p", str(run_dir)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start(processes: int = 2, port: int = 8080, env: dict | None = None, max_upload_mb: int = 20,
          log_dir: Path | None = None) -> Deployment:
    """Start ``processes`` app processes on port+1… and nginx on ``port``; return when all answer."""
    _nginx_binary()
    run_dir = Path(tempfile.mkdtemp(prefix="peta-mpp-serve-"))
    log_dir = Path(log_dir or ROOT / "logs")
    log_dir.mkdir(parents=True, exist_ok=True)
    dep = Deployment(port, run_dir, log_dir)
    secret = secrets.token_hex(32)  # one cookie secret for all processes: a session's XSRF token is valid on each
    dep.app_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {}), "STREAMLIT_SERVER_COOKIE_SECRET": secret}
    try:
        for i in range(processes):
            dep.app_ports.append(port + 1 + i)
            dep.start_app(i)
        dep.api_port = port + 1 + processes
        dep.start_api()
        for p in dep.app_ports:
            _wait(f"http://127.0.0.1:{p}/_stcore/health")
        _wait(f"http://127.0.0.1:{dep.api_port}/api/v1/openapi.json")
        servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in dep.app_ports)
        conf = (TEMPLATE.read_text().replace("@RUN@", str(run_dir)).replace("@LOG@", str(log_dir.resolve()))
                .replace("@SERVERS@", servers).replace("@API_PORT@", str(dep.api_port))
                .replace("@LISTEN@", f"127.0.0.1:{port}").replace("@MAX_UPLOAD_MB@", str(max_upload_mb)))
        (run_dir / "nginx.conf").write_text(conf)
        if os.geteuid() == 0:  # nginx's workers drop to "nobody": give them the cache and temp folders only
            import pwd

            nobody = pwd.getpwnam("nobody")
            run_dir.chmod(0o711)
            for sub in ("cache", "body", "proxy", "fastcgi", "uwsgi", "scgi"):
                (run_dir / sub).mkdir(exist_ok=True)
                os.chown(run_dir / sub, nobody.pw_uid, nobody.pw_gid)
        dep.nginx = _nginx(run_dir)
        _wait(f"{dep.base}/_stcore/health")
    except Exception:
        dep.stop()
        raise
    return dep


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--processes", type=int, default=max(1, os.cpu_count() or 1))
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--log-dir", type=Path, default=ROOT / "logs", help="where each process writes its log")
    args = ap.parse_args()
    if not os.environ.get("PETA_MPP_DATABASE_URL"):
        print("note: PETA_MPP_DATABASE_URL is not set: saved datasets go to the SQLite file of the data folder, which "
              "the processes on this machine share; set it (PostgreSQL) to share them across machines",
              file=sys.stderr)
    dep = start(args.processes, args.port, log_dir=args.log_dir)
    print(f"Peta MPP on {dep.base}: {args.processes} app processes (ports {dep.app_ports}) and the data API at "
          f"{dep.base}/api/v1/docs (port {dep.api_port}) behind nginx; logs in "
          f"{dep.log_dir}; Ctrl-C stops")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while True:  # a process that dies is started again; the deployment itself stays up
            dep.supervise_once()
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        dep.stop()


if __name__ == "__main__":
    main()
