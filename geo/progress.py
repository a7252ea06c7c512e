"""Progress in the ministry's own terms: units with an MPP against the target, the pace, and when it would be reached.

**Units.** KemenPAN-RB counts MPPs against "508 kabupaten/kota plus DK Jakarta as one unit" (509; Minister,
2025-09-24): the 514 regencies of Kepmendagri's list less DK Jakarta's six administrative ones, plus the province.
A kab/kota unit has an MPP when its own MPP counts on the date; DK Jakarta's unit when the province's MPP does
(the registry's ``counted_nationally`` MPPs, one per unit). Our own counts (regencies with their own MPP of 514,
served, people) stay beside it; each says how it differs.

**Pace.** MPP units added per month over the last 12 and 24 months before the *anchor*: the chosen date, or the
data's own date when that is earlier (no pace is measured over months the data does not cover). Two sources,
apart: the registry (units with an MPP at the anchor minus 12 or 24 months earlier) and KemenPAN-RB's stated
totals (the latest total at or before the anchor against the latest one at least 12 or 24 months before it,
per month between their dates).

**Projection.** At each measured pace, the months until every unit has an MPP; the range runs from the earliest to
the latest of those dates. Never a single date; a pace of zero, or one that needs more than 20 years, gives no date
("not at this pace within 20 years").

**Targets** are statements (``data/mpp_targets.csv``, built from ``data/sources/mpp_targets.csv``): who said it,
when, what by which date, the count and denominator stated, the URL. Those stated on or before a date are in force
on it, the latest last.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import gazetteer as gz
from .registry import as_of as registry_as_of
from .i18n import N_
from .registry import data_as_of

DATA_DIR = gz.DATA_DIR
#: DK Jakarta: its six administrative regencies are one unit in the ministry's count.
JAKARTA = "31"
#: How far a projection may reach before it is no date at all.
HORIZON_MONTHS = 240
PACE_WINDOWS = (12, 24)
TARGET_COLUMNS = ["stated_on", "speaker", "statement_kind", "target", "target_by", "count_stated",
                  "denominator_stated", "source_url", "quote_or_summary"]

UNITS_DEFINITION = ("units as KemenPAN-RB counts them: 508 kabupaten/kota plus DK Jakarta as one unit (509); a "
                    "unit has an MPP when its own MPP (DK Jakarta: the province's) counts on the date")
DIFFERENCE_FROM_OURS = N_("our own count is regencies with their own MPP, out of all 514; DK Jakarta's six "
                          "administrative regencies have none of their own (the province's MPP serves them), while "
                          "the ministry counts DK Jakarta as one unit of 509")


def unit_of(code: str) -> str:
    """The ministry's unit of a regency: itself, or DK Jakarta ("31") for its administrative regencies."""
    return JAKARTA if code[:2] == JAKARTA else code


def units(provinces: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
    """The ministry's units in scope: one row per unit (unit, province_code, province)."""
    reg = gz.regencies()
    if provinces:
        reg = reg[reg["province_code"].isin(provinces)]
    out = reg.assign(unit=reg["code"].map(unit_of))[["unit", "province_code", "province"]]
    return out.drop_duplicates("unit").reset_index(drop=True)


def unit_dates(registry: pd.DataFrame) -> pd.DataFrame:
    """Each unit that has an MPP at some date: unit, province_code, since (the first day its MPP counts)."""
    from .registry import effective_date

    counted = registry[registry["counted_nationally"].astype(bool)]
    eff = effective_date(counted)
    unit = [JAKARTA if p == JAKARTA else (c if c and not pr else None)
            for c, p, pr in zip(counted["code"], counted["province_code"], counted["province_run"].astype(bool))]
    df = pd.DataFrame({"unit": unit, "province_code": counted["province_code"].to_numpy(), "since": eff.to_numpy()})
    return df.dropna(subset=["unit"]).groupby("unit", as_index=False).agg(province_code=("province_code", "first"),
                                                                         since=("since", "min"))


def _have(ud: pd.DataFrame, when: date, provinces: tuple[str, ...] = ()) -> set[str]:
    mask = ud["since"].to_numpy() <= np.datetime64(when)
    if provinces:
        mask &= np.isin(ud["province_code"].to_numpy(dtype=object), provinces)
    return set(ud["unit"].to_numpy(dtype=object)[mask])


def units_with_mpp(registry: pd.DataFrame, when: date, provinces: list[str] | tuple[str, ...] = ()) -> set[str]:
    """The units in scope with an MPP counting on ``when``."""
    return _have(unit_dates(registry), when, tuple(provinces))


def _months_before(day: date, months: int) -> date:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    import calendar

    return date(y, m + 1, min(day.day, calendar.monthrange(y, m + 1)[1]))


def _add_months(day: date, months: float) -> date | None:
    whole = int(months)
    if whole > HORIZON_MONTHS:
        return None
    d = _months_before(day, -whole)
    extra = round((months - whole) * 30.44)
    return date.fromordinal(d.toordinal() + extra)


def registry_pace(ud: pd.DataFrame, anchor: date, months: int, provinces: tuple[str, ...] = ()) -> float:
    """Units gaining an MPP per month in the ``months`` before ``anchor``, from the registry's unit dates
    (:func:`unit_dates`)."""
    now = len(_have(ud, anchor, provinces))
    before = len(_have(ud, _months_before(anchor, months), provinces))
    return round((now - before) / months, 2)


def official_pace(totals: pd.DataFrame, anchor: date, months: int) -> dict[str, Any] | None:
    """MPPs per month between KemenPAN-RB's latest total at or before ``anchor`` and the latest one at least
    ``months`` earlier: {pace, from, to, from_total, to_total}, or None where the totals do not reach back."""
    t = totals.assign(day=pd.to_datetime(totals["as_of"]).dt.date).sort_values("day")
    last = t[t["day"] <= anchor]
    if last.empty:
        return None
    end = last.iloc[-1]
    earlier = t[t["day"] <= _months_before(end["day"], months)]
    if earlier.empty:
        return None
    start = earlier.iloc[-1]
    span = (end["day"] - start["day"]).days / 30.44
    return {"pace": round((int(end["total"]) - int(start["total"])) / span, 2), "from": start["day"].isoformat(),
            "to": end["day"].isoformat(), "from_total": int(start["total"]), "to_total": int(end["total"])}


def projection(remaining: int, anchor: date, paces: list[float]) -> dict[str, Any]:
    """The range of dates by which ``remaining`` units would all have an MPP at each of ``paces`` (per month)."""
    if remaining <= 0:
        return {"from": anchor.isoformat(), "to": anchor.isoformat(), "within_horizon": True, "reached": True}
    dates = [_add_months(anchor, remaining / p) if p > 0 else None for p in paces]
    known = sorted(d for d in dates if d is not None)
    return {"from": known[0].isoformat() if known else None,
            "to": known[-1].isoformat() if known and len(known) == len(dates) else None,
            "within_horizon": bool(known), "reached": False}


def load_targets(path: Path | None = None) -> pd.DataFrame:
    """The target and denominator statements (data/mpp_targets.csv)."""
    return pd.read_csv(path or DATA_DIR / "mpp_targets.csv", dtype=str, keep_default_na=False)


def build_targets(statements: pd.DataFrame) -> pd.DataFrame:
    """The curated target table: the statements in the order they were made, each with its source row."""
    out = statements.copy()
    if "source_row" not in out:
        out["source_row"] = range(2, len(out) + 2)
    return out.sort_values(["stated_on", "source_row"], kind="stable")[["source_row", *TARGET_COLUMNS]] \
        .reset_index(drop=True)


def targets_in_force(targets: pd.DataFrame, when: date) -> list[dict[str, Any]]:
    """The target statements made on or before ``when`` (the latest last), as JSON-ready dicts."""
    t = targets[(targets["statement_kind"] == "target") & (targets["stated_on"] <= when.isoformat())]
    return [{"stated_on": r.stated_on, "speaker": r.speaker, "target": r.target, "target_by": r.target_by or None,
             "denominator_stated": int(r.denominator_stated) if r.denominator_stated else None,
             "source_url": r.source_url} for r in t.itertuples()]


@dataclass(frozen=True)
class Progress:
    """Progress against the target for one view (date, provinces), in the ministry's units."""

    as_of: date
    data_as_of: date
    anchor: date                     # the pace's reference date: min(as_of, data_as_of)
    units_total: int
    units_with_mpp: int
    pace_per_month_12m: float        # registry
    pace_per_month_24m: float
    official_pace_12m: dict[str, Any] | None
    official_pace_24m: dict[str, Any] | None
    projected_complete: dict[str, Any]
    targets: list[dict[str, Any]] = field(default_factory=list)
    undated: int = 0                 # MPPs counting on the date with no known opening date
    undated_no_date: int = 0         # of which no source gives any date (they count from the data's date)
    by_province: list[dict[str, Any]] = field(default_factory=list)

    @property
    def units_without_mpp(self) -> int:
        return self.units_total - self.units_with_mpp

    @property
    def share(self) -> float:
        return round(self.units_with_mpp / self.units_total, 4) if self.units_total else 0.0

    def paces(self) -> list[float]:
        return [p for p in (self.pace_per_month_12m, self.pace_per_month_24m,
                            *(o["pace"] for o in (self.official_pace_12m, self.official_pace_24m) if o))]

    def as_dict(self) -> dict[str, Any]:
        return {"data_as_of": self.data_as_of.isoformat(), "pace_anchor": self.anchor.isoformat(),
                "units_total": self.units_total, "units_with_mpp": self.units_with_mpp,
                "units_without_mpp": self.units_without_mpp, "units_share": self.share,
                "pace_per_month_12m": self.pace_per_month_12m, "pace_per_month_24m": self.pace_per_month_24m,
                "official_pace_12m": self.official_pace_12m, "official_pace_24m": self.official_pace_24m,
                "projected_complete": {"from": self.projected_complete["from"],
                                       "to": self.projected_complete["to"]},
                "projection_within_20_years": self.projected_complete["within_horizon"],
                "targets": self.targets, "mpps_without_opening_date": self.undated,
                "mpps_without_any_date": self.undated_no_date, "units_by_province": self.by_province,
                "units_definition": UNITS_DEFINITION, "units_vs_regencies": str(DIFFERENCE_FROM_OURS)}


def progress(when: date, provinces: list[str] | tuple[str, ...], registry: pd.DataFrame, totals: pd.DataFrame,
             targets: pd.DataFrame) -> Progress:
    """Units with an MPP, pace, projection and targets for ``provinces`` (all when empty) on ``when``. The official
    paces are national: they are used for a national view only."""
    provinces = tuple(provinces)
    data_date = data_as_of(registry)
    anchor = min(when, data_date)
    scope = units(provinces)
    ud = unit_dates(registry)
    # An analyst's MPP without a usable date is on the map, but says nothing of when it opened: the pace and the
    # projection are the dated statements' alone (one undated row must not move the national story).
    undated_rows = registry["date_basis"].astype(str) == "analyst file, no date" if "date_basis" in registry else None
    dated = unit_dates(registry[~undated_rows]) if undated_rows is not None and undated_rows.any() else ud
    have, anchored = _have(ud, when, provinces), _have(dated, anchor, provinces)
    p12, p24 = (registry_pace(dated, anchor, m, provinces) for m in PACE_WINDOWS)
    o12, o24 = (None, None) if provinces else (official_pace(totals, anchor, m) for m in PACE_WINDOWS)
    paces = [p12, p24, *(o["pace"] for o in (o12, o24) if o)]
    live = registry_as_of(registry, when)
    undated = live[live["opened_on"] == ""]
    if provinces:
        undated = undated[undated["province_code"].isin(provinces)]
    by_province = []
    for pcode, grp in scope.groupby("province_code", sort=True):
        unit_set = set(grp["unit"])
        p_paces = [registry_pace(dated, anchor, m, (pcode,)) for m in PACE_WINDOWS]
        left_at_anchor = len(grp) - len(anchored & unit_set)
        by_province.append({"province_code": pcode, "province": grp["province"].iloc[0], "units": len(grp),
                            "units_with_mpp": len(have & unit_set), "units_left": len(grp) - len(have & unit_set),
                            "pace_per_month_12m": p_paces[0], "pace_per_month_24m": p_paces[1],
                            "projected_complete": {k: v for k, v in projection(left_at_anchor, anchor, p_paces).items()
                                                   if k in ("from", "to")}})
    return Progress(
        as_of=when, data_as_of=data_date, anchor=anchor, units_total=len(scope), units_with_mpp=len(have),
        pace_per_month_12m=p12, pace_per_month_24m=p24, official_pace_12m=o12, official_pace_24m=o24,
        projected_complete=projection(len(scope) - len(anchored), anchor, paces),
        targets=targets_in_force(targets, when), undated=len(undated),
        undated_no_date=int((undated["known_by"] == "").sum()), by_province=by_province)


def monthly_units(registry: pd.DataFrame, until: date, provinces: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
    """Units with an MPP at the end of every month from the first MPP year to ``until`` (the registry's line on the timeline)."""
    import calendar

    from .settings import FIRST_MPP_YEAR

    ud = unit_dates(registry)
    rows = []
    y, m = FIRST_MPP_YEAR, 1
    while (y, m) <= (until.year, until.month):
        day = min(date(y, m, calendar.monthrange(y, m)[1]), until)
        rows.append({"as_of": day, "units_with_mpp": len(_have(ud, day, tuple(provinces)))})
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return pd.DataFrame(rows)


def headline(p: Progress, lang: str) -> str:
    """The ministry's count in one line: "301 of 509 units have an MPP (59.1%); 208 still without one"."""
    from .i18n import translator

    _ = translator(lang)
    return _("{n} of {total} units have an MPP ({share}); {left} still without one", n=p.units_with_mpp,
             total=p.units_total, share=_.pct(p.share), left=p.units_without_mpp)


def projection_sentence(p: Progress, lang: str) -> str:
    """The pace and the projected date range, in words a minister can read aloud."""
    from .i18n import translator

    _ = translator(lang)
    paces = p.paces()
    lo, hi = (min(paces), max(paces)) if paces else (0.0, 0.0)
    rate = _.decimal(lo) if lo == hi else f"{_.decimal(lo)}–{_.decimal(hi)}"
    proj = p.projected_complete
    if proj.get("reached"):
        return _("Every one of the {total} units has an MPP.", total=p.units_total)
    if not proj["within_horizon"]:
        return _("At the pace of the last 12 and 24 months ({rate} MPP per month), the {total} units would not all "
                 "have an MPP within 20 years.", rate=rate, total=p.units_total)
    start = date.fromisoformat(proj["from"])
    if proj["to"] is None:
        return _("At the fastest pace of the last 12 and 24 months ({rate} MPP per month), all {total} units would "
                 "have an MPP from {start}; at the slowest, not within 20 years.", rate=rate, total=p.units_total,
                 start=_.month(start))
    return _("At the pace of the last 12 and 24 months ({rate} MPP per month), all {total} units would have an MPP "
             "between {start} and {end}.", rate=rate, total=p.units_total, start=_.month(start),
             end=_.month(date.fromisoformat(proj["to"])))


def target_sentence(p: Progress, lang: str) -> str | None:
    """The latest target in force: what, by when, who said it and when."""
    from .i18n import translator

    if not p.targets:
        return None
    _ = translator(lang)
    t = p.targets[-1]
    by = _.date(date.fromisoformat(t["target_by"])) if t["target_by"] else "–"
    said = _("Target in force: every kabupaten/kota by {by} ({speaker}, {said}).", by=by, speaker=t["speaker"],
             said=_.date(date.fromisoformat(t["stated_on"])))
    if t["target_by"] and date.fromisoformat(t["target_by"]) < p.as_of:  # every surface says so (geo.story)
        said += " " + _("That date has passed.")
    return said


def undated_sentence(p: Progress, lang: str) -> str | None:
    from .i18n import translator

    if not p.undated:
        return None
    _ = translator(lang)
    return _("{n} MPPs have no known opening date ({m} with no date at all count from the data's date, {date}).",
             n=p.undated, m=p.undated_no_date, date=_.date(p.data_as_of))


def progress_lines(p: Progress, lang: str) -> list[str]:
    """Every sentence about progress, for the command line and the briefing."""
    from .i18n import translator

    _ = translator(lang)
    lines = [_("KemenPAN-RB's units: {headline}", headline=headline(p, lang)),
             _("How it differs from our count: {text}", text=DIFFERENCE_FROM_OURS),
             projection_sentence(p, lang)]
    for extra in (target_sentence(p, lang), undated_sentence(p, lang)):
        if extra:
            lines.append(extra)
    return lines
