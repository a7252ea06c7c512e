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


class CliError(Exception):
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
    return p


def main(argv: list[str] | None = None) -> int:
    from .boundaries import BoundaryError
    from .sources import SourceError
    from .tables import TableError

    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except (CliError, BoundaryError, SourceError, TableError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
