"""Regency boundaries: reconcile every feature of any source to the gazetteer, make the result fit for maps.

Pipeline: parse (the upstream SQL dumps; other vector files are read by :mod:`geo.vectorio`) -> reconcile (code
first, else name within province; every feature accounted for) -> repair (make_valid) -> resolve overlaps (the
smaller unit keeps a contested area) -> simplify per display level with shared edges kept shared (shapely
``coverage_simplify``). Everything here is data in, data out: reading files and the GeoParquet cache of the built-in
set are in :mod:`geo.boundary_io`.

Geometries are EPSG:4326 (lon, lat). Areas for reporting are computed in an equal-area projection.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon

from . import gazetteer as gz
from .i18n import N_, message_frame
from .vectorio import BoundaryError

CRS = "EPSG:4326"
EQUAL_AREA = "+proj=cea +lon_0=118 +datum=WGS84 +units=m"  # cylindrical equal-area centred on Indonesia
#: Bumped when cleaning or simplification changes, so old caches are not reused.
PIPELINE_VERSION = "4"

Level = Literal["full", "national", "province"]
#: Display levels: coverage-simplify tolerance (degrees), islet threshold (km2), coordinate decimals.
LEVELS: dict[str, dict[str, float]] = {
    "national": {"tolerance": 0.03, "min_islet_km2": 50.0, "decimals": 3},
    "province": {"tolerance": 0.004, "min_islet_km2": 1.0, "decimals": 4},
}

# Column names that common Indonesian boundary datasets use, most specific first.
CODE_COLUMNS = ["kode", "kode_kab", "kdpkab", "kode_kabkota", "kd_kab", "adm2_pcode", "kab_code", "code", "id_kab",
                "kdkab", "kode_bps"]
NAME_COLUMNS = ["nama", "wadmkk", "nama_kab", "namobj", "adm2_en", "adm2_id", "shapename", "name_2", "kabupaten",
                "kab_kota", "kabkota", "nama_kabkota", "regency", "name"]
PROVINCE_COLUMNS = ["wadmpr", "provinsi", "nama_prov", "adm1_en", "adm1_id", "name_1", "province", "prov", "propinsi"]

_SQL_ROW = re.compile(
    r"\(\s*'(?P<code>[^']*)'\s*,\s*'(?P<name>(?:[^'\\]|\\.|'')*)'\s*,\s*(?P<lat>[-+0-9.eE]+|NULL)\s*,"
    r"\s*(?P<lng>[-+0-9.eE]+|NULL)\s*,\s*(?:'(?P<path>[^']*)'|NULL)\s*\)")




# ----------------------------------------------------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------------------------------------------------

def _ring(points: list) -> np.ndarray:
    arr = np.asarray(points, dtype=float)
    return arr[:, ::-1]  # [lat, lng] -> (lon, lat)


def _depth(value: Any) -> int:
    d = 0
    while isinstance(value, list) and value:
        value, d = value[0], d + 1
    return d


def path_to_geometry(path: list) -> Polygon | MultiPolygon | None:
    """Upstream ``path`` JSON ([lat, lng] pairs, nesting 3 = rings, 4 = polygons) -> shapely geometry."""
    depth = _depth(path)
    if depth == 3:
        polys = [path]
    elif depth == 4:
        polys = path
    else:
        return None
    parts = []
    for rings in polys:
        rings = [r for r in rings if len(r) >= 1]
        if not rings:
            continue
        shell = _ring(rings[0])
        holes = [_ring(r) for r in rings[1:]]
        if len(shell) < 3:
            continue  # a collapsed component (too few points) is skipped here and counted as repaired below
        parts.append(Polygon(shell, [h for h in holes if len(h) >= 3]))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def parse_upstream_sql(files: Iterable[tuple[str, str]]) -> gpd.GeoDataFrame:
    """Parse the upstream MySQL INSERT scripts, given as (file name, text) pairs, into features: code, name, feature
    (file:line), parse_problem, geometry."""
    rows = []
    names = []
    for fname, text in files:
        names.append(fname)
        for lineno, line in enumerate(text.splitlines(), start=1):
            m = _SQL_ROW.search(line)
            if not m:
                continue
            geom, problem = None, ""
            if m.group("path") is None:
                problem = "NULL path"
            else:
                try:
                    geom = path_to_geometry(json.loads(m.group("path")))
                    if geom is None:
                        problem = "path has no polygon"
                except (json.JSONDecodeError, ValueError, TypeError) as exc:
                    problem = f"unparsable path: {exc}"
            rows.append({"feature": f"{fname}:{lineno}", "code": m.group("code"),
                         "name": m.group("name").replace("\\'", "'").replace("''", "'"),
                         "parse_problem": problem, "geometry": geom})
    if not rows:
        raise BoundaryError(N_("no INSERT rows found in {len_paths} SQL file(s): {join_p_name_for_p_in_paths_3}",
                               len_paths=len(names), join_p_name_for_p_in_paths_3=', '.join(names[:3])))
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)


def _detect(columns: list[str], candidates: list[str]) -> str | None:
    lower = {c.lower(): c for c in columns}
    for cand in candidates:
        if cand in lower:
            return lower[cand]
    return None


# ----------------------------------------------------------------------------------------------------------------
# Reconciliation
# ----------------------------------------------------------------------------------------------------------------

@dataclass
class Reconciliation:
    """The reconciled regencies (one row per official code) and what happened to every input feature."""

    regencies: gpd.GeoDataFrame
    features: pd.DataFrame  # one row per input feature: feature, code_in, name_in, outcome, code, reason
    columns: dict[str, str | None] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _norm_code(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    s = str(value).strip()
    if re.fullmatch(r"\d+\.0", s):
        s = s[:-2]
    m = re.fullmatch(r"(?:ID)?(\d{2})\.?(\d{2})", s)
    return f"{m.group(1)}.{m.group(2)}" if m else None


def _merged_parts(name: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"\s*/\s*|\s*;\s*", name) if p.strip()]
    return parts if len(parts) > 1 else []


def reconcile(raw: gpd.GeoDataFrame, code_column: str | None = None, name_column: str | None = None,
              province_column: str | None = None) -> Reconciliation:
    """Assign every feature to an official regency code, or say why not.

    A valid current code whose name agrees (or no name) wins; a code whose name names another regency, a stale
    code (e.g. pre-2022 Papua) or no code is resolved by name within the province. Several features for one code
    are dissolved when they are disjoint parts, else the larger is kept and the others listed as duplicates.
    """
    g = gz.gazetteer()
    cols = list(raw.columns)
    for given, what in ((code_column, "code"), (name_column, "name"), (province_column, "province")):
        if given is not None and given not in cols:
            raise BoundaryError(N_("no {what} column {given!r}; the file has: {join_map_str_cols}", what=what,
                                   given=given, join_map_str_cols=', '.join(map(str, cols))))
    code_col = code_column or _detect(cols, CODE_COLUMNS)
    name_col = name_column or _detect(cols, NAME_COLUMNS)
    prov_col = province_column or _detect(cols, PROVINCE_COLUMNS)
    if code_col is None and name_col is None:
        raise BoundaryError(N_("found no code or name column; name them with --code-column / --name-column "
                               "(columns: {join_map_str_cols})",
                               join_map_str_cols=', '.join(map(str, cols))))
    records = []
    memo: dict[tuple[str | None, str | None], gz.Match] = {}

    def match(name: str, prov: str | None) -> gz.Match:  # each distinct (name, province) is matched once
        key = (name, prov)
        if key not in memo:
            memo[key] = g.match(name, prov)
        return memo[key]

    for i, row in raw.iterrows():
        feature = row.get("feature", f"#{i + 1}")
        code_in = _norm_code(row[code_col]) if code_col else None
        raw_code = None if code_col is None else row[code_col]
        name_in = None if name_col is None or pd.isna(row[name_col]) else str(row[name_col])
        prov_in = None if prov_col is None or pd.isna(row[prov_col]) else str(row[prov_col])
        geom = row.geometry if isinstance(row.geometry, shapely.Geometry) else None
        rec = {"feature": feature, "code_in": None if raw_code is None or pd.isna(raw_code) else str(raw_code),
               "name_in": name_in, "province_in": prov_in, "outcome": "", "code": None, "method": "", "reason": ""}
        if row.get("parse_problem"):
            rec.update(outcome="no geometry", reason=row["parse_problem"])
        elif geom is None or geom.is_empty:
            rec.update(outcome="no geometry", reason=N_("null or empty geometry"))
        elif geom.geom_type not in ("Polygon", "MultiPolygon"):
            rec.update(outcome="no geometry", reason=N_("{kind} is not an area", kind=geom.geom_type))
        if rec["outcome"]:
            records.append(rec)
            continue
        by_name = match(name_in, prov_in) if name_in else None
        merged = _merged_parts(name_in or "")
        if merged and (by_name is None or by_name.status != "matched"):
            hits = [match(p, prov_in) for p in merged]
            names = ", ".join(h.name or repr(h.query) for h in hits)
            rec.update(outcome="unmatched", reason=N_("merged record of several regions ({names}); one polygon cannot "
                                                      "be split between them", names=names))
        elif code_in and g.is_code(code_in) and (by_name is None or by_name.status != "matched"
                                                 or by_name.code == code_in):
            rec.update(outcome="matched", code=code_in, method="code")
            if by_name is not None and by_name.status != "matched":
                rec["reason"] = N_("by code; name {name!r}: {reason}", name=name_in, reason=by_name.reason)
        elif by_name is not None and by_name.status == "matched":
            rec.update(outcome="matched", code=by_name.code, method="name")
            if code_in and g.is_code(code_in):
                rec["reason"] = N_("code {code} is {official}, but the name matches {other_code} {other}: the name was "
                                   "followed", code=code_in, official=g.regencies.set_index("code").at[code_in, "name"],
                                   other_code=by_name.code, other=by_name.name)
            elif code_in:
                old = g.old_code(code_in)
                rec["reason"] = (N_("stale code {code} ({old_name}, before the 2022 Papua split) remapped", code=code_in,
                                    old_name=old["old_name"]) if old is not None else
                                 N_("code {code} is not a current code; matched by name", code=code_in))
        elif code_in and g.old_code(code_in) is not None:
            hit = g.match(code_in)
            rec.update(outcome="matched" if hit.status == "matched" else "unmatched", code=hit.code,
                       method="old code", reason=hit.reason)
        else:
            why = by_name.reason if by_name is not None else N_("no name to match")
            if code_in:
                why = N_("code {code} is not a current Kemendagri code; name: {why}", code=code_in, why=why)
            elif code_col and rec["code_in"]:
                why = N_("code {code!r} is not a Kemendagri regency code; name: {why}", code=rec["code_in"], why=why)
            rec.update(outcome="ambiguous" if by_name is not None and by_name.status == "ambiguous" else "unmatched",
                       reason=why)
            if by_name is not None and by_name.candidates:
                rec["reason"] += f" (candidates: {by_name.candidates_text()})"
        records.append(rec)
    features = message_frame(records, ["feature", "code_in", "name_in", "province_in", "outcome", "code", "method",
                                       "reason"])
    features["reason"] = features["reason"].astype(object)  # reasons stay messages (geo.i18n.Msg)
    features["geometry"] = [x if isinstance(x, shapely.Geometry) else None for x in raw.geometry]
    matched = features[features["outcome"] == "matched"].copy()
    matched["area"] = gpd.GeoSeries(matched["geometry"], crs=CRS).to_crs(EQUAL_AREA).area.values
    keep_rows = []
    updates: list[tuple[Any, str, str]] = []
    for code, grp in matched.groupby("code", sort=True):
        if len(grp) == 1:
            keep_rows.append((code, grp.iloc[0]["geometry"], grp.iloc[0]["feature"]))
            continue
        geoms = [shapely.make_valid(x) for x in grp["geometry"]]
        overlap = shapely.union_all(geoms).area
        summed = sum(x.area for x in geoms)
        if summed > 0 and overlap >= 0.98 * summed:
            # Disjoint pieces of one regency (islands as separate rows): dissolve them.
            keep_rows.append((code, shapely.union_all(geoms), grp.iloc[0]["feature"]))
            updates.extend((idx, "matched", N_("part of {code}, dissolved with {feature}", code=code,
                                                feature=grp.iloc[0]["feature"]))
                           for idx in grp.index[1:])
            continue
        order = grp.sort_values(["method", "area"], ascending=[True, False], key=lambda s: s.map(
            {"code": 0, "name": 1, "old code": 2}) if s.name == "method" else s)
        kept = order.iloc[0]
        keep_rows.append((code, kept["geometry"], kept["feature"]))
        why = N_("another feature for {code}: kept {feature} (matched by {method}, larger area)", code=code,
                 feature=kept["feature"], method=kept["method"])
        updates.extend((idx, "duplicate", why) for idx in order.index[1:])
    if updates:  # one vectorised write instead of one per feature
        idx, outcome, reason = zip(*updates)
        features.loc[list(idx), "outcome"] = list(outcome)
        features.loc[list(idx), "reason"] = list(reason)
    reg = g.regencies.set_index("code")
    out = gpd.GeoDataFrame({
        "code": [c for c, _, _ in keep_rows],
        "name": [reg.at[c, "name"] for c, _, _ in keep_rows],
        "type": [reg.at[c, "type"] for c, _, _ in keep_rows],
        "province_code": [reg.at[c, "province_code"] for c, _, _ in keep_rows],
        "province": [reg.at[c, "province"] for c, _, _ in keep_rows],
        "source_feature": [f for _, _, f in keep_rows],
    }, geometry=[geom for _, geom, _ in keep_rows], crs=CRS)
    notes = [raw.attrs["crs_note"]] if raw.attrs.get("crs_note") else []
    return Reconciliation(out, features.drop(columns="geometry"),
                          {"code": code_col, "name": name_col, "province": prov_col}, notes)


# ----------------------------------------------------------------------------------------------------------------
# Cleaning and simplification
# ----------------------------------------------------------------------------------------------------------------

def polygonal(geom: Any) -> Polygon | MultiPolygon | None:
    """Keep only the area parts of a geometry (make_valid may add lines or points)."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in getattr(geom, "geoms", []) if p.geom_type in ("Polygon", "MultiPolygon")]
    polys = []
    for p in parts:
        polys.extend(p.geoms if p.geom_type == "MultiPolygon" else [p])
    if not polys:
        return None
    return polys[0] if len(polys) == 1 else MultiPolygon(polys)


def repair(geoms: np.ndarray) -> tuple[np.ndarray, int]:
    """make_valid every invalid geometry (structure method, keeps areas); return geometries and how many changed."""
    invalid = ~shapely.is_valid(geoms)
    out = geoms.copy()
    for i in np.flatnonzero(invalid):
        out[i] = polygonal(shapely.make_valid(geoms[i], method="structure", keep_collapsed=False))
    return out, int(invalid.sum())


def resolve_overlaps(geoms: np.ndarray) -> np.ndarray:
    """Give every area covered by two units to the smaller one, so no area belongs to two regencies.

    Measured on the built-in data, overlaps are simplification slivers of a kabupaten over its kota, and Kab. Sorong
    over Tambrauw/Maybrat (see the source's SOURCE.md): in both the smaller unit is the truthful one.
    """
    areas = shapely.area(geoms)
    order = np.argsort(areas, kind="stable")
    tree = shapely.STRtree(geoms)
    rank = np.empty(len(geoms), dtype=int)
    rank[order] = np.arange(len(geoms))
    out = geoms.copy()
    for i in order:
        hits = [j for j in tree.query(geoms[i], predicate="intersects") if j != i and rank[j] < rank[i]]
        if not hits:
            continue
        smaller = shapely.union_all(out[hits])
        if shapely.intersection(out[i], smaller).area > 0:
            diff = polygonal(shapely.make_valid(shapely.difference(out[i], smaller)))
            if diff is not None and not diff.is_empty:
                out[i] = diff
    return out


def overlap_share(geoms: np.ndarray) -> float:
    """Share of the covered area that lies in more than one unit (0 = a clean coverage)."""
    valid = np.array([g for g in geoms if g is not None and not g.is_empty], dtype=object)
    if len(valid) == 0:
        return 0.0
    projected = shapely.make_valid(gpd.GeoSeries(valid, crs=CRS).to_crs(EQUAL_AREA).values)
    total = float(shapely.area(projected).sum())
    union = float(shapely.union_all(projected).area)
    return max(0.0, (total - union) / union) if union else 0.0


def drop_islets(geom: Polygon | MultiPolygon, min_km2: float, keep_share: float = 0.5) -> Polygon | MultiPolygon:
    """Drop polygon parts smaller than ``min_km2``, but always keep the largest parts that together hold
    ``keep_share`` of the unit's area (so an archipelago such as Kepulauan Seribu keeps its islands and no
    regency disappears)."""
    if geom.geom_type != "MultiPolygon":
        return geom
    parts = list(geom.geoms)
    km2 = gpd.GeoSeries(parts, crs=CRS).to_crs(EQUAL_AREA).area.values / 1e6
    order = np.argsort(-km2)
    share = np.cumsum(km2[order]) / km2.sum()
    core = set(order[: int(np.searchsorted(share, keep_share)) + 1].tolist())
    kept = [p for i, p in enumerate(parts) if i in core or km2[i] >= min_km2]
    return kept[0] if len(kept) == 1 else MultiPolygon(kept)


def simplify_level(geoms: np.ndarray, tolerance: float, min_islet_km2: float, decimals: int) -> np.ndarray:
    """Simplify a coverage for display: shared edges stay shared, small islets go, every unit keeps an area."""
    simple = shapely.coverage_simplify(geoms, tolerance, simplify_boundary=True)
    out = np.empty(len(geoms), dtype=object)
    for i, (orig, s) in enumerate(zip(geoms, simple)):
        s = polygonal(shapely.make_valid(shapely.set_precision(s, 10 ** -decimals))) if s is not None else None
        if s is None or s.is_empty or s.area == 0:
            # Too small to survive at this tolerance: keep the unit visible with its own outline, rounded.
            s = polygonal(shapely.make_valid(shapely.set_precision(orig, 10 ** -decimals))) or orig
        out[i] = drop_islets(s, min_islet_km2)
    # Rounding can make neighbours touch across a shared edge in a few vertices: resolve again (cheap, tiny areas).
    return resolve_overlaps(out)


# ----------------------------------------------------------------------------------------------------------------
# The built-in boundaries, cached
# ----------------------------------------------------------------------------------------------------------------

@dataclass
class BoundarySet:
    full: gpd.GeoDataFrame
    national: gpd.GeoDataFrame
    province: gpd.GeoDataFrame
    report: dict[str, Any]


def clean(rec: Reconciliation, features_read: int) -> tuple[gpd.GeoDataFrame, dict[str, Any]]:
    """Repair and de-overlap reconciled regencies; return them and the reconciliation report."""
    geoms = np.asarray(rec.regencies.geometry.values, dtype=object)
    before = overlap_share(geoms)
    geoms, repaired = repair(geoms)
    geoms = resolve_overlaps(geoms)
    out = rec.regencies.copy()
    out["geometry"] = geoms
    out = out[~out.geometry.isna() & ~out.geometry.is_empty].reset_index(drop=True)
    official = set(gz.gazetteer().regencies["code"])
    f = rec.features
    report = {
        "features_read": int(features_read),
        "columns": rec.columns,
        "matched": int(len(out)),
        "missing_official": sorted(official - set(out["code"])),
        "unmatched": [{"feature": r.feature, "name": r.name_in, "code": r.code_in, "reason": r.reason,
                       "outcome": r.outcome} for r in f[f["outcome"].isin(["unmatched", "ambiguous"])].itertuples()],
        "duplicates": [{"feature": r.feature, "name": r.name_in, "code": r.code_in, "reason": r.reason}
                       for r in f[f["outcome"] == "duplicate"].itertuples()],
        "no_geometry": [{"feature": r.feature, "name": r.name_in, "code": r.code_in, "reason": r.reason}
                        for r in f[f["outcome"] == "no geometry"].itertuples()],
        "remapped": [{"feature": r.feature, "name": r.name_in, "code_in": r.code_in, "code": r.code, "reason": r.reason}
                     for r in f[(f["outcome"] == "matched") & (f["reason"] != "")].itertuples()],
        "repaired": repaired,
        "invalid": int((~shapely.is_valid(out.geometry.values)).sum()),
        "overlap_share_before": round(before, 6),
        "overlap_share": round(overlap_share(out.geometry.values), 8),
        "notes": rec.notes,
    }
    accounted = len(f)
    report["accounting"] = {k: int((f["outcome"] == k).sum()) for k in
                            ("matched", "duplicate", "unmatched", "ambiguous", "no geometry")}
    assert accounted == features_read, "every feature must be accounted for"
    return out, report


def build(raw: gpd.GeoDataFrame, source: dict[str, Any] | None = None) -> BoundarySet:
    """The cleaned boundaries and their display levels from upstream features (:func:`parse_upstream_sql`), with
    the reconciliation report (``source`` describes where they came from)."""
    rec = reconcile(raw, "code", "name")
    full, report = clean(rec, len(raw))
    report["source"] = dict(source or {})
    levels = {}
    for level, params in LEVELS.items():
        geoms = simplify_level(np.asarray(full.geometry.values, dtype=object), params["tolerance"],
                               params["min_islet_km2"], int(params["decimals"]))
        gdf = full.copy()
        gdf["geometry"] = geoms
        levels[level] = gdf
        report[f"{level}_overlap_share"] = round(overlap_share(geoms), 8)
        report[f"{level}_invalid"] = int((~shapely.is_valid(geoms)).sum())
    return BoundarySet(full, levels["national"], levels["province"], report)


def attach_geometry(table: pd.DataFrame, shapes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The one join of a table keyed by regency ``code`` with its polygons (``shapes``, e.g. from
    :func:`geo.boundary_io.load_boundaries`): the table's rows and order, each with its regency's geometry."""
    geoms = shapes.set_index("code")["geometry"]
    return gpd.GeoDataFrame(table, geometry=table["code"].map(geoms).values, crs=shapes.crs or CRS)


def province_outlines(regencies: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Province outlines dissolved from a regency coverage (so they line up with the regency edges exactly)."""
    rows = []
    for code, grp in regencies.groupby("province_code", sort=True):
        rows.append({"province_code": code, "province": grp["province"].iloc[0],
                     "geometry": shapely.union_all(shapely.make_valid(grp.geometry.values))})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)


def province_borders(regencies: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The lines between provinces (coastlines left out: the regency outlines already draw them).

    On a coverage whose shared edges are identical (as ``coverage_simplify`` keeps them) these are the
    intersections of the boundaries of touching provinces.
    """
    outlines = province_outlines(regencies)
    geoms = outlines.geometry.values
    bounds = shapely.boundary(geoms)
    tree = shapely.STRtree(geoms)
    lines = []
    for i, j in zip(*tree.query(geoms, predicate="intersects")):
        if i < j:
            shared = shapely.intersection(bounds[i], bounds[j])
            if not shared.is_empty:
                lines.append(shared)
    inner = shapely.line_merge(shapely.union_all(lines)) if lines else shapely.GeometryCollection()
    return gpd.GeoDataFrame({"kind": ["province border"]}, geometry=[inner], crs=CRS)


def centres(regencies: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """A point inside each regency (indexed by code), for markers and distances."""
    return regencies.set_index("code").geometry.representative_point()


def area_vs_official(regencies: gpd.GeoDataFrame, official: pd.DataFrame, tolerance: float = 0.10) -> dict[str, Any]:
    """Each cleaned polygon's area (equal-area projection) against BIG's official area (``official``: code,
    area_km2): how many were compared, the median ratio, and every regency off by more than ``tolerance``. A report
    only: a polygon is never "corrected" to match."""
    areas = regencies.set_index("code").geometry.to_crs(EQUAL_AREA).area / 1e6
    ref = official.dropna(subset=["area_km2"]).set_index("code")["area_km2"]
    both = areas.index.intersection(ref.index)
    ratio = (areas[both] / ref[both]).sort_values()
    names = regencies.set_index("code")["name"]
    outliers = [{"code": c, "name": str(names[c]), "ratio": round(float(r), 3),
                 "polygon_km2": round(float(areas[c]), 1), "official_km2": round(float(ref[c]), 1)}
                for c, r in ratio.items() if abs(r - 1) > tolerance]
    return {"compared": int(len(both)), "median_ratio": round(float(ratio.median()), 4) if len(ratio) else None,
            "tolerance": tolerance, "outliers": sorted(outliers, key=lambda o: -abs(o["ratio"] - 1)),
            "note": "official area: BIG (B-16.10/DIGD-BIG/IGD.04.04/12/2024); polygons are never adjusted to match"}


def report(raw: gpd.GeoDataFrame, official: pd.DataFrame, code_column: str | None = None,
           name_column: str | None = None, province_column: str | None = None) -> dict[str, Any]:
    """The reconciliation report for a user's boundary features (as read by :func:`geo.vectorio.read_vector`), with
    the polygon areas checked against the official areas (``official``: code, area_km2)."""
    rec = reconcile(raw, code_column, name_column, province_column)
    cleaned, out = clean(rec, len(raw))
    out["area_vs_official"] = area_vs_official(cleaned, official)
    return out
