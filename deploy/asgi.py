"""Peta MPP as an ASGI app: Streamlit's app (app.py) with its static files sent compressed (deploy/compress.py)
and the briefing link's light pages (deploy/briefing.py).

``deploy/app_process.py`` runs it with ``streamlit run deploy/asgi.py`` (Streamlit finds ``app`` and serves it with
uvicorn, with every ``--server.*`` option as usual).
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from deploy.briefing import BriefingPages  # noqa: E402  (after the project's folder is on the path)
from deploy.compress import GzipStatic  # noqa: E402

app = st.App(ROOT / "app.py", middleware=[Middleware(GzipStatic), Middleware(BriefingPages)])
