"""Analysts' own data: a CSV/XLSX of MPPs or of reform scores, matched and validated row by row.

The result is the data (in the shape of the built-in registry or score table) plus a report in which every input
row is ``accepted`` or ``rejected`` with its row number (as in the file: header = row 1) and the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from . import gazetteer as gz
from . import settings
from .i18n import N_, Msg, message_frame
from .labels import file_row
from .registry import REGISTRY_COLUMNS, parse_period
from .scores import ASSESSMENTS, PREDIKAT_BANDS, SCORE_COLUMNS, pick
from .settings import FIRST_MPP_YEAR
from .tables import TableError, read_table, read_table_bytes
from .vectorio import LAT_RANGE, LON_RANGE

EARLIEST_MPP_YEAR = FIRST_MPP_YEAR

NAME_COLUMNS = ["region", "region_name", "wilayah", "nama_wilayah", "kabupaten_kota", "kab_kota", "kabkota", "daerah",
                "kabupaten", "kota", "nama", "name", "regency"]
CODE_COLUMNS = ["code", "kode", "kode_wilayah", "kode_kemendagri"]
PROVINCE_COLUMNS = ["province", "provinsi", "prov"]
MPP_NAME_COLUMNS = ["mpp_name", "nama_mpp", "mpp", "nama_mal_pelayanan_publik"]
DATE_COLUMNS = ["opened_on", "date", "tanggal", "inaugurated_on", "tanggal_peresmian", "tanggal_resmi", "tgl_peresmian",
                "tgl_diresmikan", "tanggal_diresmikan", "tgl_resmi", "tgl", "tanggal_dibuka", "tgl_dibuka",
                "tanggal_peluncuran"]
SOURCE_COLUMNS = ["source", "source_url", "sumber", "url", "tautan", "link"]
LAT_COLUMNS = ["latitude", "lat", "lintang"]
LON_COLUMNS = ["longitude", "lon", "lng", "long", "bujur"]


@dataclass
class UploadResult:
    data: pd.DataFrame
    report: pd.DataFrame  # row, status, reason, code, official_name
    notes: list[str]

    @property
    def accepted(self) -> int:
        """Rows used (with or without a warning)."""
        return int(self.report["status"].isin(["accepted", "warning"]).sum())

    @property
    def warnings(self) -> int:
        return int((self.report["status"] == "warning").sum())

    @property
    def rejected(self) -> int:
        return int((self.report["status"] == "rejected").sum())


def _col(df: pd.DataFrame, candidates: list[str]) -> str | None:
    lower = {re.sub(r"[^a-z0-9]+", "_", c.lower()).strip("_"): c for c in df.columns}
    for c in candidates:
        if c in lower:
            return lower[c]
    return None


def _number(value: object, decimal: str) -> float | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    s = str(value).strip()
    if not s:
        return None
    if decimal == ",":
        s = s.replace(".", "").replace(",", ".") if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", s) else s.replace(",", ".")
    try:
        return float(s)
    except ValueError:
        return float("nan")


def _read(source: str | Path | bytes, name: str | None) -> pd.DataFrame:
    if isinstance(source, (bytes, bytearray)):
        return read_table_bytes(bytes(source), name or "upload")
    return read_table(source)


def _region(g: gz.Gazetteer, row: dict, code_col: str | None, name_col: str | None,
            prov_col: str | None, memo: dict | None = None, where: str = "") -> tuple[str | None, str]:
    """(code, reason-if-not) for one row; each distinct (code, name, province) is matched once through ``memo``."""
    code_raw = str(row[code_col]).strip() if code_col and pd.notna(row[code_col]) else ""
    name = str(row[name_col]).strip() if name_col and pd.notna(row[name_col]) else ""
    prov = str(row[prov_col]).strip() if prov_col and pd.notna(row[prov_col]) else None
    if memo is None:
        return _region_of(g, code_raw, name, prov)
    key = (code_raw, name, prov)
    if key not in memo:
        gz.check_distinct_names(len(memo), where)
        memo[key] = _region_of(g, code_raw, name, prov)
    return memo[key]


def _region_of(g: gz.Gazetteer, code_raw: str, name: str, prov: str | None) -> tuple[str | None, str]:
    if code_raw:
        m = g.match(code_raw)
        if m.status != "matched":
            return None, N_("code {code!r}: {reason}", code=_short(code_raw), reason=m.reason)
        if name:
            by_name = g.match(name, prov)
            if by_name.status == "matched" and by_name.code != m.code:
                return None, N_("code {code} is {official} but the name {name!r} is {other}", code=code_raw,
                                official=m.name, name=_short(name), other=by_name.name)
        return m.code, ""
    if not name:
        return None, N_("no region name or code")
    m = g.match(name, prov)
    if m.status == "matched":
        return m.code, ""
    return None, N_("region {name!r} {explanation}", name=_short(name), explanation=m.explain())


def _short(text: str, most: int = 80) -> str:
    """A cell quoted in a reason: at most ``most`` characters."""
    return text if len(text) <= most else text[:most] + "…"


@dataclass
class _Upload:
    df: pd.DataFrame
    where: str          # file (and sheet) for messages
    rows: list[int]     # row numbers as in the file (header = row 1)
    decimal: str        # "." or ","
    name_col: str | None
    code_col: str | None
    notes: list[str]


def _open(source: str | Path | bytes, name: str | None) -> _Upload:
    df = _read(source, name)
    meta = dict(df.attrs)
    df.attrs = {}  # the metadata lives in _Upload; attrs would be copied into every derived frame
    return _Upload(df, meta.get("where", name or str(source)),
                   meta.get("row_numbers", list(range(2, len(df) + 2))), meta.get("decimal", "."),
                   _col(df, NAME_COLUMNS), _col(df, CODE_COLUMNS), list(meta.get("notes", [])))


def detect_mpp_columns(columns: list[str]) -> dict[str, str | None]:
    """The column the reader would use for each field of an MPP file (None where none is recognised)."""
    df = pd.DataFrame(columns=columns)
    return {"region": _col(df, NAME_COLUMNS), "code": _col(df, CODE_COLUMNS), "province": _col(df, PROVINCE_COLUMNS),
            "mpp_name": _col(df, MPP_NAME_COLUMNS), "date": _col(df, DATE_COLUMNS), "source": _col(df, SOURCE_COLUMNS),
            "latitude": _col(df, LAT_COLUMNS), "longitude": _col(df, LON_COLUMNS)}


def mpp_template() -> pd.DataFrame:
    """An empty MPP file with the Indonesian headers the reader recognises (plus one SYNTHETIC example row)."""
    return pd.DataFrame([{"Nama Wilayah": "Kabupaten Contoh (hapus baris ini)", "Provinsi": "Sumatera Utara",
                          "Nama MPP": "MPP Kabupaten Contoh", "Tanggal Peresmian": "17/07/2024",
                          "Sumber": "https://contoh.go.id/berita", "Lintang": "", "Bujur": ""}])


def table_columns(source: str | Path | bytes, name: str | None = None) -> list[str]:
    """The header of an uploaded table (for the column mapping shown before reading)."""
    return list(_read(source, name).columns)


#: How far (degrees, ~11 km) an MPP's point may lie outside its regency's bounding box (coastlines, simplification).
EXTENT_MARGIN = 0.1


#: How an analyst's MPP without a usable date is counted (said in the upload report): present on the map from the
#: data's own date on, never a statement of when it opened (geo.progress leaves it out of the pace and projection).
UNDATED = N_("the row is kept as undated: it counts from the data's own date, and changes neither that date nor "
             "the pace or the projected completion")


def read_mpp_file(source: str | Path | bytes, name: str | None = None, today: date | None = None,
                  columns: dict[str, str | None] | None = None, extents: pd.DataFrame | None = None) -> UploadResult:
    """An analyst's MPP list -> registry-shaped data + per-row report. Raises TableError if unreadable.

    ``columns`` maps fields (region, code, province, mpp_name, date, source, latitude, longitude) to the file's
    headers where the user chose them; the rest are recognised by name (English and the usual Indonesian headers).
    A date that cannot be used keeps its row as undated, with a warning; only a row without a region is rejected.
    ``extents`` (code-indexed minx, miny, maxx, maxy; :func:`geo.inputs.regency_extents`) rejects coordinates that
    lie outside the regency the row names."""
    up = _open(source, name)
    df, where, rows_no, decimal = up.df, up.where, up.rows, up.decimal
    found = detect_mpp_columns(list(df.columns))
    for k, v in (columns or {}).items():
        if v is not None and v not in df.columns:
            raise TableError(N_("{where}: no column {v!r}; columns are: {join_map_str_df_columns}", where=where,
                                v=v, join_map_str_df_columns=', '.join(map(str, df.columns))), where=where)
        found[k] = v
    name_col, code_col = found["region"], found["code"]
    if name_col is None and code_col is None:
        raise TableError(N_("{where}: no region column; name one of: Nama Wilayah, Kabupaten/Kota, wilayah, "
                            "region, or a code column (kode). Columns are: {join_map_str_df_columns}",
                            where=where, join_map_str_df_columns=', '.join(map(str, df.columns))), where=where)
    prov_col, mpp_col, date_col = found["province"], found["mpp_name"], found["date"]
    lat_col, lon_col, src_col = found["latitude"], found["longitude"], found["source"]
    today = today or date.today()
    g = gz.gazetteer()
    reg = g.regencies.set_index("code")
    data, report = [], []
    seen: dict[tuple, int] = {}
    per_regency: dict[str, int] = {}
    most_per_regency, longest = settings.get("max_mpps_per_regency"), settings.get("max_cell_chars")
    memo: dict = {}
    for row, rowno in zip(df.to_dict("records"), rows_no):  # plain dicts: iterrows costs ~0.1 ms a row
        problems = []
        code, why = _region(g, row, code_col, name_col, prov_col, memo, where)
        if code is None:
            problems.append(why)
        opened, precision, warning = "", "", ""
        if date_col and pd.notna(row[date_col]) and str(row[date_col]).strip():
            raw = str(row[date_col]).strip()
            raw_iso = raw[:10] if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T]00:00:00", raw) else raw
            m = re.fullmatch(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})", raw_iso)
            if m:  # Indonesian day/month/year
                raw_iso = f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
            p = parse_period(raw_iso)
            if p is None:
                warning = N_("column {column!r}: {raw!r} is not a date (YYYY-MM-DD, YYYY-MM, YYYY or DD/MM/YYYY)",
                             column=date_col, raw=raw)
            elif p.start > today:
                warning = N_("column {column!r}: {raw} is in the future", column=date_col, raw=raw)
            elif p.start.year < EARLIEST_MPP_YEAR:
                warning = N_("column {column!r}: {raw} is before {year}, when the first MPPs opened", column=date_col,
                             raw=raw, year=EARLIEST_MPP_YEAR)
            else:
                opened, precision = p.text, p.precision
            if warning:
                warning = Msg.join("; ", [warning, UNDATED])
        lat = _number(row[lat_col], decimal) if lat_col else None
        lon = _number(row[lon_col], decimal) if lon_col else None
        if (lat is None) != (lon is None):
            problems.append(N_("give both latitude and longitude, or neither"))
        elif lat is not None:
            if np.isnan(lat) or np.isnan(lon):
                problems.append(N_("latitude/longitude are not numbers"))
            elif not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
                problems.append(N_("coordinates ({lat}, {lon}) are outside Indonesia", lat=lat, lon=lon))
            elif code is not None and extents is not None and code in extents.index:
                b = extents.loc[code]
                if not (b.minx - EXTENT_MARGIN <= lon <= b.maxx + EXTENT_MARGIN
                        and b.miny - EXTENT_MARGIN <= lat <= b.maxy + EXTENT_MARGIN):
                    problems.append(N_("coordinates ({lat}, {lon}) lie outside {name}; check them, or leave them "
                                       "empty to place the MPP at the regency's centre", lat=lat, lon=lon,
                                       name=reg.at[code, "name"]))
        mpp_name = str(row[mpp_col]).strip() if mpp_col and pd.notna(row[mpp_col]) else ""
        if len(mpp_name) > longest:
            problems.append(N_("the MPP name is {n:,} characters long, over the limit of {limit:,} (setting {env})",
                               n=len(mpp_name), limit=longest, env=settings.SETTINGS["max_cell_chars"].env))
        key = (code, mpp_name.lower(), opened)
        if not problems and key in seen:
            problems.append(N_("duplicate of row {seen_key}", seen_key=seen[key]))
        if not problems and per_regency.get(code, 0) >= most_per_regency:
            problems.append(N_("more than {limit} MPPs for {name} in this file (setting {env}); a regency has one, "
                               "rarely two", limit=most_per_regency, name=reg.at[code, "name"],
                               env=settings.SETTINGS["max_mpps_per_regency"].env))
        if problems:
            report.append({"row": rowno, "status": "rejected", "reason": Msg.join("; ", problems + [warning]),
                           "code": code or "", "official_name": reg.at[code, "name"] if code else ""})
            continue
        seen[key] = rowno
        per_regency[code] = per_regency.get(code, 0) + 1
        report.append({"row": rowno, "status": "warning" if warning else "accepted", "reason": warning, "code": code,
                       "official_name": reg.at[code, "name"]})
        src = str(row[src_col]).strip() if src_col and pd.notna(row[src_col]) else ""
        data.append({"mpp_id": f"U{rowno}", "code": code, "name": reg.at[code, "name"],
                     "province_code": reg.at[code, "province_code"], "province": reg.at[code, "province"],
                     "province_run": False, "serves": code, "mpp_name": mpp_name, "status": "operating",
                     "opened_on": opened, "date_precision": precision,
                     "date_basis": "analyst file" if opened else "analyst file, no date",
                     "known_by": "", "counted_nationally": True,
                     "sources": src or file_row(where, rowno), "conflicts": "", "notes": warning,
                     "source_rows": str(rowno), "event_id": "", "latitude": lat, "longitude": lon})
    out = pd.DataFrame(data, columns=REGISTRY_COLUMNS + ["latitude", "longitude"])
    notes = list(up.notes)
    if not date_col:
        notes.append(N_("no date column: {how}", how=UNDATED))
    return UploadResult(out, message_frame(report, ["row", "status", "reason", "code", "official_name"]), notes)


def read_scores_file(source: str | Path | bytes, name: str | None = None, today: date | None = None) -> UploadResult:
    """An analyst's reform scores (region, assessment, year, predikat and/or score) -> score table + report."""
    up = _open(source, name)
    df, where, rows_no, decimal, name_col, code_col = up.df, up.where, up.rows, up.decimal, up.name_col, up.code_col
    ass_col, year_col = _col(df, ["assessment", "penilaian", "jenis", "indeks"]), _col(df, ["year", "tahun"])
    pred_col, score_col = _col(df, ["predikat", "grade", "kategori"]), _col(df, ["score", "nilai", "skor"])
    missing = [label for label, c in (("region or code", name_col or code_col), ("assessment", ass_col),
                                      ("year", year_col), ("predikat or score", pred_col or score_col)) if c is None]
    if missing:
        raise TableError(N_("{where}: missing column(s): {join_missing}. Columns are: "
                            "{join_map_str_df_columns}", where=where,
                            join_missing=', '.join(missing), join_map_str_df_columns=', '.join(map(str, df.columns))))
    today = today or date.today()
    g = gz.gazetteer()
    memo: dict = {}
    data, report = [], []
    for row, rowno in zip(df.to_dict("records"), rows_no):  # plain dicts: iterrows costs ~0.1 ms a row
        problems = []
        code = None
        name = str(row[name_col]).strip() if name_col and pd.notna(row[name_col]) else ""
        as_province = g.province_codes(name) if name and not (code_col and pd.notna(row[code_col])) else None
        as_regency = g.match(name) if as_province else None
        explicit = bool(re.match(r"(?i)\s*(provinsi|prov\.?|pemprov)\s", name))
        if as_province and len(as_province) == 1 and (explicit or as_regency.status != "matched"):
            code, level = sorted(as_province)[0], "province"
        elif as_province and as_regency is not None and as_regency.status == "matched":
            level = "regency"
            problems.append(N_("region {name!r} is ambiguous: the province {g_province_name_sorted_as_prov} or "
                               "{as_regency_name}; write 'Provinsi {name}' or the regency's full name",
                               name=name, g_province_name_sorted_as_prov=g.province_name(sorted(as_province)[0]),
                               as_regency_name=as_regency.name))
        else:
            code, why = _region(g, row, code_col, name_col, None, memo, where)
            level = "regency"
            if code is None:
                problems.append(why)
        assessment = str(row[ass_col]).strip().upper() if pd.notna(row[ass_col]) else ""
        assessment = {"AKIP": "SAKIP", "IRB": "RB", "INDEKS RB": "RB"}.get(assessment, assessment)
        if assessment not in ASSESSMENTS:
            problems.append(N_("column {ass_col!r}: unknown assessment {assessment!r} (RB or SAKIP)",
                               ass_col=ass_col, assessment=assessment))
        year_raw = str(row[year_col]).strip() if pd.notna(row[year_col]) else ""
        year = int(year_raw) if re.fullmatch(r"[0-9]{4}", year_raw) else None
        if year is None:
            problems.append(N_("column {year_col!r}: {year_raw!r} is not a year", year_col=year_col,
                               year_raw=year_raw))
        elif not (2010 <= year <= today.year):
            problems.append(N_("column {year_col!r}: {year} is outside 2010-{today_year}", year_col=year_col,
                               year=year, today_year=today.year))
        predikat = str(row[pred_col]).strip().upper() if pred_col and pd.notna(row[pred_col]) else ""
        if predikat and predikat not in PREDIKAT_BANDS:
            problems.append(N_("column {pred_col!r}: predikat {predikat!r} is not on the scale "
                               "({join_predikat_bands})", pred_col=pred_col,
                               predikat=predikat, join_predikat_bands=', '.join(PREDIKAT_BANDS)))
        score = _number(row[score_col], decimal) if score_col else None
        if score is not None and (np.isnan(score) or not 0 <= score <= 125):
            problems.append(N_("column {score_col!r}: score {row_score_col!r} is not a number from 0 to 125",
                               score_col=score_col, row_score_col=row[score_col]))
        if not predikat and score is None:
            problems.append(N_("neither a predikat nor a score"))
        if problems:
            report.append({"row": rowno, "status": "rejected", "reason": Msg.join("; ", problems), "code": code or "",
                           "official_name": ""})
            continue
        official = g.province_name(code) if level == "province" else g.regencies.set_index("code").at[code, "name"]
        report.append({"row": rowno, "status": "accepted", "reason": "", "code": code, "official_name": official})
        data.append({"code": code, "name": official, "level": level,
                     "province_code": code if level == "province" else code[:2], "assessment": assessment,
                     "year": year, "predikat": predikat, "score": score, "quality": "direct",
                     "source_url": file_row(where, rowno), "note": "", "source_row": rowno})
    out = pd.DataFrame(data)
    if not out.empty:
        out = pick(out)[SCORE_COLUMNS]
    else:
        out = pd.DataFrame(columns=SCORE_COLUMNS)
    return UploadResult(out, message_frame(report, ["row", "status", "reason", "code", "official_name"]),
                        list(up.notes))


# ----------------------------------------------------------------------------------------------------------------
# An analyst's MPPs beside the built-in registry: add (the default), replace, compare
# ----------------------------------------------------------------------------------------------------------------

MODES = ("add", "replace", "compare")


def merge_registry(registry: pd.DataFrame, analyst: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the registry with the analyst's MPPs added, what happened to each analyst MPP).

    The registry holds one MPP per regency (province-run ones aside): an analyst's MPP for a regency the registry
    already has is the same MPP, not a second one (the registry's row and its sources stay; a different date is
    listed by :func:`compare_registry`). Two rows of the analyst's file for one regency make one MPP (the earliest
    date wins). Every analyst row ends ``added`` or ``already in the registry``."""
    own = registry[~registry["province_run"].astype(bool)]
    registry_date = {r.code: str(r.opened_on or r.known_by or "") for r in own.itertuples()}
    outcome, keep = [], []
    first_for: dict[str, int] = {}
    eff = analyst["opened_on"].replace("", "9999")
    for i in analyst.assign(_eff=eff).sort_values("_eff", kind="stable").index:
        code, row = analyst.at[i, "code"], str(analyst.at[i, "source_rows"])
        base = {"mpp_id": analyst.at[i, "mpp_id"], "row": row, "code": code, "name": analyst.at[i, "name"],
                "file_date": str(analyst.at[i, "opened_on"] or "")}
        if code in registry_date:
            outcome.append({**base, "outcome": "already in the registry",
                            "reason": N_("the registry already has this regency's MPP (dated {date}); its date and "
                                         "sources are kept. 'Compare' lists the dates that differ",
                                         date=registry_date[code] or "?")})
        elif code in first_for:
            outcome.append({**base, "outcome": "same MPP as another row",
                            "reason": N_("the same regency as row {row}, which has the earliest date; counted once",
                                         row=analyst.at[first_for[code], "source_rows"])})
        else:
            first_for[code] = i
            keep.append(i)
            outcome.append({**base, "outcome": "added", "reason": ""})
    added = analyst.loc[sorted(keep)]
    merged = pd.concat([registry, added], ignore_index=True) if len(added) else registry.copy()
    frame = message_frame(outcome, ["mpp_id", "row", "code", "name", "file_date", "outcome", "reason"])
    return merged, frame


def compare_registry(registry: pd.DataFrame, analyst: pd.DataFrame) -> pd.DataFrame:
    """Regency by regency: MPPs only in the analyst's file, only in the registry, and those whose dates differ
    (columns code, name, province, comparison, file_date, registry_date, file_source, registry_sources)."""
    own = registry[~registry["province_run"].astype(bool)].drop_duplicates("code").set_index("code")
    mine = analyst.sort_values("opened_on").drop_duplicates("code").set_index("code")
    rows = []
    for code in sorted(set(own.index) | set(mine.index)):
        a, b = (mine.loc[code] if code in mine.index else None), (own.loc[code] if code in own.index else None)
        ref = a if a is not None else b
        if a is None:
            what = "only in the registry"
        elif b is None:
            what = "only in your file"
        else:
            da, db = str(a["opened_on"] or ""), str(b["opened_on"] or b["known_by"] or "")
            what = "same" if (da == db or not da) else "dates differ"
        rows.append({"code": code, "name": ref["name"], "province": ref["province"], "comparison": what,
                     "file_date": "" if a is None else str(a["opened_on"] or ""),
                     "registry_date": "" if b is None else str(b["opened_on"] or b["known_by"] or ""),
                     "file_source": "" if a is None else str(a["sources"]),
                     "registry_sources": "" if b is None else str(b["sources"])})
    order = {"only in your file": 0, "dates differ": 1, "only in the registry": 2, "same": 3}
    out = pd.DataFrame(rows, columns=["code", "name", "province", "comparison", "file_date", "registry_date",
                                      "file_source", "registry_sources"])
    return out.sort_values(["comparison", "province", "name"], key=lambda c: c.map(order) if c.name == "comparison"
                           else c).reset_index(drop=True)


def apply_mode(registry: pd.DataFrame, analyst: pd.DataFrame, mode: str) -> pd.DataFrame:
    """The registry the app and the command line use for an analyst's file: added to the built-in one (default),
    or replacing it ("replace"); "compare" keeps the built-in registry in use."""
    if mode == "replace":
        return analyst
    if mode == "compare":
        return registry
    if mode != "add":
        raise ValueError(N_("unknown mode {mode!r}; choose one of {join_modes}", mode=mode,
                            join_modes=', '.join(MODES)))
    return merge_registry(registry, analyst)[0]
