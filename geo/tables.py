"""Tables in and out: analysts' CSV/XLSX files, and exports (CSV/XLSX safe to open in a spreadsheet, GeoJSON).

Reading checks the content, not only the extension (an XLSX is a zip with ``xl/workbook.xml``), handles UTF-8 and
Windows-1252/Latin-1 text, comma/semicolon/tab separators and Indonesian decimal commas, and keeps every cell as
text so codes such as ``"12.10"`` survive. Problems raise :class:`TableError` naming the file, sheet, row or column.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from . import settings
from .errors import PetaError
from .i18n import N_, Msg

if TYPE_CHECKING:
    import geopandas as gpd


class TableError(PetaError):
    """A table that cannot be read, with what is wrong and where."""


def max_upload_bytes() -> int:
    """The upload size limit in bytes (setting ``max_upload_mb``, default 20 MB)."""
    return settings.max_upload_bytes()


def _limit_hint(name: str) -> Msg:
    return N_("setting {env}", env=settings.SETTINGS[name].env)


def sniff_kind(data: bytes) -> str:
    """'xlsx', 'xls', 'zip', 'text' or 'binary', from the bytes themselves (a NUL byte anywhere is binary)."""
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return "binary"
        return "xlsx" if "xl/workbook.xml" in names else "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if b"\x00" in data:
        return "binary"
    return "text"


# ----------------------------------------------------------------------------------------------------------------
# One input rule for every text cell
# ----------------------------------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: Characters that make text lie about itself: bidirectional overrides, embeddings, isolates and marks (a name that
#: reads "gpj.exe" shown as "exe.jpg"), and invisible ones (zero-width spaces and joiners, word joiner, BOM, soft
#: hyphen, Mongolian vowel separator, invisible operators).
_HIDDEN = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_SPACE_CONTROL = re.compile(r"[\t\r\n]+")
_ANY_DIGIT = re.compile(r"\d")


def clean_cell(value: str) -> tuple[str, list[str]]:
    """The one rule for user text: line breaks and tabs become spaces, other C0 control characters are removed,
    bidirectional and invisible characters (:data:`_HIDDEN`) are removed, digits of other scripts (Arabic-Indic,
    Devanagari, full-width…) become 0-9. Returns (text, what changed)."""
    changed = []
    if _CONTROL.search(value):
        value = _CONTROL.sub("", _SPACE_CONTROL.sub(" ", value))
        changed.append("control characters removed")
    if not value.isascii() and _HIDDEN.search(value):
        value = _HIDDEN.sub("", value)
        changed.append("bidirectional or invisible characters removed")
    if not value.isascii() and _ANY_DIGIT.search(value):
        new = _ANY_DIGIT.sub(lambda m: str(unicodedata.digit(m.group())), value)
        if new != value:
            value = new
            changed.append("digits of another script read as 0-9")
    return value, changed


def decode_text(data: bytes, name: str) -> tuple[str, str, list[int]]:
    """Decode as UTF-8 (with or without BOM); else line by line, each line UTF-8 if it is, else Windows-1252 (else
    Latin-1). Returns (text, encoding, the 1-based lines that were not UTF-8)."""
    try:
        return data.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    out, legacy, utf8 = [], [], 0
    for i, raw in enumerate(lines, start=1):
        try:
            out.append(raw.decode("utf-8-sig" if i == 1 else "utf-8"))
            utf8 += not raw.isascii()
        except UnicodeDecodeError:
            try:
                out.append(raw.decode("cp1252"))
            except UnicodeDecodeError:
                out.append(raw.decode("latin-1"))
            legacy.append(i)
    # Only when some lines are real UTF-8 beside Windows-1252 ones is the file mixed (then said per row).
    return "\n".join(out), ("mixed" if utf8 else "cp1252"), legacy


SEPARATORS = (",", ";", "\t", "|")
_SAMPLE_LINES = 50
_SAMPLE_LINE_CHARS = 4096
_MAX_HEADER_CHARS = 65536


def _separator(text: str) -> str:
    """The separator, from a bounded sample (50 lines of at most 4,096 characters; linear time): the candidate that
    occurs in the header and most often the same number of times on the following lines."""
    sample = []
    for line in io.StringIO(text):
        if line.strip():
            sample.append(line[:_SAMPLE_LINE_CHARS])
        if len(sample) >= _SAMPLE_LINES:
            break
    if not sample:
        return ","
    best, best_score = ",", (-1, -1)
    for sep in SEPARATORS:
        head = sample[0].count(sep)
        if head == 0:
            continue
        score = (sum(1 for line in sample[1:] if line.count(sep) == head), head)
        if score > best_score:
            best, best_score = sep, score
    return best


def _dialect(text: str) -> tuple[str, str]:
    """(separator, decimal mark) for a CSV text."""
    sep = _separator(text)
    return sep, ("," if sep == ";" else ".")


def _records(text: str, sep: str, where: str, legacy_lines: list[int]) -> tuple[list[str], list[list[str]], list[int], list[str]]:
    """(header, rows, the line each row starts on, notes) with the csv module: quoted cells may span lines, and the
    row numbers reported stay the lines of the file."""
    limit = settings.get("max_rows")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, skipinitialspace=True)
    header: list[str] | None = None
    rows: list[list[str]] = []
    starts: list[int] = []
    notes: list[str] = []
    legacy = set(legacy_lines)
    last = 0
    lines: list[str] | None = None  # the text's lines, split only when a record spans several
    try:
        for rec in reader:
            start, end = last + 1, reader.line_num
            last = end
            if not any(c.strip() for c in rec):
                continue
            if header is None:
                header = rec
                continue
            if end > start:
                if lines is None:  # split as the reader counts lines (\r, \n and \r\n), so numbers agree
                    lines = io.StringIO(text, newline="").readlines()
                swallowed = [n for n in range(start + 1, end + 1)
                             if len(header) > 1 and lines[n - 1].count(sep) >= len(header) - 1]
                if swallowed:
                    raise TableError(N_("{where}, row {start}: a quote opened on line {start} closes only on line "
                                        "{end}, taking in line {line}, which looks like a row of its own; check the "
                                        "quotes (\") on line {start}", where=where, start=start, end=end,
                                        line=swallowed[0]), where=where)
                notes.append(N_("row {start}: a quoted cell spans lines {start}–{end}", start=start, end=end))
            if len(rec) > len(header):
                extra = rec[len(header):]
                if any(c.strip() for c in extra):
                    raise TableError(N_("{where}, row {start}: {len_rec} cells but the header has {len_header}; quote "
                                        "cells that contain the separator {sep!r}",
                                        where=where, start=start, len_rec=len(rec), len_header=len(header), sep=sep), where=where)
                rec = rec[:len(header)]
            if len(rows) >= limit:
                raise TableError(N_("{where}: more than {limit:,} data rows ({limit_hint_max_rows})", where=where,
                                    limit=limit, limit_hint_max_rows=_limit_hint('max_rows')), where=where)
            rows.append(rec + [""] * (len(header) - len(rec)))
            starts.append(start)
            if legacy.intersection(range(start, end + 1)):
                notes.append(N_("row {start}: not UTF-8, read as Windows-1252", start=start))
    except csv.Error as exc:
        raise TableError(N_("{where}, row {last_1}: not a well-formed CSV table ({exc})", where=where,
                            last_1=last + 1, exc=exc), where=where) from exc
    if header is None:
        raise TableError(N_("{where}: the file is empty", where=where), where=where)
    return header, rows, starts, notes


def _check_zip_budget(data: bytes, where: str) -> None:
    """An XLSX is a zip: refuse one that unpacks beyond the limit or is compressed like a bomb, before opening it."""
    budget, ratio = settings.max_unpacked_bytes(), settings.get("max_zip_ratio")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    if total > budget:
        raise TableError(N_("{where}: the workbook unpacks to {total_1048576:.0f} MB, over the limit of "
                            "{budget_1048576:.0f} MB ({limit_hint_max_unpacked_mb})",
                            where=where, total_1048576=total / 1048576, budget_1048576=budget / 1048576,
                            limit_hint_max_unpacked_mb=_limit_hint('max_unpacked_mb')), where=where)
    for i in infos:
        if i.file_size > 1048576 and i.file_size > ratio * max(i.compress_size, 1):
            raise TableError(N_("{where}: {i_filename} is compressed {i_file_size_max_i_compress_siz:.0f}:1, "
                                "more than a real workbook (a zip bomb?); refused",
                                where=where, i_filename=i.filename,
                                i_file_size_max_i_compress_siz=i.file_size / max(i.compress_size, 1)), where=where)


def _xlsx_records(data: bytes, name: str, sheet: str | None) -> tuple[str, list[str], list[list[str]], list[int], list[str]]:
    """(where, header, rows, row numbers, notes) of the chosen sheet (the first with data), streamed row by row.

    The workbook's declared dimension is not trusted (a one-row sheet may claim A1:XFD1048576): it is reset, and
    the cells actually produced are counted against ``max_cells`` as they stream."""
    import openpyxl

    _check_zip_budget(data, name)
    _workbook_parts(data, name)
    limit, cell_budget, max_sheets = settings.get("max_rows"), settings.get("max_cells"), settings.get("max_sheets")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise TableError(N_("{name}: cannot open the workbook ({type_exc_name})", name=name,
                            type_exc_name=type(exc).__name__), where=name) from exc
    try:
        sheets = [ws.title for ws in book.worksheets]  # worksheets only: a chartsheet holds no cells
        if not sheets:
            raise TableError(N_("{name}: the workbook has no worksheet with cells (only charts, or nothing)",
                                name=name), where=name)
        if len(sheets) > max_sheets:
            raise TableError(N_("{name}: the workbook has {n:,} sheets, over the limit of {limit:,} "
                                "({limit_hint}); keep the sheet with the data", name=name, n=len(sheets),
                                limit=max_sheets, limit_hint=_limit_hint("max_sheets")), where=name)
        listing = _listing(sheets)
        if sheet is not None and sheet not in sheets:
            raise TableError(N_("{name}: no sheet {sheet!r}; sheets are: {join_sheets}", name=name, sheet=sheet,
                                join_sheets=listing), where=name)
        cells_seen = 0
        for s in ([sheet] if sheet else sheets):
            where = N_("{name}, sheet {sheet!r}", name=name, sheet=s)
            header: list[str] | None = None
            rows, numbers = [], []
            ws = book[s]
            ws.reset_dimensions()  # never pad rows to a declared size
            for rowno, values in enumerate(ws.iter_rows(values_only=True), start=1):
                cells_seen += max(len(values), 1)
                if cells_seen > cell_budget:
                    raise TableError(N_("{where}: more than {limit:,} cells ({limit_hint}); remove empty or unused "
                                        "columns and rows", where=where, limit=cell_budget,
                                        limit_hint=_limit_hint("max_cells")), where=where)
                cells = ["" if v is None else str(v) for v in values]
                if not any(c.strip() for c in cells):
                    continue
                if header is None:
                    header = cells
                    continue
                if len(rows) >= limit:
                    raise TableError(N_("{where}: more than {limit:,} data rows ({limit_hint_max_rows})",
                                        where=where, limit=limit, limit_hint_max_rows=_limit_hint('max_rows')),
                                     where=where)
                beyond = [j for j in range(len(header), len(cells)) if cells[j].strip()]
                if beyond:
                    raise TableError(N_("{where}, row {rowno}: a value in column {column} lies beyond the header's "
                                        "{width} columns; give every column a header", where=where, rowno=rowno,
                                        column=_column_letter(beyond[0] + 1), width=len(header)), where=where)
                rows.append(cells)
                numbers.append(rowno)
            if header is not None or sheet:
                notes = [N_("the workbook has {n} sheets ({listing}); read sheet {sheet!r}", n=len(sheets),
                            listing=listing, sheet=s)] if len(sheets) > 1 else []
                return where, header or [], rows, numbers, notes
        raise TableError(N_("{name}: every sheet is empty ({join_sheets})", name=name, join_sheets=listing),
                         where=name)
    finally:
        book.close()


def _column_letter(n: int) -> str:
    """1 -> A, 27 -> AA, 16384 -> XFD."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _workbook_parts(data: bytes, name: str) -> None:
    """Before openpyxl parses anything: a workbook needs at least one worksheet part, and at most ``max_sheets``
    sheets (counted in ``xl/workbook.xml``, read within the unpacked budget already checked)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        book = zf.read("xl/workbook.xml") if "xl/workbook.xml" in names else b""
    n = book.count(b"<sheet ") + book.count(b"<x:sheet ")
    if n > settings.get("max_sheets"):
        raise TableError(N_("{name}: the workbook has {n:,} sheets, over the limit of {limit:,} ({limit_hint}); keep "
                            "the sheet with the data", name=name, n=n, limit=settings.get("max_sheets"),
                            limit_hint=_limit_hint("max_sheets")), where=name)
    if not any(re.fullmatch(r"xl/worksheets/[^/]+\.xml", p) for p in names):
        raise TableError(N_("{name}: the workbook has no worksheet with cells (only charts, or nothing)",
                            name=name), where=name)


def _listing(names: list[str], most: int = 10) -> str:
    """Names for a message: the first ``most``, then how many more."""
    shown = ", ".join(str(n)[:60] for n in names[:most])
    return shown + (f", … (+{len(names) - most})" if len(names) > most else "")


def read_table_bytes(data: bytes, name: str, sheet: str | None = None) -> pd.DataFrame:
    """Read CSV or XLSX bytes into a DataFrame of text cells.

    ``df.attrs``: ``notes`` (what was assumed or changed, per row where it applies), ``row_numbers`` (each row's
    line or row in the file, header = 1), ``where`` (file and sheet), ``decimal`` ("." or ",")."""
    limit = max_upload_bytes()
    if len(data) > limit:
        raise TableError(N_("{name}: {len_data_1048576:.1f} MB is over the {limit_1048576:.0f} MB limit "
                            "({limit_hint_max_upload_mb})", name=name,
                            len_data_1048576=len(data) / 1048576, limit_1048576=limit / 1048576,
                            limit_hint_max_upload_mb=_limit_hint('max_upload_mb')), where=name)
    if not data.strip():
        raise TableError(N_("{name}: the file is empty", name=name), where=name)
    kind = sniff_kind(data)
    notes: list[str] = []
    decimal = "."
    if kind == "xls":
        raise TableError(N_("{name}: old Excel 97-2003 (.xls) format; save it as .xlsx or .csv", name=name), where=name)
    if kind in ("zip", "binary"):
        raise TableError(N_("{name}: not a CSV or XLSX table (the content is "
                            "{a_zip_archive_if_kind_zip_else})", name=name,
                            a_zip_archive_if_kind_zip_else=N_("a zip archive") if kind == "zip" else N_("binary data")), where=name)
    if kind == "xlsx":
        where, header, rows, numbers, notes = _xlsx_records(data, name, sheet)
    else:
        text, enc, legacy = decode_text(data, name)
        if enc == "cp1252":
            notes.append(N_("read as cp1252 text (not UTF-8)"))
        first = text.find("\n")
        if (first if first >= 0 else len(text)) > _MAX_HEADER_CHARS:
            raise TableError(N_("{name}: the first line is longer than {max_header_chars:,} characters; that is "
                                "no header row", name=name,
                                max_header_chars=_MAX_HEADER_CHARS), where=name)
        sep, decimal = _dialect(text)
        if sep != ",":
            notes.append(f"separator {'tab' if sep == chr(9) else repr(sep)}" + (", decimal comma" if decimal == "," else ""))
        where = name
        header, rows, numbers, row_notes = _records(text, sep, where, legacy if enc == "mixed" else [])
        notes.extend(row_notes)
    columns = []
    for i, c in enumerate(header):
        c, _ = clean_cell(c.strip())
        columns.append(c or f"Unnamed: {i}")
    if not rows:
        if all(c.startswith("Unnamed:") for c in columns):
            raise TableError(N_("{where}: no header row and no data", where=where), where=where)
        raise TableError(N_("{where}: has a header ({join_columns_8}) but no data rows", where=where,
                            join_columns_8=', '.join(columns[:8])), where=where)
    dupes = [c for c in columns if columns.count(c) > 1]
    if dupes:
        raise TableError(N_("{where}: column {dupes_0!r} appears more than once", where=where, dupes_0=dupes[0]), where=where)
    width = len(columns)
    cleaned: list[list[object]] = []
    for rec, rowno in zip(rows, numbers):
        out: list[object] = []
        for col, cell in zip(columns, (rec + [""] * width)[:width]):
            text, changed = clean_cell(cell)
            text = text.strip()
            if changed:
                notes.append(N_("row {rowno}, column {col!r}: {join_changed}", rowno=rowno, col=col,
                                join_changed=', '.join(changed)))
            out.append(text if text else None)
        cleaned.append(out)
    df = pd.DataFrame(cleaned, columns=columns, dtype=object)
    df.attrs["row_numbers"] = numbers
    df.attrs["where"] = where
    df.attrs["notes"] = notes
    df.attrs["decimal"] = decimal
    return df


def input_file(path: str | Path, error: type[PetaError] = TableError, what: str = "file") -> Path:
    """A local input file that exists, is a file and is within the upload size limit; else ``error`` saying so."""
    p = Path(path)
    if not p.exists():
        raise error(N_("{p}: no such file", p=p), where=str(p))
    if p.is_dir():
        raise error(N_("{p}: is a folder; give the {what}", p=p, what=what), where=str(p))
    size = p.stat().st_size
    if size > max_upload_bytes():
        raise error(N_("{p_name}: {size_1048576:.1f} MB is over the {max_upload_bytes_1048576:.0f} MB "
                       "limit ({limit_hint_max_upload_mb})", p_name=p.name,
                       size_1048576=size / 1048576, max_upload_bytes_1048576=max_upload_bytes() / 1048576,
                       limit_hint_max_upload_mb=_limit_hint('max_upload_mb')), where=p.name)
    return p


def read_table(path: str | Path, sheet: str | None = None) -> pd.DataFrame:
    """Read a CSV or XLSX file (see :func:`read_table_bytes`)."""
    p = input_file(path, TableError, "CSV or XLSX file")
    return read_table_bytes(p.read_bytes(), p.name, sheet)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?")


def looks_like_formula(value: object) -> bool:
    """Whether a spreadsheet would run this text as a formula (=, +, -, @ at its start and not a plain number)."""
    return isinstance(value, str) and value.lstrip().startswith(_FORMULA_START) and \
        not _PLAIN_NUMBER.fullmatch(value.strip())


def neutralise_formula(value: object) -> object:
    """Prefix text that a spreadsheet would run as a formula (=, +, -, @, tab, CR) with an apostrophe; control
    characters (which spreadsheets cannot store) are removed first."""
    if isinstance(value, str):
        if _CONTROL.search(value):
            value = clean_cell(value)[0]
        if value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
            return "'" + value
    return value


def safe_for_spreadsheet(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells (and column names) cannot start a formula."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_formula)
    out.columns = [neutralise_formula(str(c)) for c in out.columns]
    return out


def to_csv_bytes(df: pd.DataFrame, sep: str = ",") -> bytes:
    """UTF-8 CSV with a BOM (so Excel shows Indonesian names right), formula-safe; ``sep=";"`` for spreadsheets
    set to the Indonesian locale (decimal comma)."""
    if sep not in (",", ";"):
        raise ValueError("sep must be ',' or ';'")
    return safe_for_spreadsheet(df).to_csv(index=False, sep=sep, decimal="," if sep == ";" else ".").encode("utf-8-sig")


#: Excel number formats by kind (geo.labels.NUMBER_FORMATS): the reader's spreadsheet writes them in its own language.
XLSX_FORMATS = {"int": "#,##0", "pct": "0.0%", "#,##0.0": "#,##0.0", "#,##0.0#": "#,##0.0#", "#,##0.0##": "#,##0.0##"}


def to_xlsx_bytes(df: pd.DataFrame, sheet: str = "data", about: list[tuple[str, str]] | None = None,
                  about_sheet: str = "About", formats: dict[str, str] | None = None) -> bytes:
    """XLSX that opens well: formula-safe values, numbers as numbers in a number format (grouped thousands, one
    decimal: ``formats`` maps a column to a kind of geo.labels.NUMBER_FORMATS, by default the field names' own),
    the header row frozen with filters, column widths to fit; with ``about`` (label, text pairs: title, scope, date,
    sources), a first sheet that says what the data is."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    buf = io.BytesIO()
    safe = safe_for_spreadsheet(df)
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        if about:
            info = pd.DataFrame([{"": str(k), " ": neutralise_formula(str(v))} for k, v in about])
            info.to_excel(xw, index=False, header=False, sheet_name=about_sheet[:31])
            ws = xw.sheets[about_sheet[:31]]
            ws.column_dimensions["A"].width = 22
            ws.column_dimensions["B"].width = 100
            ws["A1"].font = Font(bold=True, size=13)
            ws["B1"].font = Font(bold=True, size=13)
        safe.to_excel(xw, index=False, sheet_name=sheet[:31])
        ws = xw.sheets[sheet[:31]]
        ws.freeze_panes = "A2"
        if len(safe.columns):
            ws.auto_filter.ref = f"A1:{get_column_letter(len(safe.columns))}{len(safe) + 1}"
        from .labels import NUMBER_FORMATS

        kinds = {**NUMBER_FORMATS, **(formats or {})}
        for j, col in enumerate(safe.columns, start=1):
            values = [str(col)] + [str(v) for v in safe[col].head(500).tolist() if v is not None]
            ws.column_dimensions[get_column_letter(j)].width = min(60, max(8, max(len(v) for v in values) + 2))
            ws.cell(row=1, column=j).font = Font(bold=True)
            number_format = XLSX_FORMATS.get(kinds.get(str(col), ""))
            if number_format and pd.api.types.is_numeric_dtype(safe[col].dtype):
                for (cell,) in ws.iter_rows(min_row=2, max_row=len(safe) + 1, min_col=j, max_col=j):
                    cell.number_format = number_format
    return buf.getvalue()


def write_table(df: pd.DataFrame, path: str | Path) -> None:
    """Write CSV or XLSX by extension, formula-safe."""
    p = Path(path)
    data = to_xlsx_bytes(df) if p.suffix.lower() == ".xlsx" else to_csv_bytes(df)
    p.write_bytes(data)


def to_geojson(gdf: gpd.GeoDataFrame) -> str:
    """Compact GeoJSON text (no spaces, no feature ids): the form maps and downloads ship."""
    return json.dumps(json.loads(gdf.to_json(drop_id=True)), separators=(",", ":"), ensure_ascii=False)
