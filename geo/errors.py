"""One base for every error the project raises on purpose (bad input, a missing source, a bad setting).

The command line and the app each catch :class:`PetaError` in one place and show its message in one line; anything
else is a bug (logged, shown as a short apology with a reference, never a traceback).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import logging


class PetaError(ValueError):
    """An error a user can act on: the message says what is wrong and where (file, sheet, row, column)."""

    #: The command line's exit status for it.
    exit_code = 2

    def __init__(self, message: str, *, where: str = "") -> None:
        super().__init__(message)
        self.where = where

    def say(self, lang: str) -> str:
        """The message in ``lang`` (a :class:`geo.i18n.Msg` is translated; other text is shown as it is), on one
        line."""
        from .i18n import say

        return one_line(str(say(lang, self.args[0] if self.args else "")))


def one_line(message: str) -> str:
    """A message on one line: line breaks and other control characters become spaces."""
    return " ".join("".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in message).split())


#: Where the log file goes: a function giving the folder, registered by :mod:`geo.settings` (the error base imports
#: nothing of the project; the settings know the cache folder).
_log_folder: Callable[[], Path] | None = None


def log_into(folder: Callable[[], Path]) -> None:
    """Write the project's log into ``folder()`` (called once, by geo.settings, with its cache folder)."""
    global _log_folder
    _log_folder = folder


def _logger() -> logging.Logger:
    """The project's logger: to ``peta-mpp.log`` in the cache folder (never the user's screen)."""
    import logging

    log = logging.getLogger("peta_mpp")
    if not getattr(log, "_peta_file", False) and _log_folder is not None:
        log._peta_file = True  # type: ignore[attr-defined]
        try:
            folder = _log_folder()
            folder.mkdir(parents=True, exist_ok=True)
            handler: logging.Handler = logging.FileHandler(folder / "peta-mpp.log", encoding="utf-8")
        except OSError:
            handler = logging.NullHandler()
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        log.addHandler(handler)
        log.propagate = False
    return log


LOG_FORMAT = "%(asctime)s peta-mpp %(levelname)s %(message)s"


def log_to_stderr() -> None:
    """An app process (deploy/app_process.py) logs to its standard error too: its log file under deploy/serve.py,
    the journal under systemd. The command line does not: its user reads the one-line message."""
    import logging
    import sys

    log = _logger()
    if not any(getattr(h, "_peta_stderr", False) for h in log.handlers):
        h = logging.StreamHandler(sys.stderr)
        h._peta_stderr = True  # type: ignore[attr-defined]
        h.setFormatter(logging.Formatter(LOG_FORMAT))
        log.addHandler(h)


def log_bug(exc: BaseException, what: str = "internal error") -> str:
    """Log an exception with its traceback under a short reference (see :func:`_logger`, :func:`log_to_stderr`);
    return the reference, which the user is shown instead. ``what`` names the kind in the log ("internal error",
    "store unavailable")."""
    import uuid

    ref = uuid.uuid4().hex[:8]
    _logger().error("%s %s", what, ref, exc_info=exc)
    return ref
