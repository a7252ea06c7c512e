"""One base for every error the project raises on purpose (bad input, a missing source, a bad setting).

The command line and the app each catch :class:`PetaError` in one place and show its message in one line; anything
else is a bug (logged, shown as a short apology with a reference, never a traceback).
"""

from __future__ import annotations


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


def log_bug(exc: BaseException, what: str = "internal error") -> str:
    """Log an exception with its traceback (to ``peta-mpp.log`` in the cache folder, and to the process's standard
    error when it runs under a supervisor); return a short reference to show the user instead. ``what`` names the
    kind in the log ("internal error", "store unavailable")."""
    import logging
    import uuid

    ref = uuid.uuid4().hex[:8]
    log = logging.getLogger("peta_mpp")
    if not log.handlers:  # the log file beside the caches; never the user's screen
        try:
            from .sources import cache_dir

            folder = cache_dir()
            folder.mkdir(parents=True, exist_ok=True)
            handler: logging.Handler = logging.FileHandler(folder / "peta-mpp.log", encoding="utf-8")
        except OSError:
            handler = logging.NullHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.propagate = False
    log.error("%s %s", what, ref, exc_info=exc)
    return ref
