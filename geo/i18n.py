"""Numbers and dates the way each language writes them (Babel): 4.140.295 and 17 Juli 2024 in ``id``,
4,140,295 and 17 July 2024 in ``en``. Every figure a person reads goes through here."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

LANGS = ("id", "en")


def locale(lang: str) -> str:
    return "id_ID" if lang == "id" else "en_GB"


def fmt_int(n: object, lang: str, missing: str | None = None) -> str:
    """A whole number with the language's grouping; ``missing`` (default: "tidak ada data"/"no data") for none."""
    import pandas as pd

    if n is None or pd.isna(n):
        return missing if missing is not None else ("tidak ada data" if lang == "id" else "no data")
    return format_decimal(int(n), locale=locale(lang))


def fmt_pct(x: float, lang: str, digits: int = 1) -> str:
    return format_percent(x, format="#,##0." + "0" * digits + "%" if digits else "#,##0%", locale=locale(lang))


def fmt_date(d: date, lang: str) -> str:
    """17 Juli 2024 / 17 July 2024."""
    return format_date(d, format="d MMMM y", locale=locale(lang))


def fmt_millions(n: object, lang: str) -> str:
    """A large count in millions for a headline card: 4,1 jt (id), 4.1 M (en)."""
    import pandas as pd

    if n is None or pd.isna(n):
        return fmt_int(n, lang)
    v = format_decimal(round(int(n) / 1e6, 1), format="#,##0.0", locale=locale(lang))
    return f"{v} jt" if lang == "id" else f"{v} M"
