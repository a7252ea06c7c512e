"""The MPP registry: one row per MPP, built from source statements (one row per source per region).

Curation rules (pinned by tests/test_registry.py):

Row kinds, decided in this order from the row's ``event`` and ``note``:
  caution       a source calls something an MPP that is not clearly one (``CAUTION``)            -> excluded
  designation   a 2018 designation as an MPP location (``DESIGNATION ONLY``)                     -> excluded
  doubted       the compiler notes the source's region is "likely an error"                       -> excluded
  relocation    relocation, second unit, renaming of an existing MPP                              -> attached, no new MPP
  negative      "no MPP yet" / "not yet operating" at a date                                       -> kept as negative evidence
  plan          planned, scheduled or announced dates                                             -> excluded
  construction  groundbreaking, construction, a building without service                          -> excluded
  existing      the MPP is listed or reported as existing by a date (no opening date)             -> evidence of existence
  soft          soft launch, soft opening, trial
  national      an inauguration with KemenPAN-RB (minister, deputy, joint batch)
  local         an opening by the regional government

Opening date (``opened_on`` with ``date_precision``): the national inauguration first; else the earliest local
opening (``date_basis`` says so); else the earliest soft launch or trial. Rows the compiler flagged ``CONFLICT`` are
used only when no unflagged row of that kind has a date. Within a kind the earliest period wins, and a more precise
date inside it replaces it (2022 -> 2022-03-02). Disagreeing dates are listed in ``conflicts``.

"As of" a date D, an MPP counts when its effective date is on or before D: the *last* day of its opening period
(a year-only 2024 counts from 2024-12-31), or, with no opening date, the last day of the earliest date a source
says it existed. An MPP whose sources give no date at all counts from today only (every source predates today),
never for a past date. Status is ``operating`` unless the only evidence is a soft launch or trial (``soft launch``).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable

import pandas as pd

from . import gazetteer as gz

DATA_DIR = gz.DATA_DIR
SHARED_MPP = Path("data") / "mpp" / "mpp_sources.csv"

REGISTRY_COLUMNS = ["mpp_id", "code", "name", "province_code", "province", "province_run", "serves", "mpp_name",
                    "status", "opened_on", "date_precision", "date_basis", "known_by", "counted_nationally",
                    "sources", "conflicts", "notes", "source_rows"]

_KIND_RULES: list[tuple[str, str, re.Pattern]] = [
    ("caution", "a source calls it an MPP but it is not clearly one", re.compile(r"CAUTION")),
    ("designation", "a 2018 designation as MPP location, not an MPP", re.compile(r"DESIGNATION ONLY")),
    ("doubted", "the compiler notes the region in this source is likely an error", re.compile(r"likely an error", re.I)),
    ("relocation", "relocation, second unit or renaming of an existing MPP: no new MPP",
     re.compile(r"RELOCATION|SECOND MPP|relocation; MPP first opened|renamed MPP|re-inaugurated under the new name")),
    ("negative", "negative evidence: no (operating) MPP at that date",
     re.compile(r"NO MPP|NOT YET OPERATING|NOT YET INAUGURATED|negative evidence")),
    ("plan", "a planned, scheduled or announced date, not an opening",
     re.compile(r"^(?:PLANNED|SCHEDULED|ANNOUNCED|planned|scheduled)\b|\b(?:PLANNED|SCHEDULED|ANNOUNCED)\b")),
    ("construction", "construction or a building without service, not an MPP yet",
     re.compile(r"construction start|groundbreaking|under construction|building only|not yet serving|"
                r"operation planned|operation started later", re.I)),
]
_NOTE_PLAN = re.compile(r"^(?:planned|scheduled|announced)\b", re.I)
_EXISTING = re.compile(r"^(?:listed|mentioned|cited|named|reported|visit|said|stated)\b|\bamong\b|existing|"
                       r"\bvisit\b|operating (?:since|by)|already (?:operating|using)|'sejak|services running|"
                       r"HUT ke|anniversary|had only", re.I)
_SOFT = re.compile(r"soft[- ]?launch|soft[- ]?opening|\btrial\b|uji coba|pre-trial", re.I)
_NATIONAL = re.compile(r"Menteri PAN|MenPAN|KemenPAN|Kemenpan|Deputi|Plt Menteri|\bjoint\b|Wapres|Vice[- ]President|"
                       r"\bPresident\b|Mahfud|Asman|Syafruddin|Tjahjo|Azwar Anas|Rini Widyantini|Diah Natalisa|"
                       r"Minister of PAN|Ministry of PAN", re.I)
_EXIST_DATE = re.compile(r"(?:existing by|existed before|as of|by)\s+(\d{4}-\d{2}-\d{2}|\d{4}-\d{2})")


@dataclass(frozen=True)
class Period:
    """A date as a source gives it: day, month or year precision."""

    text: str
    start: date
    end: date
    precision: str  # day | month | year

    def contains(self, other: "Period") -> bool:
        return self.start <= other.start and other.end <= self.end


def parse_period(text: object) -> Period | None:
    """'2024', '2024-03' or '2024-03-07' -> Period; anything else -> None."""
    if text is None or (isinstance(text, float) and text != text):
        return None
    s = str(text).strip()
    m = re.fullmatch(r"([0-9]{4})(?:-([0-9]{2}))?(?:-([0-9]{2}))?", s)  # ASCII digits only
    if not m:
        return None
    y = int(m.group(1))
    try:
        if m.group(3):
            d = date(y, int(m.group(2)), int(m.group(3)))
            return Period(s, d, d, "day")
        if m.group(2):
            mo = int(m.group(2))
            return Period(s, date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1]), "month")
        return Period(s, date(y, 1, 1), date(y, 12, 31), "year")
    except ValueError:
        return None


def classify(event: str, note: str) -> tuple[str, str]:
    """(kind, reason) for one source row; see the module docstring for the order."""
    text = f"{event} | {note}"
    for kind, reason, pattern in _KIND_RULES:
        if pattern.search(text if kind != "plan" else event) or (kind == "plan" and _NOTE_PLAN.search(note)):
            return kind, reason
    if _EXISTING.search(event):
        return "existing", "states the MPP existed by a date"
    if _SOFT.search(event) or re.match(r"^(?:soft launch|trial)", note, re.I):
        return "soft", "soft launch or trial"
    if _NATIONAL.search(event):
        return "national", "inauguration with KemenPAN-RB"
    return "local", "opening by the regional government"


def _choose(rows: pd.DataFrame) -> tuple[Period | None, pd.Series | None, list[str]]:
    """The opening date among rows of one kind (see the module docstring) and the disagreeing dates."""
    dated = rows[rows["period"].notna()]
    if dated.empty:
        return None, None, []
    clean = dated[~dated["note"].str.contains("CONFLICT")]
    pool = clean if not clean.empty else dated
    periods: list[Period] = list(pool["period"])
    earliest = min(periods, key=lambda p: (p.end, p.start))
    inside = [p for p in periods if earliest.contains(p)]
    best = min(inside, key=lambda p: ({"day": 0, "month": 1, "year": 2}[p.precision], p.start))
    row = pool[pool["period"] == best].iloc[0]
    conflicts = sorted({p.text for p in dated["period"] if not (p.contains(best) or best.contains(p))})
    return best, row, conflicts


def _name_of(chosen_row: pd.Series | None, names: list[str]) -> str:
    """The MPP's name: the one in the row that gave the date, else the most frequent (first seen wins a tie)."""
    if chosen_row is not None and chosen_row["mpp_name"]:
        return str(chosen_row["mpp_name"])
    return max(dict.fromkeys(names), key=names.count) if names else ""


def read_sources(path: Path) -> pd.DataFrame:
    """The shared MPP statements with their 1-based data row numbers (header = row 1)."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.insert(0, "source_row", range(2, len(df) + 2))
    return df


@dataclass
class RegistryBuild:
    registry: pd.DataFrame        # one row per MPP
    exclusions: pd.DataFrame      # source rows that make no MPP, with the reason
    negative: pd.DataFrame        # "no MPP at date" statements, for display
    unmatched: pd.DataFrame       # source rows whose region could not be matched, with the reason
    rows_in: int

    def accounting(self) -> dict[str, int]:
        used = sum(len(str(s).split(";")) for s in self.registry["source_rows"])
        return {"source rows": self.rows_in, "in the registry": used, "excluded": len(self.exclusions),
                "negative evidence": len(self.negative), "unmatched": len(self.unmatched)}


def build_registry(sources: pd.DataFrame, province_mpps: pd.DataFrame | None = None) -> RegistryBuild:
    """Build the registry from source statements (columns as in shared/data/mpp/mpp_sources.csv)."""
    g = gz.gazetteer()
    if province_mpps is None:
        province_mpps = pd.read_csv(DATA_DIR / "province_mpps.csv", dtype=str, keep_default_na=False)
    src = sources.copy()
    if "source_row" not in src.columns:
        src.insert(0, "source_row", range(2, len(src) + 2))
    for col in ("region_name", "province", "mpp_name", "inaugurated_on", "event", "source_url", "note"):
        if col not in src.columns:
            src[col] = ""
        src[col] = src[col].fillna("").astype(str)
    prov_info = {}
    for r in province_mpps.itertuples():
        codes = g.province_codes(r.province)
        if not codes or len(codes) != 1:
            raise ValueError(f"data/province_mpps.csv: unknown province {r.province!r}")
        prov_info[sorted(codes)[0]] = r
    province_run = set(prov_info)
    kinds = [classify(e, n) for e, n in zip(src["event"], src["note"])]
    src["kind"] = [k for k, _ in kinds]
    src["kind_reason"] = [r for _, r in kinds]
    src["period"] = [parse_period(x) for x in src["inaugurated_on"]]
    keys, unmatched_reason, match_note = [], [], []
    for name, prov in zip(src["region_name"], src["province"]):
        m = g.match(name, prov or None)
        if m.status == "matched":
            keys.append(m.code)
            unmatched_reason.append("")
            match_note.append("" if m.method in ("exact", "derived", "code") else f"{name!r} read as {m.name} ({m.reason})")
        elif m.method == "province":
            codes = g.province_codes(prov or name)
            pcode = sorted(codes)[0] if codes and len(codes) == 1 else None
            known = pcode in province_run
            keys.append(f"prov:{pcode}" if known else None)
            unmatched_reason.append("" if known else f"unmatched: {m.reason}, and no province-run MPP is listed for it "
                                                     f"in data/province_mpps.csv")
            match_note.append("")
        else:
            keys.append(None)
            unmatched_reason.append(m.explain())
            match_note.append("")
    src["key"] = keys
    src["unmatched_reason"] = unmatched_reason
    src["match_note"] = match_note

    unmatched = src[src["key"].isna()]
    matched = src[src["key"].notna()]
    excluded_kinds = {"caution", "designation", "doubted", "plan", "construction"}
    exclusions = matched[matched["kind"].isin(excluded_kinds)]
    negative = matched[matched["kind"] == "negative"]
    positive = matched[~matched["kind"].isin(excluded_kinds | {"negative"})]

    reg = g.regencies.set_index("code")
    rows = []
    moved_to_exclusions = []
    for key, grp in positive.groupby("key", sort=True):
        openers = grp[grp["kind"] != "relocation"]
        if openers.empty:
            # Only relocation/second-unit rows: they never make an MPP of their own.
            moved_to_exclusions.append(grp.assign(kind_reason=grp["kind_reason"] + " (no opening of the MPP itself found)"))
            continue
        opened, chosen_row, conflicts, basis = None, None, [], ""
        for kind, label in (("national", "national inauguration"), ("local", "local opening"),
                            ("soft", "soft launch or trial")):
            opened, chosen_row, conflicts = _choose(openers[openers["kind"] == kind])
            if opened is not None:
                basis = label
                break
        exist_dates = []
        for r in openers.itertuples():
            if r.kind == "existing":
                m = _EXIST_DATE.search(r.note) or _EXIST_DATE.search(r.event)
                p = parse_period(m.group(1)) if m else r.period
                if p is not None:
                    exist_dates.append(p)
        known_by = min(exist_dates, key=lambda p: p.end) if exist_dates else None
        kinds = set(openers["kind"])
        status = "operating" if kinds & {"national", "local", "existing"} else "soft launch"
        names = [n for n in (chosen_row["mpp_name"] if chosen_row is not None else "",
                             *openers["mpp_name"]) if n]
        notes = sorted({n for n in grp["match_note"] if n})
        reloc = grp[grp["kind"] == "relocation"]
        notes += [f"{r.inaugurated_on or 'undated'}: {r.event}" for r in reloc.itertuples()]
        if basis == "local opening":
            notes.insert(0, "no dated national inauguration found: date of the local opening")
        elif basis == "soft launch or trial":
            notes.insert(0, "no dated inauguration found: date of the soft launch or trial")
        elif not basis and known_by is not None:
            notes.insert(0, "no opening date found; known to exist by the date shown")
        elif not basis:
            notes.insert(0, "no date in any source: counted as existing today only, never for a past date")
        if key.startswith("prov:"):
            pcode = key[5:]
            info = prov_info.get(pcode)
            stands = g.match(info.stands_in).code if info is not None and info.stands_in else None
            serves = (";".join(reg.index[reg["province_code"] == pcode]) if info is not None
                      and info.serves_whole_province == "yes" else (stands or ""))
            code, name = stands, (reg.at[stands, "name"] if stands else "")
            province_code, province_run = pcode, True
            counted = info is not None and info.counted_nationally == "yes"
            if info is not None and info.note:
                notes.append(info.note)
            mpp_id = f"P{pcode}"
        else:
            code, name, province_code, province_run = key, reg.at[key, "name"], reg.at[key, "province_code"], False
            serves, counted, mpp_id = key, True, f"R{key}"
        rows.append({
            "mpp_id": mpp_id, "code": code or "", "name": name, "province_code": province_code,
            "province": g.province_name(province_code), "province_run": province_run, "serves": serves,
            "mpp_name": _name_of(chosen_row, names),
            "status": status,
            "opened_on": opened.text if opened else "", "date_precision": opened.precision if opened else "",
            "date_basis": basis or "existence only", "known_by": known_by.text if known_by else "",
            "counted_nationally": counted,
            "sources": " | ".join(dict.fromkeys(grp["source_url"])),
            "conflicts": "; ".join(f"other {basis or 'dates'} given: {c}" for c in conflicts),
            "notes": "; ".join(notes),
            "source_rows": ";".join(str(x) for x in grp["source_row"]),
        })
    registry = pd.DataFrame(rows, columns=REGISTRY_COLUMNS)
    exclusions = pd.concat([exclusions, *moved_to_exclusions]) if moved_to_exclusions else exclusions
    ex = exclusions.assign(reason=exclusions["kind_reason"])[
        ["source_row", "region_name", "province", "inaugurated_on", "kind", "reason", "event", "source_url"]]
    neg = negative.assign(code=negative["key"])[["source_row", "code", "region_name", "inaugurated_on", "event",
                                                 "note", "source_url"]].rename(columns={"inaugurated_on": "stated_on"})
    um = unmatched[["source_row", "region_name", "province", "inaugurated_on", "event", "source_url"]].assign(
        reason=unmatched["unmatched_reason"])
    return RegistryBuild(registry, ex.sort_values("source_row").reset_index(drop=True),
                         neg.sort_values("source_row").reset_index(drop=True), um.reset_index(drop=True), len(src))


def effective_date(registry: pd.DataFrame, today: date | None = None) -> pd.Series:
    """The date from which each MPP counts (last day of its opening period, else of its existence date, else today
    for an MPP no source dates)."""
    undated = pd.Timestamp(today or date.today())

    def one(opened: str, known: str) -> pd.Timestamp:
        p = parse_period(opened) or parse_period(known)
        return pd.Timestamp(p.end) if p else undated
    return pd.Series([one(o, k) for o, k in zip(registry["opened_on"], registry["known_by"])], index=registry.index)


def as_of(registry: pd.DataFrame, when: date | str) -> pd.DataFrame:
    """The MPPs that count on a date (see the module docstring)."""
    when = pd.Timestamp(when)
    eff = effective_date(registry)
    return registry[eff <= when]


def load_registry(path: Path | None = None) -> pd.DataFrame:
    """The committed registry (data/mpp_registry.csv)."""
    df = pd.read_csv(path or DATA_DIR / "mpp_registry.csv", dtype=str, keep_default_na=False)
    for col in ("province_run", "counted_nationally"):
        df[col] = df[col].map({"True": True, "False": False, True: True, False: False})
    return df


def load_official_totals(path: Path | None = None) -> pd.DataFrame:
    """KemenPAN-RB's stated running totals (data/mpp_official_totals.csv)."""
    return pd.read_csv(path or DATA_DIR / "mpp_official_totals.csv", dtype={"as_of": str, "total": int,
                                                                           "source_url": str, "statement": str})


def official_total_on(totals: pd.DataFrame, when: date | str) -> tuple[int, str] | None:
    """The latest official total stated on or before a date: (total, as_of)."""
    when = pd.Timestamp(when)
    t = totals[pd.to_datetime(totals["as_of"]) <= when].sort_values("as_of")
    if t.empty:
        return None
    last = t.iloc[-1]
    return int(last["total"]), str(last["as_of"])


def completeness(registry: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """For each official total: how many MPPs counted nationally the registry names as of that date."""
    rows = []
    counted = registry[registry["counted_nationally"]]
    for r in totals.sort_values("as_of").itertuples():
        named = len(as_of(counted, r.as_of))
        rows.append({"as_of": r.as_of, "official_total": int(r.total), "registry_named": named,
                     "difference": int(r.total) - named, "share_named": round(named / int(r.total), 3),
                     "source_url": r.source_url})
    return pd.DataFrame(rows)


def write_registry(build: RegistryBuild, folder: Path = DATA_DIR) -> list[Path]:
    """Write the registry and its curation reports as CSV."""
    out = []
    for name, df in (("mpp_registry.csv", build.registry), ("mpp_exclusions.csv", build.exclusions),
                     ("mpp_negative_evidence.csv", build.negative), ("mpp_unmatched.csv", build.unmatched)):
        p = folder / name
        df.to_csv(p, index=False)
        out.append(p)
    return out


def iter_lines(build: RegistryBuild) -> Iterable[str]:
    """The build's accounting as printable lines."""
    acc = build.accounting()
    yield f"Source rows read:            {acc['source rows']}"
    yield f"  used in the registry:      {acc['in the registry']} (in {len(build.registry)} MPPs)"
    yield f"  excluded with a reason:    {acc['excluded']}"
    for kind, n in build.exclusions["kind"].value_counts().items():
        yield f"      {kind:14s} {n}"
    yield f"  negative evidence kept:    {acc['negative evidence']}"
    yield f"  unmatched with a reason:   {acc['unmatched']}"
    total = acc["in the registry"] + acc["excluded"] + acc["negative evidence"] + acc["unmatched"]
    yield f"  accounted for:             {total} of {acc['source rows']}"


def load_curation_report(name: str) -> pd.DataFrame:
    """A committed curation report: 'exclusions', 'negative_evidence' or 'unmatched'."""
    return pd.read_csv(DATA_DIR / f"mpp_{name}.csv", dtype=str, keep_default_na=False)
