"""The corrections pages, run headless with AppTest: submit, status link, withdraw, the stewards' login and review,
and an accepted correction changing the overview. Corrections here are SYNTHETIC, in a throw-away store."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from geo import corrections as corr
from geo import stewards
from geo.store import Store

PASSWORD = "a long synthetic password"


@pytest.fixture
def app_store(tmp_path, monkeypatch):
    """A fresh SQLite store for the app, and AppTest runs that behave like a warm server's: the first run of a
    process leaves Streamlit's legacy page router once (pages/_reroute.py) by rerunning, which drops a click;
    AppTest resets that flag before every run, so it is set as a running server has it."""
    from streamlit.runtime.pages_manager import PagesManager

    monkeypatch.setenv("PETA_MPP_DATA_DIR", str(tmp_path))
    original = PagesManager.__init__

    def warm(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False
    monkeypatch.setattr(PagesManager, "__init__", warm)
    from geo.mapviews import live

    live.cache_clear()  # this process's view of the store starts afresh, and ends with the test
    yield Store()
    live.cache_clear()


def start(page: str, **params) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=180)
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def field(at: AppTest, label: str):
    return next(w for w in at.text_input if w.label == label)


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _without_mpp() -> str:
    from geo.coverage import coverage
    from geo.inputs import reference
    from geo.registry import load_official_totals, load_registry
    from geo.scores import load_scores

    table = coverage(date.today(), [], load_registry(), load_scores(), load_official_totals(), **reference()).table
    return str(table[table["presence"] == "without"].iloc[0]["code"])


@pytest.mark.slow
def test_submit_from_a_regency_link_follow_the_status_link_and_withdraw(app_store):
    code = _without_mpp()
    at = start("pages/koreksi.py", region=code)
    assert at.selectbox[0].value == code  # the regency the detail's link named
    assert any("Siapa pun" in m.value for m in at.markdown)  # the process, in the reader's language
    field(at, "Alamat sumber (http atau https)").set_value("https://example.go.id/berita-mpp")
    next(d for d in at.date_input if d.label == "Beroperasi sejak").set_value(date(2025, 3, 1))
    field(at, "Nama").set_value("Budi (SYNTHETIC)")
    button(at, "Kirim koreksi").click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.success and "1 koreksi" in at.success[0].value
    link, token = at.code[0].value, at.code[1].value
    cid = link.rsplit("=", 1)[1]
    assert link.endswith(f"/koreksi?correction={cid}") and corr.CORRECTION_ID.fullmatch(cid)
    listed = corr.listing(app_store)
    assert list(listed["id"]) == [cid] and listed.loc[0, "status"] == "diajukan"

    # the public list shows it without the submitter's name; the status link shows its history
    shown = at.dataframe[-1].value
    assert cid in shown.to_csv() and "Budi" not in shown.to_csv()
    page = start("pages/koreksi.py", correction=cid)
    texts = [t.value for t in page.text]
    assert "Status: diajukan" in texts and any(t.startswith("Bukti: https://example.go.id/berita-mpp") for t in texts)
    next(w for w in page.text_input if w.label.startswith("Token penarikan")).set_value("wrong-token")
    button(page, "Tarik koreksi ini").click()
    page.run()
    assert page.error and "token" in page.error[0].value
    next(w for w in page.text_input if w.label.startswith("Token penarikan")).set_value(token)
    button(page, "Tarik koreksi ini").click()
    page.run()
    assert corr.get(cid, app_store)["status"] == "ditarik"


@pytest.mark.slow
def test_a_steward_logs_in_reviews_and_the_accepted_correction_changes_the_overview(app_store):
    code = _without_mpp()
    stewards.add("ani", PASSWORD, app_store)
    done = corr.submit(corr.Claim(region=code, claim="operating", date="2025-03-01",
                                  source_url="https://example.go.id/berita-mpp"), app_store)
    before = start("pages/ringkasan.py")
    covered_before = int(before.metric[0].value.split("/")[0].replace(".", ""))

    at = start("pages/koreksi.py")
    field(at, "Nama pengelola data").set_value("ani")
    field(at, "Kata sandi").set_value("wrong password!!")
    button(at, "Masuk").click()
    at.run()
    assert at.error and "nama atau kata sandi salah" in at.error[0].value
    field(at, "Kata sandi").set_value(PASSWORD)
    button(at, "Masuk").click()
    at.run()
    assert at.session_state["steward_name"] == "ani"
    at.switch_page("pages/tinjau.py")
    at.run()
    assert not at.exception and at.title[0].value == "Tinjau koreksi"
    assert any(t.value.startswith("Tautan status:") and done.id in t.value for t in at.text)
    from test_i18n import ENGLISH, _clean, _texts

    english = [t for _w, t in _texts(at._tree, "id", []) if not t.lstrip().startswith(("<style>", "<script>"))
               and ENGLISH.search(_clean(t))]
    assert english == []  # the review page speaks Bahasa Indonesia too
    button(at, "Terima").click()
    at.run()
    assert not at.exception and corr.get(done.id, app_store)["status"] == "diterima"
    assert corr.history(done.id, app_store)["actor"].iloc[-1] == "steward:ani"

    after = start("pages/ringkasan.py")  # another session of the same process sees it at once
    assert int(after.metric[0].value.split("/")[0].replace(".", "")) == covered_before + 1


@pytest.mark.slow
def test_the_review_page_is_not_served_without_a_steward_login(app_store):
    at = start("pages/koreksi.py")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/tinjau.py")  # a visitor's navigation has no review page
    at.session_state["steward_token"] = "forged-token"
    at.run()
    assert "steward_token" not in at.session_state  # checked against the store and forgotten
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/tinjau.py")
    assert any("telah berakhir" in i.value for i in at.info)

