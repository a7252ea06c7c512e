"""Property-based tests (hypothesis): the matcher's invariants, and loaders that never crash on any bytes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from geo import gazetteer as gz
from geo.gazetteer import match_region, normalize, split_type
from geo.tables import TableError, read_table_bytes
from geo.uploads import read_mpp_file, read_scores_file
from geo.vectorio import BoundaryError, read_vector

REGENCIES = gz.regencies()
OFFICIAL = list(REGENCIES.itertuples(index=False))
official = st.sampled_from(OFFICIAL)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.text(max_size=60))
def test_normalize_is_idempotent(text):
    assert normalize(normalize(text)) == normalize(text)


@FAST
@given(st.text(max_size=60), st.one_of(st.none(), st.text(max_size=30)))
def test_the_matcher_always_answers_and_never_guesses(text, province):
    m = match_region(text, province)
    assert m.status in ("matched", "ambiguous", "unmatched")
    if m.status == "matched":
        assert m.code in set(REGENCIES["code"]) and m.name and m.reason is not None
    else:
        assert m.code is None and m.reason  # no code without a match, and always a reason
    if m.status == "ambiguous":
        assert len(m.candidates) >= 2


@FAST
@given(official)
def test_every_official_name_matches_its_own_code(r):
    assert match_region(r.name).code == r.code
    assert match_region(r.name, r.province).code == r.code


def _variants(draw, r) -> str:
    kind, bare = split_type(r.name)
    prefix = draw(st.sampled_from(
        ["Kabupaten ", "Kab. ", "Kab ", "KABUPATEN ", "kab. "] if kind == "kabupaten" else ["Kota ", "KOTA ", "kota "]))
    words = bare.split()
    sep = draw(st.sampled_from([" ", "  ", " - "]))
    text = prefix + sep.join(words)
    case = draw(st.sampled_from([str, str.upper, str.lower, str.title]))
    pad = draw(st.sampled_from(["", " ", "\t"]))
    return pad + case(text) + pad


@FAST
@given(st.data())
def test_prefix_case_and_spacing_variants_never_change_the_answer(data):
    r = data.draw(official)
    written = _variants(data.draw, r)
    m = match_region(written, r.province)
    assert (m.status, m.code) == ("matched", r.code), (written, m)


@pytest.mark.slow
@FAST
@given(official)
def test_ambiguity_is_never_resolved_silently(r):
    _, bare = split_type(r.name)
    twins = REGENCIES[REGENCIES["name"].map(lambda n: split_type(n)[1]) == bare]
    m = match_region(bare, r.province)
    if len(twins[twins["province"] == r.province]) > 1:
        assert m.status == "ambiguous" and {c.code for c in m.candidates} >= set(twins["code"])
    elif len(twins) == 1:
        assert m.code == r.code


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_never_crash_the_table_loaders(data):
    for loader in (lambda b: read_table_bytes(b, "x.csv"), lambda b: read_mpp_file(b, "x.csv"),
                   lambda b: read_scores_file(b, "x.csv")):
        try:
            result = loader(data)
        except TableError as exc:
            assert "x.csv" in str(exc)
            continue
        if hasattr(result, "report"):  # every row accepted or rejected
            assert result.accepted + result.rejected == len(result.report)


csv_cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=25)


@FAST
@given(st.lists(st.tuples(st.sampled_from([r.name for r in OFFICIAL] + ["Magelang", "Atlantis", ""]),
                          st.one_of(st.just(""), st.dates().map(str), csv_cell)), min_size=1, max_size=12))
@pytest.mark.slow
def test_mpp_upload_accounts_for_every_row(rows):
    import pandas as pd

    from geo.tables import to_csv_bytes

    df = pd.DataFrame(rows, columns=["wilayah", "tanggal"])
    assume(not df.replace("", None).dropna(how="all").empty)
    data = to_csv_bytes(df)
    try:
        read = read_table_bytes(data, "mpp.csv")
        r = read_mpp_file(data, "mpp.csv")
    except TableError:
        return
    assert len(r.report) == len(read)  # rows in = rows accepted + rows rejected
    assert list(r.report["row"]) == read.attrs["row_numbers"]
    assert r.accepted + r.rejected == len(r.report)
    assert len(r.data) == r.accepted
    assert set(r.report[r.report["status"] == "rejected"]["reason"].str.len() > 0) <= {True}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000), st.sampled_from(["x.geojson", "x.gpkg", "x.zip", "x.shp"]))
def test_arbitrary_bytes_never_crash_the_boundary_reader(tmp_path_factory, data, name):
    path = tmp_path_factory.mktemp("b") / name
    path.write_bytes(data)
    try:
        read_vector(path)
    except BoundaryError as exc:
        assert name in str(exc)
