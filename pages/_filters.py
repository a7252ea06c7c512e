"""The sidebar filters and the URL state: language, provinces, the date with its quick picks, and a saved
dataset's link. A view can be shared as a link; a page run on its own draws the filters itself."""

from __future__ import annotations

from datetime import date

import streamlit as st

from geo import gazetteer
from geo.i18n import fmt_short_date
from geo.settings import FIRST_MPP_YEAR
from pages._errors import plain
from pages._language import lang, tr
from pages._loaders import (
    data_as_of,
    official_totals,
    store,
)
from pages._reroute import leave_legacy_page_router


def filters() -> tuple[date, tuple[str, ...]]:
    """Sidebar filters, read from and written to the URL so a view can be shared as a link."""
    qp = st.query_params
    provs = gazetteer.provinces()
    names = dict(zip(provs["code"], provs["name"]))
    if "lang" not in st.session_state:
        st.session_state["lang"] = qp.get("lang", "id") if qp.get("lang") in ("id", "en") else "id"
    _ = tr()  # the session's language (the radio's key: already the new choice when it was just changed)
    st.sidebar.radio(_("Language"), ["id", "en"], key="lang", horizontal=True,
                     format_func=lambda x: {"id": "Bahasa Indonesia", "en": "English"}[x])
    default_codes = [c for c in qp.get_all("province") if c in names]
    chosen = st.sidebar.multiselect(_("Provinces"), list(names), default=default_codes, key="f_provinces",
                                    format_func=lambda c: names[c], placeholder=_("All of Indonesia"))
    when = date_filter(qp.get("as_of"))
    st.query_params.update({"lang": st.session_state["lang"], "as_of": when.isoformat()})
    st.query_params["province"] = chosen
    open_saved_dataset(qp.get("dataset"), qp.get("owner"))
    if "uploaded_registry" in st.session_state:
        mode = st.session_state.get("upload_mode", "add")
        what = st.session_state.get("dataset_name")
        st.sidebar.info((_("Uploaded MPPs added to the registry") if mode == "add" else
                         _("Using the uploaded MPP data (replacing the registry)")) + (":" if what else ""))
        if what:
            st.sidebar.text(what)  # the dataset's name as typed: plain text, never Markdown or a link
        if st.session_state.get(f"owner-{st.session_state.get('dataset_id')}"):
            st.sidebar.caption(_("You own this saved dataset: the Data page has its links and lets you delete it."))
        if st.session_state.get("dataset_id"):
            st.query_params["dataset"] = st.session_state["dataset_id"]
    if "uploaded_scores" in st.session_state:
        st.sidebar.info(_("Using the uploaded score data"))
    return when, tuple(sorted(chosen))


def _quick_dates() -> list[tuple[str, date]]:
    """Quick picks for the date: today, the end of each year, the dates of KemenPAN-RB's official counts."""
    _ = tr()
    today = date.today()
    picks = [(_("Today"), today)]
    picks += [(_("End of {year}", year=y), date(y, 12, 31)) for y in range(today.year - 1, FIRST_MPP_YEAR - 1, -1)]
    for r in official_totals().sort_values("as_of", ascending=False).itertuples():
        d = date.fromisoformat(r.as_of)
        picks.append((_("Official count {total} ({date})", total=r.total, date=fmt_short_date(d, lang())), d))
    return picks


def _apply_quick_date() -> None:
    chosen = st.session_state.get("f_quick")
    if chosen:
        st.session_state["f_as_of"] = date.fromisoformat(chosen)
    st.session_state["f_quick"] = None


def date_filter(from_url: str | None) -> date:
    """A typed date (dd/mm/yyyy) with quick picks; starts from the URL's ``as_of``."""
    today = date.today()
    if "f_as_of" not in st.session_state:
        try:
            start = date.fromisoformat(from_url) if from_url else today
        except ValueError:
            start = today
        st.session_state["f_as_of"] = min(max(start, date(FIRST_MPP_YEAR, 1, 1)), today)
    _ = tr()
    when = st.sidebar.date_input(_("As of"), min_value=date(FIRST_MPP_YEAR, 1, 1), max_value=today,
                                 format="DD/MM/YYYY", key="f_as_of")
    labels: dict[str, str] = {}
    for label, d in _quick_dates():  # one entry per date, the first label wins
        labels.setdefault(d.isoformat(), label)
    st.sidebar.selectbox(_("Quick dates"), [None, *labels], key="f_quick",
                         format_func=lambda v: "—" if v is None else labels[v], on_change=_apply_quick_date)
    latest = data_as_of()
    st.sidebar.caption(_("Data as of {date} (latest dated statement)", date=fmt_short_date(latest, lang())))
    if (when - latest).days > 183:
        st.sidebar.warning(_("The chosen date is more than six months after the latest data ({date}): MPPs opened "
                             "since may be missing.", date=fmt_short_date(latest, lang())))
    return when


def current_filters() -> tuple[date, tuple[str, ...]]:
    """The filters app.py drew in this run; a page run on its own (as AppTest does) draws them itself. Every page
    calls this first: a run started by the legacy page router is rerouted through app.py here."""
    leave_legacy_page_router()
    if st.session_state.get("_filters_owner") != "app" or "filters" not in st.session_state:
        st.session_state["filters"] = filters()
    return st.session_state["filters"]


def dataset_link(dataset_id: str, owner: str | None = None) -> str:
    """The app's address opening a saved dataset (with ``owner``: its private owner link)."""
    from urllib.parse import urlencode, urlsplit

    url = urlsplit(st.context.url or "http://localhost:8501/")
    query = {"dataset": dataset_id, **({"owner": owner} if owner else {})}
    return f"{url.scheme}://{url.netloc}/?{urlencode(query)}"


def open_saved_dataset(dataset_id: str | None, owner: str | None = None) -> None:
    """A ``?dataset=<id>`` link: load that saved dataset into this session (once), or say it does not exist. With
    ``&owner=<token>`` (the owner link, from any browser) this session may delete it; the token leaves the URL."""
    if owner is not None and "owner" in st.query_params:
        del st.query_params["owner"]
    if not dataset_id or (st.session_state.get("dataset_id") == dataset_id and not owner):
        return
    from geo.store import StoreError

    _ = tr()
    try:
        d = store().get(dataset_id)
        is_owner = bool(owner) and d is not None and store().is_owner(dataset_id, owner)
    except StoreError as exc:
        st.sidebar.error(plain(exc.say(lang())))
        return
    if d is None:
        st.sidebar.warning(_("No saved dataset has this link (it may have been deleted)."))
        st.session_state["dataset_id"] = dataset_id
        return
    st.session_state.update({"uploaded_registry": d.rows, "upload_mode": d.mode, "dataset_id": d.id,
                             "dataset_name": d.name})
    if is_owner:
        st.session_state[f"owner-{d.id}"] = owner
