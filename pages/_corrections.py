"""What the pages share about corrections: the store's answers for this session, the steward's login, the link of
a correction, and its status shown as plain text."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

import pandas as pd
import streamlit as st

from geo import corrections as corr
from geo.store import StoreError
from pages._errors import plain
from pages._language import lang, tr
from pages._loaders import live_corrections, store
from pages._widgets import show_table


def correction_link(cid: str) -> str:
    """The status link of a correction (``/koreksi?correction=<id>``) on the address this session uses."""
    url = urlsplit(st.context.url or "http://localhost:8501/")
    return f"{url.scheme}://{url.netloc}/koreksi?{urlencode({'correction': cid})}"


def current_steward() -> str | None:
    """The steward logged in in this session while the login is valid (checked against the store on every run: a
    login expires in every process at once); an expired login is said once and forgotten."""
    token = st.session_state.get("steward_token")
    if not token:
        return None
    from geo import stewards

    try:
        name = stewards.who(token, store())
    except StoreError:
        return st.session_state.get("steward_name")  # the store is down: nothing can be reviewed anyway
    if name is None:
        for key in ("steward_token", "steward_name"):
            st.session_state.pop(key, None)
        st.session_state["steward_expired"] = True
    return name


def regency_corrections(code: str) -> pd.DataFrame | None:
    """The newest corrections about one regency (public fields; one page at most), or None when the store cannot
    say."""
    try:
        return corr.listing(store(), region=code, limit=corr.page_bounds(0, 1)[1])
    except StoreError:
        return None


def show_corrections(df: pd.DataFrame, regions: bool = True) -> None:
    """Corrections for the public (``regions``: with the regency and province, for a list of several regencies)."""
    view = corr.public_view(df, lang())
    show_table(view if regions else view.drop(columns=["region", "province"]))


def after_change() -> None:
    """A correction was submitted or decided in this session: every page of this process sees it now."""
    live_corrections().refresh()


def show_status(cid: str) -> None:
    """A correction's status page (``?correction=<id>``): what it claims, its evidence, its history, and the
    submitter's way to withdraw it."""
    _ = tr()
    try:
        row = corr.get(cid, store())
    except StoreError as exc:
        st.error(plain(exc.say(lang())))
        return
    if row is None:
        st.warning(_("No correction has this link."))
        return
    view = corr.public_view(pd.DataFrame([row]), lang()).iloc[0]
    with st.container(border=True):
        st.subheader(_("Correction for {region}, {province}", region=row["region"], province=row["province"]))
        st.text(_("Status: {status}", status=_.say(corr_status_word(row["status"]))))
        st.text(_("Claim: {claim}", claim=_.say(claim_word(row["claim"]))) + (f" — {view['claim_text']}"
                                                                             if view["claim_text"] else ""))
        st.text(_("Evidence: {evidence}", evidence=view["evidence"] or "–"))
        st.text(_("Submitted on {date}", date=view["submitted_on"]))
        if row["has_document"]:
            doc = corr.document(cid, store())
            if doc is not None:
                st.download_button(_("Download the document"), doc[2], file_name=doc[0], mime=doc[1],
                                   on_click="ignore", key=f"doc-{cid}")
        st.caption(_("History"))
        show_table(corr.public_history(cid, lang(), store()))
        if row["status"] in corr.OPEN:
            with st.form(f"withdraw-{cid}", enter_to_submit=False):
                token = st.text_input(_("Your withdrawal token (given when you submitted)"), type="password")
                if st.form_submit_button(_("Withdraw this correction")):
                    try:
                        corr.withdraw(cid, token.strip(), store())
                    except corr.CorrectionError as exc:
                        st.error(plain(exc.say(lang())))
                    else:
                        after_change()
                        st.success(_("The correction is withdrawn."))
                        st.rerun()


def corr_status_word(status: str) -> Any:
    from geo.labels import VALUES

    return VALUES["correction_status"].get(status, status)


def claim_word(claim: str) -> Any:
    from geo.labels import VALUES

    return VALUES["claim"].get(claim, claim)
