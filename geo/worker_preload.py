"""Imported once by the upload worker's server process (:mod:`geo.worker`): the readers and the gazetteer, loaded
there so that each child forked for an upload starts with them. Importing it anywhere else only costs the load."""

from __future__ import annotations

import openpyxl  # noqa: F401
import pyogrio  # noqa: F401

from . import boundary_io, tables, uploads, vectorio  # noqa: F401
from .gazetteer import gazetteer

gazetteer()
