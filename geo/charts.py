"""Small charts as static SVG (matplotlib): drawn once per view on the server, sent as text, drawn by the browser
with no charting library.

A chart scales with its column (``width:100%``), speaks to screen readers through ``role="img"`` and a description
of our own (its values in the reader's language), and writes its numbers the reader's way (grouping and decimal
symbols of Bahasa Indonesia or English). Text stays text (``svg.fonttype: none``), so it is sharp, selectable and
set in the page's own sans-serif font. Every value shown is also written on the chart (bars are labelled), so
nothing depends on hovering.
"""

from __future__ import annotations

import html
import io
import re
from datetime import date
from typing import Any, Sequence

from .i18n import fmt_decimal

BLUE, ORANGE, RED, LIGHT_BLUE, GREY = "#2171b5", "#d94801", "#a50f15", "#6baed6", "#444444"
#: Drawn at these sizes (inches of 72 points) and scaled to the column in the browser: a year chart fills half the
#: page (about 400 pixels at 1280x720, so its 9-point labels read at about 11 pixels), the progress chart all of it.
YEAR_WIDTH_IN, PROGRESS_WIDTH_IN = 4.4, 8.6


def _number(x: float, lang: str, decimals: int) -> str:
    return fmt_decimal(x, lang, "#,##0" if decimals == 0 else "#,##0." + "0" * decimals)


def _figure(width_in: float, height_in: float) -> tuple[Any, Any]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in))
    ax = fig.subplots()
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=9, color="#888888")
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig, ax


def to_svg(fig: Any, description: str, key: str) -> str:
    """The figure as an inline ``<svg>`` element: scalable, with ``role="img"``, an ``aria-label`` and a ``<title>``
    (``description``, escaped), element ids made unique by ``key`` (several charts share a page)."""
    import matplotlib

    fig.tight_layout(pad=0.4)
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": key, "font.family": "sans-serif"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    label = html.escape(description, quote=True)
    text = re.sub(r'<svg ([^>]*?)width="[^"]*" height="[^"]*"',
                  lambda m: f'<svg {m.group(1)}role="img" aria-label="{label}" '
                            'style="width:100%;height:auto;display:block"', text, count=1)
    text = re.sub(r"(<svg[^>]*>)", lambda m: m.group(1) + f"<title>{label}</title>", text, count=1)
    # ids of this chart only (clip paths, glyphs), so that two charts on one page never share one
    ids = set(re.findall(r'id="([^"]+)"', text))
    for i in sorted(ids, key=len, reverse=True):
        text = re.sub(r'(id="|#)' + re.escape(i) + r'(["\)])', lambda m, i=i: f"{m.group(1)}{key}-{i}{m.group(2)}", text)
    return text


def as_image(svg: str, description: str) -> str:
    """The chart as an ``<img>`` element with the SVG in a data URI and ``description`` as its text alternative
    (escaped): what a page can show where inline SVG is not allowed (Streamlit's ``st.html`` keeps HTML only)."""
    import base64

    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (f'<img class="peta-chart" src="data:image/svg+xml;base64,{data}" alt="{html.escape(description, quote=True)}" '
            'style="width:100%;height:auto;display:block">')


def year_chart(years: Sequence[Any], values: Sequence[float], axis_title: str, lang: str, description: str,
               kind: str = "bar", decimals: int = 0, height_in: float = 2.6, key: str = "year") -> str:
    """One value per year as labelled bars (or a line with labelled points), years along the bottom."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    fig, ax = _figure(YEAR_WIDTH_IN, height_in)
    labels = [str(y) for y in years]
    xs = list(range(len(labels)))
    vals = [float(v) for v in values]
    if kind == "bar":
        ax.bar(xs, vals, color=BLUE, width=0.7)
    else:
        ax.plot(xs, vals, color=BLUE, marker="o", markersize=3.5, linewidth=1.6)
    top = max(vals) if vals else 1
    for x, v in zip(xs, vals):
        ax.annotate(_number(v, lang, decimals), (x, v), xytext=(0, 2), textcoords="offset points", ha="center",
                    va="bottom", fontsize=7.5 if len(xs) > 8 else 8.5, color="#222222")
    ax.set_xticks(xs, labels)
    ax.set_ylim(0, top * 1.15 if top > 0 else 1)
    if decimals == 0:  # counts: ticks at whole numbers only (a province with 0 or 1 regency is not 0, 0, 0, 1, 1)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    # whole numbers on the axis where its ticks are whole (0, 50, 100), decimals only where they are needed
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: _number(v, lang, 0 if float(v).is_integer() else decimals)))
    ax.set_ylabel(axis_title, fontsize=9)
    ax.tick_params(axis="x", labelsize=8 if len(xs) > 8 else 9)
    return to_svg(fig, description, key)


def progress_chart(months: Sequence[date], units: Sequence[int], units_total: int, lang: str, description: str,
                   axis_title: str, official: Sequence[tuple[date, int]] = (), targets: Sequence[date] = (),
                   band: tuple[Sequence[date], Sequence[float], Sequence[float]] | None = None,
                   legend: dict[str, str] | None = None, key: str = "progress") -> str:
    """The trajectory: units with an MPP month by month (line), the ministry's stated counts (points), all units
    (dotted rule), the target dates (dashed rules) and the projection between the fastest and slowest pace (band);
    ``legend`` names what is drawn (keys ``registry``, ``official``, ``target``, ``all``, ``projection``)."""
    from matplotlib.dates import AutoDateLocator, DateFormatter
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    words = legend or {}
    fig, ax = _figure(PROGRESS_WIDTH_IN, 3.0)
    ax.plot(list(months), list(units), color=BLUE, linewidth=1.6, label=words.get("registry"))
    if official:
        ax.scatter([d for d, _n in official], [n for _d, n in official], color=ORANGE, s=16, zorder=3,
                   label=words.get("official"))
    ax.axhline(units_total, color=GREY, linestyle=(0, (2, 2)), linewidth=0.9, label=words.get("all"))
    for i, t in enumerate(targets):
        ax.axvline(t, color=RED, linestyle=(0, (6, 4)), linewidth=1.0, label=words.get("target") if i == 0 else None)
    if band is not None:
        ds, slow, fast = band
        ax.fill_between(list(ds), list(slow), list(fast), color=LIGHT_BLUE, alpha=0.25, linewidth=0,
                        label=words.get("projection"))
        for ys in (slow, fast):
            ax.plot(list(ds), list(ys), color=LIGHT_BLUE, linestyle=(0, (5, 4)), linewidth=1.0)
    ax.set_ylim(0, units_total * 1.08)
    ax.xaxis.set_major_locator(AutoDateLocator(maxticks=10))
    ax.xaxis.set_major_formatter(DateFormatter("%Y"))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # units are counted: no tick between 0 and 1
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: _number(v, lang, 0)))
    ax.set_ylabel(axis_title, fontsize=9)
    if any(words.values()):
        ax.legend(fontsize=7.5, loc="lower right", frameon=True, framealpha=0.9)
    return to_svg(fig, description, key)
