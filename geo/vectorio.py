"""Reading a user's boundary file safely: only the formats we mean to read, checked before GDAL sees them.

Every upload is treated as hostile. Accepted, decided by content (the extension is only a hint):

- **GeoJSON** (a FeatureCollection or a Feature): parsed by Python's ``json`` module, never by GDAL. A legacy
  ``crs`` member may name an EPSG code (``EPSG:32747``, ``urn:ogc:def:crs:EPSG::32747``); nothing else is fetched
  or resolved.
- **GeoPackage**: recognised by its SQLite header and GeoPackage application id; exactly one layer with geometry.
- **A zip** holding exactly one of those, or one shapefile (``.shp`` with ``.shx`` and ``.dbf``; ``.prj`` and
  ``.cpg`` optional). Members are checked (no links, no paths out of the folder, total size and compression ratio
  within the limits) before anything is written; only the members needed are extracted, each with a byte counter,
  into a temporary folder that is removed when reading ends, whatever happens.
- On the command line, a ``.shp`` beside its ``.shx`` and ``.dbf``.

Before GDAL opens a user's file, :func:`restrict_gdal` deregisters every GDAL driver but Shapefile, GeoPackage and
GeoJSON (configuration, not string matching): an OGR virtual dataset (VRT) or a CSV disguised under another name has
no driver left to read it, so no file of the server and no network address can be reached through it.

Coordinates must be plausible for the CRS the file claims and lie in or near Indonesia: metres labelled as degrees,
swapped latitude/longitude and features far outside Indonesia are refused or reported per feature.
Limits (settings): ``max_upload_mb``, ``max_features``, ``max_unpacked_mb``, ``max_zip_ratio``.
"""

from __future__ import annotations

import io
import json
import re
import stat
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from . import settings
from .errors import PetaError
from .i18n import N_, Msg

CRS = "EPSG:4326"
#: GDAL drivers left registered once a user's file is to be read.
ALLOWED_GDAL_DRIVERS = ("ESRI Shapefile", "GPKG", "GeoJSON")
SQLITE_HEADER = b"SQLite format 3\x00"
GPKG_APPLICATION_IDS = (b"GPKG", b"GP10", b"GP11")
SHP_MAGIC = b"\x00\x00\x27\x0a"
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
#: Indonesia's extent with a margin (the regency polygons span lon 94.9-141.1, lat -11.1-6.1).
LON_RANGE = (94.0, 142.0)
LAT_RANGE = (-12.0, 7.0)


class BoundaryError(PetaError):
    """A boundary file that cannot be used, with what is wrong and where."""


# ----------------------------------------------------------------------------------------------------------------
# GDAL: only the drivers we mean to use
# ----------------------------------------------------------------------------------------------------------------

_restricted = False


def _libgdal() -> Any:
    """The GDAL library pyogrio has loaded (the same handle, found in this process's memory map)."""
    import ctypes
    import ctypes.util

    import pyogrio  # noqa: F401  (loads libgdal)

    maps = Path("/proc/self/maps")
    if maps.exists():
        for line in maps.read_text().splitlines():
            path = line.split()[-1] if line.split() else ""
            if "libgdal" in Path(path).name:
                return ctypes.CDLL(path)
    found = ctypes.util.find_library("gdal")
    if not found:
        raise BoundaryError(N_("cannot restrict GDAL's drivers (libgdal not found); refusing to read user files"))
    return ctypes.CDLL(found)


def restrict_gdal() -> list[str]:
    """Deregister every GDAL driver except :data:`ALLOWED_GDAL_DRIVERS` (once per process); return what is left.

    Called before a user's file reaches GDAL, never at import. Nothing in the app reads or writes other formats
    through GDAL (the built-in boundaries are SQL dumps parsed here, caches are GeoParquet via pyarrow)."""
    global _restricted
    import ctypes

    import pyogrio

    if not _restricted:
        lib = _libgdal()
        lib.GDALGetDriverCount.restype = ctypes.c_int
        lib.GDALGetDriver.restype = ctypes.c_void_p
        lib.GDALGetDriver.argtypes = [ctypes.c_int]
        lib.GDALGetDriverShortName.restype = ctypes.c_char_p
        lib.GDALGetDriverShortName.argtypes = [ctypes.c_void_p]
        lib.GDALDeregisterDriver.argtypes = [ctypes.c_void_p]
        drivers = [lib.GDALGetDriver(i) for i in range(lib.GDALGetDriverCount())]
        for drv in drivers:
            if lib.GDALGetDriverShortName(drv).decode() not in ALLOWED_GDAL_DRIVERS:
                lib.GDALDeregisterDriver(drv)
        pyogrio.set_gdal_config_options({
            "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",  # no probing of sibling files
            "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".none-allowed",  # belt and braces: no remote reads at all
            "GDAL_HTTP_TIMEOUT": "1",
        })
        _restricted = True
    return sorted(pyogrio.list_drivers())


# ----------------------------------------------------------------------------------------------------------------
# Entry points
# ----------------------------------------------------------------------------------------------------------------

def read_vector(path: str | Path) -> gpd.GeoDataFrame:
    """Read a local boundary file (GeoJSON, GeoPackage, zip, or a .shp with its parts) into EPSG:4326."""
    from .tables import input_file

    path = input_file(path, BoundaryError, ".shp, .gpkg, .geojson or .zip file")
    if path.suffix.lower() == ".shp":
        parts = {ext: _sibling(path, ext) for ext in SHAPEFILE_PARTS}
        return _finish(_read_shapefile(parts, path.name), path.name)
    return read_vector_bytes(path.read_bytes(), path.name)


def read_vector_bytes(data: bytes, name: str) -> gpd.GeoDataFrame:
    """Read an uploaded boundary file's bytes (GeoJSON, GeoPackage or zip) into EPSG:4326."""
    _check_size(len(data), name)
    kind = _kind(data)
    if kind == "zip":
        return _finish(_read_zip(data, name), name)
    return _finish(_read_single(data, name, kind), name)


# ----------------------------------------------------------------------------------------------------------------

def _check_size(size: int, name: str) -> None:
    limit = settings.max_upload_bytes()
    if size > limit:
        raise BoundaryError(N_("{name}: {size_1048576:.1f} MB is over the {limit_1048576:.0f} MB limit (setting "
                               "{settings_settings_max_upload_m})", name=name,
                               size_1048576=size / 1048576, limit_1048576=limit / 1048576,
                               settings_settings_max_upload_m=settings.SETTINGS['max_upload_mb'].env), where=name)


def _kind(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "zip"
    if data.startswith(SQLITE_HEADER):
        return "gpkg"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return "geojson"
    return "other"


def _describe(data: bytes) -> Msg:
    head = data[:256].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return N_("XML or HTML text")
    if not head:
        return N_("empty")
    if b"\x00" in head:
        return N_("binary data of an unknown format")
    return N_("text that is not GeoJSON")


def _read_single(data: bytes, name: str, kind: str) -> gpd.GeoDataFrame:
    if kind == "other" and name.lower().endswith(".zip"):
        raise BoundaryError(N_("{name}: not a readable zip file (the content is {describe_data})", name=name,
                               describe_data=_describe(data)), where=name)
    if kind == "geojson":
        return _read_geojson(data, name)
    if kind == "gpkg":
        return _read_geopackage(data, name)
    raise BoundaryError(N_("{name}: not a GeoJSON, GeoPackage or zipped shapefile (the content is "
                           "{describe_data})", name=name, describe_data=_describe(data)),
                        where=name)


def _read_geojson(data: bytes, name: str) -> gpd.GeoDataFrame:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BoundaryError(N_("{name}: GeoJSON must be UTF-8 text (byte {exc_start} is not)", name=name,
                               exc_start=exc.start), where=name) from exc
    try:
        obj = json.loads(text)
    except RecursionError as exc:
        raise BoundaryError(N_("{name}: the JSON is nested too deeply", name=name), where=name) from exc
    except json.JSONDecodeError as exc:
        raise BoundaryError(N_("{name}: not valid JSON (line {exc_lineno}, column {exc_colno}: {exc_msg})",
                               name=name, exc_lineno=exc.lineno, exc_colno=exc.colno, exc_msg=exc.msg),
                            where=name) from exc
    kind = obj.get("type") if isinstance(obj, dict) else None
    if kind == "FeatureCollection" and isinstance(obj.get("features"), list):
        features = obj["features"]
    elif kind == "Feature":
        features = [obj]
    else:
        raise BoundaryError(N_("{name}: not a GeoJSON FeatureCollection or Feature (type {str_kind_40!r})",
                               name=name, str_kind_40=str(kind)[:40]),
                            where=name)
    _check_features(len(features), name)
    crs = _geojson_crs(obj.get("crs"), name)
    _check_properties(features, name)
    props, geoms, problems = [], [], []
    for i, f in enumerate(features, start=1):
        if not isinstance(f, dict) or f.get("type") != "Feature":
            props.append({})
            geoms.append(None)
            problems.append(N_("item {i} of 'features' is not a GeoJSON Feature", i=i))
            continue
        p = f.get("properties")
        props.append({str(k): (v if v is None or isinstance(v, (str, int, float, bool)) else json.dumps(v))
                      for k, v in p.items()} if isinstance(p, dict) else {})
        g = f.get("geometry")
        if g is None:
            geoms.append(None)
            problems.append("")
            continue
        try:
            geom = shapely.from_geojson(json.dumps(g))
        except (shapely.errors.GEOSException, ValueError, TypeError) as exc:
            geoms.append(None)
            problems.append(N_("unreadable geometry ({str_exc_120})", str_exc_120=str(exc)[:120]))
            continue
        geoms.append(geom)
        problems.append("")
    table = pd.DataFrame.from_records(props, index=range(len(features)))
    gdf = gpd.GeoDataFrame(table, geometry=geoms, crs=crs)
    if any(problems):
        gdf["parse_problem"] = problems
    return gdf


def _check_properties(features: list, name: str) -> None:
    """The table a GeoJSON becomes has a column per distinct property key: refuse, before building it, a file whose
    features x distinct keys exceed ``max_feature_cells`` (unique keys per feature would make a frame of
    features x features cells)."""
    keys: set[str] = set()
    limit = settings.get("max_feature_cells")
    for f in features:
        p = f.get("properties") if isinstance(f, dict) else None
        if isinstance(p, dict):
            keys.update(map(str, p))
            if len(features) * len(keys) > limit:
                raise BoundaryError(N_("{name}: {n:,} features with more than {k:,} different property names make "
                                       "more than {limit:,} cells (setting {env}); keep the properties every feature "
                                       "shares (code, name)", name=name, n=len(features), k=len(keys), limit=limit,
                                       env=settings.SETTINGS["max_feature_cells"].env), where=name)


def _geojson_crs(member: Any, name: str) -> str:
    """The CRS a GeoJSON names: RFC 7946 says WGS84 lon/lat; a legacy ``crs`` member may name an EPSG code."""
    if member is None:
        return CRS
    text = ""
    if isinstance(member, dict) and isinstance(member.get("properties"), dict):
        text = str(member["properties"].get("name", ""))
    if re.fullmatch(r"(?i)(urn:ogc:def:crs:)?OGC:(1\.3:)?CRS84", text):
        return CRS
    m = re.fullmatch(r"(?i)(?:urn:ogc:def:crs:)?EPSG:(?:[0-9.]*:)?([0-9]{4,6})", text)
    if not m:
        raise BoundaryError(N_("{name}: the 'crs' member {text_80!r} is not an EPSG code; remove it (GeoJSON is "
                               "longitude/latitude) or name the EPSG code", name=name,
                               text_80=text[:80]), where=name)
    from pyproj import CRS as ProjCRS
    from pyproj.exceptions import CRSError

    try:
        ProjCRS.from_epsg(int(m.group(1)))  # PROJ's own database, on this machine; nothing is fetched
    except CRSError as exc:
        raise BoundaryError(N_("{name}: the 'crs' member names EPSG:{code}, which is not a known coordinate "
                               "reference system; remove it (GeoJSON is longitude/latitude) or name a real EPSG code",
                               name=name, code=m.group(1)), where=name) from exc
    return f"EPSG:{m.group(1)}"


def _check_features(n: int, name: str) -> None:
    limit = settings.get("max_features")
    if n > limit:
        raise BoundaryError(N_("{name}: {n:,} features is over the limit of {limit:,} (setting "
                               "{settings_settings_max_features}); Indonesia has 514 regencies",
                               name=name, n=n, limit=limit,
                               settings_settings_max_features=settings.SETTINGS['max_features'].env),
                            where=name)


#: SQLite virtual-machine steps allowed while a GeoPackage's catalogue is inspected (a plain one needs a few
#: thousand); past them the inspection is interrupted.
GPKG_INSPECTION_STEPS = 5_000_000


def _read_geopackage(data: bytes, name: str) -> gpd.GeoDataFrame:
    if data[68:72] not in GPKG_APPLICATION_IDS:
        raise BoundaryError(N_("{name}: an SQLite database but not a GeoPackage", name=name), where=name)
    with tempfile.TemporaryDirectory(prefix="peta-mpp-") as tmp:
        path = Path(tmp) / "upload.gpkg"
        path.write_bytes(data)
        _check_plain_tables(path, name)
        return _read_gdal(path, name)


def _check_plain_tables(path: Path, name: str) -> None:
    """Before GDAL opens it: every layer a GeoPackage lists must be a plain table. A view (or a virtual table) is
    SQL that GDAL would evaluate, e.g. an endless recursive query while counting features; it is refused. Read with
    Python's sqlite3, read-only, with a bound on the work the inspection itself may do."""
    import sqlite3

    try:
        con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as exc:
        raise BoundaryError(N_("{name}: cannot read as a GeoPackage ({exc})", name=name, exc=exc), where=name) from exc
    steps = {"n": 0}

    def budget() -> int:
        steps["n"] += 1
        return 1 if steps["n"] > GPKG_INSPECTION_STEPS // 1000 else 0

    con.set_progress_handler(budget, 1000)
    try:
        kinds = dict(con.execute("SELECT name, type FROM sqlite_master").fetchall())
        layers = [r[0] for r in con.execute("SELECT table_name FROM gpkg_contents").fetchall()]
        sql = {n: s or "" for n, s in con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error as exc:
        raise BoundaryError(N_("{name}: not a readable GeoPackage ({exc})", name=name, exc=exc), where=name) from exc
    finally:
        con.close()
    for layer in layers:
        kind = kinds.get(layer)
        if kind != "table" or "VIRTUAL TABLE" in sql.get(layer, "").upper():
            raise BoundaryError(N_("{name}: layer {layer!r} is {what}, not a plain table; export the layer as a "
                                   "table (e.g. 'Save Features As' in QGIS)", name=name, layer=str(layer)[:60],
                                   what=N_("a view") if kind == "view" else N_("not a stored table")), where=name)


def _read_gdal(path: Path, name: str) -> gpd.GeoDataFrame:
    """Read one layer through GDAL, restricted to the allowed drivers."""
    import pyogrio

    restrict_gdal()
    try:
        layers = pyogrio.list_layers(path)
        spatial = [str(lay) for lay, gtype in layers if gtype is not None]
        if len(spatial) != 1:
            listing = ", ".join(f"{lay} ({gtype or 'no geometry'})" for lay, gtype in layers[:10]) or "none"
            raise BoundaryError(N_("{name}: holds {len_spatial} layers with geometry ({listing}); give a file with "
                                   "exactly one", name=name,
                                   len_spatial=len(spatial), listing=listing), where=name)
        info = pyogrio.read_info(path, layer=spatial[0])
        _check_features(int(info.get("features") or 0), name)
        gdf = gpd.read_file(path, layer=spatial[0], engine="pyogrio", on_invalid="ignore")
    except BoundaryError:
        raise
    except Exception as exc:  # pyogrio's DataSourceError, DataLayerError, …: the file, not the app
        raise BoundaryError(N_("{name}: cannot read as a vector file ({str_exc_splitlines_0_200_if_st})",
                               name=name,
                               str_exc_splitlines_0_200_if_st=str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__),
                            where=name) from exc
    return gdf


def _sibling(shp: Path, ext: str) -> Path | None:
    for cand in (shp.with_suffix(ext), shp.with_suffix(ext.upper())):
        if cand.exists():
            return cand
    return None


def _read_shapefile(parts: dict[str, Path | None], name: str) -> gpd.GeoDataFrame:
    missing = [ext for ext in (".shx", ".dbf") if parts.get(ext) is None]
    if missing:
        raise BoundaryError(N_("{name}: shapefile lacks its {and_join_missing} file; zip all the files that "
                               "share its name", name=name,
                               and_join_missing=' and '.join(missing)), where=name)
    shp, shx, dbf = parts[".shp"], parts[".shx"], parts[".dbf"]
    assert shp is not None and shx is not None and dbf is not None
    for p in (shp, shx):
        if p.read_bytes()[:4] != SHP_MAGIC:
            raise BoundaryError(N_("{name}: {p_name} is not a shapefile part (wrong file signature)", name=name,
                                   p_name=p.name), where=name)
    if dbf.read_bytes()[:1] not in (b"\x02", b"\x03", b"\x04", b"\x05", b"\x30", b"\x31", b"\x83", b"\x8b",
                                    b"\xf5", b"\xfb", b"\x43", b"\x63", b"\x8e", b"\xcb"):
        raise BoundaryError(N_("{name}: {dbf_name} is not a dBase table", name=name, dbf_name=dbf.name), where=name)
    _check_features(max(0, (shx.stat().st_size - 100) // 8), name)
    return _read_gdal(shp, name)


def _member_is_link(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _read_zip(data: bytes, name: str) -> gpd.GeoDataFrame:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise BoundaryError(N_("{name}: not a readable zip file ({exc})", name=name, exc=exc), where=name) from exc
    files = []
    for info in infos:
        n = info.filename
        p = PurePosixPath(n.replace("\\", "/"))
        if n.startswith("/") or ".." in p.parts or re.match(r"^[A-Za-z]:", n):
            raise BoundaryError(N_("{name}: unsafe path in zip: {n}", name=name, n=n), where=name)
        if _member_is_link(info):
            raise BoundaryError(N_("{name}: the zip holds a symbolic link ({n}); zip the files themselves",
                                   name=name, n=n), where=name)
        if info.is_dir() or p.parts[0] == "__MACOSX" or p.name.startswith("._"):
            continue
        files.append(info)
    by_lower = {f.filename.lower(): f for f in files}
    datasets: list[tuple[str, list[zipfile.ZipInfo]]] = []
    for f in files:
        low = f.filename.lower()
        if low.endswith(".shp"):
            stem = f.filename[:-4]
            parts = [by_lower[(stem + ext).lower()] for ext in SHAPEFILE_PARTS if (stem + ext).lower() in by_lower]
            datasets.append((f.filename, parts))
        elif low.endswith((".gpkg", ".geojson", ".json")):
            datasets.append((f.filename, [f]))
    if not datasets:
        listing = ", ".join(f.filename for f in files[:8]) or "nothing"
        raise BoundaryError(N_("{name}: the zip holds no .shp, .gpkg or .geojson file (it holds: {listing})",
                               name=name, listing=listing), where=name)
    if len(datasets) > 1:
        raise BoundaryError(N_("{name}: the zip holds {len_datasets} datasets ({join_d_for_d_in_datasets_8}); "
                               "zip exactly one", name=name, len_datasets=len(datasets),
                               join_d_for_d_in_datasets_8=', '.join(d for d, _ in datasets[:8])), where=name)
    target, members = datasets[0]
    budget = settings.max_unpacked_bytes()
    ratio = settings.get("max_zip_ratio")
    total = sum(m.file_size for m in members)
    if total > budget:
        raise BoundaryError(N_("{name}: unpacks to {total_1048576:.0f} MB, over the limit of "
                               "{budget_1048576:.0f} MB (setting {settings_settings_max_unpacked})",
                               name=name, total_1048576=total / 1048576, budget_1048576=budget / 1048576,
                               settings_settings_max_unpacked=settings.SETTINGS['max_unpacked_mb'].env),
                            where=name)
    for m in members:
        if m.file_size > 1048576 and m.file_size > ratio * max(m.compress_size, 1):
            raise BoundaryError(N_("{name}: {m_filename} is compressed {m_file_size_max_m_compress_siz:.0f}:1, more "
                                   "than a real boundary file (a zip bomb?); refused",
                                   name=name, m_filename=m.filename,
                                   m_file_size_max_m_compress_siz=m.file_size / max(m.compress_size, 1)), where=name)
    with tempfile.TemporaryDirectory(prefix="peta-mpp-") as tmp:
        written: dict[str, Path] = {}
        for m in members:
            ext = PurePosixPath(m.filename).suffix.lower()
            dest = Path(tmp) / ("upload" + ext)
            _extract(zf, m, dest, name)
            written[ext] = dest
        if target.lower().endswith(".shp"):
            return _read_shapefile({ext: written.get(ext) for ext in SHAPEFILE_PARTS}, f"{name}: {target}")
        inner = written[PurePosixPath(target).suffix.lower()].read_bytes()
        kind = _kind(inner)
        if kind == "zip":
            raise BoundaryError(N_("{name}: {target} is itself a zip; zip the boundary file directly", name=name,
                                   target=target), where=name)
        return _read_single(inner, f"{name}: {target}", kind)


def _extract(zf: zipfile.ZipFile, member: zipfile.ZipInfo, dest: Path, name: str) -> None:
    """Copy one member out with a byte counter: a header that lies about the size cannot make it write more."""
    limit = member.file_size
    done = 0
    try:
        with zf.open(member) as src, open(dest, "wb") as out:
            while chunk := src.read(1 << 20):
                done += len(chunk)
                if done > limit:
                    raise BoundaryError(N_("{name}: {member_filename} unpacks to more than its stated size; refused",
                                           name=name, member_filename=member.filename),
                                        where=name)
                out.write(chunk)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
        raise BoundaryError(N_("{name}: cannot unpack {member_filename} ({exc})", name=name,
                               member_filename=member.filename, exc=exc), where=name) from exc


# ----------------------------------------------------------------------------------------------------------------
# Coordinates
# ----------------------------------------------------------------------------------------------------------------

def _finish(gdf: gpd.GeoDataFrame, name: str) -> gpd.GeoDataFrame:
    """EPSG:4326 with plausible coordinates, a ``feature`` column, and features outside Indonesia flagged."""
    has_geom = ~gdf.geometry.isna() & ~gdf.geometry.is_empty
    bounds = gdf.geometry[has_geom].total_bounds if has_geom.any() else None
    lonlat = bounds is not None and -180 <= bounds[0] and bounds[2] <= 180 and -90 <= bounds[1] and bounds[3] <= 90
    if bounds is not None and (gdf.crs is None or gdf.crs.is_geographic) and \
            LAT_RANGE[0] <= bounds[0] and bounds[2] <= LAT_RANGE[1] and LON_RANGE[0] <= bounds[1] and bounds[3] <= LON_RANGE[1]:
        raise BoundaryError(N_("{name}: latitude and longitude look swapped (x from {bounds_0:.1f} to "
                               "{bounds_2:.1f}, y from {bounds_1:.1f} to {bounds_3:.1f}); GeoJSON and EPSG:4326 "
                               "files give longitude first", name=name,
                               bounds_0=bounds[0], bounds_2=bounds[2], bounds_1=bounds[1], bounds_3=bounds[3]), where=name)
    if gdf.crs is None:
        if bounds is not None and not lonlat:
            raise BoundaryError(N_("{name}: no coordinate reference system (.prj missing) and the coordinates are "
                                   "not longitude/latitude; add the .prj file",
                                   name=name), where=name)
        gdf = gdf.set_crs(CRS)
        gdf.attrs["crs_note"] = N_("no CRS (.prj) given; coordinates look like longitude/latitude, read as EPSG:4326")
    elif gdf.crs.is_geographic and not lonlat and bounds is not None:
        raise BoundaryError(N_("{name}: the file says its coordinates are degrees ({gdf_crs_to_string}), but "
                               "they run to x {bounds_2:,.0f}, y {bounds_3:,.0f}: these look like metres (Web "
                               "Mercator, EPSG:3857, or UTM?); give the file's real CRS",
                               name=name, gdf_crs_to_string=gdf.crs.to_string(), bounds_2=bounds[2],
                               bounds_3=bounds[3]), where=name)
    elif gdf.crs.to_epsg() != 4326:
        note = N_("reprojected from {crs} to EPSG:4326", crs=gdf.crs.to_string())
        try:
            gdf = gdf.to_crs(CRS)
        except Exception as exc:  # pyproj: a CRS it cannot transform
            raise BoundaryError(N_("{name}: cannot reproject from {gdf_crs_to_string} ({exc})", name=name,
                                   gdf_crs_to_string=gdf.crs.to_string(), exc=exc), where=name) from exc
        gdf.attrs["crs_note"] = note
    gdf = gdf.reset_index(drop=True)
    has_geom = ~gdf.geometry.isna() & ~gdf.geometry.is_empty
    if has_geom.any():
        pts = gdf.geometry[has_geom].representative_point()
        x, y = pts.x.to_numpy(), pts.y.to_numpy()
        inside = (x >= LON_RANGE[0]) & (x <= LON_RANGE[1]) & (y >= LAT_RANGE[0]) & (y <= LAT_RANGE[1])
        swapped = (y >= LON_RANGE[0]) & (y <= LON_RANGE[1]) & (x >= LAT_RANGE[0]) & (x <= LAT_RANGE[1])
        if not inside.any():
            if swapped.all():
                raise BoundaryError(N_("{name}: latitude and longitude look swapped (x from {x_min:.1f} to {x_max:.1f}, "
                                       "y from {y_min:.1f} to {y_max:.1f}); GeoJSON and EPSG:4326 files give longitude "
                                       "first", name=name, x_min=x.min(),
                                       x_max=x.max(), y_min=y.min(), y_max=y.max()), where=name)
            raise BoundaryError(N_("{name}: no feature lies in or near Indonesia (longitude {lon_range_0:.0f} to "
                                   "{lon_range_1:.0f}, latitude {lat_range_0:.0f} to {lat_range_1:.0f}); check the "
                                   "coordinates and the CRS", name=name,
                                   lon_range_0=LON_RANGE[0], lon_range_1=LON_RANGE[1], lat_range_0=LAT_RANGE[0],
                                   lat_range_1=LAT_RANGE[1]), where=name)
        if not inside.all():
            problems = gdf.get("parse_problem", pd.Series([""] * len(gdf))).fillna("").astype(str).to_numpy().copy()
            idx = np.flatnonzero(has_geom.to_numpy())[~inside]
            for k, i in enumerate(idx):
                px, py = x[~inside][k], y[~inside][k]
                problems[i] = f"lies outside Indonesia (lon {px:.2f}, lat {py:.2f})"
            gdf["parse_problem"] = problems
    from .tables import clean_cell

    for col in gdf.columns:  # text properties under the one rule for user text (no control, bidi or invisible)
        if col != gdf.geometry.name and gdf[col].dtype == object:
            gdf[col] = gdf[col].map(lambda v: clean_cell(v)[0] if isinstance(v, str) else v)
    gdf.insert(0, "feature", [f"{name}#{i + 1}" for i in range(len(gdf))])
    return gdf
