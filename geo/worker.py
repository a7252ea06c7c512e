"""Reading an upload in a child process that can be stopped: whatever a file makes a parser do, it ends within a
wall-clock and a memory budget, and the app's own process never runs the parser at all.

:func:`bounded` runs ``fn(*args)`` in a process forked from a small server process (multiprocessing's
``forkserver``, started once, with the readers and the gazetteer already loaded, so a call costs tens of
milliseconds) and returns its result or raises its :class:`~geo.errors.PetaError`. The parent watches the child:
past ``upload_seconds`` of wall-clock time or ``upload_memory_mb`` of resident memory it is killed and
:class:`UploadBudgetError` is raised; the child also has an operating-system CPU limit, so it cannot outlive a
parent that died. Budgets in the readers themselves (cells, characters, names, features x properties) refuse most
hostile files long before these limits; this is the net under them for what a library does before our checks.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from typing import Any, TypeVar

from . import settings
from .errors import PetaError
from .i18n import N_

#: Modules the server process imports once, so each child starts with them loaded.
PRELOAD = ["geo.worker_preload"]
POLL_SECONDS = 0.05

T = TypeVar("T")


class UploadBudgetError(PetaError):
    """Reading a file took more time or memory than its budget allows; the child was stopped."""


#: The name of every worker process (multiprocessing's process name), by which :func:`_preparation` knows ours.
PROCESS_NAME = "peta-mpp-upload"


def _preparation(original: Callable[[str], dict]) -> Callable[[str], dict]:
    """multiprocessing prepares a child by running the parent's ``__main__`` again when it has a file; in the app
    (and in AppTest) ``__main__`` is the page script being run, which must never run in a worker. Our workers need
    nothing of it (their targets are module-level functions), so their preparation leaves it out."""
    def prepare(name: str) -> dict:
        data = original(name)
        if name.startswith(PROCESS_NAME):
            data.pop("init_main_from_path", None)
            data.pop("init_main_from_name", None)
        return data
    prepare.peta_mpp = True  # type: ignore[attr-defined]
    return prepare


def _context() -> multiprocessing.context.BaseContext:
    from multiprocessing import spawn

    if not getattr(spawn.get_preparation_data, "peta_mpp", False):
        spawn.get_preparation_data = _preparation(spawn.get_preparation_data)
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def _child(conn: Any, fn: Callable[..., Any], args: tuple, kwargs: dict, cpu_seconds: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    try:
        result: tuple[str, Any] = ("ok", fn(*args, **kwargs))
    except PetaError as exc:
        result = ("error", exc)
    except RecursionError:
        result = ("error", PetaError(N_("the input is nested too deeply to read")))
    except MemoryError:
        result = ("error", UploadBudgetError(N_("reading the file needs more memory than the budget allows")))
    except BaseException as exc:  # noqa: BLE001  (a bug: its text goes back to be logged by the parent)
        result = ("bug", f"{type(exc).__name__}: {exc}")
    try:
        conn.send(result)
    except Exception as exc:  # noqa: BLE001  (an unpicklable result is a bug too)
        conn.send(("bug", f"cannot return the result: {type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def bounded(fn: Callable[..., T], *args: Any, what: str = "", seconds: float | None = None,
            memory_mb: float | None = None, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)`` in a child process within ``seconds`` (setting ``upload_seconds``) and
    ``memory_mb`` (setting ``upload_memory_mb``); ``fn`` must be a module-level function and its arguments and
    result picklable. Raises what ``fn`` raised (a :class:`PetaError`), :class:`UploadBudgetError` past a budget,
    and RuntimeError for a bug in the child."""
    seconds = float(seconds if seconds is not None else settings.get("upload_seconds"))
    memory_mb = float(memory_mb if memory_mb is not None else settings.get("upload_memory_mb"))
    ctx = _context()
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args, kwargs, int(seconds) + 1), daemon=True,
                       name=PROCESS_NAME)
    proc.start()
    child.close()
    start = time.monotonic()
    peak = 0.0
    try:
        while True:
            if parent.poll(POLL_SECONDS):
                try:
                    status, value = parent.recv()
                except EOFError:
                    status, value = "died", None
                break
            if not proc.is_alive() and not parent.poll(0):
                status, value = "died", None
                break
            peak = max(peak, _rss_mb(proc.pid or 0))
            if peak > memory_mb:
                raise UploadBudgetError(N_("{what}: reading it needed more than {mb:.0f} MB of memory (setting "
                                           "{env}); it was stopped", what=what or "file", mb=memory_mb,
                                           env=settings.SETTINGS["upload_memory_mb"].env), where=what)
            if time.monotonic() - start > seconds:
                raise UploadBudgetError(N_("{what}: reading it took more than {s:.0f} s (setting {env}); it was "
                                           "stopped", what=what or "file", s=seconds,
                                           env=settings.SETTINGS["upload_seconds"].env), where=what)
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
    if status == "ok":
        return value
    if status == "error":
        raise value
    if status == "died":
        code = proc.exitcode
        raise UploadBudgetError(N_("{what}: reading it was stopped by the system (exit {code}); the file needs more "
                                   "time or memory than it may have", what=what or "file", code=code), where=what)
    raise RuntimeError(f"upload worker failed: {value}")


def start() -> None:
    """Start the server process now (at app start, in the background), so the first upload does not wait for it."""
    from multiprocessing import forkserver

    _context()
    forkserver.ensure_running()


def pid() -> int:
    """This process's id (a picklable target for tests)."""
    return os.getpid()
