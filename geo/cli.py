"""``python -m geo ...``: the same functions the app uses, for scripts and briefings.

Unreadable input exits with status 2 and one line saying what is wrong and where. Unmatched names are reported,
not errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from .errors import PetaError, log_bug, one_line


class CliError(PetaError):
    """An input problem to report in one line (exit status 2)."""


def _print_json(obj: Any) -> None:
    print(json.dumps(obj, indent=1, ensure_ascii=False, default=str))


def cmd_boundaries(args: argparse.Namespace) -> int:
    from .boundaries import reconciliation_report

    report = reconciliation_report(args.path, args.code_column, args.name_column, args.province_column)
    if args.json:
        _print_json(report)
        return 0
    src = report.get("source", {})
    print(f"Boundary source: {src.get('path') or src.get('root')} ({src.get('origin')})")
    for note in report.get("notes", []):
        print(f"Note: {note}")
    print(f"Features read:        {report['features_read']}")
    print(f"Regencies matched:    {report['matched']} of 514")
    acc = report["accounting"]
    print("Features:             " + ", ".join(f"{v} {k}" for k, v in acc.items()))
    print(f"Geometries repaired:  {report['repaired']}; invalid after cleaning: {report['invalid']}")
    print(f"Overlap share:        {report['overlap_share_before']:.4%} before, {report['overlap_share']:.4%} after")
    if report["missing_official"]:
        print(f"Official regencies without a polygon ({len(report['missing_official'])}): "
              + ", ".join(report["missing_official"][:30]) + (" ..." if len(report["missing_official"]) > 30 else ""))
    for title, key in (("Unmatched", "unmatched"), ("Duplicates", "duplicates"), ("No geometry", "no_geometry"),
                       ("Remapped", "remapped")):
        rows = report[key]
        if rows:
            print(f"{title} ({len(rows)}):")
            for r in rows:
                print(f"  {r['feature']}: {r.get('name')!r} code {r.get('code') or r.get('code_in')!r}: {r['reason']}")
    return 0


def cmd_match(args: argparse.Namespace) -> int:
    from .gazetteer import match_table
    from .tables import read_table

    df = read_table(args.file)
    for note in df.attrs.get("notes", []):
        print(f"note: {note}", file=sys.stderr)
    try:
        out = match_table(df, args.name_column, args.province_column)
    except KeyError as exc:
        raise CliError(f"{args.file}: {exc.args[0]}") from exc
    counts = out["status"].value_counts().to_dict()
    if args.out:
        from .tables import write_table

        write_table(out, args.out)
        print(f"Wrote {len(out)} rows to {args.out}", file=sys.stderr)
    else:
        from .tables import safe_for_spreadsheet

        safe_for_spreadsheet(out).to_csv(sys.stdout, index=False)
    print("Matched {m}, ambiguous {a}, unmatched {u} of {n} rows".format(
        m=counts.get("matched", 0), a=counts.get("ambiguous", 0), u=counts.get("unmatched", 0), n=len(out)),
        file=sys.stderr)
    return 0


def _shared_data() -> Path:
    from . import settings

    return settings.get("shared") / "data"


def cmd_build_registry(args: argparse.Namespace) -> int:
    from .registry import (
        DATA_DIR,
        build_registry,
        completeness,
        iter_lines,
        load_official_totals,
        read_sources,
        write_registry,
    )
    from .scores import build_scores

    shared = Path(args.shared) if args.shared else _shared_data()
    mpp_file = shared / "mpp" / "mpp_sources.csv"
    reform_file = shared / "reform" / "reform_scores_sources.csv"
    for f in (mpp_file, reform_file, shared / "mpp_digital" / "mpp_digital_sources.csv"):
        if not f.exists():
            raise CliError(f"{f}: not found (give the shared data folder with --shared)")
    out = Path(args.out) if args.out else DATA_DIR
    build = build_registry(read_sources(mpp_file))
    for p in write_registry(build, out):
        print(f"wrote {p}")
    for line in iter_lines(build):
        print(line)
    scores, unmatched = build_scores(pd.read_csv(reform_file, dtype=str, keep_default_na=False))
    scores.to_csv(out / "reform_scores.csv", index=False)
    print(f"wrote {out / 'reform_scores.csv'}: {len(scores)} rows, {int(scores['selected'].sum())} selected, "
          f"{len(unmatched)} unmatched")
    from .digital import build_digital, load_digital_totals
    from .digital import completeness as digital_completeness

    digital_file = shared / "mpp_digital" / "mpp_digital_sources.csv"
    dig = build_digital(pd.read_csv(digital_file, dtype=str, keep_default_na=False))
    dig.regions.to_csv(out / "mpp_digital.csv", index=False)
    dig.unmatched.to_csv(out / "mpp_digital_unmatched.csv", index=False)
    acc = dig.accounting()
    print(f"wrote {out / 'mpp_digital.csv'}: {len(dig.regions)} regions from {acc['source rows']} statements "
          f"({acc['in the table']} used, {acc['unmatched']} unmatched with a reason)")
    for line in digital_completeness(dig.regions, load_digital_totals()):
        print(f"  {line}")
    print("\nRegistry against KemenPAN-RB's stated totals (MPPs counted nationally: kab/kota + DK Jakarta):")
    comp = completeness(build.registry, load_official_totals())
    for r in comp.itertuples():
        print(f"  {r.as_of}: official {r.official_total:4d}, registry names {r.registry_named:4d} ({r.share_named:.0%})")
    return 0


def _load_inputs(args: argparse.Namespace):
    from .registry import load_official_totals, load_registry
    from .scores import load_scores

    registry = load_registry()
    report = None
    if getattr(args, "mpp_file", None):
        from .uploads import read_mpp_file

        result = read_mpp_file(args.mpp_file)
        registry = result.data
        report = result
        print(f"{args.mpp_file}: {result.accepted} rows accepted, {result.rejected} rejected", file=sys.stderr)
        for note in result.notes:
            print(f"  note: {note}", file=sys.stderr)
        for r in result.report[result.report["status"] == "rejected"].itertuples():
            print(f"  row {r.row}: {r.reason}", file=sys.stderr)
    return registry, load_scores(), load_official_totals(), report


def _scope(args: argparse.Namespace):
    from .coverage import parse_as_of
    from .gazetteer import resolve_provinces

    try:
        when = parse_as_of(args.as_of, args.year)
        provinces = resolve_provinces(args.province)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    return when, provinces


def cmd_coverage(args: argparse.Namespace) -> int:
    from .coverage import coverage, to_json_records

    when, provinces = _scope(args)
    registry, scores, totals, _ = _load_inputs(args)
    result = coverage(when, provinces, registry, scores, totals)
    table = result.table.drop(columns=["regency_type"])
    if args.csv:
        from .tables import write_table

        write_table(table, args.csv)
        print(f"wrote {len(table)} regencies to {args.csv}", file=sys.stderr)
    if args.json:
        _print_json({"as_of": when.isoformat(), "provinces": provinces, "regencies": to_json_records(table),
                     "province_scores": to_json_records(result.province_scores), "summary": result.summary})
    elif not args.csv:
        s = result.summary
        print(f"As of {when.isoformat()}: {s['covered']} of {s['regencies']} regencies have an MPP "
              f"({s['coverage_rate']:.1%}); {s['mpp_count']} MPPs")
        if s["official_total"] is not None:
            print(f"KemenPAN-RB's national count on {s['official_total_as_of']}: {s['official_total']}; "
                  f"the registry names {s['registry_named_nationally']} of them")
        for r in result.province_scores.itertuples():
            print(f"Province {r.name}: {r.assessment} {r.predikat or '-'} {'' if r.score != r.score else r.score} ({r.year})")
        cols = ["code", "name", "has_mpp", "first_mpp_on", "rb_predikat", "rb_year", "sakip_predikat", "sakip_year"]
        print(table[cols].to_string(index=False))
    return 0


def cmd_render_map(args: argparse.Namespace) -> int:
    import geopandas as gpd

    from .assets import standalone_html
    from .boundaries import CRS, borders_for, load_boundaries
    from .coverage import coverage
    from .maps import LAYERS, coverage_map, mpp_points
    from .registry import as_of

    when, provinces = _scope(args)
    registry, scores, totals, _ = _load_inputs(args)
    result = coverage(when, provinces, registry, scores, totals)
    geoms = load_boundaries("province" if provinces else "national").set_index("code")["geometry"]
    gdf = gpd.GeoDataFrame(result.table, geometry=result.table["code"].map(geoms).values, crs=CRS)
    live = as_of(registry, when)
    if provinces:
        live = live[live["province_code"].isin(provinces)]
    points = mpp_points(live)
    lang = args.lang
    scope = ", ".join(result.table["province"].unique()) if provinces else ("Indonesia")
    title = f"{LAYERS[args.layer][0 if lang == 'id' else 1]} — {scope} — {when.isoformat()}"
    level = "province" if provinces else "national"
    m = coverage_map(gdf, args.layer, lang, mpps=points, title=title, outlines=borders_for(level, tuple(provinces)))
    html = standalone_html(m)
    Path(args.out).write_text(html, encoding="utf-8")
    s = result.summary
    print(f"wrote {args.out}: {len(gdf)} regencies, {s['covered']} with an MPP, {len(points)} MPP markers, "
          f"{len(html.encode()) / 1e6:.2f} MB", file=sys.stderr)
    return 0


def cmd_briefing(args: argparse.Namespace) -> int:
    import time

    from .briefing import briefing_data, briefing_pdf, briefing_png

    when, provinces = _scope(args)
    registry, scores, totals, _ = _load_inputs(args)
    fmt = args.format or ("png" if str(args.out).lower().endswith(".png") else "pdf")
    t = time.perf_counter()
    data = briefing_data(when, provinces, registry, scores, args.lang, totals)
    blob = briefing_pdf(data, args.layer) if fmt == "pdf" else briefing_png(data, args.layer)
    Path(args.out).write_bytes(blob)
    print(f"wrote {args.out}: {fmt.upper()}, {len(blob) / 1e3:.0f} kB in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m geo", description="Peta MPP: regions, boundaries, MPP coverage.")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("boundaries", help="read boundary polygons and print the reconciliation report")
    b.add_argument("path", nargs="?", help="shapefile (.shp or .zip), GeoJSON or GeoPackage; default: built-in source")
    b.add_argument("--code-column")
    b.add_argument("--name-column")
    b.add_argument("--province-column")
    b.add_argument("--json", action="store_true", help="print one JSON object")
    b.set_defaults(func=cmd_boundaries)

    m = sub.add_parser("match", help="match region names in a CSV/XLSX to Kemendagri codes")
    m.add_argument("file")
    m.add_argument("--name-column", required=True)
    m.add_argument("--province-column")
    m.add_argument("--out", help="write CSV or XLSX here (default: CSV on standard output)")
    m.set_defaults(func=cmd_match)

    r = sub.add_parser("build-registry", help="rebuild data/mpp_registry.csv and data/reform_scores.csv from shared facts")
    r.add_argument("--shared", help="the shared data folder (default: ../shared/data)")
    r.add_argument("--out", help="output folder (default: data/)")
    r.set_defaults(func=cmd_build_registry)

    c = sub.add_parser("coverage", help="one row per regency: MPP coverage and reform scores as of a date")
    _add_scope(c)
    c.add_argument("--json", action="store_true")
    c.add_argument("--csv", metavar="OUT", help="write the table as CSV (or XLSX by extension)")
    c.set_defaults(func=cmd_coverage)

    rm = sub.add_parser("render-map", help="the coverage map as one standalone HTML file (no network needed)")
    _add_scope(rm)
    rm.add_argument("--layer", choices=["coverage", "mpp_count", "first_year", "rb", "sakip", "digital"],
                    default="coverage")
    rm.add_argument("--lang", choices=["id", "en"], default="id")
    rm.add_argument("--out", required=True, metavar="FILE.html")
    rm.set_defaults(func=cmd_render_map)

    br = sub.add_parser("briefing", help="a one-page PDF briefing, or the map as PNG")
    _add_scope(br)
    br.add_argument("--lang", choices=["id", "en"], default="id")
    br.add_argument("--format", choices=["pdf", "png"], help="default: from the file name, else pdf")
    br.add_argument("--layer", choices=["coverage", "mpp_count", "first_year", "rb", "sakip", "digital"],
                    default="coverage")
    br.add_argument("--out", required=True)
    br.set_defaults(func=cmd_briefing)
    return p


def _add_scope(p: argparse.ArgumentParser) -> None:
    when = p.add_mutually_exclusive_group()
    when.add_argument("--as-of", metavar="DATE", help="YYYY-MM-DD (default: today)")
    when.add_argument("--year", type=int, help="as of 31 December of this year")
    p.add_argument("--province", action="append", metavar="P", help="province name, code or abbreviation (repeatable)")
    p.add_argument("--mpp-file", metavar="F", help="an analyst's MPP list (CSV/XLSX) instead of the built-in registry")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except PetaError as exc:
        print(f"error: {one_line(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except RecursionError:
        print("error: the input is nested too deeply to read", file=sys.stderr)
        return 2
    except MemoryError:
        print("error: the input needs more memory than this machine has; it is refused", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug, not bad input: one line with a reference, the traceback to the log
        ref = log_bug(exc)
        print(f"error: an internal error happened (reference {ref}); please report it", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
