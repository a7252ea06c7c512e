"""Every word a person reads, in their language: gettext catalogs (Babel) and the Indonesian way of writing numbers
and dates (4.140.295 and 17 Juli 2024 in ``id``; 4,140,295 and 17 July 2024 in ``en``).

English is the source language: messages are written in English in the code (``_("…")`` in pages, ``N_("…")`` for
messages made where the language is not known yet, such as errors and row reasons) and translated by
``geo/locale/<lang>/LC_MESSAGES/messages.po``, compiled in memory the first time a language is used. Parameters
are named (``_("{n} of {total} regencies", n=5, total=33)``) so a translation can put them in its own order.
``make messages`` extracts new messages into the catalogs; ``tests/test_i18n.py`` fails on any message without an
Indonesian translation.
"""

from __future__ import annotations

import functools
import gettext as _gettext
import io
import string
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent, get_group_symbol

LANGS = ("id", "en")
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"


def locale(lang: str) -> str:
    return "id_ID" if lang == "id" else "en_GB"


@functools.cache
def catalog(lang: str) -> _gettext.NullTranslations:
    """The compiled catalog of ``lang`` (English, the source language, translates to itself)."""
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if lang == "en" or not po.exists():
        return _gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        cat = read_po(f, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, cat, use_fuzzy=False)
    buf.seek(0)
    return _gettext.GNUTranslations(buf)


class Msg(str):
    """A message made before its reader's language is known (an error, a row's reason): it reads as English, and
    :func:`say` says it again in any language from its msgid and parameters."""

    msgid: str
    params: dict[str, Any]
    parts: tuple[Any, ...] = ()
    sep: str = ""

    def __new__(cls, msgid: str, /, **params: Any) -> Msg:
        self = super().__new__(cls, msgid.format(**params) if params else msgid)
        self.msgid, self.params = msgid, params
        return self

    def __reduce__(self):  # pickles (st.cache_data, multiprocessing) keep the message translatable
        return (_rebuild, (self.msgid, self.params, self.parts, self.sep))

    @classmethod
    def join(cls, sep: str, parts: Any) -> Msg:
        """``sep.join(parts)`` that stays translatable part by part."""
        parts = tuple(p for p in parts if p)
        self = super().__new__(cls, sep.join(str(p) for p in parts))
        self.msgid, self.params, self.parts, self.sep = "", {}, parts, sep
        return self


def message_frame(rows: list[dict[str, Any]], columns: list[str]) -> "pd.DataFrame":
    """A DataFrame of ``rows`` whose text columns keep their :class:`Msg` values (pandas would turn them into plain
    strings, and a reason could then no longer be said in the reader's language)."""
    import pandas as pd

    data = {}
    for c in columns:
        values = [r.get(c) for r in rows]
        data[c] = pd.Series(values, dtype=object) if any(isinstance(v, Msg) for v in values) else pd.Series(values)
    return pd.DataFrame(data, columns=columns)


def _rebuild(msgid: str, params: dict[str, Any], parts: tuple[Any, ...], sep: str) -> Msg:
    return Msg.join(sep, parts) if parts else Msg(msgid, **params)


def N_(msgid: str, /, **params: Any) -> Msg:
    """Mark a message for translation later (by :func:`say`), keeping its parameters."""
    return Msg(msgid, **params)


class _Formatter(string.Formatter):
    """``str.format`` with the language's digit grouping for ``{n:,}`` (50.000 in Bahasa Indonesia)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "," and isinstance(value, int) and not isinstance(value, bool):
            return fmt_int(value, self.lang)
        return super().format_field(value, format_spec)


@functools.cache
def _formatter(lang: str) -> _Formatter:
    return _Formatter(lang)


def gettext(lang: str, msgid: str, /, **params: Any) -> str:
    """``msgid`` in ``lang``, with its named parameters filled in (each itself said in ``lang``; whole numbers
    written ``{n:,}`` grouped as the language groups them)."""
    text = catalog(lang).gettext(msgid)
    return _formatter(lang).format(text, **{k: say(lang, v) for k, v in params.items()}) if params else text


def say(lang: str, text: Any) -> Any:
    """A :class:`Msg` in ``lang``; any other value unchanged (names, numbers and user text are never translated)."""
    if not isinstance(text, Msg):
        return text
    if text.parts:
        return text.sep.join(str(say(lang, p)) for p in text.parts)
    return gettext(lang, text.msgid, **text.params)


class Translator:
    """What a page or a report holds: ``_ = translator("id")``, then ``_("Gaps")``, ``_.int(4140295)``."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGS else "id"

    def __call__(self, msgid: str, /, **params: Any) -> str:
        return gettext(self.lang, msgid, **params)

    def say(self, text: Any) -> Any:
        return say(self.lang, text)

    def int(self, n: object, missing: str | None = None) -> str:
        return fmt_int(n, self.lang, missing)

    def pct(self, x: float, digits: int = 1) -> str:
        return fmt_pct(x, self.lang, digits)

    def date(self, d: date) -> str:
        return fmt_date(d, self.lang)

    def millions(self, n: object) -> str:
        return fmt_millions(n, self.lang)

    def month(self, d: date) -> str:
        return fmt_month(d, self.lang)

    def decimal(self, x: float, pattern: str = "#,##0.0") -> str:
        return fmt_decimal(x, self.lang, pattern)


@functools.cache
def translator(lang: str) -> Translator:
    return Translator(lang)


def fmt_int(n: object, lang: str, missing: str | None = None) -> str:
    """A whole number with the language's grouping; ``missing`` (default: "no data" in ``lang``) for none."""
    import pandas as pd

    if n is None or pd.isna(n):
        return missing if missing is not None else gettext(lang, "no data")
    # Babel's grouping (#,##0) with its symbol, without parsing the pattern again for each of the 514 tooltips.
    return f"{int(n):,}".replace(",", _group_symbol(lang))


@functools.cache
def _group_symbol(lang: str) -> str:
    return get_group_symbol(locale(lang))


def fmt_decimal(x: float, lang: str, pattern: str = "#,##0.0") -> str:
    """A number with the language's decimal and grouping symbols (Babel ``pattern``: 182,4 / 182.4)."""
    return format_decimal(x, format=pattern, locale=locale(lang))


def fmt_pct(x: float, lang: str, digits: int = 1) -> str:
    return format_percent(x, format="#,##0." + "0" * digits + "%" if digits else "#,##0%", locale=locale(lang))


def fmt_date(d: date, lang: str) -> str:
    """17 Juli 2024 / 17 July 2024."""
    return format_date(d, format="d MMMM y", locale=locale(lang))


def fmt_month(d: date, lang: str) -> str:
    """Maret 2029 / March 2029."""
    return format_date(d, format="MMMM y", locale=locale(lang))


def fmt_period(text: object, lang: str) -> str:
    """A date as a source gives it, written for people: '2024-03-07' -> 7 Maret 2024, '2024-03' -> Maret 2024,
    '2024' stays 2024; anything else (empty, free text) unchanged."""
    import re

    s = "" if text is None or (isinstance(text, float) and text != text) else str(text).strip()
    m = re.fullmatch(r"([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?", s)
    if not m:
        return s
    try:
        d = date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    except ValueError:
        return s
    return fmt_date(d, lang) if m.group(3) else fmt_month(d, lang)


def fmt_short_date(d: date, lang: str) -> str:
    """17/07/2024 in both languages (how the date filter is typed)."""
    return d.strftime("%d/%m/%Y")


def fmt_millions(n: object, lang: str) -> str:
    """A large count in millions for a headline card: 4,1 jt (id), 4.1 M (en)."""
    import pandas as pd

    if n is None or pd.isna(n):
        return fmt_int(n, lang)
    v = format_decimal(round(int(n) / 1e6, 1), format="#,##0.0", locale=locale(lang))
    return gettext(lang, "{value} M", value=v)
