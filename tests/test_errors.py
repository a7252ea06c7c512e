"""One error base: every project error is a PetaError; the command line handles it in one place; importing geo
changes no third-party global state."""

from __future__ import annotations

import importlib
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import one_line_exit_2, program, run

import geo
from geo.errors import PetaError, one_line

ROOT = Path(__file__).resolve().parent.parent


def test_every_project_error_shares_one_base():
    errors = []
    for mod in pkgutil.iter_modules(geo.__path__):
        if mod.name == "__main__":
            continue
        m = importlib.import_module(f"geo.{mod.name}")
        errors += [obj for obj in vars(m).values() if isinstance(obj, type) and issubclass(obj, Exception)
                   and obj.__module__ == m.__name__]
    assert len(errors) >= 8 and all(issubclass(e, PetaError) for e in errors), errors


def test_each_kind_of_failure_is_one_line_and_exit_2(tmp_path):
    cases = [(["boundaries", str(tmp_path / "missing.geojson")], "no such file"),
             (["coverage", "--mpp-file", str(tmp_path)], "is a folder"),
             (["coverage", "--province", "Atlantis"], "Atlantis"),
             (["build-registry", "--check", "--sources", str(tmp_path)], "not found")]
    for args, words in cases:
        assert words in one_line_exit_2(run(*args)), args
    p = run("coverage", env={"PETA_MPP_MAX_ROWS": "many"})  # a setting this command does not use: no traceback
    assert "Traceback" not in p.stderr
    # The same failure in the reader's language (PETA_MPP_LANG=id).
    p = run("boundaries", str(tmp_path / "missing.geojson"), env={"PETA_MPP_LANG": "id"})
    assert one_line_exit_2(p).endswith("missing.geojson: berkas tidak ada"), p.stderr
    p = run("coverage", "--province", "Atlantis", env={"PETA_MPP_LANG": "id"})
    assert "provinsi 'Atlantis' tidak dikenal" in one_line_exit_2(p)
    p = run("coverage", "--as-of", "2024-13-01", env={"PETA_MPP_LANG": "id"})
    assert one_line_exit_2(p) == "error: '2024-13-01' bukan tanggal (TTTT-BB-HH)"


def test_python_m_geo_is_the_program_the_tests_call_in_process(tmp_path):
    """The command line as a real program: its exit status and its one line, as the in-process calls see them."""
    p = program("boundaries", str(tmp_path / "missing.geojson"), env={"PETA_MPP_LANG": "id"})
    assert one_line_exit_2(p).endswith("missing.geojson: berkas tidak ada"), p.stderr
    assert program("settings").stdout == run("settings").stdout


def _upload_failure(kind: str) -> None:
    """Runs inside AppTest: the Data page's own error handling (pages._errors.input_errors) around the readers the
    Data page calls, fed one kind of bad input each."""
    import streamlit as st

    from pages._errors import input_errors

    st.session_state["lang"] = "id"
    with input_errors("berkas.csv"):
        if kind == "table":
            from geo.uploads import read_mpp_file

            read_mpp_file(b"", "berkas.csv")
        elif kind == "boundaries":
            from geo.boundary_io import reconciliation_report

            reconciliation_report(b"{not json", name="batas.geojson")
        elif kind == "zip":
            from geo.boundary_io import reconciliation_report

            reconciliation_report(b"PK\x03\x04 broken", name="batas.zip")
        elif kind == "store":
            from geo.store import Store

            import pandas as pd

            Store("sqlite:////nonexistent-folder/x/y.db").save("x", "x.csv", b"a", pd.DataFrame({"code": ["12.06"]}))
        elif kind == "bug":
            raise RuntimeError("an unexpected failure\nwith a second line")


@pytest.mark.parametrize("kind, words", [("table", "berkas.csv: berkasnya kosong"),
                                         ("boundaries", "batas.geojson: bukan JSON yang sah"),
                                         ("zip", "batas.zip: bukan berkas zip yang terbaca"),
                                         ("store", "penyimpanan data sedang tidak menjawab"),
                                         ("bug", "Tidak dapat membaca berkas.csv: terjadi galat internal (rujukan")])
def test_each_kind_of_failure_on_the_data_page_is_one_translated_line(kind, words):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_upload_failure, args=(kind,), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert len(at.error) == 1, [e.value for e in at.error]
    text = at.error[0].value.replace("\\", "")  # the message is shown as plain text (Markdown escaped)
    assert words in text and "\n" not in text and "Traceback" not in text, text


def test_messages_are_one_line():
    assert one_line("a\nb\r\n\tc\x1b[31m") == "a b c [31m"


@pytest.mark.slow
def test_importing_geo_changes_no_third_party_global_state():
    code = ("import matplotlib, folium; b = matplotlib.get_backend(); "
            "p = dict(folium.GeoJson._template.environment.policies.get('json.dumps_kwargs', {})); "
            "import pkgutil, importlib, geo\n"
            "for m in pkgutil.iter_modules(geo.__path__): m.name != '__main__' and importlib.import_module('geo.' + m.name)\n"
            "assert matplotlib.get_backend() == b, 'backend'\n"
            "assert dict(folium.GeoJson._template.environment.policies.get('json.dumps_kwargs', {})) == p, 'policies'\n"
            "import pyogrio; assert 'OGR_VRT' in pyogrio.list_drivers(), 'gdal drivers'")
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                       env={**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": ""})
    assert p.returncode == 0, p.stderr[-800:]


def test_user_text_in_a_message_never_becomes_markup_or_a_link():
    """pages._errors.plain: Markdown and HTML escaped, and the addresses Markdown would autolink even when escaped
    ("http://", "www.", "name@host") broken by an invisible word joiner (issue #36: no links in user text; the
    browser test of the dataset banner checks the rendered alert has no <a>)."""
    from pages._errors import plain

    shown = plain("Data <b>uji</b> [klik](http://evil.example/x) WWW.evil.example y@evil.example")
    assert "<b>" not in shown and "\\[klik\\]" in shown
    assert "http\\:\u2060//evil" in shown and "WWW\u2060\\.evil" in shown and "y\u2060@evil" in shown
    assert shown.replace("\u2060", "").replace("\\", "") == "Data <b>uji</b> [klik](http://evil.example/x) " \
                                                             "WWW.evil.example y@evil.example"
