"""Tinjau: a logged-in data steward reviews the open corrections, each beside what the registry says now, and
accepts or rejects it with a reason. The page is in the navigation only for a steward's session, and checks the
login again itself."""

from __future__ import annotations

import streamlit as st

from geo import corrections as corr
from geo import settings, stewards
from geo.coverage import regency_detail
from geo.i18n import N_, fmt_int
from geo.store import StoreError
from pages._corrections import after_change, claim_word, corr_status_word, correction_link, current_steward
from pages._errors import plain
from pages._filters import current_filters
from pages._language import lang, tr
from pages._loaders import builtin_registry, builtin_scores, negative_evidence, store
from pages._widgets import show_table

current_filters()
_ = tr()
steward = current_steward()
if steward is None:
    st.error(_("This page is for data stewards; log in on the Corrections page."))
    st.stop()
st.title(_("Review corrections"))
c1, c2 = st.columns([4, 1])
c1.caption(_("Logged in as {name}. The login ends after {minutes} minutes without an action.", name=steward,
             minutes=f"{settings.get('steward_session_minutes'):.0f}"))
if c2.button(_("Log out")):
    stewards.logout(st.session_state.pop("steward_token", None), store())
    st.session_state.pop("steward_name", None)
    st.rerun()
if done := st.session_state.pop("review_done", None):
    st.success(_("Correction {id} is now {status}.", id=done[0][:8], status=_.say(corr_status_word(done[1]))))

try:  # the newest page of the open ones (a flood of submissions cannot make this page send them all)
    waiting = corr.count(store(), statuses=corr.OPEN)
    open_ = corr.listing(store(), statuses=corr.OPEN, private=True, limit=corr.page_bounds(0, 1)[1])
except StoreError as exc:
    st.error(plain(exc.say(lang())))
    st.stop()
if open_.empty:
    st.write(_("No correction is waiting for review."))
    st.stop()
open_ = open_.iloc[::-1].reset_index(drop=True)  # oldest first: in the order they arrived
if waiting > len(open_):
    st.caption(_("{n} corrections are waiting; the newest {shown} are listed here. An operator can remove a flood "
                 "with python -m geo corrections purge.", n=fmt_int(waiting, lang()), shown=len(open_)))
view = corr.public_view(open_, lang())
labels = {r.id: f"{r.submitted_on} · {r.region} · {_.say(claim_word(c))} · {_.say(corr_status_word(s))}"
          for r, c, s in zip(view.itertuples(), open_["claim"], open_["status"])}
cid = st.selectbox(_("Open corrections ({n}), oldest first", n=len(open_)), list(labels), format_func=labels.get)
row = open_.set_index("id").loc[cid]
shown = view.set_index("id").loc[cid]

left, right = st.columns(2)
with left:
    st.subheader(_("The claim"))
    st.text(_("Claim: {claim}", claim=_.say(claim_word(row["claim"]))) + (f" — {shown['claim_text']}"
                                                                         if shown["claim_text"] else ""))
    st.text(_("Regency: {region} ({code}), {province}", region=row["region"], code=row["region_code"],
              province=row["province"]))
    st.text(_("Evidence: {evidence}", evidence=shown["evidence"] or "–"))
    st.caption(_("Open the address yourself in a new tab; check it is a public, official or news source."))
    if row["has_document"]:
        doc = corr.document(cid, store())
        if doc is not None:
            st.download_button(_("Download the document"), doc[2], file_name=doc[0], mime=doc[1],
                               on_click="ignore", key=f"review-doc-{cid}")
    contact = [str(v) for v in (row["submitter_name"], row["submitter_institution"], row["submitter_email"])
               if isinstance(v, str) and v]
    st.text(_("Submitter (not public): {who}", who=", ".join(contact) if contact else _("not given")))
    st.text(_("Status link: {link}", link=correction_link(cid)))
with right:
    st.subheader(_("What the registry says now"))
    d = regency_detail(row["region_code"], builtin_registry(), builtin_scores(), negative_evidence())
    if row["claim"] == "score":
        scores = d.scores[d.scores["assessment"] == row["assessment"]]
        if scores.empty:
            st.write(_("No {assessment} result for this regency.", assessment=row["assessment"]))
        else:
            show_table(scores[["year", "predikat", "score", "selected", "source_url"]])
    elif d.mpps.empty:
        st.write(_("No MPP recorded."))
    else:
        show_table(d.mpps[["display_name", "status", "opened_on", "date_basis", "sources"]])
    if not d.negative.empty:
        st.write(_("'No MPP yet' statements:"))
        show_table(d.negative[["stated_on", "event", "source_url"]])
    others = corr.listing(store(), region=row["region_code"], limit=corr.page_bounds(0, 1)[1])
    others = others[others["id"] != cid]
    if len(others):
        st.write(_("Other corrections for this regency:"))
        show_table(corr.public_view(others, lang())[["submitted_on", "claim", "claim_text", "correction_status"]])

with st.form(f"decide-{cid}", enter_to_submit=False):
    reason = st.text_area(_("Reason (shown publicly; required to reject)"), max_chars=corr.LIMITS["note"])
    b1, b2, b3 = st.columns(3)
    start = b1.form_submit_button(_("Mark in review"), disabled=row["status"] != "diajukan")
    accept = b2.form_submit_button(_("Accept"), type="primary")
    reject = b3.form_submit_button(_("Reject"))
if start or accept or reject:
    to = "ditinjau" if start else "diterima" if accept else "ditolak"
    try:
        if current_steward() != steward:
            raise corr.CorrectionError(N_("Your steward login has expired; log in again."))
        corr.review(cid, to, steward, reason, store())
    except (corr.CorrectionError, StoreError) as exc:
        st.error(plain(exc.say(lang())))
    else:
        after_change()
        st.session_state["review_done"] = (cid, to)
        st.rerun()
