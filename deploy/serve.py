"""Serve Peta MPP with several app processes behind nginx (sticky sessions, WebSocket upgrade, cached static files).

    PETA_MPP_DATABASE_URL=postgresql+psycopg://user@host/db python deploy/serve.py --processes 2 --port 8080

One Streamlit process uses one core: N processes serve about N times the sessions. Saved datasets live in the database
named by PETA_MPP_DATABASE_URL (PostgreSQL), or else in the SQLite file of the data folder, which the processes on
this machine share. The processes are supervised: one that dies is started again on its port while nginx routes its
sessions to the others (they reconnect; nothing saved is lost). Each process writes its output to
``LOG_DIR/app-PORT.log`` and nginx its errors to ``LOG_DIR/nginx-error.log`` (``--log-dir``, default ``logs/``).
Needs Debian's nginx (`apt-get install nginx-light`).

Stopping: SIGTERM, SIGINT (Ctrl-C) or SIGHUP stops everything it started, at any moment, start-up included: each
child gets SIGTERM, and whatever is still running after ``STOP_SECONDS`` gets SIGKILL. Every child runs in a process
group of its own (so its own children, the upload worker for instance, go with it) and is told by the kernel to stop
if serve.py itself dies, even by SIGKILL (Linux ``PR_SET_PDEATHSIG``), so no orphan keeps a port. Every process of
one deployment carries ``PETA_MPP_DEPLOYMENT`` (an id) in its environment. A port already held by another process is
reported in one line naming the port and the process, before anything starts.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import errno
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
#: How long the children may take to stop after SIGTERM before they are killed.
STOP_SECONDS = 10.0
#: The signals that stop a deployment.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
_PR_SET_PDEATHSIG = 1
#: The prefix of a deployment's run folder (nginx's configuration, cache and temporary files).
RUN_PREFIX = "peta-mpp-serve-"


class Stopped(BaseException):
    """A stop signal arrived (raised out of whatever serve.py was doing, start-up included)."""


class PortInUse(RuntimeError):
    """A port the deployment needs is held by another process."""


def _child_setup() -> None:
    """Run in each child between fork and exec: its own process group; killed with SIGTERM by the kernel when the
    process that started it dies; the stop signals that serve.py holds back while it starts a child let through."""
    os.setpgid(0, 0)
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    for sig in STOP_SIGNALS:  # as a fresh process has them, whatever serve.py was doing with them
        signal.signal(sig, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold the stop signals back while a child is started and recorded, so none can be started and forgotten."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _spawn(args: list[str], parent_pid: int, **kwargs) -> subprocess.Popen:
    """Start a child of the deployment (see :func:`_child_setup`); it dies at once if serve.py already has."""
    def setup() -> None:
        _child_setup()
        if os.getppid() != parent_pid:  # serve.py died before the death signal was armed
            os._exit(1)
    return subprocess.Popen(args, preexec_fn=setup, **kwargs)  # noqa: PLW1509  (serve.py starts no threads)


def _listening_pid(port: int) -> tuple[int, str] | None:
    """The process listening on TCP ``port`` (from /proc), with its command line; None if unknown."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                cols = line.split()
                if cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                    inodes.add(f"socket:[{cols[9]}]")
    if not inodes:
        return None
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            for fd in (proc / "fd").iterdir():
                if os.readlink(fd) in inodes:
                    cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
                    return int(proc.name), cmd
    return None


def check_ports(ports: list[int]) -> None:
    """Raise :class:`PortInUse` for the first port of ``ports`` that 127.0.0.1 cannot listen on, naming its holder."""
    for port in ports:
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", port))
            except OSError as exc:
                if exc.errno != errno.EADDRINUSE:
                    raise PortInUse(f"port {port} cannot be used: {exc.strerror}") from None
                holder = _listening_pid(port)
                who = (f"process {holder[0]} ({holder[1][:120]})" if holder else "another process")
                hint = (f"stop it (kill {holder[0]}) " if holder else "") + "or choose another --port"
                earlier = " of an earlier deployment" if holder and _ours(*holder) else ""
                raise PortInUse(f"port {port} is already in use by {who}{earlier}: {hint}") from None


def _ours(pid: int, cmdline: str) -> bool:
    """Whether process ``pid`` belongs to a deployment of serve.py (its environment, or nginx's command line, which
    names the deployment's folder: nginx writes its process title over its environment)."""
    if RUN_PREFIX in cmdline:
        return True
    try:
        return b"PETA_MPP_DEPLOYMENT=" in Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return False


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
    parent_pid: int = field(default_factory=os.getpid)

    def start_api(self) -> subprocess.Popen:
        """Start (or start again) the data API process (python -m geo api) on its port."""
        log = open(self.log_dir / f"api-{self.api_port}.log", "ab")  # noqa: SIM115  (the child keeps it open)
        with _signals_held():
            self.api = _spawn([sys.executable, "-m", "geo", "api", "--port", str(self.api_port)], self.parent_pid,
                              cwd=ROOT, env=self.app_env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        return self.api

    def start_app(self, i: int) -> subprocess.Popen:
        """Start (or start again) app process ``i`` on its port, its output appended to its log file."""
        p = self.app_ports[i]
        log = open(self.log_dir / f"app-{p}.log", "ab")  # noqa: SIM115  (the child keeps it open)
        with _signals_held():
            proc = _spawn(
                [sys.executable, str(ROOT / "deploy" / "app_process.py"), "--server.port", str(p), "--server.address",
                 "127.0.0.1", "--server.headless", "true"],
                self.parent_pid, cwd=ROOT, env=self.app_env, stdout=log, stderr=subprocess.STDOUT)
            if i < len(self.apps):
                self.apps[i] = proc
            else:
                self.apps.append(proc)
        log.close()
        return proc

    def start_nginx(self) -> subprocess.Popen:
        """Start (or start again) nginx on the deployment's port."""
        with _signals_held():
            self.nginx = _spawn([_nginx_binary(), "-c", str(self.run_dir / "nginx.conf"), "-p", str(self.run_dir)],
                                self.parent_pid, env=self.app_env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        return self.nginx

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
            self.start_nginx()
        return restarted

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self, seconds: float = STOP_SECONDS) -> None:
        """Stop every process of the deployment and their children: SIGTERM to each child's process group, then
        SIGKILL to whatever is left after ``seconds``. Safe to call more than once, and from any phase."""
        everything = ([self.nginx] if self.nginx else []) + self.apps + ([self.api] if self.api else [])
        with _signals_held():
            for p in everything:
                _signal_group(p, signal.SIGTERM)
            deadline = time.monotonic() + seconds
            for p in everything:
                try:
                    p.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    pass
            for p in everything:  # the group too: a child's own children (upload worker, nginx workers)
                _signal_group(p, signal.SIGKILL)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    p.wait(timeout=5)
        shutil.rmtree(self.run_dir, ignore_errors=True)


def _signal_group(p: subprocess.Popen, sig: int) -> None:
    """Send ``sig`` to the process group that child ``p`` leads (and to ``p`` itself, should it have left it)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(p.pid, sig)
    if p.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            p.send_signal(sig)


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


def start(processes: int = 2, port: int = 8080, env: dict | None = None, max_upload_mb: int = 20,
          log_dir: Path | None = None) -> Deployment:
    """Start ``processes`` app processes on port+1… and nginx on ``port``; return when all answer. Raises
    :class:`PortInUse` before starting anything if one of those ports is held; stops what it started on any error
    or stop signal (:class:`Stopped`)."""
    _nginx_binary()
    check_ports(list(range(port, port + processes + 2)))
    tag = os.environ.get("PETA_MPP_DEPLOYMENT") or (env or {}).get("PETA_MPP_DEPLOYMENT") or secrets.token_hex(4)
    run_dir = Path(tempfile.mkdtemp(prefix=f"{RUN_PREFIX}{tag}-"))
    log_dir = Path(log_dir or ROOT / "logs")
    log_dir.mkdir(parents=True, exist_ok=True)
    dep = Deployment(port, run_dir, log_dir)
    secret = secrets.token_hex(32)  # one cookie secret for all processes: a session's XSRF token is valid on each
    dep.app_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {}), "STREAMLIT_SERVER_COOKIE_SECRET": secret}
    dep.app_env["PETA_MPP_DEPLOYMENT"] = tag
    dep.app_env.setdefault("PETA_MPP_TRUSTED_PROXIES", "127.0.0.1,::1")  # nginx, which sets X-Real-IP
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
        dep.start_nginx()
        _wait(f"{dep.base}/_stcore/health")
    except BaseException:
        dep.stop()
        raise
    return dep


def _on_stop_signal(signum: int, _frame: object) -> None:
    for sig in STOP_SIGNALS:  # one stop at a time: a second signal while stopping changes nothing
        signal.signal(sig, signal.SIG_IGN)
    raise Stopped(signum)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--processes", type=int, default=max(1, os.cpu_count() or 1))
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--log-dir", type=Path, default=ROOT / "logs", help="where each process writes its log")
    args = ap.parse_args()
    for sig in STOP_SIGNALS:  # from the first moment: a stop during start-up stops what has started
        signal.signal(sig, _on_stop_signal)
    if not os.environ.get("PETA_MPP_DATABASE_URL"):
        print("note: PETA_MPP_DATABASE_URL is not set: saved datasets go to the SQLite file of the data folder, which "
              "the processes on this machine share; set it (PostgreSQL) to share them across machines",
              file=sys.stderr)
    try:
        dep = start(args.processes, args.port, log_dir=args.log_dir)
    except Stopped as stop:
        print(f"stopped during start-up ({signal.Signals(stop.args[0]).name}); everything it started is stopped",
              file=sys.stderr)
        sys.exit(0)
    except RuntimeError as exc:  # a port in use, nginx missing, a process that did not answer: one line
        print(f"peta-mpp serve: {exc}", file=sys.stderr)
        sys.exit(1)
    print(f"Peta MPP on {dep.base}: {args.processes} app processes (ports {dep.app_ports}) and the data API at "
          f"{dep.base}/api/v1/docs (port {dep.api_port}) behind nginx; logs in {dep.log_dir}; "
          f"deployment {dep.app_env['PETA_MPP_DEPLOYMENT']} (serve.py pid {os.getpid()}); Ctrl-C or SIGTERM stops",
          flush=True)
    try:
        while True:  # a process that dies is started again; the deployment itself stays up
            dep.supervise_once()
            time.sleep(1)
    except Stopped:
        pass
    finally:
        dep.stop()


if __name__ == "__main__":
    main()
