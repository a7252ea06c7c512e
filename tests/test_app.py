"""The Streamlit pages, run headless with AppTest, checked against geo/ results."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from geo.boundaries import centres
from geo.boundary_io import load_boundaries
from geo.coverage import gaps, regency_coverage, summary
from geo.inputs import reference
from geo.labels import column_label
from geo.maps import mpp_points
from geo.registry import as_of, load_official_totals, load_registry
from geo.scores import load_scores


@pytest.fixture(scope="module", autouse=True)
def _boundaries(builtin):
    return builtin


def run(page: str, session: dict | None = None, **params) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=180)
    for k, v in params.items():
        at.query_params[k] = v
    for k, v in (session or {}).items():
        at.session_state[k] = v
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def col(name: str, lang: str = "id") -> str:
    """A column as people see it (geo.labels): 'Kode' for code in id."""
    return column_label(name, lang)


def metric(at: AppTest, i: int) -> str:
    return at.metric[i].value


@pytest.mark.slow
def test_overview_headline_matches_geo():
    at = run("pages/ringkasan.py", as_of="2024-07-17", province="12")
    reg, sc = load_registry(), load_scores()
    table = regency_coverage(date(2024, 7, 17), ["12"], reg, sc, **reference())
    s = summary(table, date(2024, 7, 17), reg, load_official_totals())
    assert metric(at, 0) == f"{s['covered']} / {s['regencies']}" == "5 / 33"
    assert metric(at, 1) == "4,1 jt" and s["population_covered"] == 4_140_295  # people, the Indonesian way
    assert any(c.value.startswith("4.140.295 dari 15.640.905 penduduk terdaftar") for c in at.caption)
    # issue #37: the registry's count and the official one, two numbers with the words that tell them apart
    assert metric(at, 2) == str(s["registry_named_nationally"])
    assert any(c.value.startswith("MPP di registri secara nasional, dihitung cara KemenPAN-RB; "
                                  f"hitungan resmi KemenPAN-RB: {s['official_total']}") for c in at.caption)
    assert metric(at, 3) == "0 / 1"


def test_dk_jakarta_leads_with_the_served_on_the_overview_and_the_presentation():
    """Issue #37: DK Jakarta (no regency with its own MPP, a province-run MPP serving all six) is headlined as
    served on the overview's card and in the presentation's subtitle, never "0 / 6" or "0%"."""
    at = run("pages/ringkasan.py", as_of="2025-12-31", province="31")
    assert metric(at, 0) == "6 / 6"
    assert any(c.value.startswith("kabupaten/kota dilayani, oleh MPP yang dikelola provinsi") for c in at.caption)
    assert "Kab/kota dilayani" in [m.label for m in at.metric]
    at = run("pages/presentasi.py", as_of="2025-12-31", province="31", layer="coverage")
    sub = " ".join(m.value for m in at.markdown)
    assert "6 / 6 kabupaten/kota dilayani" in sub and "0 / 6" not in sub and "(0%)" not in sub


@pytest.mark.slow
def test_the_progress_charts_key_names_only_the_marks_the_chart_has():
    """Nationally: registry line, KemenPAN-RB's counts, targets, all units, the projected band. DK Jakarta (every
    unit covered, a province's view): no national counts, no band."""
    def key(at: AppTest) -> str:
        return next(c.value for c in at.caption if c.value.startswith("Garis biru"))
    national = key(run("pages/ringkasan.py", as_of="2025-12-31"))
    assert "Titik jingga" in national and "Pita biru" in national and "Garis titik-titik: seluruh 509 unit." in national
    jakarta = key(run("pages/ringkasan.py", as_of="2025-12-31", province="31"))
    assert "Titik jingga" not in jakarta and "Pita biru" not in jakarta
    assert jakarta.startswith("Garis biru: unit ber-MPP di registri, bulan demi bulan.")


@pytest.mark.slow
def test_overview_filters_change_the_figures():
    at = run("pages/ringkasan.py", as_of="2024-07-17")
    assert metric(at, 0).endswith("/ 514")
    national = metric(at, 0)
    at.sidebar.multiselect[0].set_value(["12", "13"]).run()
    assert not at.exception
    t = regency_coverage(date(2024, 7, 17), ["12", "13"], load_registry(), load_scores(), **reference())
    assert metric(at, 0) == f"{int(t['has_mpp'].sum())} / {len(t)}" != national
    at.sidebar.date_input[0].set_value(date(2019, 12, 31)).run()
    t = regency_coverage(date(2019, 12, 31), ["12", "13"], load_registry(), load_scores(), **reference())
    assert metric(at, 0) == f"{int(t['has_mpp'].sum())} / {len(t)}"
    assert at.query_params["as_of"] in ("2019-12-31", ["2019-12-31"]) and list(at.query_params["province"]) == ["12", "13"]


@pytest.mark.slow
def test_a_typed_date_and_the_quick_picks():
    """Choosing Sumatera Utara and typing 2024-07-17 shows 5 of 33; a quick pick sets an official count's date."""
    at = run("pages/ringkasan.py")
    at.sidebar.multiselect[0].set_value(["12"]).run()
    at.sidebar.date_input[0].set_value(date(2024, 7, 17)).run()
    assert metric(at, 0) == "5 / 33"
    assert at.query_params["as_of"] in ("2024-07-17", ["2024-07-17"])
    quick = at.sidebar.selectbox(key="f_quick")
    assert "Hitungan resmi 305 (15/12/2025)" in quick.options and "Akhir 2024" in quick.options
    quick.set_value("2024-06-24").run()
    assert at.sidebar.date_input[0].value == date(2024, 6, 24)
    assert any("Data per" in c.value for c in at.sidebar.caption)


@pytest.mark.slow
def test_map_page_every_layer():
    at = run("pages/peta.py", as_of="2024-07-17", province="12")
    for layer in ("coverage", "mpp_count", "first_year", "rb", "sakip", "digital", "people"):
        at.radio(key="layer").set_value(layer).run()
        assert not at.exception, (layer, at.exception)
        assert at.query_params["layer"] in (layer, [layer])
        rb_note = any("Metode evaluasi RB berubah" in c.value for c in at.caption)
        assert rb_note == (layer == "rb")  # the RB method-change note shows with the RB layer
        digital = [c.value for c in at.caption if c.value.startswith("MPP Digital: ")]
        assert len(digital) == (layer == "digital")  # and MPP Digital's breakdown with its layer
        if digital:  # Sumatera Utara on 17 July 2024: no source names any of its regencies yet
            assert digital[0].startswith("MPP Digital: tidak ada sumber yang menyebut satu pun dari 33 kab/kota"), digital


def test_gaps_page_table_and_downloads_match_geo():
    at = run("pages/kesenjangan.py", as_of="2024-07-17", province="12")
    assert "28 dari 33" in at.markdown[0].value
    shown = at.dataframe[0].value
    reg = load_registry()
    table = regency_coverage(date(2024, 7, 17), ["12"], reg, load_scores(), **reference())
    full = centres(load_boundaries("full"))
    expected = gaps(table, full, mpp_points(as_of(reg, "2024-07-17"), full))
    by_distance = expected.sort_values(["nearest_mpp_km", "population"], ascending=[False, False])
    assert list(shown[col("code")]) == list(by_distance["code"])  # farthest first by default
    at.radio(key="gap_sort").set_value("population").run()
    shown = at.dataframe[0].value
    assert list(shown[col("population")]) == sorted(expected["population"], reverse=True)
    assert shown[col("population")].notna().all()
    assert shown[col("nearest_mpp_km")].notna().all()
    ranking = at.dataframe[1].value
    assert ranking.iloc[0][col("without")] == 28


def shown_text(at: AppTest, i: int):
    """The text a person reads in the i-th table (the Styler's display values), beside ``at.dataframe[i].value``."""
    import pyarrow as pa

    styler = at.dataframe[i].proto.arrow_data.styler
    return pa.ipc.open_stream(styler.display_values).read_all().to_pandas()


@pytest.mark.parametrize("lang, people, km, share", [("id", "369.817", "182,4", "15,2%"),
                                                      ("en", "369,817", "182.4", "15.2%")])
def test_numbers_in_tables_are_written_in_the_readers_language_and_sorted_as_numbers(lang, people, km, share):
    at = run("pages/kesenjangan.py", as_of="2024-07-17", province="12", lang=lang)
    data, text = at.dataframe[0].value, shown_text(at, 0)
    row = list(data[col("code", lang)]).index("12.14")  # Kabupaten Nias Selatan, the farthest from an MPP
    assert text.at[row, col("population", lang)] == people and text.at[row, col("nearest_mpp_km", lang)] == km
    assert data[col("population", lang)].dtype.kind in "iuf"  # the numbers themselves, so sorting stays numeric
    assert at.dataframe[0].proto.placeholder == "–"  # a missing number is a dash, never "None"
    ranking = shown_text(at, 1)
    assert ranking.at[0, col("served_rate", lang)] == share  # 5 of 33 served


def test_scores_page_states_what_is_unknown():
    at = run("pages/skor.py", as_of="2024-07-17")
    text = " ".join(m.value for m in at.markdown)
    assert "tidak diketahui, bukan rendah" in text
    prov = at.dataframe[2].value
    sumut = prov[prov[col("code")] == "12"].set_index(col("assessment"))
    assert sumut.at["RB", col("predikat")] == "BB" and sumut.at["SAKIP", col("predikat")] == "B"


def test_data_page_and_language_switch():
    at = run("pages/data.py", lang="en")
    assert at.title[0].value == "Data"
    assert any("Completeness" in s.value for s in at.subheader)
    comp = at.dataframe[0].value
    assert comp.iloc[-1][col("official_total", "en")] == 305

    def batches(at: AppTest, lang: str) -> list[str]:
        frames = [d.value for d in at.dataframe if col("stated_size", lang) in d.value.columns]
        return list(frames[0][col("name", lang)])
    assert "Gebyar Pelayanan Prima 2024: 22 MPPs inaugurated symbolically" in batches(at, "en")
    at = run("pages/data.py", lang="id")  # the batches described in the reader's language
    assert "Gebyar Pelayanan Prima 2024: 22 MPP diresmikan secara simbolis" in batches(at, "id")


@pytest.mark.slow
def test_an_uploaded_registry_is_used_on_every_page():
    """SYNTHETIC analyst registry: one MPP in Kabupaten Karo."""
    from geo.uploads import read_mpp_file

    up = read_mpp_file(b"wilayah,tanggal\nKabupaten Karo,2020-01-01\n", "mine.csv")
    at = run("pages/ringkasan.py", session={"uploaded_registry": up.data, "upload_mode": "replace"},
             as_of="2024-07-17", province="12")
    assert metric(at, 0) == "1 / 33"
    assert any("unggahan" in i.value for i in at.sidebar.info)
    at = run("pages/ringkasan.py", session={"uploaded_registry": up.data}, as_of="2024-07-17", province="12")
    assert metric(at, 0) == "6 / 33"  # by default the analyst's MPPs are added to the registry's five
    assert any("ditambahkan" in i.value for i in at.sidebar.info)


def test_presentation_mode_title_states_scope_and_date():
    at = run("pages/presentasi.py", as_of="2024-07-17", province="12", layer="coverage")
    text = " ".join(m.value for m in at.markdown)
    assert "Keberadaan MPP — Sumatera Utara" in text and "17 Juli 2024" in text and "5 dari 33" in text
    assert "cahyadsn/wilayah_boundaries" in text


def test_presentation_from_an_analysts_file_says_whose_data_it_shows():
    """SYNTHETIC analyst registry replacing the public one: the presentation's source line names the file and says
    it is not checked, instead of claiming the public sources (issue #24)."""
    from geo.uploads import read_mpp_file

    up = read_mpp_file(b"wilayah,tanggal\nKabupaten Karo,2020-01-01\n", "mine.csv")
    at = run("pages/presentasi.py", session={"uploaded_registry": up.data, "upload_mode": "replace",
                                             "upload_file": "mpp_bappeda.csv"},
             as_of="2024-07-17", province="12", layer="coverage")
    text = " ".join(m.value for m in at.markdown)
    assert "MPP dari berkas analis (“mpp_bappeda.csv”), bukan dari registri publik" in text
    assert "Memuat data analis yang belum diperiksa Peta MPP" in text
    assert "registri MPP dari sumber publik" not in text


def test_timeline_page_counts_per_year():
    at = run("pages/linimasa.py", province="12", lang="en")
    assert at.title[0].value == "Coverage over the years"
    assert not at.exception


def test_a_second_upload_in_a_session_is_not_served_from_the_first_ones_cache():
    """SYNTHETIC analyst registries: the session's data key follows the frame in use."""
    from geo.uploads import read_mpp_file

    karo = read_mpp_file(b"wilayah,tanggal\nKabupaten Karo,2020-01-01\n", "a.csv").data
    two = read_mpp_file(b"wilayah,tanggal\nKabupaten Karo,2020-01-01\nKabupaten Dairi,2020-01-01\n", "b.csv").data
    at = run("pages/ringkasan.py", session={"uploaded_registry": karo, "upload_mode": "replace"},
             as_of="2024-07-17", province="12")
    assert metric(at, 0) == "1 / 33"
    at.session_state["uploaded_registry"] = two
    at.run()
    assert metric(at, 0) == "2 / 33"
