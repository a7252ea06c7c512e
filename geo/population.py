"""People and official areas: residents and BIG's land area of every province and regency, reconciled to the gazetteer.

Source (``geo.sources.REGION_STATS``, MIT): ``cahyadsn/wilayah`` at a pinned commit, two SQL dumps:

- ``db/wilayah_penduduk.sql``: ``(kode, nama, pria, wanita, total)``: the **registered residents** (Dukcapil's
  administrative count published with Kepmendagri No 300.2.2-2138 Tahun 2025), *not a census*: every place that
  shows a figure says so. Code ``'0'`` is Indonesia (284,973,643).
- ``db/wilayah_luas.sql``: ``(kode, nama, luas)``: official land area in km² computed by BIG (letter
  B-16.10/DIGD-BIG/IGD.04.04/12/2024).

Every row is reconciled like a boundary feature: a current code whose name agrees is kept; the area file's four
codes that lost their trailing zero (``'11.1'`` for 11.10 Aceh Singkil, …) and DK Jakarta's ``'31.0'`` are repaired
when the name confirms it (reported as ``remapped``); anything else is reported as unmatched with the reason.
A regency without a figure shows "no data", never zero.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from rapidfuzz import fuzz

from . import gazetteer as gz
from .i18n import N_

POPULATION_NOTE = ("registered residents (Dukcapil, Kepmendagri 300.2.2-2138/2025), an administrative count, "
                   "not a census")
POPULATION_NOTE_ID = ("penduduk terdaftar (Dukcapil, Kepmendagri 300.2.2-2138/2025), hitungan administratif, "
                      "bukan sensus")
_ROW = re.compile(r"\(\s*'(?P<code>[^']*)'\s*,\s*'(?P<name>(?:[^'\\]|\\.|'')*)'\s*,(?P<rest>[^()]*)\)")


@dataclass
class RegionStats:
    """One row per official code (provinces and regencies): population (int), area_km2 (float), and the report."""

    table: pd.DataFrame                   # code, name, level, population, area_km2
    national_population: int | None
    report: dict[str, Any] = field(default_factory=dict)


def parse_rows(text: str) -> list[tuple[str, str, list[str]]]:
    """(code, name, other values) of every INSERT row of an SQL dump (values unquoted)."""
    rows = []
    for m in _ROW.finditer(text):
        rest = [v.strip().strip("'") for v in m.group("rest").split(",") if v.strip()]
        rows.append((m.group("code").strip(), m.group("name").replace("''", "'").replace("\\'", "'"), rest))
    return rows


def _reconcile_code(g: gz.Gazetteer, code: str, name: str) -> tuple[str | None, str, str]:
    """(official code or None, outcome, reason) for one row: matched, remapped or unmatched."""
    if code == "0":
        return "0", "national", ""
    candidates = [code]
    if re.fullmatch(r"[0-9]{2}\.[0-9]", code):
        candidates += [code + "0", code[:2]] if code.endswith(".0") else [code + "0"]
    provinces = set(gz.provinces()["code"])
    for i, c in enumerate(candidates):
        if g.is_code(c) or c in provinces:
            official = g.province_name(c) if len(c) == 2 else g.regencies.set_index("code").at[c, "name"]
            if gz.normalize(official) == gz.normalize(name) or (len(c) > 2 and g.match(name).code == c):
                return c, ("matched" if i == 0 else "remapped"), ("" if i == 0 else
                                                                 N_("code {code!r} read as {read} ({official}): the name "
                                                                    "agrees", code=code, read=c, official=official))
            if i == 0 and fuzz.ratio(gz.normalize(official), gz.normalize(name)) >= 88:
                return c, "remapped", N_("code {code} is {official}; the name {name!r} is a misspelling of it", code=c,
                                         official=official, name=name)
    m = g.match(name)
    if m.status == "matched":
        return None, "unmatched", N_("code {code!r} is not a current code and the name {name!r} is {other_code} "
                                     "{other}", code=code, name=name, other_code=m.code, other=m.name)
    return None, "unmatched", N_("code {code!r} is not a current code and the name {name!r}: {explanation}", code=code,
                                 name=name, explanation=m.explain())


def read_region_stats(population_sql: Path, area_sql: Path) -> RegionStats:
    """Parse and reconcile both files; every row ends matched, remapped or unmatched (listed with its reason)."""
    g = gz.gazetteer()
    records: dict[str, dict[str, Any]] = {}
    report: dict[str, Any] = {"population": {}, "area": {}}
    national = None
    for kind, path in (("population", population_sql), ("area", area_sql)):
        rows = parse_rows(path.read_text(encoding="utf-8", errors="replace"))
        outcomes = {"matched": 0, "remapped": [], "unmatched": [], "national": 0, "duplicates": []}
        for code, name, rest in rows:
            official, outcome, reason = _reconcile_code(g, code, name)
            value: Any = None
            try:
                value = int(rest[-1]) if kind == "population" else float(rest[-1])
            except (ValueError, IndexError):
                outcomes["unmatched"].append({"code": code, "name": name, "reason": N_("no number in {text!r}", text=rest)})
                continue
            if outcome == "national":
                outcomes["national"] += 1
                if kind == "population":
                    national = int(value)
                continue
            if official is None:
                outcomes["unmatched"].append({"code": code, "name": name, "reason": reason})
                continue
            rec = records.setdefault(official, {"code": official})
            if kind in rec:
                outcomes["duplicates"].append({"code": code, "name": name, "reason": N_("second row for {official}", official=official)})
                continue
            rec[kind] = value
            if outcome == "remapped":
                outcomes["remapped"].append({"code": code, "name": name, "reason": reason})
            else:
                outcomes["matched"] += 1
        outcomes["rows_read"] = len(rows)
        report[kind] = outcomes
    regs, provs = g.regencies, gz.provinces()
    names = {**dict(zip(regs["code"], regs["name"])), **dict(zip(provs["code"], provs["name"]))}
    table = pd.DataFrame([{"code": c, "name": names[c], "level": "province" if len(c) == 2 else "regency",
                           "population": r.get("population"), "area_km2": r.get("area")}
                          for c, r in sorted(records.items())])
    table["population"] = table["population"].astype("Int64")
    reg_rows = table[table["level"] == "regency"]
    for kind, col in (("population", "population"), ("area", "area_km2")):
        have = set(reg_rows.loc[reg_rows[col].notna(), "code"])
        report[kind]["missing_official"] = sorted(set(regs["code"]) - have)
    regency_sum = int(reg_rows["population"].sum())
    report["population"]["regency_sum"] = regency_sum
    report["population"]["national_total"] = national
    report["population"]["sums_to_national"] = national is not None and regency_sum == national
    report["note"] = POPULATION_NOTE
    return RegionStats(table, national, report)


@lru_cache(maxsize=2)
def _load(fingerprint: str) -> RegionStats:
    from .sources import REGION_STATS, resolve

    _, _, files = resolve(REGION_STATS)
    return read_region_stats(files["db/wilayah_penduduk.sql"], files["db/wilayah_luas.sql"])


def region_stats() -> RegionStats:
    """The built-in population and area table (read once per process from the pinned, verified files)."""
    from .sources import REGION_STATS

    return _load(REGION_STATS.fingerprint())


def regency_stats() -> pd.DataFrame:
    """code -> population, area_km2 for the 514 regencies (a regency without a figure is missing, never zero)."""
    t = region_stats().table
    return t[t["level"] == "regency"][["code", "population", "area_km2"]].reset_index(drop=True)
