"""Every curated table, rebuilt from the project's own copy of the source statements (``data/sources/``).

The statement files are facts compiled from public sources, one statement per row with its URL (see
``data/sources/README.md``). The repository alone rebuilds every curated table from them:

- ``mpp_sources.csv`` -> ``mpp_registry.csv`` (+ exclusions, negative evidence, unmatched, leads, batch check)
- ``reform_scores_sources.csv`` -> ``reform_scores.csv`` (+ ``reform_unmatched.csv``)
- ``mpp_digital_sources.csv`` -> ``mpp_digital.csv`` (+ ``mpp_digital_unmatched.csv``)
- ``mpp_targets.csv`` (targets and denominators stated by the government) -> ``mpp_targets.csv``

New statements arrive in ``../shared/data`` (append-only passes) or from a data steward
(``python -m geo add-statements``); :func:`merge_statements` appends the rows not yet in the project's copy, so a
statement is never duplicated or rewritten. ``python -m geo build-registry --check`` rebuilds everything in memory
and fails with a short diff when a committed table differs (the test suite runs it).
"""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from .gazetteer import DATA_DIR
from .i18n import N_

SOURCES_DIR = DATA_DIR / "sources"
#: statement file -> its folder under shared/data
STATEMENT_FILES = {"mpp_sources.csv": "mpp", "reform_scores_sources.csv": "reform",
                   "mpp_digital_sources.csv": "mpp_digital", "mpp_targets.csv": "mpp"}


@dataclass
class Build:
    """The curated tables by file name, and the build's report lines."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    report: list[str] = field(default_factory=list)


def read_statements(name: str, folder: Path = SOURCES_DIR) -> pd.DataFrame:
    """A statement file as text cells, with ``source_row`` = its 1-based row in the file (header = row 1)."""
    from .registry import read_sources

    return read_sources(folder / name)


def build_all(folder: Path = SOURCES_DIR) -> Build:
    """Build every curated table from the statement files in ``folder``."""
    from .digital import build_digital, load_digital_totals
    from .digital import completeness as digital_completeness
    from .registry import (
        batch_check,
        build_registry,
        completeness,
        iter_lines,
        load_events,
        load_official_totals,
    )
    from .progress import build_targets
    from .schemas import (
        EVENTS,
        MPP_STATEMENTS,
        REFORM_STATEMENTS,
        REGISTRY,
        SCORES,
        TARGET_STATEMENTS,
        validate,
    )
    from .scores import build_scores

    out = Build()
    mpp = read_statements("mpp_sources.csv", folder)
    validate(MPP_STATEMENTS, mpp)
    validate(REFORM_STATEMENTS, read_statements("reform_scores_sources.csv", folder))
    validate(EVENTS, load_events())
    reg = build_registry(mpp)
    validate(REGISTRY, reg.registry)
    out.tables.update({"mpp_registry.csv": reg.registry, "mpp_exclusions.csv": reg.exclusions,
                       "mpp_negative_evidence.csv": reg.negative, "mpp_unmatched.csv": reg.unmatched,
                       "mpp_leads.csv": reg.leads, "mpp_events_check.csv": batch_check(reg.registry)})
    out.report.extend(iter_lines(reg))
    scores, unmatched = build_scores(read_statements("reform_scores_sources.csv", folder))
    validate(SCORES, scores)
    out.tables.update({"reform_scores.csv": scores, "reform_unmatched.csv": unmatched})
    out.report.append(f"reform scores: {len(scores)} rows, {int(scores['selected'].sum())} selected, "
                      f"{len(unmatched)} not used (with the reason)")
    targets = read_statements("mpp_targets.csv", folder)
    validate(TARGET_STATEMENTS, targets)
    out.tables["mpp_targets.csv"] = build_targets(targets)
    out.report.append(f"targets and denominators: {len(targets)} statements "
                      f"({int((targets['statement_kind'] == 'target').sum())} targets)")
    dig = build_digital(read_statements("mpp_digital_sources.csv", folder).drop(columns="source_row"))
    out.tables.update({"mpp_digital.csv": dig.regions, "mpp_digital_unmatched.csv": dig.unmatched})
    acc = dig.accounting()
    out.report.append(f"MPP Digital: {len(dig.regions)} regions from {acc['source rows']} statements "
                      f"({acc['in the table']} used, {acc['unmatched']} unmatched with a reason)")
    out.report.extend(f"  {line}" for line in digital_completeness(dig.regions, load_digital_totals()))
    out.report.append("Registry against KemenPAN-RB's stated totals (MPPs as KemenPAN-RB counts them):")
    for r in completeness(reg.registry, load_official_totals()).itertuples():
        out.report.append(f"  {r.as_of}: official {r.official_total:4d}, registry names {r.registry_named:4d} "
                          f"({r.share_named:.0%})")
    return out


def csv_text(df: pd.DataFrame) -> str:
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def write_all(build: Build, folder: Path = DATA_DIR) -> list[Path]:
    paths = []
    for name, df in build.tables.items():
        p = folder / name
        p.write_text(csv_text(df), encoding="utf-8")
        paths.append(p)
    return paths


def differences(build: Build, folder: Path = DATA_DIR, context: int = 3) -> list[str]:
    """A short diff for every committed table that differs from the build (empty when all agree)."""
    lines: list[str] = []
    for name, df in build.tables.items():
        p = folder / name
        new = csv_text(df).splitlines()
        old = p.read_text(encoding="utf-8").splitlines() if p.exists() else []
        if new == old:
            continue
        diff = list(difflib.unified_diff(old, new, f"committed/{name}", f"rebuilt/{name}", n=0, lineterm=""))
        lines.append(f"{name}: {len(old) - 1} rows committed, {len(new) - 1} rebuilt")
        lines.extend("  " + d[:160] for d in diff[2:2 + 2 * context + 6])
        if len(diff) > 2 + 2 * context + 6:
            lines.append(f"  … {len(diff) - 2 - 2 * context - 6} more diff lines")
    return lines


def merge_statements(project: Path, incoming: Path) -> pd.DataFrame:
    """Append the rows of ``incoming`` that ``project`` does not have yet (same columns, whole-row identity, order
    kept); return the rows appended. Never rewrites or removes a row already in the project."""
    have = pd.read_csv(project, dtype=str, keep_default_na=False)
    new = pd.read_csv(incoming, dtype=str, keep_default_na=False)
    if list(new.columns) != list(have.columns):
        from .errors import PetaError

        raise PetaError(N_("{incoming}: columns {list_new_columns} differ from {project_name}'s "
                           "{list_have_columns}", incoming=incoming,
                           list_new_columns=list(new.columns), project_name=project.name,
                           list_have_columns=list(have.columns)),
                        where=str(incoming))
    seen = set(map(tuple, have.itertuples(index=False)))
    added = new[[tuple(r) not in seen for r in new.itertuples(index=False)]]
    if len(added):  # appended in the file's own line endings: the rows already there stay byte for byte
        raw = project.read_bytes()
        ending = "\r\n" if b"\r\n" in raw[:raw.find(b"\n") + 1] else "\n"
        with project.open("a", encoding="utf-8", newline="") as f:
            if raw and not raw.endswith(b"\n"):
                f.write(ending)
            added.to_csv(f, index=False, header=False, lineterminator=ending)
    return added


# ----------------------------------------------------------------------------------------------------------------
# A data steward adds statements
# ----------------------------------------------------------------------------------------------------------------

#: Accepted headers for add-statements (lower-case, spaces and punctuation as "_").
STEWARD_COLUMNS = {
    "region": ["region", "region_name", "wilayah", "nama_wilayah", "kabupaten_kota", "kab_kota", "daerah"],
    "province": ["province", "provinsi"],
    "date": ["date", "tanggal", "inaugurated_on", "tanggal_peresmian", "tgl_peresmian"],
    "event": ["event", "peristiwa", "kegiatan", "keterangan"],
    "source_url": ["source", "source_url", "sumber", "url"],
    "mpp_name": ["mpp_name", "nama_mpp"],
    "note": ["note", "catatan"],
}


@dataclass
class StatementsResult:
    accepted: int
    rejected: int
    report: pd.DataFrame          # row, status, reason, region
    changes: list[str]            # what changed: MPPs, regencies covered, per-batch totals


def _column(df: pd.DataFrame, names: list[str]) -> str | None:
    import re

    lower = {re.sub(r"[^a-z0-9]+", "_", str(c).lower()).strip("_"): c for c in df.columns}
    return next((lower[n] for n in names if n in lower), None)


def validate_statements(df: pd.DataFrame, rows_no: list[int], today: date | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(statement rows ready to append, per-row report): a matched region, an http(s) URL, a plausible date, an
    event; every row accepted or rejected with its reason."""
    import re

    from . import gazetteer as gz
    from .errors import PetaError
    from .registry import parse_period
    from .settings import FIRST_MPP_YEAR
    from .tables import looks_like_formula

    today = today or date.today()
    cols = {k: _column(df, v) for k, v in STEWARD_COLUMNS.items()}
    missing = [k for k in ("region", "date", "event", "source_url") if cols[k] is None]
    if missing:
        raise PetaError(N_("missing column(s): {join_missing}; columns are: {join_map_str_df_columns}",
                           join_missing=', '.join(missing), join_map_str_df_columns=', '.join(map(str, df.columns))))
    g = gz.gazetteer()
    out, report = [], []
    for rec, rowno in zip(df.to_dict("records"), rows_no):
        def cell(key: str) -> str:
            c = cols[key]
            v = rec.get(c) if c else None
            return "" if v is None or (isinstance(v, float) and v != v) else str(v).strip()
        problems = [f"{key} {cell(key)[:40]!r} starts like a spreadsheet formula (=, +, -, @); refused"
                    for key in ("region", "province", "event", "mpp_name", "note", "source_url")
                    if looks_like_formula(cell(key))]
        region, province = cell("region"), cell("province")
        m = g.match(region, province or None) if region else None
        if m is None:
            problems.append("no region")
        elif m.status != "matched":
            problems.append(f"region {region!r} {m.explain()}")
        raw = cell("date")
        d = re.fullmatch(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})", raw)
        iso = f"{d.group(3)}-{int(d.group(2)):02d}-{int(d.group(1)):02d}" if d else raw[:10] if re.fullmatch(
            r"[0-9]{4}-[0-9]{2}-[0-9]{2}([ T]00:00:00)?", raw) else raw
        period = parse_period(iso)
        if period is None:
            problems.append(f"date {raw!r} is not a date (YYYY-MM-DD, YYYY-MM, YYYY or DD/MM/YYYY)")
        elif period.start > today or period.start.year < FIRST_MPP_YEAR:
            problems.append(f"date {raw} is not plausible (from {FIRST_MPP_YEAR} to today)")
        url = cell("source_url")
        if not re.match(r"https?://[^\s/$.?#].[^\s]*$", url):
            problems.append(f"source {url!r} is not an http(s) URL")
        event = cell("event")
        if not event:
            problems.append("no event (who inaugurated, launched or stated what)")
        if problems:
            report.append({"row": rowno, "status": "rejected", "reason": "; ".join(problems), "region": region})
            continue
        assert m is not None and period is not None
        report.append({"row": rowno, "status": "accepted", "reason": "", "region": m.name})
        out.append({"region_name": m.name, "province": g.province_name(m.province_code), "mpp_name": cell("mpp_name"),
                    "inaugurated_on": period.text, "event": event, "source_url": url, "note": cell("note")})
    return (pd.DataFrame(out, columns=["region_name", "province", "mpp_name", "inaugurated_on", "event", "source_url",
                                       "note"]),
            pd.DataFrame(report, columns=["row", "status", "reason", "region"]))


def add_statements(path: str | Path, dry_run: bool = False, sources: Path = SOURCES_DIR,
                   out: Path = DATA_DIR) -> StatementsResult:
    """Validate a steward's statements, append the accepted ones to ``mpp_sources.csv`` (whole-row duplicates are
    skipped), rebuild every curated table and say what changed."""
    import shutil
    import tempfile

    from .registry import as_of, batch_check
    from .tables import read_table

    df = read_table(path)
    rows, report = validate_statements(df, df.attrs.get("row_numbers", list(range(2, len(df) + 2))))
    before = build_all(sources)
    with tempfile.TemporaryDirectory(prefix="peta-mpp-") as tmp:
        work = Path(tmp)
        for name in STATEMENT_FILES:
            shutil.copy(sources / name, work / name)
        incoming = work / "incoming.csv"
        rows.to_csv(incoming, index=False)
        added = merge_statements(work / "mpp_sources.csv", incoming) if len(rows) else rows
        after = build_all(work)
        if not dry_run and len(added):
            shutil.copy(work / "mpp_sources.csv", sources / "mpp_sources.csv")
            write_all(after, out)
    # what reading the file changed, one line each (bidirectional or invisible characters removed, encodings)
    changes = [f"read: {note}" for note in df.attrs.get("notes", [])]
    r0, r1 = before.tables["mpp_registry.csv"], after.tables["mpp_registry.csv"]
    today = pd.Timestamp.today().date()
    c0 = as_of(r0[~r0["province_run"].astype(bool)], today)["code"].nunique()
    c1 = as_of(r1[~r1["province_run"].astype(bool)], today)["code"].nunique()
    changes.append(f"statements appended: {len(added)} (whole-row duplicates skipped: {len(rows) - len(added)})")
    changes.append(f"MPPs in the registry: {len(r0)} -> {len(r1)}; regencies with their own MPP today: {c0} -> {c1}")
    b0, b1 = batch_check(r0), batch_check(r1)
    for x, y in zip(b0.itertuples(), b1.itertuples()):
        if x.linked != y.linked:
            changes.append(f"batch {y.event_id} ({y.name}): {x.linked} -> {y.linked} MPPs linked of {y.stated_size}")
    return StatementsResult(int((report["status"] == "accepted").sum()), int((report["status"] == "rejected").sum()),
                            report, changes)
