"""The sidebar filters and the URL state: language, provinces, the date with its quick picks, and a saved
dataset's link. A view can be shared as a link; a page run on its own draws the filters itself."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, wait
from datetime import date
from typing import Any

import streamlit as st

from geo import gazetteer
from geo.i18n import fmt_short_date
from geo.settings import FIRST_MPP_YEAR
from pages._browser import UNSAVED, forget, kept, owner_cookie, remember
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
    notices = st.sidebar.container()  # what the visitor must know comes first (a dataset or upload lost)
    if "lang" not in st.session_state:
        st.session_state["lang"] = qp.get("lang", "id") if qp.get("lang") in ("id", "en") else "id"
    _ = tr()  # the session's language (the radio's key: already the new choice when it was just changed)
    st.sidebar.radio(_("Language"), ["id", "en"], key="lang", horizontal=True,
                     format_func=lambda x: {"id": "Bahasa Indonesia", "en": "English"}[x])
    default_codes = [c for c in qp.get_all("province") if c in names]
    chosen = st.sidebar.multiselect(_("Provinces"), list(names), default=default_codes, key="f_provinces",
                                    format_func=lambda c: names[c], placeholder=_("All of Indonesia"))
    when = date_filter(qp.get("as_of"))
    if qp.get("layer") and "layer" not in st.session_state:  # a shared link's map layer, for the map page
        st.session_state["layer_from_link"] = qp.get("layer")
    st.query_params.update({"lang": st.session_state["lang"], "as_of": when.isoformat()})
    st.query_params["province"] = chosen
    open_saved_dataset(qp.get("dataset"), qp.get("owner"), notices)
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
    lost_upload_notice(notices)
    return when, tuple(sorted(chosen))


def lost_upload_text() -> str:
    _ = tr()
    return _("Your upload was not saved and is no longer in use: this session is new (the app process that held "
             "your session stopped, or the upload was made in another tab). Nothing was saved. To use it, upload the "
             "file again on the Data page (remove it from the upload box first). The file:")


def lost_upload_notice(box: Any) -> None:
    """A new session in a browser that had an upload in use and not saved (the tab was closed, or the app process
    holding its session stopped and another took it over): say plainly that it is gone and what to do, on every
    page, until dismissed or uploaded again."""
    _ = tr()
    if not st.session_state.get("_upload_checked"):
        st.session_state["_upload_checked"] = True
        name = kept(UNSAVED)
        if name and "uploaded_registry" not in st.session_state and "uploaded_scores" not in st.session_state:
            st.session_state["lost_upload"] = name
            forget(UNSAVED)
    name = st.session_state.get("lost_upload")
    if name is None:
        return
    if "uploaded_registry" in st.session_state or "uploaded_scores" in st.session_state:
        del st.session_state["lost_upload"]  # uploaded again
        return
    box.warning(lost_upload_text())
    box.text(name)  # as it was named: plain text
    if box.button(_("Dismiss"), key="lost-upload-dismiss"):
        del st.session_state["lost_upload"]
        st.rerun()


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
    """The app's address opening a saved dataset at this session's view (date, provinces, language, map layer), so
    its recipient lands where it was saved (with ``owner``: its private owner link)."""
    from urllib.parse import urlencode, urlsplit

    url = urlsplit(st.context.url or "http://localhost:8501/")
    when, provinces = st.session_state.get("filters", (date.today(), ()))
    query: list[tuple[str, str]] = [("dataset", dataset_id), ("as_of", when.isoformat())]
    query += [("province", p) for p in provinces]
    query += [("lang", lang())]
    if st.session_state.get("map_layer"):
        query.append(("layer", str(st.session_state["map_layer"])))
    if owner:
        query.append(("owner", owner))
    return f"{url.scheme}://{url.netloc}/?{urlencode(query)}"


def clear_dataset() -> None:
    """Back to the public data: this session forgets its saved dataset or upload (the saved one stays saved)."""
    for k in ("uploaded_registry", "dataset_id", "dataset_name", "upload_mode", "kept_upload", "unsaved_marked"):
        st.session_state.pop(k, None)
    forget(UNSAVED)
    if "dataset" in st.query_params:
        del st.query_params["dataset"]


def dataset_banner() -> None:
    """At the top of every page while an analyst's dataset is in use: its name, that it is not the public registry,
    and the way back."""
    slot = st.container()  # always there, empty or not: the page's elements keep their places either way (a session
    # moved to another process, or a dataset set aside, does not shift everything below it)
    if "uploaded_registry" not in st.session_state:
        return
    _ = tr()
    name = st.session_state.get("dataset_name") or st.session_state.get("upload_file") or ""
    saved = bool(st.session_state.get("dataset_id"))
    text = (_("You are looking at an analyst's saved dataset, not the public registry:") if saved else
            _("You are looking at your uploaded data, not the public registry:"))
    left, right = slot.columns([4, 1], vertical_alignment="center")
    with left:
        st.warning(text + " " + plain(name), icon=":material/info:")  # the name as typed: plain text
    if right.button(_("Back to the public data"), key="dataset-banner-back"):
        clear_dataset()
        st.rerun()


_STORE_CALLS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="peta-mpp-dataset")


def _fetch(st_store: Any, dataset_id: str, owner: str | None) -> tuple[Any, bool]:
    """In a worker thread: the saved dataset (or None) and whether ``owner`` is its owner token."""
    d = st_store.get(dataset_id)
    return d, bool(owner) and d is not None and st_store.is_owner(dataset_id, owner)


@st.fragment(run_every=1.0)
def _await_dataset() -> None:
    """Checks once a second whether the saved dataset has arrived, then runs the page again with it."""
    pending = st.session_state.get("dataset_pending")
    if pending is None or pending[2].done():
        st.rerun(scope="app")


def open_saved_dataset(dataset_id: str | None, owner: str | None = None, box: Any = None) -> None:
    """A ``?dataset=<id>`` link: load that saved dataset into this session (once), or say it does not exist. With
    ``&owner=<token>`` (the owner link, from any browser) this session may delete it; the token leaves the URL.

    The database is asked in a worker thread, never on the path of the map: when it has not answered within half a
    second the page is drawn with the built-in data and a notice, and run again when the dataset arrives. A dataset
    that cannot be loaded leaves a notice on every page (and its ``?dataset=`` in the address) until the visitor
    dismisses it or tries again."""
    box = box if box is not None else st.sidebar
    if owner is not None and "owner" in st.query_params:
        del st.query_params["owner"]
    _ = tr()
    notice = st.session_state.get("dataset_notice")
    if notice is not None and (dataset_id in (None, notice[0])):
        _show_notice(*notice, box)
        return
    pending = st.session_state.get("dataset_pending")
    if not dataset_id and pending is not None:  # the address lost it (another page): the dataset is still coming
        dataset_id, owner = pending[0], pending[1]
    if not dataset_id or (st.session_state.get("dataset_id") == dataset_id and not owner):
        return
    if pending is None or pending[0] != dataset_id or (owner and pending[1] != owner):
        # without the owner link, this browser may have kept the token (a session moved to another process)
        owner = owner or kept(owner_cookie(dataset_id))
        pending = (dataset_id, owner, _STORE_CALLS.submit(_fetch, store(), dataset_id, owner))
        st.session_state["dataset_pending"] = pending
    wait([pending[2]], timeout=0.5)  # a database that answers at once: no second run, no flicker
    if not pending[2].done():
        st.query_params["dataset"] = dataset_id
        box.info(_("Opening the saved dataset… Until it arrives, the pages show the built-in data."))
        with box:
            _await_dataset()
        return
    del st.session_state["dataset_pending"]
    from geo.store import StoreError

    try:
        d, is_owner = pending[2].result()
    except StoreError as exc:
        st.session_state["dataset_notice"] = (dataset_id, exc)
        _show_notice(dataset_id, exc, box)
        return
    if d is None:
        st.session_state["dataset_notice"] = (dataset_id, None)
        _show_notice(dataset_id, None, box)
        return
    st.session_state.update({"uploaded_registry": d.rows, "upload_mode": d.mode, "dataset_id": d.id,
                             "dataset_name": d.name})
    if is_owner:
        st.session_state[f"owner-{d.id}"] = pending[1]
        remember(owner_cookie(d.id), pending[1])


def _show_notice(dataset_id: str, exc: Any, box: Any) -> None:
    """The lasting notice of a saved dataset that could not be opened, with what the visitor can do."""
    _ = tr()
    st.query_params["dataset"] = dataset_id  # the link stays what the visitor opened
    if exc is None:
        box.warning(_("No saved dataset has this link (it may have been deleted or have expired). The pages "
                             "show the built-in data."))
    else:
        box.error(plain(exc.say(lang())) + " " + _("The pages show the built-in data until it can be opened."))
    c1, c2 = box.columns(2)
    if exc is not None and c1.button(_("Try again"), key="dataset-retry"):
        st.session_state.pop("dataset_notice", None)
        st.rerun()
    if c2.button(_("Dismiss"), key="dataset-dismiss"):
        st.session_state.pop("dataset_notice", None)
        st.session_state["dataset_id"] = dataset_id  # dismissed: not asked again in this session
        if "dataset" in st.query_params:
            del st.query_params["dataset"]
        st.rerun()
