"""The MPP registry: one row per MPP, built from source statements (one row per source per region).

Curation rules (pinned by tests/test_registry.py):

Row kinds, decided in this order from the row's ``event`` and ``note``:
  caution       a source calls something an MPP that is not clearly one (``CAUTION``)            -> excluded
  designation   a 2018 designation as an MPP location (``DESIGNATION ONLY``)                     -> excluded
  doubted       the compiler notes the source's region is "likely an error"                       -> excluded
  inference     the compiler inferred it (``INFERENCE BY COMPLEMENT``, "complement:")           -> a lead, never an MPP
  relocation    relocation, second unit, renaming of an existing MPP                              -> attached, no new MPP
  negative      "no MPP yet" / "not yet operating" at a date                                       -> kept as negative evidence
  plan          planned, scheduled or announced dates                                             -> excluded
  construction  groundbreaking, construction, a building without service, a ceremony only          -> excluded
  existing      the MPP is listed or reported as existing by a date (no opening date)             -> evidence of existence
  soft          soft launch, soft opening, trial
  national      the Minister's inauguration, or a national batch (``data/mpp_events.csv``). A local launch that a
                KemenPAN-RB Deputi or other official attends or joins online is *not* national: it is ``local``.
  local         an opening (or start of operation) by the regional government

National batches are events with dates (``data/mpp_events.csv``): a row whose text names a batch (its
``link_pattern``, e.g. "Gebyar Pelayanan Prima") and whose date is vaguer than the batch's (year-only 2024) is dated by
the batch (2024-10-08) and becomes a national inauguration. Each MPP dated by a batch carries its ``event_id``;
:func:`batch_check` compares each batch's stated size with the MPPs linked to it.

Opening date (``opened_on`` with ``date_precision``): the national inauguration first; else the earliest local
opening (``date_basis`` says so); else the earliest soft launch or trial. Rows the compiler flagged ``CONFLICT`` are
used only when no unflagged row of that kind has a date. Within a kind the earliest period wins, and a more precise
date inside it replaces it (2022 -> 2022-03-02). Disagreeing dates are listed in ``conflicts``.

"As of" a date D, an MPP counts when its effective date is on or before D: the *last* day of its opening period
(a year-only 2024 counts from 2024-12-31) or the last day of the earliest date a source says it existed
(``known_by``), whichever is earlier: a source saying an MPP existed on D means it counts on D, on the map, in the
detail and in every count. An MPP whose sources give no date at all counts from the data's own date (the latest
dated statement: every source was published by the time the data was compiled), never from today and never for an
earlier date. Status is ``operating`` unless the only evidence is a soft launch or trial (``soft launch``).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from . import gazetteer as gz
from .i18n import N_

DATA_DIR = gz.DATA_DIR

REGISTRY_COLUMNS = ["mpp_id", "code", "name", "province_code", "province", "province_run", "serves", "mpp_name",
                    "status", "opened_on", "date_precision", "date_basis", "known_by", "counted_nationally",
                    "sources", "conflicts", "notes", "source_rows", "event_id"]
EVENT_COLUMNS = ["event_id", "date", "name", "stated_size", "total_before", "total_after", "link_pattern",
                 "source_url", "statement"]

_KIND_RULES: list[tuple[str, str, re.Pattern]] = [
    ("inference", N_("the compiler's inference (by complement), not a statement about this MPP: a lead only"),
     re.compile(r"INFERENCE BY COMPLEMENT|\|\s*complement:")),
    ("caution", N_("a source calls it an MPP but it is not clearly one"), re.compile(r"CAUTION")),
    ("designation", N_("a 2018 designation as MPP location, not an MPP"), re.compile(r"DESIGNATION ONLY")),
    ("doubted", N_("the compiler notes the region in this source is likely an error"), re.compile(r"likely an error", re.IGNORECASE)),
    ("relocation", N_("relocation, second unit or renaming of an existing MPP: no new MPP"),
     re.compile(r"RELOCATION|SECOND MPP|relocation; MPP first opened|renamed MPP|re-inaugurated under the new name")),
    ("negative", N_("negative evidence: no (operating) MPP at that date"),
     re.compile(r"NO MPP|NOT YET OPERATING|NOT YET INAUGURATED|negative evidence")),
    ("plan", N_("a planned, scheduled or announced date, not an opening"),
     re.compile(r"^(?:PLANNED|SCHEDULED|ANNOUNCED|planned|scheduled)\b|\b(?:PLANNED|SCHEDULED|ANNOUNCED)\b")),
    ("construction", N_("construction or a building without service, not an MPP yet"),
     re.compile(r"construction start|groundbreaking|under construction|building only|not yet serving|"
                r"operation planned|operation started later|ceremonial only", re.IGNORECASE)),
]
_NOTE_PLAN = re.compile(r"^(?:planned|scheduled|announced)\b", re.IGNORECASE)
_EXISTING = re.compile(r"^(?:listed|mentioned|cited|named|reported|visit|said|stated)\b|\bamong\b|existing|"
                       r"\bvisit\b|operating by|already (?:operating|using)|services running|"
                       r"HUT ke|anniversary|had only", re.IGNORECASE)
#: A note that calls the row evidence of existence (not of an opening).
_NOTE_EXISTENCE = re.compile(r"^existence\b", re.IGNORECASE)
#: "Operating since X" / "'sejak …'" is a start of operation: an opening date of the local kind, not a known-by date.
_STARTED = re.compile(r"operating since|'sejak", re.IGNORECASE)
_SOFT = re.compile(r"soft[- ]?launch|soft[- ]?opening|\btrial\b|uji coba|pre-trial", re.IGNORECASE)
#: The Minister (or the acting Minister, the Vice-President, the President) inaugurating, or a joint national batch.
#: Not a Deputi or any other ministry official attending a local launch (issue: Mimika, Maluku Barat Daya).
_NATIONAL = re.compile(r"Menteri PAN|\bMenPAN|Plt Menteri|Minister of PAN|\bjoint\b|\bbatch\b|serentak|Wapres|"
                       r"Vice[- ]President|\bPresident\b|Mahfud|Asman Abnur|Syafruddin|Tjahjo|Azwar Anas|"
                       r"Rini Widyantini", re.IGNORECASE)
#: Ministry officials whose presence does not make an event national.
_OFFICIAL = re.compile(r"Deputi|KemenPAN|Kemenpan|Asdep|Diah Natalisa", re.IGNORECASE)
#: How an accepted field correction is named among an MPP's sources, and the note that carries that name.
SOURCE_LABEL = "koreksi lapangan #{id}"
CORRECTION_NOTE = re.compile(r"koreksi lapangan #([0-9a-f]{32})")
_EXIST_DATE = re.compile(r"(?:existing by|existed before|as of|by)\s+(\d{4}-\d{2}-\d{2}|\d{4}-\d{2})")


@dataclass(frozen=True)
class Period:
    """A date as a source gives it: day, month or year precision."""

    text: str
    start: date
    end: date
    precision: str  # day | month | year

    def contains(self, other: Period) -> bool:
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
    if _STARTED.search(event):
        return "local", "start of operation stated by the regional government"
    if _EXISTING.search(event) or _NOTE_EXISTENCE.search(note):
        return "existing", "states the MPP existed by a date"
    if _SOFT.search(event) or re.match(r"^(?:soft launch|trial)", note, re.IGNORECASE):
        return "soft", "soft launch or trial"
    if _NATIONAL.search(event):
        return "national", "inauguration by the Minister or in a national batch"
    if _OFFICIAL.search(event):
        return "local", "local opening attended by a KemenPAN-RB official (not the Minister's inauguration)"
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
    """MPP statements with their 1-based data row numbers (header = row 1)."""
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
    leads: pd.DataFrame = field(default_factory=pd.DataFrame)  # inferences: shown as leads, never counted

    def accounting(self) -> dict[str, int]:
        used = sum(len(str(s).split(";")) for s in self.registry["source_rows"])
        return {"source rows": self.rows_in, "in the registry": used, "excluded": len(self.exclusions),
                "negative evidence": len(self.negative), "leads": len(self.leads), "unmatched": len(self.unmatched)}


def load_events(path: Path | None = None) -> pd.DataFrame:
    """The national batches (data/mpp_events.csv): date, name, stated size, totals before/after, sources."""
    return pd.read_csv(path or DATA_DIR / "mpp_events.csv", dtype=str, keep_default_na=False)


def link_events(src: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Date the rows that name a national batch by the batch (see the module docstring); add ``event_id`` to every
    row dated on a batch's day with a national inauguration."""
    out = src.copy()
    out["event_id"] = ""
    for e in events.itertuples():
        day = parse_period(e.date)
        if day is None:
            continue
        if e.link_pattern:
            pat = re.compile(re.escape(e.link_pattern), re.IGNORECASE)
            named = [bool(pat.search(f"{ev} | {nt}")) for ev, nt in zip(out["event"], out["note"])]
            for i in out.index[named]:
                p = out.at[i, "period"]
                if out.at[i, "kind"] in ("soft", "national", "local") and (p is None or p.contains(day)):
                    out.at[i, "period"] = day
                    out.at[i, "kind"] = "national"
                    out.at[i, "kind_reason"] = f"national batch {e.event_id} ({e.name})"
        on_day = [p is not None and p.precision == "day" and p.start == day.start for p in out["period"]]
        hit = pd.Series(on_day, index=out.index) & out["kind"].eq("national")
        out.loc[hit, "event_id"] = e.event_id
    return out


def province_mpp_rows(g: gz.Gazetteer, province_mpps: pd.DataFrame) -> dict[str, Any]:
    """Province code -> its row of data/province_mpps.csv (the province-run MPPs)."""
    rows = {}
    for r in province_mpps.itertuples():
        codes = g.province_codes(r.province)
        if not codes or len(codes) != 1:
            raise ValueError(f"data/province_mpps.csv: unknown province {r.province!r}")
        rows[sorted(codes)[0]] = r
    return rows


def match_source_region(g: gz.Gazetteer, name: str, prov: str, province_run: set[str]) -> tuple[str | None, Any, str]:
    """(key, reason if unmatched, note) for a statement's region: a regency code, ``prov:<code>`` for a province
    with a listed province-run MPP, or None with the reason (a :class:`geo.i18n.Msg`)."""
    m = g.match(name, prov or None)
    if m.status == "matched":
        note = "" if m.method in ("exact", "derived", "code") else f"{name!r} read as {m.name} ({m.reason})"
        return m.code, "", note
    if m.method == "province":
        codes = g.province_codes(prov or name)
        pcode = sorted(codes)[0] if codes and len(codes) == 1 else None
        if pcode in province_run:
            return f"prov:{pcode}", "", ""
        return None, N_("unmatched: {reason}, and no province-run MPP is listed for it in data/province_mpps.csv",
                        reason=m.reason), ""
    return None, m.explain(), ""


def source_label(url: str, note: str) -> str:
    """How a statement's source is shown: its URL, with ``koreksi lapangan #<id>`` before it for an accepted field
    correction (geo/corrections.py)."""
    m = CORRECTION_NOTE.search(note or "")
    return f"{SOURCE_LABEL.format(id=m.group(1))} {url}".strip() if m else url


def build_registry(sources: pd.DataFrame, province_mpps: pd.DataFrame | None = None,
                   events: pd.DataFrame | None = None) -> RegistryBuild:
    """Build the registry from source statements (columns as in data/sources/mpp_sources.csv)."""
    g = gz.gazetteer()
    if events is None:
        events = load_events()
    if province_mpps is None:
        province_mpps = pd.read_csv(DATA_DIR / "province_mpps.csv", dtype=str, keep_default_na=False)
    src = sources.copy()
    if "source_row" not in src.columns:
        src.insert(0, "source_row", range(2, len(src) + 2))
    for col in ("region_name", "province", "mpp_name", "inaugurated_on", "event", "source_url", "note"):
        if col not in src.columns:
            src[col] = ""
        src[col] = src[col].fillna("").astype(str)
    prov_info = province_mpp_rows(g, province_mpps)
    province_run = set(prov_info)
    kinds = [classify(e, n) for e, n in zip(src["event"], src["note"])]
    src["kind"] = [k for k, _ in kinds]
    src["kind_reason"] = [r for _, r in kinds]
    src["period"] = [parse_period(x) for x in src["inaugurated_on"]]
    src = link_events(src, events)
    keys, unmatched_reason, match_note = [], [], []
    for name, prov in zip(src["region_name"], src["province"]):
        key, reason, note = match_source_region(g, name, prov, province_run)
        keys.append(key)
        unmatched_reason.append(reason)
        match_note.append(note)
    src["key"] = keys
    src["unmatched_reason"] = pd.Series(unmatched_reason, index=src.index, dtype=object)  # reasons stay messages
    src["match_note"] = match_note

    unmatched = src[src["key"].isna()]
    matched = src[src["key"].notna()]
    excluded_kinds = {"caution", "designation", "doubted", "plan", "construction"}
    exclusions = matched[matched["kind"].isin(excluded_kinds)]
    negative = matched[matched["kind"] == "negative"]
    inferences = matched[matched["kind"] == "inference"]
    positive = matched[~matched["kind"].isin(excluded_kinds | {"negative", "inference"})]

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
            notes.insert(0, "no date in any source: counted from the data's own date (its latest dated statement), never "
                            "for an earlier date")
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
            "sources": " | ".join(dict.fromkeys(source_label(u, n) for u, n in zip(grp["source_url"], grp["note"]))),
            "conflicts": "; ".join(f"other {basis or 'dates'} given: {c}" for c in conflicts),
            "notes": "; ".join(notes),
            "source_rows": ";".join(str(x) for x in grp["source_row"]),
            "event_id": (chosen_row["event_id"] if basis == "national inauguration" and chosen_row is not None
                         else ""),
        })
    registry = pd.DataFrame(rows, columns=REGISTRY_COLUMNS)
    exclusions = pd.concat([exclusions, *moved_to_exclusions]) if moved_to_exclusions else exclusions
    ex = exclusions.assign(reason=exclusions["kind_reason"])[
        ["source_row", "region_name", "province", "inaugurated_on", "kind", "reason", "event", "source_url"]]
    neg = negative.assign(code=negative["key"])[["source_row", "code", "region_name", "inaugurated_on", "event",
                                                 "note", "source_url"]].rename(columns={"inaugurated_on": "stated_on"})
    um = unmatched[["source_row", "region_name", "province", "inaugurated_on", "event", "source_url"]].assign(
        reason=unmatched["unmatched_reason"])
    in_registry = set(registry["code"])
    leads = inferences.assign(code=inferences["key"], name=[reg.at[k, "name"] if k in reg.index else ""
                                                            for k in inferences["key"]],
                              mpp_in_registry=inferences["key"].isin(in_registry))[
        ["source_row", "code", "name", "region_name", "mpp_in_registry", "event", "note", "source_url"]]
    return RegistryBuild(registry, ex.sort_values("source_row").reset_index(drop=True),
                         neg.sort_values("source_row").reset_index(drop=True), um.reset_index(drop=True), len(src),
                         leads.sort_values("source_row").reset_index(drop=True))


def effective_date(registry: pd.DataFrame, undated: date | None = None) -> pd.Series:
    """The date from which each MPP counts: the last day of its opening period or of the earliest date a source says
    it existed, whichever is earlier. An MPP no source dates counts from ``undated``: by default the data's own date
    (:func:`data_as_of` of the registry's own statements, an analyst's rows aside), never from today, so today's
    figures equal those on the data's date when nothing was inaugurated in between."""
    if undated is None:
        own = registry[~registry["date_basis"].astype(str).str.startswith("analyst file")] \
            if "date_basis" in registry else registry
        undated = data_as_of(own)
    undated = pd.Timestamp(undated)

    def one(opened: str, known: str) -> pd.Timestamp:
        ends = [p.end for p in (parse_period(opened), parse_period(known)) if p is not None]
        return pd.Timestamp(min(ends)) if ends else undated
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


def batch_check(registry: pd.DataFrame, events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each national batch: its stated size against the MPPs of the registry dated by it (``event_id``)."""
    events = load_events() if events is None else events
    rows = []
    for e in events.itertuples():
        linked = registry[registry["event_id"] == e.event_id]
        size = int(e.stated_size) if str(e.stated_size).isdigit() else None
        rows.append({"event_id": e.event_id, "date": e.date, "name": e.name,
                     "name_id": getattr(e, "name_id", "") or e.name, "stated_size": size,
                     "linked": len(linked), "difference": (size - len(linked)) if size is not None else None,
                     "linked_regions": "; ".join(n or p for n, p in zip(linked["name"], linked["province"])),
                     "source_url": e.source_url})
    return pd.DataFrame(rows)


def iter_lines(build: RegistryBuild) -> Iterable[str]:
    """The build's accounting as printable lines."""
    acc = build.accounting()
    yield f"Source rows read:            {acc['source rows']}"
    yield f"  used in the registry:      {acc['in the registry']} (in {len(build.registry)} MPPs)"
    yield f"  excluded with a reason:    {acc['excluded']}"
    for kind, n in build.exclusions["kind"].value_counts().items():
        yield f"      {kind:14s} {n}"
    yield f"  negative evidence kept:    {acc['negative evidence']}"
    yield f"  leads (inferences):        {acc['leads']}"
    yield f"  unmatched with a reason:   {acc['unmatched']}"
    total = acc["in the registry"] + acc["excluded"] + acc["negative evidence"] + acc["leads"] + acc["unmatched"]
    yield f"  accounted for:             {total} of {acc['source rows']}"


def data_as_of(registry: pd.DataFrame, negative: pd.DataFrame | None = None) -> date:
    """How current the data is: the latest dated statement of fact (an opening, an existence date, a "no MPP yet"
    statement), never a planned date. A statement dated by month or year counts from its first day (it is at least
    that recent); today's date is the upper bound."""
    texts = list(registry["opened_on"]) + list(registry["known_by"])
    if negative is not None and "stated_on" in negative:
        texts += list(negative["stated_on"])
    starts = [p.start for p in map(parse_period, texts) if p is not None]
    return min(max(starts), date.today()) if starts else date.today()


def load_curation_report(name: str) -> pd.DataFrame:
    """A committed curation report: 'exclusions', 'negative_evidence', 'unmatched', 'leads' or 'events_check'.

    The unmatched rows' reasons are our matcher's words: they are said again by the same matcher
    (:func:`match_source_region`), so a reader sees them in their language; a row whose stored reason differs (a
    matcher that changed since the report was built) keeps the stored text."""
    report = pd.read_csv(DATA_DIR / f"mpp_{name}.csv", dtype=str, keep_default_na=False)
    if name == "unmatched" and len(report):
        g = gz.gazetteer()
        province_run = set(province_mpp_rows(g, pd.read_csv(DATA_DIR / "province_mpps.csv", dtype=str,
                                                            keep_default_na=False)))
        again = [match_source_region(g, n, p, province_run)[1]
                 for n, p in zip(report["region_name"], report["province"])]
        report["reason"] = pd.Series([msg if str(msg) == stored else stored
                                      for msg, stored in zip(again, report["reason"])], index=report.index, dtype=object)
    return report
