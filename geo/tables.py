"""Tables in and out: analysts' CSV/XLSX files, and exports that are safe to open in a spreadsheet.

Reading checks the content, not only the extension (an XLSX is a zip with ``xl/workbook.xml``), handles UTF-8 and
Windows-1252/Latin-1 text, comma/semicolon/tab separators and Indonesian decimal commas, and keeps every cell as
text so codes such as ``"12.10"`` survive. Problems raise :class:`TableError` naming the file, sheet, row or column.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from pathlib import Path


import pandas as pd

ENV_MAX_UPLOAD_MB = "PETA_MPP_MAX_UPLOAD_MB"
DEFAULT_MAX_UPLOAD_MB = 20.0


class TableError(ValueError):
    """A table that cannot be read, with what is wrong and where."""


def max_upload_bytes() -> int:
    """The upload size limit in bytes (``PETA_MPP_MAX_UPLOAD_MB``, default 20 MB)."""
    try:
        mb = float(os.environ.get(ENV_MAX_UPLOAD_MB, DEFAULT_MAX_UPLOAD_MB))
    except ValueError:
        mb = DEFAULT_MAX_UPLOAD_MB
    return int(mb * 1024 * 1024)


def sniff_kind(data: bytes) -> str:
    """'xlsx', 'xls', 'zip', 'text' or 'binary', from the bytes themselves."""
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile:
            return "binary"
        return "xlsx" if "xl/workbook.xml" in names else "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    sample = data[:65536]
    if b"\x00" in sample:
        return "binary"
    return "text"


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode as UTF-8 (with or without BOM), else Windows-1252, else Latin-1; return (text, encoding)."""
    for enc in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(enc), ("utf-8" if enc == "utf-8-sig" else enc)
        except UnicodeDecodeError:
            continue
    raise TableError(f"{name}: cannot decode the text")  # latin-1 never fails; kept for clarity


def _dialect(text: str) -> tuple[str, str]:
    """(separator, decimal mark) for a CSV text."""
    head = "\n".join(text.splitlines()[:20])
    try:
        sep = csv.Sniffer().sniff(head, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: head.count(d) for d in ",;\t|"}
        sep = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    return sep, ("," if sep == ";" else ".")


def read_table_bytes(data: bytes, name: str, sheet: str | None = None) -> pd.DataFrame:
    """Read CSV or XLSX bytes into a DataFrame of text cells; ``df.attrs['notes']`` says what was assumed."""
    limit = max_upload_bytes()
    if len(data) > limit:
        raise TableError(f"{name}: {len(data) / 1048576:.1f} MB is over the {limit / 1048576:.0f} MB limit "
                         f"(set {ENV_MAX_UPLOAD_MB} to change it)")
    if not data.strip():
        raise TableError(f"{name}: the file is empty")
    kind = sniff_kind(data)
    notes: list[str] = []
    if kind == "xls":
        raise TableError(f"{name}: old Excel 97-2003 (.xls) format; save it as .xlsx or .csv")
    if kind in ("zip", "binary"):
        raise TableError(f"{name}: not a CSV or XLSX table (the content is {'a zip archive' if kind == 'zip' else 'binary data'})")
    if kind == "xlsx":
        try:
            book = pd.ExcelFile(io.BytesIO(data), engine="openpyxl")
        except Exception as exc:
            raise TableError(f"{name}: cannot open the workbook ({exc})") from exc
        sheets = book.sheet_names
        if sheet is not None and sheet not in sheets:
            raise TableError(f"{name}: no sheet {sheet!r}; sheets are: {', '.join(sheets)}")
        chosen = sheet
        frames = {}
        for s in ([sheet] if sheet else sheets):
            f = pd.read_excel(book, sheet_name=s, dtype=str)
            frames[s] = f
            if chosen is None and not f.dropna(how="all").empty:
                chosen = s
        if chosen is None:
            raise TableError(f"{name}: every sheet is empty ({', '.join(sheets)})")
        df = frames[chosen]
        if len(sheets) > 1:
            notes.append(f"workbook has {len(sheets)} sheets ({', '.join(sheets)}); read sheet {chosen!r}")
        where = f"{name}, sheet {chosen!r}"
    else:
        text, enc = decode_text(data, name)
        if enc != "utf-8":
            notes.append(f"read as {enc} text (not UTF-8)")
        sep, decimal = _dialect(text)
        if sep != ",":
            notes.append(f"separator {'tab' if sep == chr(9) else repr(sep)}" + (", decimal comma" if decimal == "," else ""))
        try:
            df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_values=[""],
                             skipinitialspace=True)
        except pd.errors.EmptyDataError as exc:
            raise TableError(f"{name}: the file is empty") from exc
        except pd.errors.ParserError as exc:
            raise TableError(f"{name}: not a well-formed CSV table ({str(exc).strip()})") from exc
        df.attrs["decimal"] = decimal
        where = name
    df.columns = [str(c).strip() for c in df.columns]
    if any(c.startswith("Unnamed:") for c in df.columns) and df.dropna(how="all").empty:
        raise TableError(f"{where}: no header row and no data")
    if df.dropna(how="all").empty:
        raise TableError(f"{where}: has a header ({', '.join(df.columns[:8])}) but no data rows")
    dupes = [c for c in df.columns if list(df.columns).count(c) > 1]
    if dupes:
        raise TableError(f"{where}: column {dupes[0]!r} appears more than once")
    df = df.dropna(how="all").copy()
    # Row numbers as a person sees them in the file: header is row 1.
    df.attrs["row_numbers"] = [int(i) + 2 for i in df.index]
    df.attrs["where"] = where
    df.attrs["notes"] = notes
    df.attrs["decimal"] = df.attrs.get("decimal", ".")
    return df.reset_index(drop=True)


def read_table(path: str | Path, sheet: str | None = None) -> pd.DataFrame:
    """Read a CSV or XLSX file (see :func:`read_table_bytes`)."""
    p = Path(path)
    if not p.exists():
        raise TableError(f"{p}: no such file")
    if p.is_dir():
        raise TableError(f"{p}: is a folder, not a file")
    size = p.stat().st_size
    if size > max_upload_bytes():
        raise TableError(f"{p.name}: {size / 1048576:.1f} MB is over the {max_upload_bytes() / 1048576:.0f} MB limit "
                         f"(set {ENV_MAX_UPLOAD_MB} to change it)")
    return read_table_bytes(p.read_bytes(), p.name, sheet)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?")


def neutralise_formula(value: object) -> object:
    """Prefix text that a spreadsheet would run as a formula (=, +, -, @, tab, CR) with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
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


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM (so Excel reads accents), formula-safe."""
    return safe_for_spreadsheet(df).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(df: pd.DataFrame, sheet: str = "data") -> bytes:
    """XLSX, formula-safe, every cell written as a value."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        safe_for_spreadsheet(df).to_excel(xw, index=False, sheet_name=sheet[:31])
    return buf.getvalue()


def write_table(df: pd.DataFrame, path: str | Path) -> None:
    """Write CSV or XLSX by extension, formula-safe."""
    p = Path(path)
    data = to_xlsx_bytes(df) if p.suffix.lower() == ".xlsx" else to_csv_bytes(df)
    p.write_bytes(data)


