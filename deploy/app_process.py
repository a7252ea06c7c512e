"""Start one Peta MPP app process, warm, then serve it with Streamlit.

    python deploy/app_process.py [Streamlit options, e.g. --server.port 8501 --server.headless true]

Before Streamlit listens, the process builds what every visitor shares (the store's schema, the upload worker, the
built-in data and the default maps, the libraries the pages import). Its health check (``/_stcore/health``) answers
only then, so nginx and the supervisor (``deploy/serve.py``) never send a visitor to a process still warming, and the
first visitor of a new process costs it no more than the tenth. ``make run`` and ``make serve`` start the app this way.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What the pages use, some of it only inside functions (charts, exports, uploads); the pages themselves are
# imported by running them (run_default_pages).
MODULES = ("matplotlib.figure", "geo.briefing", "geo.charts", "geo.coverage", "geo.maps", "geo.mapviews",
           "geo.tables", "geo.uploads", "geo.store", "geo.progress", "streamlit_folium")


# Streamlit's warnings that are false here: caches and scripts used before its server exists (on purpose), and its
# server settings "changed" between the warm-up's import and the command line's (the server had not started yet).
QUIET = ("streamlit.runtime.caching.cache_data_api", "streamlit.runtime.scriptrunner_utils.script_run_context",
         "streamlit.config")


def _quiet(level: int) -> None:
    from streamlit.logger import get_logger

    for name in QUIET:
        get_logger(name).setLevel(level)


def warm() -> float:
    """Warm this process; return the CPU seconds it took."""
    import logging

    t0 = time.process_time()
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    _quiet(logging.ERROR)
    from geo.errors import log_to_stderr

    log_to_stderr()  # errors with the reference the visitor is shown, in this process's log
    import importlib

    for module in MODULES:  # imported once here, not in a visitor's session
        importlib.import_module(module)
    # The overview and the map, run once in each language: the pages' modules are imported and register the map
    # renderer (geo.mapviews.use_renderer), and what those pages cache is ready; then everything else every visitor
    # shares (geo.mapviews.warm: the store's schema, the upload worker, the default views).
    run_default_pages()
    from geo.mapviews import warm as warm_views

    warm_views()
    from deploy.briefing import warm as warm_briefings

    warm_briefings()  # today's national briefing link in both languages (deploy/briefing.py)
    from deploy.compress import precompress

    precompress()  # Streamlit's bundles, gzipped before the first visitor asks (deploy/compress.py)
    # What the warm-up built (libraries, the built-in data, the default views: most of the process's memory) lives
    # as long as the process. Streamlit collects garbage fully after every script run (runner.postScriptGC); frozen,
    # these objects are no longer scanned each time, so that collection costs a visitor's run milliseconds instead
    # of about a tenth of a second.
    import gc

    gc.collect()
    gc.freeze()
    return time.process_time() - t0


def run_default_pages() -> None:
    """Run what a fresh visitor's browser asks for first (the overview and the map, in both languages) once,
    in-process, so that the data and results those pages cache are ready before the first visitor."""
    from streamlit.testing.v1 import AppTest

    for language in ("id", "en"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.query_params["lang"] = language
        at.run()
        at.switch_page("pages/peta.py").run()
        failed = [e.value for e in at.exception]
        if failed:  # the real sessions will show it too; the log says it first
            print(f"peta-mpp: warming the pages ({language}) failed: {failed[0]}", file=sys.stderr, flush=True)


def main(argv: list[str]) -> None:
    os.chdir(ROOT)
    seconds = warm()
    print(f"peta-mpp: process {os.getpid()} warm in {seconds:.1f} s of CPU; serving", file=sys.stderr, flush=True)
    from streamlit.web import cli

    # deploy/asgi.py: app.py with its static files sent compressed (deploy/compress.py)
    sys.argv = ["streamlit", "run", str(ROOT / "deploy" / "asgi.py"), *argv]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
