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

from .errors import PetaError, log_bug
from .i18n import N_


class CliError(PetaError):
    """An input problem to report in one line (exit status 2)."""


def _words() -> Any:
    """The translator for the command line's language (setting ``cli_lang``, ``PETA_MPP_LANG``)."""
    from . import settings
    from .i18n import translator

    return translator(settings.get("cli_lang"))


def _print_json(obj: Any) -> None:
    print(json.dumps(obj, indent=1, ensure_ascii=False, default=str))


def cmd_boundaries(args: argparse.Namespace) -> int:
    from .boundary_io import reconciliation_report

    report = reconciliation_report(args.path, args.code_column, args.name_column, args.province_column)
    if args.json:
        _print_json(report)
        return 0
    _ = _words()
    src = report.get("source", {})
    origin = {"local folder": _("local folder"), "download cache": _("download cache"), "file": _("file")}
    print(_("Boundary source: {where} ({origin})", where=src.get("path") or src.get("root"),
            origin=origin.get(src.get("origin"), src.get("origin"))))
    for note in report.get("notes", []):
        print(_("Note: {note}", note=_.say(note)))
    print(_("Features read: {n}", n=report["features_read"]))
    print(_("Regencies matched: {matched} of {total}", matched=report["matched"], total=514))
    outcomes = {"matched": _("matched"), "duplicate": _("duplicate"), "unmatched": _("unmatched"),
                "ambiguous": _("ambiguous"), "no geometry": _("no geometry")}
    print(_("Features: {counts}", counts=", ".join(f"{v} {outcomes.get(k, k)}" for k, v in report["accounting"].items())))
    print(_("Geometries repaired: {repaired}; invalid after cleaning: {invalid}", repaired=report["repaired"],
            invalid=report["invalid"]))
    print(_("Overlap share: {before} before, {after} after", before=_.pct(report["overlap_share_before"], 4),
            after=_.pct(report["overlap_share"], 4)))
    missing = report["missing_official"]
    if missing:
        print(_("Official regencies without a polygon ({n}): {codes}", n=len(missing),
                codes=", ".join(missing[:30]) + (" ..." if len(missing) > 30 else "")))
    titles = {"unmatched": _("Unmatched"), "duplicates": _("Duplicates"), "no_geometry": _("No geometry"),
              "remapped": _("Remapped")}
    for key, title in titles.items():
        rows = report[key]
        if rows:
            print(f"{title} ({len(rows)}):")
            for r in rows:
                print("  " + _("{feature}: {name!r} code {code!r}: {reason}", feature=r["feature"], name=r.get("name"),
                               code=r.get("code") or r.get("code_in"), reason=_.say(r["reason"])))
    return 0


def cmd_match(args: argparse.Namespace) -> int:
    from .gazetteer import match_table
    from .tables import read_table

    _ = _words()
    df = read_table(args.file)
    for note in df.attrs.get("notes", []):
        print(_("note: {note}", note=_.say(note)), file=sys.stderr)
    try:
        out = match_table(df, args.name_column, args.province_column)
    except KeyError as exc:
        raise CliError(N_("{args_file}: {exc_args_0}", args_file=args.file, exc_args_0=exc.args[0])) from exc
    counts = out["status"].value_counts().to_dict()
    if args.out:
        from .tables import write_table

        write_table(out, args.out)
        print(_("Wrote {n} rows to {path}", n=len(out), path=args.out), file=sys.stderr)
    else:
        from .tables import safe_for_spreadsheet

        safe_for_spreadsheet(out).to_csv(sys.stdout, index=False)
    print(_("Matched {m}, ambiguous {a}, unmatched {u} of {n} rows", m=counts.get("matched", 0),
            a=counts.get("ambiguous", 0), u=counts.get("unmatched", 0), n=len(out)), file=sys.stderr)
    return 0


def _shared_data() -> Path:
    from . import settings

    return settings.get("shared") / "data"


def cmd_build_registry(args: argparse.Namespace) -> int:
    from .curation import (
        SOURCES_DIR,
        STATEMENT_FILES,
        build_all,
        differences,
        merge_statements,
        write_all,
    )
    from .registry import DATA_DIR

    sources = Path(args.sources) if args.sources else SOURCES_DIR
    if args.merge_shared:
        shared = Path(args.shared) if args.shared else _shared_data()
        for name, folder in STATEMENT_FILES.items():
            incoming = shared / folder / name
            if not incoming.exists():
                raise CliError(N_("{incoming}: not found (give the shared data folder with --shared)",
                                  incoming=incoming))
            added = merge_statements(sources / name, incoming)
            print(f"{name}: {len(added)} new statement(s) merged from {incoming}")
    for name in STATEMENT_FILES:
        if not (sources / name).exists():
            raise CliError(N_("{sources_name}: not found (the statement files live in data/sources/)",
                              sources_name=sources / name))
    build = build_all(sources)
    out = Path(args.out) if args.out else DATA_DIR
    if args.check:
        diff = differences(build, out)
        if diff:
            print("\n".join(diff), file=sys.stderr)
            print(f"error: the committed tables in {out} differ from a rebuild of {sources}; run "
                  f"`python -m geo build-registry` and commit the result", file=sys.stderr)
            return 1
        print(f"ok: every curated table in {out} is the build of {sources} ({len(build.tables)} tables)")
        return 0
    for p in write_all(build, out):
        print(f"wrote {p}")
    for line in build.report:
        print(line)
    return 0


def cmd_add_statements(args: argparse.Namespace) -> int:
    from .curation import add_statements

    result = add_statements(args.file, dry_run=args.dry_run)
    for r in result.report.itertuples():
        print(f"  row {r.row}: {r.status}" + (f": {r.reason}" if r.reason else f" ({r.region})"), file=sys.stderr)
    print(f"{args.file}: {result.accepted} statement(s) accepted, {result.rejected} rejected"
          + (" (dry run: nothing written)" if args.dry_run else ""))
    for line in result.changes:
        print(line)
    return 0 if result.accepted or not result.rejected else 2


def cmd_settings(args: argparse.Namespace) -> int:
    from . import settings

    for row in settings.table():
        print(f"{row['variable']:28} = {row['value'] or '(unset)'}   [{row['from']}; default: "
              f"{row['default'] or '(none)'}]\n{'':31}{row['help']}")
    return 0


def _load_inputs(args: argparse.Namespace):
    from .registry import load_official_totals, load_registry
    from .scores import load_scores

    registry, scores = _with_corrections(load_registry, load_scores)
    report = None
    if getattr(args, "mpp_file", None):
        from .inputs import regency_extents
        from .uploads import merge_registry, read_mpp_file

        result = read_mpp_file(args.mpp_file, extents=regency_extents())
        report = result
        _ = _words()
        print(_("{file}: {accepted} rows accepted ({warnings} with a warning), {rejected} rejected", file=args.mpp_file,
                accepted=result.accepted, warnings=result.warnings, rejected=result.rejected), file=sys.stderr)
        status = {"warning": _("warning"), "rejected": _("rejected")}
        for note in result.notes:
            print("  " + _("note: {note}", note=_.say(note)), file=sys.stderr)
        for r in result.report[result.report["status"] != "accepted"].itertuples():
            print("  " + _("row {row}: {status}: {reason}", row=r.row, status=status.get(r.status, r.status),
                           reason=_.say(r.reason)), file=sys.stderr)
        if getattr(args, "merge", False):
            registry, outcome = merge_registry(registry, result.data)
            print("  " + _("merged into the built-in registry: {added} MPP(s) added, {there} already there",
                           added=int((outcome["outcome"] == "added").sum()),
                           there=int((outcome["outcome"] != "added").sum())), file=sys.stderr)
            for r in outcome[outcome["outcome"] != "added"].itertuples():
                print("  " + _("row {row}: not added: {reason}", row=r.row, reason=_.say(r.reason)), file=sys.stderr)
        else:
            registry = result.data
    return registry, scores, load_official_totals(), report


def _with_corrections(load_registry: Callable[[], Any], load_scores: Callable[[], Any]) -> tuple[Any, Any]:
    """The registry and scores with the store's accepted corrections taken in; the committed ones, with a warning,
    when the store cannot be read."""
    from .corrections import current
    from .store import StoreError

    try:
        now = current()
    except StoreError as exc:
        from . import settings

        print(f"warning: corrections not taken in: {exc.say(settings.get('cli_lang'))}", file=sys.stderr)
        return load_registry(), load_scores()
    if len(now.applied):
        _ = _words()
        print(_("{n} accepted field correction(s) taken in", n=len(now.applied)), file=sys.stderr)
    return now.registry, now.scores


def _scope(args: argparse.Namespace):
    from .coverage import parse_as_of
    from .gazetteer import resolve_provinces

    try:
        when = parse_as_of(args.as_of, args.year)
        provinces = resolve_provinces(args.province)
    except ValueError as exc:
        raise CliError(exc.args[0] if exc.args else str(exc)) from exc
    return when, provinces


def cmd_coverage(args: argparse.Namespace) -> int:
    from . import settings, views
    from .coverage import to_json_records

    when, provinces = _scope(args)
    registry, scores, totals, _report = _load_inputs(args)
    inputs = views.Inputs(registry, scores, totals, "cli")
    result = views.coverage_result(when, provinces, inputs)
    table = views.regencies(when, provinces, inputs, result) if args.json else result.table.drop(columns=["regency_type"])
    _ = _words()
    if args.csv:
        from .tables import write_table

        write_table(table, args.csv)
        print(_("wrote {n} regencies to {path}", n=len(table), path=args.csv), file=sys.stderr)
    if args.json:
        _print_json({**views.summary(when, provinces, inputs, result, lang=settings.get("cli_lang")),
                     "regencies": to_json_records(table)})
    elif not args.csv:
        s = result.summary
        scope = _("national") if s.scope == "national" else _("provinces")
        from .story import coverage_headline, registry_count

        words = settings.get("cli_lang")  # the headline and the registry's count as every surface says them
        print(_("As of {date} ({scope}): {headline}; {without} have no MPP service", date=when.isoformat(),
                scope=scope, headline=coverage_headline(s, words).sentence(), without=s.without_service))
        print(_("All MPPs in the registry in scope, province-run ones included: {registry}",
                registry=s.mpps_in_registry))
        if s.population_total:
            print(_("Registered residents (Dukcapil 2025, not a census): {covered} of {total} live in a regency with "
                    "its own MPP; {served} are served", covered=_.int(s.population_covered),
                    total=_.int(s.population_total), served=_.int(s.population_served)))
        print(registry_count(s, words).sentence())
        if result.progress is not None:
            from .progress import progress_lines

            for line in progress_lines(result.progress, settings.get("cli_lang")):
                print(line)
        for r in result.province_scores.itertuples():
            said = " ".join(str(x) for x in (r.assessment, r.predikat or "-", r.score) if x == x and x is not None)
            print(_("Province {name}: {result} ({year})", name=r.name, result=said, year=r.year))
        cols = ["code", "name", "has_mpp", "first_mpp_on", "rb_predikat", "rb_year", "sakip_predikat", "sakip_year"]
        print(table[cols].to_string(index=False))
    return 0


def cmd_render_map(args: argparse.Namespace) -> int:
    from .assets import standalone_html
    from .boundaries import attach_geometry
    from .coverage import coverage
    from .inputs import centres, map_inputs, reference
    from .maps import coverage_map, layer_title, mpp_points
    from .registry import as_of

    when, provinces = _scope(args)
    registry, scores, totals, _report = _load_inputs(args)
    result = coverage(when, provinces, registry, scores, totals, **reference())
    drawn = map_inputs(provinces)
    gdf = attach_geometry(result.table, drawn["shapes"])
    live = as_of(registry, when)
    if provinces:
        live = live[live["province_code"].isin(provinces)]
    points = mpp_points(live, centres())
    lang = args.lang
    scope = ", ".join(result.table["province"].unique()) if provinces else ("Indonesia")
    title = f"{layer_title(args.layer, lang)} — {scope} — {when.isoformat()}"
    m = coverage_map(gdf, args.layer, lang, mpps=points, title=title, outlines=drawn["borders"])
    html = standalone_html(m)
    Path(args.out).write_text(html, encoding="utf-8")
    s = result.summary
    _ = _words()
    print(_("wrote {path}: {n} regencies, {covered} with an MPP, {markers} MPP markers, {mb} MB", path=args.out,
            n=len(gdf), covered=s.with_own_mpp, markers=len(points), mb=f"{len(html.encode()) / 1e6:.2f}"),
          file=sys.stderr)
    return 0


def cmd_briefing(args: argparse.Namespace) -> int:
    import time

    from .briefing import PUBLIC, Provenance, briefing_data, briefing_pdf, briefing_png
    from .inputs import briefing_inputs

    when, provinces = _scope(args)
    registry, scores, totals, _report = _load_inputs(args)
    origin = (Provenance("add" if args.merge else "replace", Path(args.mpp_file).name) if args.mpp_file else PUBLIC)
    fmt = args.format or ("png" if str(args.out).lower().endswith(".png") else "pdf")
    t = time.perf_counter()
    data = briefing_data(when, provinces, registry, scores, args.lang,
                         **{**briefing_inputs(provinces), "totals": totals}, provenance=origin)
    blob = briefing_pdf(data, args.layer) if fmt == "pdf" else briefing_png(data, args.layer)
    Path(args.out).write_bytes(blob)
    _ = _words()
    print(_("wrote {path}: {fmt}, {kb} kB in {seconds} s", path=args.out, fmt=fmt.upper(), kb=f"{len(blob) / 1e3:.0f}",
            seconds=f"{time.perf_counter() - t:.1f}"), file=sys.stderr)
    return 0


def cmd_datasets(args: argparse.Namespace) -> int:
    """Operators' view of the saved-dataset store: migrate it, list what it holds, remove one dataset."""
    from .store import Store

    store = Store()
    if args.action == "migrate":
        store.engine  # creates or migrates the schema under the store's lock
        print(f"store ready: {store.count()} datasets")
    elif args.action == "list":
        listing = store.listing()
        if args.json:
            print(listing.to_json(orient="records", date_format="iso"))
        else:
            print(listing.to_string(index=False) if len(listing) else "no saved datasets")
    else:
        if not args.id:
            raise PetaError("give the id of the dataset to remove")
        if not store.remove(args.id):
            raise PetaError(f"no saved dataset {args.id!r}")
        print(f"removed {args.id}")
    return 0


def _password(args: argparse.Namespace) -> str:
    """The new steward's password: from standard input when it is not a terminal, else asked twice."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    import getpass

    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise CliError(N_("the two passwords differ; nothing was made"))
    return first


def cmd_stewards(args: argparse.Namespace) -> int:
    """Operators: make, list and remove the accounts of the stewards who review corrections."""
    from . import stewards

    if args.action == "add":
        if not args.name:
            raise CliError(N_("give the steward's name"))
        stewards.add(args.name, _password(args))
        print(f"steward {args.name} added")
    elif args.action == "list":
        listing = stewards.listing()
        print(listing.to_string(index=False) if len(listing) else "no stewards")
    elif args.action == "unlock":
        n = stewards.unlock(args.name)
        print(f"cleared {n} lock(s) and count(s) of " + (f"steward name {args.name}" if args.name else
                                                           "every name and client address"))
    else:
        if not args.name:
            raise CliError(N_("give the steward's name"))
        if not stewards.remove(args.name):
            raise CliError(N_("no steward {name!r}", name=args.name))
        print(f"steward {args.name} removed (their entries in the audit log stay)")
    return 0


def cmd_corrections(args: argparse.Namespace) -> int:
    """Operators: submit, list, review and export corrections from the field."""
    from . import corrections as corr

    args.id = args.ids[0] if args.ids else None
    if args.action == "remove":
        if not args.ids:
            raise CliError(N_("give the ids of the corrections to remove"))
        print(f"removed {corr.remove(args.ids)} correction(s) of {len(args.ids)} named, with their audit entries and "
              "documents")
        return 0
    if args.action == "purge":
        n = corr.purge(args.older_than_days, args.like)
        print(f"removed {n} correction(s) no steward had looked at (still diajukan)")
        return 0
    if args.action == "submit":
        claim = corr.Claim(region=args.region or "", province=args.province or "", claim=args.claim or "",
                           date=args.date or "", mpp_name=args.name or "", assessment=args.assessment or "",
                           year=str(args.year or ""), predikat=args.predikat or "", score=args.score or "",
                           source_url=args.source or "", note=args.note or "")
        done = corr.submit(claim, channel="cli")
        print(done.id)
        print(f"withdraw token: {done.token}", file=sys.stderr)
    elif args.action == "list":
        statuses = tuple(corr.STATUS_WORDS.get(s.lower(), s) for s in (args.status or []))
        unknown = [s for s in statuses if s not in corr.STATUSES]
        if unknown:
            raise CliError(N_("unknown status {s!r}; statuses: {all}", s=unknown[0], all=", ".join(corr.STATUSES)))
        listing = corr.listing(statuses=statuses)
        if args.json:
            print(listing.to_json(orient="records", date_format="iso", force_ascii=False))
        else:
            cols = ["id", "region", "claim", "claim_date", "status", "submitted_at"]
            print(listing[cols].to_string(index=False) if len(listing) else "no corrections")
    elif args.action == "review":
        if not args.id or not (args.accept or args.reject or args.start) or not args.by:
            raise CliError(N_("give the id, one of --accept, --reject or --start, and --by STEWARD"))
        to = "diterima" if args.accept else "ditolak" if args.reject else "ditinjau"
        before = corr.review(args.id, to, args.by, args.reason or "")
        print(f"{args.id}: {before} -> {to}")
    else:
        if not args.out:
            raise CliError(N_("give --out FILE.csv"))
        from .tables import write_table

        mpp, scores, left = corr.export(corr.accepted())
        write_table(mpp, args.out)
        print(f"wrote {len(mpp)} MPP statement(s) to {args.out} (for python -m geo add-statements)")
        if len(scores):
            out = Path(args.out)
            extra = out.with_name(f"{out.stem}.scores{out.suffix}")
            write_table(scores, extra)
            print(f"wrote {len(scores)} score statement(s) to {extra} (columns of data/sources/"
                  "reform_scores_sources.csv)")
        for line in left:
            print(f"left out: {line}", file=sys.stderr)
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

    r = sub.add_parser("build-registry", help="rebuild every curated table in data/ from the statements in data/sources/")
    r.add_argument("--sources", help="folder of the statement files (default: data/sources/)")
    r.add_argument("--out", help="output folder (default: data/)")
    r.add_argument("--check", action="store_true", help="rebuild in memory; exit 1 with a short diff if data/ differs")
    r.add_argument("--merge-shared", action="store_true",
                   help="first append the statements of the shared folder not yet in data/sources/")
    r.add_argument("--shared", help="the shared data folder for --merge-shared (default: ../shared/data)")
    r.set_defaults(func=cmd_build_registry)

    a = sub.add_parser("add-statements", help="validate and append MPP statements (region, date, event, source URL), "
                                              "rebuild, and print what changed")
    a.add_argument("file", help="CSV or XLSX: region, date, event, source (URL); optional province, mpp_name, note")
    a.add_argument("--dry-run", action="store_true", help="validate and show what would change; write nothing")
    a.set_defaults(func=cmd_add_statements)

    ds = sub.add_parser("datasets", help="the saved-dataset store: migrate, list, or remove a dataset (operators)")
    ds.add_argument("action", choices=["migrate", "list", "remove"])
    ds.add_argument("id", nargs="?", help="with remove: the dataset's id")
    ds.add_argument("--json", action="store_true")
    ds.set_defaults(func=cmd_datasets)

    sw = sub.add_parser("stewards", help="the accounts of the stewards who review corrections: add, list, remove; "
                                         "unlock [NAME] ends a login lock (a name's, or every one)")
    sw.add_argument("action", choices=["add", "list", "remove", "unlock"])
    sw.add_argument("name", nargs="?", help="the steward's name (add, remove); add reads the password from a prompt "
                                            "or one line of standard input")
    sw.set_defaults(func=cmd_stewards)

    co = sub.add_parser("corrections", help="corrections from the field: submit, list, review, export; operators: "
                                            "remove ID..., purge the unreviewed ones")
    co.add_argument("action", choices=["submit", "list", "review", "export", "remove", "purge"])
    co.add_argument("ids", nargs="*", metavar="id", help="with review: the correction's id; with remove: the ids")
    co.add_argument("--older-than-days", type=float, help="purge: only those sent more than N days ago")
    co.add_argument("--like", metavar="ID", help="purge: only those sent from the client address that sent ID")
    co.add_argument("--region", help="submit: regency name or code")
    co.add_argument("--province", help="submit: the regency's province, where the name is ambiguous")
    co.add_argument("--claim", choices=["operating", "closed", "date", "score", "other"])
    co.add_argument("--date", help="submit: YYYY-MM-DD (operating since, closed since, the right opening date)")
    co.add_argument("--name", help="submit: the MPP's name")
    co.add_argument("--assessment", choices=["RB", "SAKIP"])
    co.add_argument("--year", type=int, help="submit: the assessment year")
    co.add_argument("--predikat")
    co.add_argument("--score")
    co.add_argument("--source", metavar="URL", help="submit: the evidence's address (never fetched)")
    co.add_argument("--note")
    co.add_argument("--status", action="append", help="list: only this status (repeatable)")
    co.add_argument("--json", action="store_true")
    verdict = co.add_mutually_exclusive_group()
    verdict.add_argument("--accept", action="store_true")
    verdict.add_argument("--reject", action="store_true")
    verdict.add_argument("--start", action="store_true", help="review: mark it in review (ditinjau)")
    co.add_argument("--by", metavar="STEWARD", help="review: the steward deciding")
    co.add_argument("--reason")
    co.add_argument("--out", metavar="F.csv", help="export: the file of statements")
    co.set_defaults(func=cmd_corrections)

    st = sub.add_parser("settings", help="every setting with its value, default and where it is read from")
    st.set_defaults(func=cmd_settings)

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

    api = sub.add_parser("api", help="serve the read-only data API (JSON, CSV, GeoJSON; OpenAPI at "
                                     "/api/v1/openapi.json, docs at /api/v1/docs)")
    api.add_argument("--host", default="127.0.0.1")
    api.add_argument("--port", type=int, default=8600)
    api.set_defaults(func=cmd_api)
    return p


def cmd_api(args: argparse.Namespace) -> int:
    from .api import serve

    serve(args.host, args.port)
    return 0


def _add_scope(p: argparse.ArgumentParser) -> None:
    when = p.add_mutually_exclusive_group()
    when.add_argument("--as-of", metavar="DATE", help="YYYY-MM-DD (default: today)")
    when.add_argument("--year", type=int, help="as of 31 December of this year")
    p.add_argument("--province", action="append", metavar="P", help="province name, code or abbreviation (repeatable)")
    p.add_argument("--mpp-file", metavar="F", help="an analyst's MPP list (CSV/XLSX) instead of the built-in registry")
    p.add_argument("--merge", action="store_true", help="with --mpp-file: add the file's MPPs to the built-in registry "
                                                         "(as the app does by default) instead of replacing it")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except PetaError as exc:
        from . import settings

        print(f"error: {exc.say(settings.get('cli_lang'))}", file=sys.stderr)
        return exc.exit_code
    except RecursionError:
        print("error: the input is nested too deeply to read", file=sys.stderr)
        return 2
    except MemoryError:
        print("error: the input needs more memory than this machine has; it is refused", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug, not bad input: one line with a reference, the traceback to the log
        ref = log_bug(exc)
        print(f"error: an internal error happened (reference {ref}); please report it", file=sys.stderr)
        return 1
