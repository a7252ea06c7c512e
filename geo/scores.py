"""Reform scores (Indeks RB and SAKIP): a tidy, sourced table and the rule that picks one value per year.

Tidy rows: ``code`` (province "12" or regency "12.76"), ``level`` (province/regency), ``assessment`` (RB/SAKIP),
``year`` (assessment year as the source states it), ``predikat``, ``score``, ``source_url``, ``quality``.

A predikat is never computed from a score, nor the reverse: only what a source states is kept.

``quality``: ``direct`` (the source states this result), ``blanket`` ("B for nine years running", expanded per
year), ``current`` (a "currently holds" statement assigned to the latest result), ``names-supplied`` (a collective
statement whose member names the compiler supplied), ``weak-source`` (a resident quoted in an article, a candidate's
claim in a debate: the compiler's ``WEAK SOURCE``), ``year-doubtful`` (the source's year label is probably a
publication year), ``outside-scope`` (2018 or 2025 context rows).

Pick rule where several rows give one (code, assessment, year): never an ``outside-scope`` row; prefer ``direct``
(then ``names-supplied``, weaker: the compiler named the members of a collective statement) over any flagged quality, then a
row with a predikat over one with only a score, then a row with both; the rows left are kept and a disagreement
between them is reported in ``conflict`` (the first in source order is shown).

An assessment of year Y counts from 31 December of Y (results are handed over late in the year or in the next one),
so "as of" a date the latest assessment year at or before that date's year-end is shown, with its year.
The RB method changed in 2023 (RB General + RB Tematik): RB values before and after 2023 are not comparable.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd

from . import gazetteer as gz
from .i18n import N_, Msg

DATA_DIR = gz.DATA_DIR

#: Predikat bands as the sources state them (SAKIP: several sources; RB: pintu.acehprov.go.id "IRB Aceh 2022").
#: The sources do not say which side a boundary value belongs to. Used for legends only, never to derive values.
PREDIKAT_BANDS: dict[str, tuple[float, float, Msg]] = {
    "AA": (90, 100, N_("very satisfactory")),
    "A": (80, 90, N_("satisfactory")),
    "BB": (70, 80, N_("very good")),
    "B": (60, 70, N_("good")),
    "CC": (50, 60, N_("fair")),
    "C": (30, 50, N_("poor")),
    "D": (0, 30, N_("very poor")),
}
PREDIKAT_ORDER = list(PREDIKAT_BANDS)  # best first
ASSESSMENTS = ("RB", "SAKIP")
RB_METHOD_CHANGE_YEAR = 2023
RB_METHOD_NOTE = N_("The RB evaluation method changed in 2023 (2020-2022: pengungkit 60% + hasil 40%; from 2023: "
                    "RB General 100 + RB Tematik 20): RB values before and after 2023 are not directly comparable, and "
                    "from 2023 a score can exceed 90 or 100 without predikat AA.")
SCORE_COLUMNS = ["code", "name", "level", "province_code", "assessment", "year", "predikat", "score", "quality",
                 "selected", "conflict", "source_url", "note", "source_row"]


def quality_of(note: str) -> str:
    n = (note or "").lower()
    if "outside scope" in n:
        return "outside-scope"
    if "weak source" in n:  # a resident quoted, a candidate's claim: kept, never preferred over a direct statement
        return "weak-source"
    if "year label doubtful" in n:
        return "year-doubtful"
    if "names supplied" in n:
        return "names-supplied"
    if "blanket" in n:
        return "blanket"
    if "current" in n and ("status" in n or "currently" in n or "saat ini" in n):
        return "current"
    return "direct"


def _parse_score(value: object) -> float | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    s = str(value).strip().replace(",", ".")
    if not s:
        return None
    try:
        return float(s)
    except ValueError:
        return None


def build_scores(sources: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(tidy scores with the pick applied, unmatched rows with reasons) from shared reform statements."""
    g = gz.gazetteer()
    src = sources.copy().fillna("")
    if "source_row" not in src.columns:
        src.insert(0, "source_row", range(2, len(src) + 2))
    rows, unmatched = [], []
    for r in src.itertuples():
        level = "province" if str(r.region_level).strip().lower() == "provinsi" else "regency"
        if level == "province":
            codes = g.province_codes(r.region_name)
            if not codes or len(codes) != 1:
                unmatched.append({"source_row": r.source_row, "region_name": r.region_name,
                                  "reason": "not a known province name"})
                continue
            code = sorted(codes)[0]
            name, pcode = g.province_name(code), code
        else:
            m = g.match(r.region_name, r.province or None)
            if m.status != "matched":
                unmatched.append({"source_row": r.source_row, "region_name": r.region_name,
                                  "reason": f"{m.status}: {m.reason}"})
                continue
            code, name, pcode = m.code, m.name, m.province_code
        year = str(r.year).strip()
        if not re.fullmatch(r"[0-9]{4}", year):
            unmatched.append({"source_row": r.source_row, "region_name": r.region_name,
                              "reason": f"no assessment year stated ({year!r}); the source does not say which year"})
            continue
        assessment = str(r.assessment).strip().upper()
        if assessment not in ASSESSMENTS:
            unmatched.append({"source_row": r.source_row, "region_name": r.region_name,
                              "reason": f"unknown assessment {assessment!r} (RB or SAKIP)"})
            continue
        predikat = str(r.predikat).strip().upper()
        rows.append({"code": code, "name": name, "level": level, "province_code": pcode,
                     "assessment": assessment, "year": int(year),
                     "predikat": predikat if predikat in PREDIKAT_BANDS else "",
                     "score": _parse_score(r.score), "quality": quality_of(r.note), "source_url": r.source_url,
                     "note": r.note, "source_row": r.source_row})
    tidy = pd.DataFrame(rows)
    tidy = pick(tidy)
    return tidy[SCORE_COLUMNS], pd.DataFrame(unmatched, columns=["source_row", "region_name", "reason"])


def pick(tidy: pd.DataFrame) -> pd.DataFrame:
    """Mark one ``selected`` row per (code, assessment, year) by the documented rule; report disagreements."""
    out = tidy.copy()
    out["selected"] = False
    out["conflict"] = ""
    rank = (out["quality"].ne("direct").astype(int) * 8 + out["quality"].ne("names-supplied").astype(int)
            * out["quality"].ne("direct").astype(int) * 4 + out["predikat"].eq("").astype(int) * 2
            + out["score"].isna().astype(int))
    out["_rank"] = rank
    for _, grp in out.groupby(["code", "assessment", "year"], sort=False):
        order = grp[grp["quality"] != "outside-scope"].sort_values(["_rank", "source_row"])
        if len(order):  # a row marked out of scope is never the selected value
            out.loc[order.index[0], "selected"] = True
        preds = {p for p in grp["predikat"] if p}
        scores = {s for s in grp["score"] if s == s and s is not None}
        if len(preds) > 1 or len(scores) > 1:
            msg = "sources disagree: " + ", ".join(
                f"{p or '-'}{'' if s != s or s is None else f' {s:g}'} ({q})"
                for p, s, q in zip(grp["predikat"], grp["score"], grp["quality"]))
            out.loc[grp.index, "conflict"] = msg
    return out.drop(columns="_rank")


def load_scores(path: Path | None = None) -> pd.DataFrame:
    """The committed tidy scores (data/reform_scores.csv)."""
    df = pd.read_csv(path or DATA_DIR / "reform_scores.csv", dtype={"code": str, "province_code": str,
                                                                    "predikat": str}, keep_default_na=False)
    df["score"] = pd.to_numeric(df["score"], errors="coerce")
    df["selected"] = df["selected"].astype(str).eq("True")
    return df


def latest_scores(scores: pd.DataFrame, when: date | str) -> pd.DataFrame:
    """Per (code, assessment): the selected row of the latest assessment year that counts on ``when``."""
    ts = pd.Timestamp(when)
    # An assessment of year Y counts from 31 Dec Y: on a date inside year Y, only years before Y are known.
    last_year = ts.year if (ts.month, ts.day) == (12, 31) else ts.year - 1
    sel = scores[scores["selected"] & (scores["year"] <= last_year) & scores["quality"].ne("outside-scope")]
    return sel.sort_values("year").groupby(["code", "assessment"], as_index=False).tail(1)
