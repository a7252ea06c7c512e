"""The regency coverage table: one row per regency for (as-of date, provinces), plus summaries and gaps.

Every page and export is a view of this table. Keys are Kemendagri codes as text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import gazetteer as gz
from .i18n import N_
from .progress import Progress, progress
from .registry import as_of as registry_as_of
from .registry import effective_date, official_total_on
from .scores import latest_scores

if TYPE_CHECKING:
    import geopandas as gpd

COVERAGE_COLUMNS = ["code", "name", "province_code", "province", "has_mpp", "mpp_count", "first_mpp_on",
                    "first_mpp_precision", "mpp_names", "mpp_status", "province_run_mpp", "presence", "rb_predikat",
                    "rb_score", "rb_year", "sakip_predikat", "sakip_score", "sakip_year", "digital_platform",
                    "digital_stage", "population", "area_km2"]


def parse_as_of(as_of: str | date | None = None, year: int | None = None) -> date:
    """The reference date: an explicit date, 31 December of a year, or today."""
    if as_of is not None and year is not None:
        raise ValueError("give a date or a year, not both")
    if year is not None:
        return date(int(year), 12, 31)
    if as_of is None:
        return date.today()
    if isinstance(as_of, date):
        return as_of
    try:
        return date.fromisoformat(str(as_of))
    except ValueError as exc:
        raise ValueError(N_("{value!r} is not a date (YYYY-MM-DD)", value=as_of)) from exc


def regency_coverage(when: date, provinces: Iterable[str] | None, registry: pd.DataFrame,
                     scores: pd.DataFrame, *, digital: pd.DataFrame, stats: pd.DataFrame) -> pd.DataFrame:
    """One row per regency in scope (provinces: codes; None/empty = all of Indonesia) as of ``when``.

    ``digital`` (MPP Digital regions) adds ``digital_platform``/``digital_stage``: the regency's own statement, else
    its province's platform. ``stats`` (registered residents and BIG areas per regency) adds ``population`` and
    ``area_km2`` (missing = no data). :func:`geo.inputs.reference` reads the built-in ones; nothing here opens a
    file."""
    regs = gz.regencies()
    prov = list(provinces or [])
    if prov:
        regs = regs[regs["province_code"].isin(prov)]
    eff = effective_date(registry)
    live = registry[eff <= pd.Timestamp(when)]
    own = live[~live["province_run"].astype(bool)].copy()
    own["eff"] = eff[own.index]
    by_code = own.groupby("code")
    served_by_province = set()
    for serves in live[live["province_run"].astype(bool)]["serves"]:
        served_by_province.update(c for c in str(serves).split(";") if c)
    out = regs.rename(columns={"type": "regency_type"}).copy()
    out["mpp_count"] = out["code"].map(by_code.size()).fillna(0).astype(int)
    out["has_mpp"] = out["mpp_count"] > 0
    first = own.sort_values("eff").groupby("code").first()
    out["first_mpp_on"] = out["code"].map(first["opened_on"].where(first["opened_on"] != "", first["known_by"]))
    out["first_mpp_precision"] = out["code"].map(first["date_precision"].where(first["opened_on"] != "", "known by"))
    out["mpp_names"] = out["code"].map(by_code["mpp_name"].agg(lambda s: "; ".join(x for x in s if x)))
    out["mpp_status"] = out["code"].map(first["status"])
    out["province_run_mpp"] = out["code"].isin(served_by_province)
    out["presence"] = np.where(out["has_mpp"], "with", np.where(out["province_run_mpp"], "province-run", "without"))
    latest = latest_scores(scores, when)
    for assessment, prefix in (("RB", "rb"), ("SAKIP", "sakip")):
        own_s = latest[(latest["assessment"] == assessment) & (latest["level"] == "regency")].set_index("code")
        out[f"{prefix}_predikat"] = out["code"].map(own_s["predikat"])
        out[f"{prefix}_score"] = out["code"].map(own_s["score"])
        out[f"{prefix}_year"] = out["code"].map(own_s["year"]).astype("Int64")
    from .digital import digital_as_of

    dig = digital_as_of(digital, when)
    own_d = dig[dig["level"] == "regency"].set_index("code")
    prov_d = dig[dig["level"] == "province"].set_index("code")
    for col, src in (("digital_platform", "platform"), ("digital_stage", "stage")):
        own_v = out["code"].map(own_d[src]).astype(object)
        out[col] = own_v.where(own_v.notna(), out["province_code"].map(prov_d[src]).astype(object))
    st = stats.set_index("code")
    out["population"] = out["code"].map(st["population"]).astype("Int64")
    out["area_km2"] = out["code"].map(st["area_km2"]).astype(float)
    for col in ("first_mpp_on", "first_mpp_precision", "mpp_names", "mpp_status", "rb_predikat", "sakip_predikat"):
        out[col] = out[col].replace("", np.nan)
    return out[COVERAGE_COLUMNS + ["regency_type"]].reset_index(drop=True)


def province_scores(when: date, provinces: Iterable[str] | None, scores: pd.DataFrame) -> pd.DataFrame:
    """Province-level RB/SAKIP as of a date: code, assessment, predikat, score, year."""
    latest = latest_scores(scores, when)
    p = latest[latest["level"] == "province"]
    prov = list(provinces or [])
    if prov:
        p = p[p["code"].isin(prov)]
    return p[["code", "name", "assessment", "predikat", "score", "year", "source_url"]].reset_index(drop=True)


#: The counts, defined once. Every card, table, ranking, export, PDF and CLI summary uses these names and meanings.
COUNT_DEFINITIONS = {
    "with_own_mpp": "regencies with their own MPP (run by the kabupaten/kota)",
    "served": "regencies served by an MPP: their own or a province-run MPP serving them",
    "without_service": "regencies with neither their own nor a province-run MPP",
    "mpps_in_registry": "MPPs in the registry in scope, province-run ones included",
    "mpps_counted": "MPPs as KemenPAN-RB counts them: kab/kota MPPs plus DK Jakarta's as one unit",
    "official_total": "KemenPAN-RB's latest stated national count on or before the date (always national)",
    "population_total": "registered residents of the regencies in scope (Dukcapil, Kepmendagri 2025; not a census)",
    "population_covered": "residents of the regencies with their own MPP",
    "population_served": "residents of the regencies served by an MPP (own or province-run)",
    "population_without": "residents of the regencies with no MPP service",
    "people_per_mpp": "residents of served regencies per MPP in the registry in scope",
}


@dataclass(frozen=True)
class CoverageSummary:
    """Headline figures for one view (date, provinces). ``official_total`` and ``registry_named_nationally`` are
    national figures even in a province view (``scope`` says which the others are)."""

    as_of: date
    scope: str                      # "national" or "provinces"
    regencies: int
    with_own_mpp: int
    served: int
    without_service: int
    mpps_in_registry: int
    mpps_counted: int
    provinces_fully_covered: int
    provinces: int
    official_total: int | None
    official_total_as_of: str | None
    registry_named_nationally: int
    population_total: int | None = None
    population_covered: int | None = None
    population_served: int | None = None
    population_without: int | None = None
    population_unknown: int = 0           # regencies in scope without a population figure

    @property
    def people_per_mpp(self) -> int | None:
        return round(self.population_served / self.mpps_in_registry) if self.population_served and \
            self.mpps_in_registry else None

    @property
    def coverage_rate(self) -> float:
        return round(self.with_own_mpp / self.regencies, 4) if self.regencies else 0.0

    def as_dict(self) -> dict[str, Any]:
        """The JSON summary (``covered`` = with_own_mpp, ``mpp_count`` = mpps_counted, kept for scripts)."""
        d = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.__dict__.items()}
        d.pop("as_of")
        d.update({"covered": self.with_own_mpp, "without": self.regencies - self.with_own_mpp,
                  "coverage_rate": self.coverage_rate, "mpp_count": self.mpps_counted,
                  "province_run_only": self.served - self.with_own_mpp, "people_per_mpp": self.people_per_mpp,
                  "definitions": COUNT_DEFINITIONS})
        return d


def summarise(table: pd.DataFrame, when: date, registry: pd.DataFrame, totals: pd.DataFrame) -> CoverageSummary:
    """The headline figures of a coverage table (see :data:`COUNT_DEFINITIONS`)."""
    n = len(table)
    official = official_total_on(totals, when)
    live = registry_as_of(registry, when)
    scope_codes = set(table["province_code"])
    in_scope = live[live["province_code"].isin(scope_codes)]
    counted = in_scope[in_scope["counted_nationally"].astype(bool)]
    named_nationally = len(live[live["counted_nationally"].astype(bool)])
    served = table["has_mpp"] | table["province_run_mpp"]
    per_prov = served.groupby(table["province_code"]).agg(["sum", "size"])
    pop = table["population"] if "population" in table else pd.Series(pd.NA, index=table.index, dtype="Int64")

    def people(mask: pd.Series) -> int | None:
        known = pop[mask].dropna()
        return int(known.sum()) if len(known) or not mask.any() else None
    return CoverageSummary(
        as_of=when, scope="national" if len(scope_codes) >= len(gz.provinces()) else "provinces", regencies=n,
        with_own_mpp=int(table["has_mpp"].sum()), served=int(served.sum()), without_service=int((~served).sum()),
        mpps_in_registry=len(in_scope), mpps_counted=len(counted),
        provinces_fully_covered=int((per_prov["sum"] == per_prov["size"]).sum()), provinces=len(per_prov),
        official_total=official[0] if official else None, official_total_as_of=official[1] if official else None,
        registry_named_nationally=named_nationally,
        population_total=people(pd.Series(True, index=table.index)), population_covered=people(table["has_mpp"]),
        population_served=people(served), population_without=people(~served),
        population_unknown=int(pop.isna().sum()))


def summary(table: pd.DataFrame, when: date, registry: pd.DataFrame, totals: pd.DataFrame) -> dict[str, Any]:
    """Headline figures for a coverage table, as a JSON-ready dict (see :class:`CoverageSummary`)."""
    return summarise(table, when, registry, totals).as_dict()


@dataclass
class CoverageResult:
    """A view's coverage: one row per regency, its headline figures, its provinces' own scores and (with the
    target statements) its progress in the ministry's units."""

    as_of: date
    provinces: list[str]
    table: pd.DataFrame
    summary: CoverageSummary
    province_scores: pd.DataFrame
    progress: Progress | None = None

    def summary_dict(self) -> dict[str, Any]:
        """The JSON summary: our counts and, where known, the ministry's units, pace, projection and targets."""
        return {**self.summary.as_dict(), **(self.progress.as_dict() if self.progress else {})}


def coverage(when: date, provinces: list[str], registry: pd.DataFrame, scores: pd.DataFrame,
             totals: pd.DataFrame, *, digital: pd.DataFrame, stats: pd.DataFrame,
             targets: pd.DataFrame | None = None) -> CoverageResult:
    table = regency_coverage(when, provinces, registry, scores, digital=digital, stats=stats)
    prog = progress(when, provinces, registry, totals, targets) if targets is not None else None
    return CoverageResult(when, provinces, table, summarise(table, when, registry, totals),
                          province_scores(when, provinces, scores), prog)


def yearly_series(until: date, provinces: Iterable[str] | None, registry: pd.DataFrame, scores: pd.DataFrame,
                  totals: pd.DataFrame, *, digital: pd.DataFrame, stats: pd.DataFrame) -> pd.DataFrame:
    """Coverage year by year from the first MPPs (``FIRST_MPP_YEAR``) to ``until``: 31 December of each year, ``until`` itself
    for its own year. One row per year: year, as_of, regencies, with_own_mpp, served, population_covered,
    population_served. The overview, the timeline and the PDF all show this one series."""
    from .settings import FIRST_MPP_YEAR

    rows = []
    for year in range(FIRST_MPP_YEAR, until.year + 1):
        day = until if year == until.year else date(year, 12, 31)
        s = summarise(regency_coverage(day, provinces, registry, scores, digital=digital, stats=stats), day, registry,
                      totals)
        rows.append({"year": year, "as_of": day, "regencies": s.regencies, "with_own_mpp": s.with_own_mpp,
                     "served": s.served, "population_covered": s.population_covered,
                     "population_served": s.population_served, "population_total": s.population_total})
    return pd.DataFrame(rows)


def to_json_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: NaN/NA become null, numpy scalars plain Python."""
    out = []
    for rec in table.to_dict(orient="records"):
        clean = {}
        for k, v in rec.items():
            if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
                clean[k] = None
            elif isinstance(v, (np.integer,)):
                clean[k] = int(v)
            elif isinstance(v, (np.floating,)):
                clean[k] = float(v)
            elif isinstance(v, np.bool_):
                clean[k] = bool(v)
            else:
                clean[k] = v
        out.append(clean)
    return out


def _unit_vectors(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    lo, la = np.radians(lon), np.radians(lat)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def nearest_mpp(table: pd.DataFrame, centres: gpd.GeoSeries, mpp_points: gpd.GeoDataFrame) -> pd.DataFrame:
    """For each row of ``table``: the nearest MPP (name, regency) and the geodesic distance in km from the regency's
    centre (``centres``: code-indexed points, :func:`geo.boundaries.centres`) to the MPP's location (its
    coordinates, or the centre of its regency).

    ``mpp_points`` comes from :func:`geo.maps.mpp_points`; an empty set gives empty columns.
    """
    from pyproj import Geod
    from scipy.spatial import cKDTree

    out = table[["code"]].copy()
    out["nearest_mpp"] = None
    out["nearest_mpp_regency"] = None
    out["nearest_mpp_km"] = np.nan
    if mpp_points is None or len(mpp_points) == 0 or table.empty:
        return out
    src = centres.reindex(table["code"])
    lon1, lat1 = src.x.values, src.y.values
    # Distances per distinct location (many MPPs may share a regency centre), candidates from a k-d tree on unit
    # vectors (chord order = great-circle order), then geodesic distances for the few nearest: O(n log m) time and
    # O(n + m) memory instead of a full regency x MPP matrix.
    lonlat = np.round(np.column_stack([mpp_points.geometry.x.values, mpp_points.geometry.y.values]), 6)
    locations, first = np.unique(lonlat, axis=0, return_index=True)
    k = min(4, len(locations))
    _, cand = cKDTree(_unit_vectors(locations[:, 0], locations[:, 1])).query(_unit_vectors(lon1, lat1), k=k)
    cand = cand.reshape(len(lon1), k)
    geod = Geod(ellps="WGS84")
    _, _, d = geod.inv(np.repeat(lon1, k), np.repeat(lat1, k), locations[cand.ravel(), 0], locations[cand.ravel(), 1])
    d = d.reshape(len(lon1), k) / 1000.0
    pick = d.argmin(axis=1)
    n = len(lon1)
    best = first[cand[np.arange(n), pick]]
    best_km = d[np.arange(n), pick]
    names = mpp_points["mpp_name"].fillna("").astype(str).values
    regs = mpp_points["name"].fillna("").astype(str).values
    out["nearest_mpp"] = [names[j] or f"MPP {regs[j]}" for j in best]
    out["nearest_mpp_regency"] = [regs[j] for j in best]
    out["nearest_mpp_km"] = np.round(best_km, 1)
    return out


def gaps(table: pd.DataFrame, centres: gpd.GeoSeries, mpp_points: gpd.GeoDataFrame) -> pd.DataFrame:
    """Regencies without any MPP service (neither their own nor a province-run MPP serving them), with scores and
    the nearest MPP (km). A regency served by a province-run MPP is never listed as having no service."""
    g = table[~(table["has_mpp"] | table["province_run_mpp"])].copy()
    near = nearest_mpp(g, centres, mpp_points)
    g = g.merge(near, on="code", how="left")
    cols = ["code", "name", "province", "presence", "population", "nearest_mpp_km", "nearest_mpp",
            "nearest_mpp_regency", "rb_predikat", "rb_year", "sakip_predikat", "sakip_year"]
    return g[cols].sort_values(["province", "name"]).reset_index(drop=True)


def gap_features(table: pd.DataFrame, gap: pd.DataFrame, shapes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The regencies without any MPP service as map features (the GeoJSON download): their rows of the coverage
    ``table``, the nearest MPP and its distance from :func:`gaps`, and their polygons from ``shapes``."""
    from .boundaries import attach_geometry

    rows = table[table["code"].isin(gap["code"])].drop(columns=["regency_type"], errors="ignore")
    return attach_geometry(rows, shapes).merge(gap[["code", "nearest_mpp", "nearest_mpp_km"]], on="code")


def province_ranking(table: pd.DataFrame) -> pd.DataFrame:
    """Per province: regencies, covered (own MPP), served (own or province-run), without (no service),
    coverage_rate (own) and served_rate; the least served first."""
    t = table.assign(served=table["has_mpp"] | table["province_run_mpp"])
    t = t.assign(people_without=t["population"].where(~t["served"], 0), people=t["population"])
    r = t.groupby(["province_code", "province"], as_index=False).agg(regencies=("code", "size"),
                                                                       covered=("has_mpp", "sum"),
                                                                       served=("served", "sum"),
                                                                       population=("people", "sum"),
                                                                       people_without=("people_without", "sum"))
    r["without"] = r["regencies"] - r["served"]
    r["coverage_rate"] = (r["covered"] / r["regencies"]).round(3)
    r["served_rate"] = (r["served"] / r["regencies"]).round(3)
    return r.sort_values(["served_rate", "coverage_rate", "without"],
                         ascending=[True, True, False]).reset_index(drop=True)


def presence_by_predikat(table: pd.DataFrame, assessment: str) -> pd.DataFrame:
    """Regencies by predikat (rows, 'no data' last) and MPP presence (columns), for the scores page."""
    col = f"{assessment.lower()}_predikat"
    from .scores import PREDIKAT_ORDER

    pred = table[col].fillna("no data")
    ct = pd.crosstab(pred, table["has_mpp"].map({True: "with MPP", False: "without MPP"}))
    for c in ("with MPP", "without MPP"):
        if c not in ct.columns:
            ct[c] = 0
    order = [p for p in PREDIKAT_ORDER if p in ct.index] + (["no data"] if "no data" in ct.index else [])
    return ct.loc[order, ["with MPP", "without MPP"]]


@dataclass
class RegencyDetail:
    """Everything known about one regency, each fact with its source (see :func:`regency_detail`)."""

    code: str
    name: str
    province: str
    mpps: pd.DataFrame             # its own MPPs and the province-run MPPs serving it (display_name added)
    scores: pd.DataFrame           # the regency's own RB / SAKIP results over the years
    province_scores: pd.DataFrame  # its province government's results, apart (never the regency's)
    negative: pd.DataFrame         # "no MPP yet" statements


def regency_detail(code: str, registry: pd.DataFrame, scores: pd.DataFrame,
                   negative: pd.DataFrame | None = None) -> RegencyDetail:
    """Everything known about one regency: its MPPs (and province-run MPPs serving it), scores over the years,
    and "no MPP yet" statements, each with sources."""
    reg = gz.regencies().set_index("code")
    if code not in reg.index:
        raise KeyError(f"unknown regency code {code!r}")
    serves = registry["serves"].astype(str).str.split(";").map(lambda c: code in c)
    mpps = registry[(registry["code"] == code) | serves]
    # The regency's own results only; its province government's results are returned apart, labelled as such,
    # never mixed in as if they were the regency's.
    own = scores[(scores["code"] == code) & (scores["level"] == "regency")].sort_values(["assessment", "year"])
    prov = scores[(scores["code"] == code[:2]) & (scores["level"] == "province")].sort_values(["assessment", "year"])
    neg = negative[negative["code"] == code] if negative is not None and "code" in negative else pd.DataFrame()
    return RegencyDetail(
        code=code, name=str(reg.at[code, "name"]), province=str(reg.at[code, "province"]),
        mpps=mpps.assign(display_name=[display_name(n, r) for n, r in zip(mpps["mpp_name"], mpps["name"])])
        .reset_index(drop=True),
        scores=own.reset_index(drop=True), province_scores=prov.reset_index(drop=True),
        negative=neg.reset_index(drop=True))


def mpp_sources(table: pd.DataFrame, registry: pd.DataFrame, when: date) -> pd.Series:
    """Per row of a coverage table: the sources of the regency's own MPPs that count on ``when`` (" | "-joined)."""
    live = registry[(effective_date(registry) <= pd.Timestamp(when)) & ~registry["province_run"].astype(bool)]
    by_code = live.groupby("code")["sources"].agg(lambda s: " | ".join(dict.fromkeys(x for x in s if x)))
    return table["code"].map(by_code).fillna("")


def display_name(mpp_name: object, region: object) -> str:
    """An MPP's name for people: its name where a source gives one, else "MPP <regency>" (sources give no name)."""
    name = "" if mpp_name is None or (isinstance(mpp_name, float) and mpp_name != mpp_name) else str(mpp_name)
    return name or f"MPP {region}"
