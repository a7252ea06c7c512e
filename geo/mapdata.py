"""A map's geometry as one versioned document, fetched once by the browser; only the values travel per view.

The regency polygons and province borders of a scope (all of Indonesia, or a set of provinces) are the same in every
view of it, whatever the date, layer, language or dataset. They are written once as a compact JSON document,
coordinates quantised to ``DIGITS`` decimals (about 11 m, far below a pixel at the zoom levels the maps allow for
the simplified shapes they draw), named by a hash of its content: ``geometry-<scope>-<hash>.json``. A changed boundary
file gives a new name, so a browser may keep a document for ever. A view then sends only what differs: the
regencies' colours and tooltip values (:func:`view_values`), a few kilobytes instead of the polygons.

The document::

    {"regencies": {"type": "FeatureCollection", "features": [{"type": "Feature",
                    "properties": {"code": "11.01", "name": …, "province": …}, "geometry": …}, …]},
     "borders": {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": …}]}}
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

DIGITS = 4
#: What a scope may be called in a document's name: "id" (all of Indonesia) or province codes joined by "-".
SCOPE = re.compile(r"^(id|\d{2}(-\d{2}){0,37})$")
NAME = re.compile(r"^geometry-(id|\d{2}(?:-\d{2}){0,37})-([0-9a-f]{16})\.json$")


def scope_name(provinces: tuple[str, ...] | list[str]) -> str:
    """``id`` for all of Indonesia, else the sorted province codes joined by ``-`` (``11-12``)."""
    return "-".join(sorted(provinces)) if provinces else "id"


def _quantised(geoms: np.ndarray, digits: int) -> np.ndarray:
    return shapely.transform(geoms, lambda xy: np.round(xy, digits))


def _features(geoms: np.ndarray, props: list[dict]) -> list[dict]:
    out = []
    for g, p in zip(geoms, props):
        if g is None or g.is_empty:
            continue
        out.append({"type": "Feature", "properties": p, "geometry": shapely.geometry.mapping(g)})
    return out


def geometry_document(regencies: gpd.GeoDataFrame, borders: gpd.GeoDataFrame, digits: int = DIGITS) -> dict:
    """The document of a scope: ``regencies`` (``code``, ``name``, ``province``, geometry; a regency without a polygon
    is left out, as a map cannot draw it) and the province ``borders`` drawn over them, coordinates rounded to
    ``digits`` decimals."""
    props = [{"code": str(c), "name": str(n), "province": str(p)}
             for c, n, p in zip(regencies["code"], regencies["name"], regencies["province"])]
    regs = _features(_quantised(regencies.geometry.values, digits), props)
    lines = _features(_quantised(borders.geometry.values, digits), [{} for _ in range(len(borders))])
    return {"regencies": {"type": "FeatureCollection", "features": regs},
            "borders": {"type": "FeatureCollection", "features": lines}}


def document_bytes(doc: dict) -> bytes:
    """The document as compact UTF-8 JSON (the bytes its name is a hash of)."""
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def document_name(body: bytes, scope: str) -> str:
    if not SCOPE.match(scope):
        raise ValueError(f"not a map scope: {scope!r}")
    return f"geometry-{scope}-{hashlib.sha256(body).hexdigest()[:16]}.json"


def write_document(folder: Path, scope: str, doc: dict) -> str:
    """Write the document under its versioned name in ``folder`` (once: an existing file of that name holds the same
    bytes) and return the name. Written to a temporary file and renamed, so a reader never sees half a document."""
    body = document_bytes(doc)
    name = document_name(body, scope)
    path = folder / name
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "wb") as f:
            f.write(body)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    return name


def view_values(columns: dict[str, list], digits: int | None = None) -> dict[str, list]:
    """The per-view values as columns (one list per property, rows in the same order as ``columns["code"]``), plain
    JSON types only; missing values become ``""``."""
    out: dict[str, list] = {}
    for key, values in columns.items():
        col = []
        for v in values:
            if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
                col.append("")
            elif isinstance(v, (np.integer,)):
                col.append(int(v))
            elif isinstance(v, (np.floating,)):
                col.append(float(v) if digits is None else round(float(v), digits))
            else:
                col.append(v if isinstance(v, (int, float, bool, str)) else str(v))
        out[key] = col
    return out
