"""MPP Digital: one row per region from source statements, with the platform kept apart.

Three things are called "MPP Digital" in the sources (shared/data/mpp_digital/README.md): KemenPAN-RB's national app
(pilots from 2023-06-20), provincial platforms (Jawa Barat 2022), and local systems (Tubaba, Sinjai's MPPI, Bengkulu
Tengah's portal). Rules:

- ``platform``: ``local`` or ``province`` when every statement about the region flags it so (LOCAL, MPPI,
  "MPP Elektronik", PROVINCE-LEVEL); ``not stated`` when the only statements say the source does not name it;
  otherwise ``national`` (KemenPAN-RB's app).
- ``stage`` (best first): ``pilot`` (named as a pilot of the national app) > ``in use`` (launched, adopted,
  designated) > ``committed`` (a commitment or a plan). A plan's date is kept but flagged.
- ``first_on``: the earliest dated statement of the chosen stage (``date_precision`` kept).

The national totals (21 pilots, 60 commitments, 199 kab/kota in 2024) are mostly unnamed: ``completeness`` says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import gazetteer as gz
from .i18n import N_, fmt_int, gettext
from .registry import parse_period

DATA_DIR = gz.DATA_DIR
DIGITAL_COLUMNS = ["code", "name", "level", "province_code", "province", "platform", "stage", "first_on",
                   "date_precision", "planned", "sources", "conflicts", "notes", "source_rows"]
STAGE_ORDER = ["pilot", "in use", "committed"]
_LOCAL = re.compile(r"\bLOCAL\b|MPPI|MPP Elektronik|not the KemenPAN-RB|Kemendagri-backed|Kemendagri-side", re.IGNORECASE)
_PROVINCE = re.compile(r"PROVINCE-LEVEL")
_NOT_STATED = re.compile(r"does not say whether|platform not stated|not KemenPAN-RB", re.IGNORECASE)
_PLANNED = re.compile(r"\bPLANNED\b")


def stage_of(status: str) -> str:
    s = (status or "").strip().lower()
    if s == "pilot":
        return "pilot"
    if s in ("launched", "adopted", "designated"):
        return "in use"
    return "committed"


@dataclass
class DigitalBuild:
    regions: pd.DataFrame
    unmatched: pd.DataFrame
    rows_in: int

    def accounting(self) -> dict[str, int]:
        used = sum(len(str(s).split(";")) for s in self.regions["source_rows"])
        return {"source rows": self.rows_in, "in the table": used, "unmatched": len(self.unmatched)}


def build_digital(sources: pd.DataFrame) -> DigitalBuild:
    """Curate shared/data/mpp_digital/mpp_digital_sources.csv into one row per region."""
    g = gz.gazetteer()
    src = sources.copy().fillna("")
    if "source_row" not in src.columns:
        src.insert(0, "source_row", range(2, len(src) + 2))
    keys, why = [], []
    for name, prov in zip(src["region_name"], src["province"]):
        m = g.match(name, prov or None)
        if m.status == "matched":
            keys.append(m.code)
            why.append("")
        elif m.method == "province" and g.province_codes(prov or name) and len(g.province_codes(prov or name)) == 1:
            keys.append(sorted(g.province_codes(prov or name))[0])
            why.append("")
        else:
            keys.append(None)
            why.append(m.explain())
    src["key"], src["why"] = keys, why
    reg = g.regencies.set_index("code")
    rows = []
    for key, grp in src[src["key"].notna()].groupby("key", sort=True):
        flags_unstated = grp["note"].map(lambda n: bool(_NOT_STATED.search(n)))
        flags_local = grp["note"].map(lambda n: bool(_LOCAL.search(n))) & ~flags_unstated
        flags_prov = grp["note"].map(lambda n: bool(_PROVINCE.search(n)))
        national = grp[~(flags_local | flags_prov | flags_unstated)]
        if not national.empty:
            platform, use = "national", national
        elif flags_prov.all():
            platform, use = "province", grp
        elif flags_local.any():
            platform, use = "local", grp[flags_local]
        else:
            platform, use = "not stated", grp
        stages = use["status"].map(stage_of)
        stage = min(stages, key=STAGE_ORDER.index)
        chosen = use[stages == stage]
        unflagged = chosen[~chosen["note"].str.contains("CONFLICT")]
        dated_from = unflagged if unflagged["date"].map(lambda d: parse_period(d) is not None).any() else chosen
        periods = [p for p in (parse_period(d) for d in dated_from["date"]) if p is not None]
        first = min(periods, key=lambda p: (p.start, p.end)) if periods else None
        planned = bool(chosen["note"].map(lambda n: bool(_PLANNED.search(n))).all())
        is_prov = "." not in key
        rows.append({
            "code": key, "name": g.province_name(key) if is_prov else reg.at[key, "name"],
            "level": "province" if is_prov else "regency", "province_code": key[:2],
            "province": g.province_name(key[:2]), "platform": platform, "stage": stage,
            "first_on": first.text if first else "", "date_precision": first.precision if first else "",
            "planned": planned, "sources": " | ".join(dict.fromkeys(grp["source_url"])),
            "conflicts": "; ".join(n for n in dict.fromkeys(grp["note"]) if "CONFLICT" in n),
            "notes": "; ".join(n for n in dict.fromkeys(grp["note"]) if n)[:600],
            "source_rows": ";".join(str(x) for x in grp["source_row"]),
        })
    regions = pd.DataFrame(rows, columns=DIGITAL_COLUMNS)
    unmatched = src[src["key"].isna()][["source_row", "region_name", "province", "status", "date", "source_url"]].assign(
        reason=src.loc[src["key"].isna(), "why"])
    return DigitalBuild(regions, unmatched.reset_index(drop=True), len(src))


def load_digital(path: Path | None = None) -> pd.DataFrame:
    """The committed MPP Digital table (data/mpp_digital.csv), read once per process; a copy each call."""
    return _read_digital(str(path or DATA_DIR / "mpp_digital.csv")).copy()


@lru_cache(maxsize=4)
def _read_digital(path: str) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df["planned"] = df["planned"].astype(str).eq("True")
    return df


def load_digital_totals(path: Path | None = None) -> pd.DataFrame:
    return pd.read_csv(path or DATA_DIR / "mpp_digital_totals.csv", dtype={"as_of": str, "total": int})


def digital_as_of(regions: pd.DataFrame, when) -> pd.DataFrame:
    """Regions whose chosen statement is dated on or before ``when`` (undated rows are left out)."""
    ts = pd.Timestamp(when)
    keep = []
    for first in regions["first_on"]:
        p = parse_period(first)
        keep.append(p is not None and pd.Timestamp(p.end) <= ts)
    return regions[keep]


def completeness(regions: pd.DataFrame, totals: pd.DataFrame) -> list[str]:
    """Plain statements of how much of the stated national roll-out the table names."""
    nat = regions[(regions["platform"] == "national") & (regions["level"] == "regency")]
    pilots = int((nat["stage"] == "pilot").sum())
    lines = []
    for r in totals.sort_values("as_of").itertuples():
        lines.append(f"{r.as_of}: {r.statement} — {int(r.total)} stated")
    lines.append(N_("named here: {pilots} pilot regencies of the national app, {regencies} regencies with any "
                    "statement about it; {local} regions with a local or provincial platform", pilots=pilots,
                    regencies=len(nat), local=int((regions["platform"] != "national").sum())))
    return lines


@dataclass(frozen=True)
class DigitalCounts:
    """How many regencies of a coverage table (:func:`geo.coverage.regency_coverage`) a source names for MPP Digital,
    and by which platform: the one breakdown every view and export states, so its figures add up."""

    regencies: int  # in scope
    national: int  # on KemenPAN-RB's national app, by their own statement
    national_pilots: int  # of those, named among the 2023 pilots
    own_platform: int  # a platform of their own (e.g. Sinjai's MPPI)
    province_platform: int  # through their province's platform (Jawa Barat's)
    not_stated: int  # a statement that does not say which platform
    stated_total: int  # KemenPAN-RB's latest national count (mostly unnamed)
    stated_year: int

    @property
    def named(self) -> int:
        return self.national + self.own_platform + self.province_platform + self.not_stated

    @property
    def unnamed(self) -> int:
        return self.regencies - self.named


def digital_counts(table: pd.DataFrame, totals: pd.DataFrame | None = None) -> DigitalCounts:
    """The MPP Digital breakdown of ``table`` (its ``digital_platform``/``digital_stage`` columns) with the latest
    national total of ``totals`` (:func:`load_digital_totals`, the built-in one by default)."""
    platform, stage = table["digital_platform"], table["digital_stage"]
    latest = (load_digital_totals() if totals is None else totals).sort_values("as_of").iloc[-1]
    return DigitalCounts(
        regencies=len(table), national=int((platform == "national").sum()),
        national_pilots=int(((platform == "national") & (stage == "pilot")).sum()),
        own_platform=int((platform == "local").sum()), province_platform=int((platform == "province").sum()),
        not_stated=int((platform == "not stated").sum()), stated_total=int(latest["total"]),
        stated_year=int(str(latest["as_of"])[:4]))


def digital_short(c: DigitalCounts, lang: str) -> str:
    """One line for a subtitle or a legend: named of all, and how many of those are on the national app."""
    return gettext(lang, "Named by a source: {named} of {n} regencies ({national} on the national app); not named "
                         "is not 'none'", named=c.named, n=c.regencies, national=c.national)


def digital_sentence(c: DigitalCounts, lang: str) -> str:
    """The whole breakdown in words, for a caption or a briefing's completeness notes."""
    if not c.named:
        return gettext(lang, "MPP Digital: no source names any of the {n} regencies here. KemenPAN-RB states {total} "
                             "regencies for {year} nationally without naming them; not named does not mean none.",
                       n=fmt_int(c.regencies, lang), total=c.stated_total, year=c.stated_year)
    return gettext(
        lang, "MPP Digital: a source names {named} of {n} regencies: {national} on KemenPAN-RB's national app "
              "({pilots} of them 2023 pilots), {province} through their province's platform, {own} with a platform "
              "of their own, {unstated} without saying which. KemenPAN-RB states {total} regencies for {year} "
              "nationally without naming them; the other {unnamed} here are not named, which does not mean none.",
        named=fmt_int(c.named, lang), n=fmt_int(c.regencies, lang), national=c.national, pilots=c.national_pilots,
        province=c.province_platform, own=c.own_platform, unstated=c.not_stated, total=c.stated_total,
        year=c.stated_year, unnamed=fmt_int(c.unnamed, lang))
