"""Peta MPP as an ASGI app: Streamlit's app (app.py) with its static files sent compressed (deploy/compress.py),
the briefing link's light pages (deploy/briefing.py) and the read-only data API (geo.api) under ``/api/v1`` of the
same server, so every "Data tampilan ini" link a page shows works on the app's own port (``python -m geo api`` still
serves the API alone).

``deploy/app_process.py`` runs it with ``streamlit run deploy/asgi.py`` (Streamlit finds ``app`` and serves it with
uvicorn, with every ``--server.*`` option as usual).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Awaitable, Callable

import streamlit as st
from starlette.middleware import Middleware

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from deploy.briefing import BriefingPages  # noqa: E402  (after the project's folder is on the path)
from deploy.compress import GzipStatic  # noqa: E402


class DataApi:
    """ASGI middleware: HTTP requests under ``/api/v1`` go to the data API (made on the first such request, in this
    process); everything else passes to the app."""

    def __init__(self, app: Callable[..., Awaitable[Any]]) -> None:
        from geo.api import API_PREFIX

        self.app, self.prefix, self.api = app, API_PREFIX, None

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path == self.prefix or path.startswith(self.prefix + "/")):
            return await self.app(scope, receive, send)
        if self.api is None:
            from geo.api import create_app

            self.api = create_app()
        return await self.api(scope, receive, send)


app = st.App(ROOT / "app.py", middleware=[Middleware(GzipStatic), Middleware(BriefingPages), Middleware(DataApi)])
