"""A view's story in words: the headline figures and the words that tell them apart, made once for every surface.

The overview's cards, the presentation, the briefing link, the PDF and PNG, the data API's summary and the command
line all take their headline from here, so a view reads the same wherever it is shown:

- :func:`coverage_headline`: regencies with their own MPP, or, where none has one and a province-run MPP serves them
  (DK Jakarta), the regencies served, said as such; "0 / 6" or "0%" never headlines a served province;
- :func:`registry_count`: the MPPs the registry names, counted the ministry's way (nationwide), beside KemenPAN-RB's
  own latest count, with one wording;
- :func:`progress_story`: units reached of the ministry's total, the pace, the projected completion and the target in
  force with its source, saying when the target date has passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .i18n import translator


@dataclass(frozen=True)
class Figure:
    """A headline figure: its value as shown ("6 / 6") and the words saying what it counts."""

    value: str
    words: str

    def sentence(self) -> str:
        return f"{self.value} {self.words}"


def _get(s: Any, name: str) -> Any:
    """A field of a coverage summary, given as :class:`geo.coverage.CoverageSummary` or as its dict."""
    if isinstance(s, dict):
        aliases = {"with_own_mpp": "covered"}
        return s[name] if name in s else s[aliases.get(name, name)]
    return getattr(s, name)


def served_only(s: Any) -> bool:
    """Whether no regency of the view has its own MPP while a province-run MPP serves some (DK Jakarta)."""
    return _get(s, "with_own_mpp") == 0 and _get(s, "served") > 0


def coverage_headline(s: Any, lang: str) -> Figure:
    """The view's first figure: regencies with their own MPP (with the share), and how many are served in all when a
    province-run MPP serves more; where none has its own and a province-run MPP serves them, the served ones."""
    _ = translator(lang)
    own, served, n = _get(s, "with_own_mpp"), _get(s, "served"), _get(s, "regencies")
    if served_only(s):
        return Figure(f"{served} / {n}", _("regencies and cities served, by a province-run MPP (none has its own)"))
    words = _("regencies and cities with their own MPP ({share})", share=_.pct(_get(s, "coverage_rate"), 0))
    if served > own:
        words += "; " + _("{n} served in all, including by a province-run MPP", n=served)
    return Figure(f"{own} / {n}", words)


def registry_count(s: Any, lang: str) -> Figure:
    """The MPPs the registry names nationwide, counted the ministry's way, and KemenPAN-RB's own latest count: two
    numbers, never written as a fraction of one another."""
    _ = translator(lang)
    named, official = _get(s, "registry_named_nationally"), _get(s, "official_total")
    if official:
        when = date.fromisoformat(str(_get(s, "official_total_as_of")))
        return Figure(str(named), _("MPPs named in the registry nationwide, counted as KemenPAN-RB counts them; "
                                    "KemenPAN-RB's own count: {official} ({date})", official=official,
                                    date=_.date(when)))
    return Figure(str(named), _("MPPs named in the registry nationwide, counted as KemenPAN-RB counts them"))


def target_passed(p: Any) -> bool:
    """Whether the date of the target in force lies before the view's date."""
    if p is None or not p.targets or not p.targets[-1].get("target_by"):
        return False
    return date.fromisoformat(p.targets[-1]["target_by"]) < p.as_of


def progress_story(p: Any, lang: str) -> list[str]:
    """Progress in the ministry's terms, as sentences: units reached of the total, the pace and the projected
    completion, and the target in force with its source (and that its date has passed, when it has)."""
    from .progress import headline, projection_sentence, target_sentence

    if p is None:
        return []
    _ = translator(lang)
    lines = [_("KemenPAN-RB's units: {headline}", headline=headline(p, lang)) + ".", projection_sentence(p, lang)]
    target = target_sentence(p, lang)  # says "That date has passed." when it has
    if target:
        lines.append(target)
    return lines


def progress_brief(p: Any, lang: str) -> str:
    """The same progress in one line for a projector or a page header: units of the total, the projected completion
    at the current pace, and the target's date (passed or not), each part with its figures."""
    if p is None:
        return ""
    _ = translator(lang)
    parts = [_("{n} of {total} units (KemenPAN-RB's count)", n=p.units_with_mpp, total=p.units_total)]
    proj = p.projected_complete
    if proj.get("reached"):
        parts.append(_("every unit has an MPP"))
    elif not proj["within_horizon"]:
        parts.append(_("at the current pace not complete within 20 years"))
    elif proj["to"] is None:
        parts.append(_("at the current pace complete from {start}", start=_.month(date.fromisoformat(proj["from"]))))
    else:
        parts.append(_("at the current pace complete between {start} and {end}",
                       start=_.month(date.fromisoformat(proj["from"])), end=_.month(date.fromisoformat(proj["to"]))))
    if p.targets and p.targets[-1].get("target_by"):
        t = p.targets[-1]
        by = _.date(date.fromisoformat(t["target_by"]))
        parts.append(_("target {by} ({speaker}), date passed", by=by, speaker=t["speaker"]) if target_passed(p)
                     else _("target {by} ({speaker})", by=by, speaker=t["speaker"]))
    return "; ".join(parts)


def story(summary: Any, progress: Any, lang: str) -> dict[str, Any]:
    """The whole story of a view as plain data (the API's summary and the command line's JSON carry it)."""
    head, reg = coverage_headline(summary, lang), registry_count(summary, lang)
    return {"headline": {"value": head.value, "words": head.words},
            "registry": {"value": reg.value, "words": reg.words},
            "progress": progress_story(progress, lang), "progress_brief": progress_brief(progress, lang),
            "target_passed": target_passed(progress)}
