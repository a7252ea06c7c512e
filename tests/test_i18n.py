"""Every word in the reader's language: the catalog is complete, messages made early are said late, and every page
(and the national PDF) shows no English or field names in Bahasa Indonesia, and no Indonesian UI text in English."""

from __future__ import annotations

import pickle
import re
import string
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from geo.i18n import (
    LOCALE_DIR,
    N_,
    Msg,
    fmt_date,
    fmt_int,
    fmt_millions,
    fmt_pct,
    gettext,
    say,
    translator,
)
from geo.inputs import briefing_inputs
from geo.labels import column_label

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "N_": None, "gettext": (2,)}


def test_numbers_and_dates():
    assert fmt_int(4_140_295, "id") == "4.140.295" and fmt_int(4_140_295, "en") == "4,140,295"
    assert fmt_date(date(2024, 7, 17), "id") == "17 Juli 2024" and fmt_date(date(2024, 7, 17), "en") == "17 July 2024"
    assert fmt_pct(0.2647, "id") == "26,5%" and fmt_pct(0.2647, "en") == "26.5%"
    assert fmt_int(pd.NA, "id") == "tidak ada data" and fmt_int(None, "en") == "no data"
    assert fmt_millions(172_802_000, "id") == "172,8 jt" and fmt_millions(4_140_295, "en") == "4.1 M"
    from geo.i18n import fmt_period  # a source's date, its precision kept: day, month or year

    assert [fmt_period(t, "id") for t in ("2024-03-07", "2024-03", "2024", "", "2024-02-30")] == \
        ["7 Maret 2024", "Maret 2024", "2024", "", "2024-02-30"]
    assert fmt_period("2017-10-12", "en") == "12 October 2017"


def _extracted() -> dict[str, set[str]]:
    """msgid -> files, as `make messages` extracts them."""
    from babel.messages.extract import extract_from_file

    found: dict[str, set[str]] = {}
    files = [ROOT / "app.py", *sorted((ROOT / "geo").glob("*.py")), *sorted((ROOT / "pages").glob("*.py"))]
    for f in files:
        for _lineno, msgid, _comments, _ctx in extract_from_file("python", str(f), keywords=KEYWORDS):
            if isinstance(msgid, str) and msgid:
                found.setdefault(msgid, set()).add(f.name)
    return found


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_message_in_the_code_has_an_indonesian_translation():
    from babel.messages.pofile import read_po

    with (LOCALE_DIR / "id" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        cat = read_po(f, locale="id")
    extracted = _extracted()
    assert len(extracted) > 300
    untranslated = [m for m in extracted if m not in cat or not cat[m].string or cat[m].fuzzy]
    assert not untranslated, f"run `make messages` and translate: {untranslated[:10]}"
    wrong = [m for m in extracted if _fields(m) != _fields(cat[m].string)]
    assert not wrong, f"the translation's {{placeholders}} differ: {wrong[:5]}"


def test_messages_made_early_are_said_in_the_readers_language():
    m = N_("{name}: the file is empty", name="x.csv")
    assert m == "x.csv: the file is empty" and isinstance(m, str)  # English where no language is known
    assert say("id", m) == "x.csv: berkasnya kosong"
    joined = Msg.join("; ", [N_("empty name"), "Kota Medan", N_("province name dropped")])
    assert say("id", joined) == "nama kosong; Kota Medan; nama provinsi dilepas"
    assert say("id", pickle.loads(pickle.dumps(m))) == "x.csv: berkasnya kosong"  # survives caches
    nested = N_("region {name!r} {explanation}", name="Bandung", explanation=N_("empty name"))
    assert say("id", nested) == "wilayah 'Bandung' nama kosong"
    assert gettext("id", "As of {date}", date="17 Juli 2024") == "Per 17 Juli 2024"
    assert translator("en")("Gaps") == "Gaps" and translator("id")("Gaps") == "Kesenjangan"


def test_numbers_in_messages_are_grouped_as_the_reader_groups_them():
    from geo.tables import TableError, read_table_bytes

    with pytest.raises(TableError) as exc:
        read_table_bytes(("a,b\n" + "1,2\n" * 50_001).encode(), "besar.csv")
    assert "more than 50,000 data rows" in str(exc.value)  # English where no language is known
    assert "lebih dari 50.000 baris data" in exc.value.say("id")
    assert "more than 50,000 data rows" in exc.value.say("en")
    assert gettext("id", "{name!r} {n}", name="Medan", n=1234) == "'Medan' 1234"  # other fields as str.format


# ------------------------------------------------------------------------------------------------------------------
# Every page, both languages
# ------------------------------------------------------------------------------------------------------------------

PAGES = ["pages/ringkasan.py", "pages/peta.py", "pages/kesenjangan.py", "pages/skor.py", "pages/linimasa.py",
         "pages/presentasi.py", "pages/data.py", "pages/koreksi.py"]
#: Common English words: none may show in the Indonesian UI (proper names and official terms never contain them).
ENGLISH = re.compile(r"\b(the|of|and|with|without|for|from|not|none|nan|yes|no data|regency|regencies|people|"
                     r"province|provinces|sources?|click|map|unknown|only|is|are|has|have|date|score|scores|rows?|"
                     r"coverage|served|download|upload|save|delete|name|report|reports|leads?|batch(es)?)\b",
                     re.IGNORECASE)
#: Common Indonesian UI words: none may show in the English UI (region names are capitalised and exempt).
INDONESIAN = re.compile(r"\b(dan|yang|dari|dengan|tidak|belum|untuk|sejak|tanggal|penduduk|terdaftar|provinsi|"
                        r"wilayah|sumber|unduh|simpan|kab/kota|kabupaten/kota|juta|bukan|lainnya|baris|ada)\b")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
#: Columns that hold the data's own text (names, sources, compilers' statements), not the app's words.
DATA_TEXT = {"name", "province", "region_name", "event", "note", "notes", "source_url", "sources", "nearest_mpp",
             "nearest_mpp_regency", "display_name", "mpp_name", "linked_regions", "official_name", "conflict",
             "conflicts", "official_km2"}
WIDGETS_WITH_KEY_VALUES = {"Radio", "Selectbox", "Multiselect", "SelectSlider", "DateInput", "Toggle", "Checkbox",
                           "TextInput", "Button", "DownloadButton", "Number", "NumberInput"}


def _texts(node, lang: str, out: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(where, text) for everything a person reads on the page: text, labels, options, table headers and cells."""
    kind = type(node).__name__
    data_labels = {column_label(c, lang) for c in DATA_TEXT}
    for attr in ("label", "value", "placeholder", "help"):
        if attr == "value" and kind in WIDGETS_WITH_KEY_VALUES:
            continue  # a widget's value is its internal key (the option shown is checked below)
        try:
            v = getattr(node, attr, None)
        except Exception:  # some elements compute attributes they do not have
            continue
        if isinstance(v, str) and v:
            out.append((f"{kind}.{attr}", v))
        elif isinstance(v, pd.DataFrame):
            out.extend((f"{kind} header", str(c)) for c in v.columns)
            out.extend((f"{kind} index", str(i)) for i in v.index if isinstance(i, str))
            for c in v.columns:
                if str(c) in data_labels or not pd.api.types.is_string_dtype(v[c].dtype):
                    continue
                out.extend((f"{kind} cell [{c}]", str(x)) for x in pd.unique(v[c].dropna())[:200])
    names = {column_label("name", lang)}  # a selectbox of regencies: its options are region names
    if kind != "Multiselect" and getattr(node, "label", None) not in names:  # a multiselect's are province names
        opts = getattr(node, "options", None)
        if isinstance(opts, list):
            out.extend((f"{kind} option", str(o)) for o in opts)
    for child in getattr(node, "children", {}).values():
        _texts(child, lang, out)
    return out


def _clean(text: str) -> str:
    """Without what is not the app's words: links and file names."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # markdown links: keep the text
    text = re.sub(r"`[^`]*`", " ", text)  # code spans (package and file names)
    return " ".join(w for w in text.split() if not re.search(r"https?:|/[a-z_]|\.(csv|xlsx|py|png|pdf)\b", w))


def page_problems(page: str, lang: str) -> list[str]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240)
    at.query_params["lang"] = lang
    at.query_params["province"] = ["32", "73"]
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    problems = []
    for where, text in _texts(at._tree, lang, []):
        if text.lstrip().startswith(("<style>", "<script>")):
            continue  # the page's own CSS and scripts (what they write is checked in the browser)
        clean = _clean(text)
        if text in ("None", "nan", "NaT"):
            problems.append(f"{where}: {text!r}")
        if SNAKE.search(clean):
            problems.append(f"{where}: field name in {text[:120]!r}")
        wrong = ENGLISH if lang == "id" else INDONESIAN
        hit = wrong.search(clean)
        if hit:
            problems.append(f"{where}: {hit.group(0)!r} in {text[:120]!r}")
    return problems


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_speaks_one_language(page, lang, builtin):
    problems = page_problems(page, lang)
    assert not problems, "\n".join(problems[:20])


@pytest.mark.slow
def test_the_indonesian_national_pdf_has_no_english(builtin):
    import io

    from pypdf import PdfReader

    from geo.briefing import briefing_data, briefing_pdf
    from geo.registry import load_registry
    from geo.scores import load_scores

    data = briefing_data(date(2025, 12, 31), [], load_registry(), load_scores(), "id", **briefing_inputs([]))
    pdf = briefing_pdf(data)
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    assert len(reader.pages) == 2
    assert "Cakupan Mal Pelayanan Publik" in text and "Kelengkapan data" in text
    clean = _clean(text)
    assert not SNAKE.search(clean), SNAKE.search(clean)
    hits = sorted({m.group(0) for m in ENGLISH.finditer(clean)})
    assert not hits, hits
