"""Stopping the deployment at any moment stops all of it (issue #43): `deploy/serve.py` run as an operator runs it,
stopped with SIGTERM during start-up and after it, and killed with SIGKILL; each time no process of that deployment
is left within 15 s and its ports are free. A port held by an earlier deployment is named in one line."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = [pytest.mark.load]

SERVE = ROOT / "deploy" / "serve.py"


def need_nginx() -> None:
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        pytest.fail("nginx is not installed (make test installs it)") if os.environ.get("CI") else pytest.skip("no nginx")


def tagged(tag: str) -> list[int]:
    """The processes of this deployment: their environment carries its id (children, grandchildren), or their
    command line names its run folder (nginx's master and workers write their title over their environment)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and int(proc.name) != os.getpid():
            try:
                if (f"PETA_MPP_DEPLOYMENT={tag}".encode() in (proc / "environ").read_bytes().split(b"\0")
                        or f"peta-mpp-serve-{tag}-".encode() in (proc / "cmdline").read_bytes()):
                    state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
                    if state != "Z":  # a zombie holds nothing; its parent (this test) collects it
                        found.append(int(proc.name))
            except OSError:
                pass
    return found


def port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def launch(port: int, tmp_path: Path, processes: int = 1) -> tuple[subprocess.Popen, str]:
    tag = f"test-{uuid.uuid4().hex[:12]}"
    env = {**os.environ, "PETA_MPP_DEPLOYMENT": tag, "PETA_MPP_DATA_DIR": str(tmp_path / "store")}
    proc = subprocess.Popen([sys.executable, str(SERVE), "--processes", str(processes), "--port", str(port),
                             "--log-dir", str(tmp_path / "logs")], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    return proc, tag


def wait_until(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def assert_all_gone(tag: str, ports: list[int]) -> None:
    assert wait_until(lambda: not tagged(tag), 15), f"left running: {tagged(tag)}"
    assert wait_until(lambda: all(port_free(p) for p in ports), 2), [p for p in ports if not port_free(p)]


def cleanup(proc: subprocess.Popen, tag: str) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.wait(10)
    for pid in tagged(tag):  # the test's own net: nothing it started outlives it, whatever the outcome
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_sigterm_during_start_up_stops_everything_it_started(tmp_path):
    need_nginx()
    port = 31777
    ports = list(range(port, port + 4))
    proc, tag = launch(port, tmp_path, processes=2)
    try:
        # both app processes and the API started, none answers its health check yet (they are warming)
        assert wait_until(lambda: len(tagged(tag)) >= 3, 30), tagged(tag)
        time.sleep(3)
        assert not answers(f"http://127.0.0.1:{port + 1}/_stcore/health")
        proc.send_signal(signal.SIGTERM)
        proc.wait(15)
        assert "stopped during start-up (SIGTERM)" in proc.stderr.read()
        assert_all_gone(tag, ports)
    finally:
        cleanup(proc, tag)


@pytest.fixture
def started(tmp_path):
    """A one-process deployment that has started (its health check answers through nginx): (process, tag, port,
    its ports); whatever the test does, nothing of it outlives the test."""
    need_nginx()
    port = 31787
    proc, tag = launch(port, tmp_path)
    try:
        assert wait_until(lambda: answers(f"http://127.0.0.1:{port}/_stcore/health"), 240)
        yield proc, tag, port, list(range(port, port + 3))
    finally:
        cleanup(proc, tag)


def test_sigterm_after_start_up_stops_everything_and_a_held_port_is_named(started, tmp_path):
    proc, tag, port, ports = started
    line = proc.stdout.readline()
    assert f"Peta MPP on http://127.0.0.1:{port}" in line and tag in line
    # A second deployment on the same ports: one line naming the port and the process holding it, no traceback.
    second = subprocess.run([sys.executable, str(SERVE), "--processes", "1", "--port", str(port),
                             "--log-dir", str(tmp_path / "logs2")], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, env={**os.environ, "PETA_MPP_DATA_DIR": str(tmp_path / "store")})
    assert second.returncode == 1
    message = second.stderr.strip().splitlines()[-1]
    assert "Traceback" not in second.stderr
    assert message.startswith(f"peta-mpp serve: port {port} is already in use by process ")
    assert "nginx" in message and "of an earlier deployment" in message and "kill " in message
    assert not (tmp_path / "logs2").exists() or not any((tmp_path / "logs2").iterdir())  # nothing started
    proc.send_signal(signal.SIGTERM)
    proc.wait(15)
    assert_all_gone(tag, ports)


def test_sigkill_of_serve_py_takes_its_children_with_it(started):
    proc, tag, port, ports = started
    assert len(tagged(tag)) >= 5  # app process, its upload worker, the API, nginx and its workers
    proc.kill()
    proc.wait(10)
    assert_all_gone(tag, ports)
