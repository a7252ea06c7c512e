"""Koreksi: anyone tells us what the map gets wrong, with evidence; the public list of corrections and their
outcomes; a correction's status link (``?correction=<id>``); the stewards' login."""

from __future__ import annotations

import hashlib
import math
from datetime import date

import streamlit as st

from geo import corrections as corr
from geo import views
from geo import gazetteer as gz
from geo import settings
from geo.i18n import fmt_int
from geo.store import StoreError
from geo.tables import to_csv_bytes, to_xlsx_bytes
from pages._corrections import (
    after_change,
    corr_status_word,
    correction_link,
    current_steward,
    show_corrections,
    show_status,
)
from pages._errors import input_errors, plain
from pages._filters import current_filters
from pages._language import lang, tr
from pages._loaders import store, visitor
from pages._widgets import button_row, show_report, view_data

when, provinces = current_filters()
_ = tr()
st.title(_("Corrections"))
st.markdown(_(
    "**Is the map wrong about your region?** Anyone can report it here, without an account: a regency office, a "
    "provincial government, KemenPAN-RB staff or any citizen.\n\n"
    "1. Choose the regency and say what is wrong, with evidence: the address of a public source (a news item, a "
    "government page) and/or a document (PDF, JPEG or PNG).\n"
    "2. You get a status link and a withdrawal token. The correction is listed below at once as *submitted*, and "
    "the regency is outlined on the map; nothing on the map changes yet.\n"
    "3. A data steward checks the evidence against what the registry says, and accepts it or rejects it with a "
    "reason; stewards aim to decide within 14 days, in the order corrections arrive.\n"
    "4. An accepted correction changes the map at once (an MPP counts from the date you gave) and is named among the "
    "sources as \"koreksi lapangan\"; it enters the published data with the next release.\n\n"
    "Your name, institution and e-mail are optional; stewards see them to ask you about the evidence, and they are "
    "never shown publicly."))

cid = st.query_params.get("correction")
if cid:
    show_status(cid)

regs = gz.regencies()
codes = list(regs["code"])
names = dict(zip(regs["code"], regs["name"] + ", " + regs["province"]))
st.session_state.setdefault("corrections_sent", 0)


def over_session_quota() -> bool:
    if st.session_state["corrections_sent"] >= settings.get("corrections_per_session"):
        st.error(_("This session has sent {n} corrections, the most one session may send; thank you. To send more, "
                   "use a file (tab \"Send a file\") or come back later.", n=st.session_state["corrections_sent"]))
        return True
    return False


def submitted(ids: list[str], token: str) -> None:
    """Keep the receipt (the status links and the withdrawal token) for the rest of the session, and start a fresh
    form: a second press files nothing again, and no receipt is ever replaced by a later one."""
    st.session_state["corrections_sent"] += 1  # a file counts once, as against the hourly limit
    after_change()
    st.session_state.setdefault("correction_receipts", []).append((list(ids), token))
    st.session_state["correction_form"] = st.session_state.get("correction_form", 0) + 1
    st.rerun()


def receipts() -> None:
    """Every correction this session sent, newest first: its status links and its withdrawal token."""
    kept = st.session_state.get("correction_receipts", [])
    for n, (ids, token) in enumerate(reversed(kept)):
        box = st.container(border=True)
        if n == 0:
            box.success(_("Thank you: {n} correction(s) submitted. Keep the status link and the withdrawal token; "
                          "they are shown only in this session.", n=len(ids)))
        else:
            box.caption(_("Sent earlier in this session: {n} correction(s).", n=len(ids)))
        for i in ids[:20]:
            box.code(correction_link(i), language=None, wrap_lines=True)
        if len(ids) > 20:
            box.text(_("…and {n} more, all in the public list below.", n=len(ids) - 20))
        box.text(_("Withdrawal token:"))
        box.code(token, language=None, wrap_lines=True)


def sent_already(fingerprint: str) -> bool:
    """Whether this session sent exactly this correction a moment ago (a double click): then nothing is filed
    again. Remembers the last fingerprint for 30 seconds."""
    import time

    last = st.session_state.get("correction_last")
    now = time.monotonic()
    if last is not None and last[0] == fingerprint and now - last[1] < 30:
        return True
    st.session_state["correction_last"] = (fingerprint, now)
    return False


receipts()  # above the tabs: seen whichever tab sent it
tab_form, tab_file, tab_list = st.tabs([_("Report a correction"), _("Send a file"), _("All corrections")])

with tab_form:
    asked = st.query_params.get("region")
    region = st.selectbox(_("Regency/city"), codes, index=codes.index(asked) if asked in codes else None,
                          format_func=lambda c: names.get(c, c), placeholder=_("Choose a regency or city"),
                          key="correction_region")
    claims = {"operating": _("An MPP is operating here (the map says there is none, or not yet)"),
              "closed": _("The MPP here is not operating or has closed"),
              "date": _("The MPP's opening date is wrong"),
              "score": _("A reform score (RB or SAKIP) is wrong"),
              "other": _("Something else")}
    claim = st.radio(_("What is wrong?"), list(claims), format_func=claims.get, key="correction_claim")
    # a new form after each correction sent (its fields empty); a refused one keeps what was typed
    with st.form(f"correction-{st.session_state.get('correction_form', 0)}", enter_to_submit=False,
                 clear_on_submit=False):
        day = name = assessment = predikat = score = None
        year = None
        if claim in ("operating", "closed", "date"):
            label = {"operating": _("Operating since"), "closed": _("Not operating since"),
                     "date": _("The right opening date")}[claim]
            day = st.date_input(label, value=None, min_value=date(settings.FIRST_MPP_YEAR, 1, 1),
                                max_value=date.today(), format="DD/MM/YYYY")
        if claim == "operating":
            name = st.text_input(_("Name of the MPP (if it has one)"), max_chars=corr.LIMITS["mpp_name"])
        if claim == "score":
            c1, c2, c3, c4 = st.columns(4)
            assessment = c1.selectbox(_("Assessment"), ["RB", "SAKIP"])
            year = c2.number_input(_("Assessment year"), min_value=2010, max_value=date.today().year,
                                   value=date.today().year - 1, step=1)
            predikat = c3.selectbox(_("Predikat"), ["", "AA", "A", "BB", "B", "CC", "C", "D"],
                                    format_func=lambda p: p or _("not known"))
            score = c4.text_input(_("Score (if known)"), max_chars=12)
        url = st.text_input(_("Source address (http or https)"), max_chars=corr.LIMITS["source_url"],
                            help=_("Shown to everyone as text; the server never opens it."))
        doc = st.file_uploader(_("Document: PDF, JPEG or PNG, up to {mb} MB",
                                 mb=f"{settings.get('correction_doc_mb'):.0f}"), type=["pdf", "jpg", "jpeg", "png"],
                               max_upload_size=max(1, math.ceil(settings.get("correction_doc_mb"))))
        note = st.text_area(_("Note (what is wrong, where the evidence says it)"), max_chars=corr.LIMITS["note"])
        with st.expander(_("Your contact (optional, never shown publicly)")):
            who = st.text_input(_("Name"), max_chars=corr.LIMITS["submitter_name"])
            org = st.text_input(_("Institution"), max_chars=corr.LIMITS["submitter_institution"])
            email = st.text_input(_("E-mail"), max_chars=corr.LIMITS["submitter_email"])
        send = st.form_submit_button(_("Submit the correction"), type="primary")
    if send and not over_session_quota():
        raw = doc.getvalue() if doc is not None else None
        claim_in = corr.Claim(region=region or "", claim=claim, date=day.isoformat() if day else "",
                              mpp_name=name or "", assessment=assessment or "", year=str(year or ""),
                              predikat=predikat or "", score=score or "", source_url=url, note=note,
                              submitter_name=who, submitter_institution=org, submitter_email=email,
                              doc_name=doc.name if doc is not None else "", doc=raw)
        fields = sorted((k, v) for k, v in vars(claim_in).items() if k != "doc")
        fingerprint = hashlib.sha256(repr(fields).encode() + hashlib.sha256(raw or b"").digest()).hexdigest()
        if sent_already(fingerprint):
            st.info(_("This correction was sent a moment ago; it was not sent again."))
        else:
            try:
                done = corr.submit(claim_in, store(), visitor=visitor())
            except (corr.CorrectionError, StoreError) as exc:
                st.session_state.pop("correction_last", None)  # refused: the same correction may be sent again
                st.error(plain(exc.say(lang())))
            else:
                submitted([done.id], done.token)

with tab_file:
    st.write(_("A regional or provincial office can send many corrections at once: one row per correction, the same "
               "columns as the form. Every row is checked and listed with its outcome; only accepted rows are sent, "
               "with one withdrawal token for the file."))
    row = button_row()
    for language in ("id", "en"):
        row.download_button(_("Template ({language}, XLSX)", language=language.upper()),
                            to_xlsx_bytes(corr.template(language), sheet="koreksi"),
                            file_name=f"peta-mpp_koreksi_{language}.xlsx", on_click="ignore", width="content",
                            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    row.download_button(_("Template (CSV)"), to_csv_bytes(corr.template(lang())),
                        file_name=f"peta-mpp_koreksi_{lang()}.csv", mime="text/csv", on_click="ignore",
                        width="content")
    bulk = st.file_uploader(_("CSV or XLSX, up to {n} rows", n=settings.get("correction_rows")),
                            type=["csv", "xlsx"], key="corrections-file",
                            max_upload_size=max(1, math.ceil(settings.get("max_upload_mb"))))
    if bulk is not None:
        with input_errors(bulk.name):
            from geo.worker import bounded

            raw = bulk.getvalue()
            digest = hashlib.sha256(raw).hexdigest()
            read = st.session_state.get("corrections_file")
            if read is None or read[0] != digest:
                read = (digest, *bounded(corr.read_bulk, raw, bulk.name, what=bulk.name))
                st.session_state["corrections_file"] = read
            _digest, rows, report = read
            ok = int((report["status"] == "accepted").sum())
            st.text(_("{ok} of {n} rows can be sent; {bad} are refused with the reason.", ok=ok, n=len(report),
                      bad=len(report) - ok))
            show_report(report)
            if ok and st.button(_("Send {n} correction(s)", n=ok), type="primary") and not over_session_quota():
                if sent_already("file:" + digest):
                    st.info(_("This file was sent a moment ago; it was not sent again."))
                else:
                    try:
                        ids, token = corr.submit_bulk(rows, store(), visitor=visitor(), filename=bulk.name)
                    except (corr.CorrectionError, StoreError) as exc:
                        st.session_state.pop("correction_last", None)
                        st.error(plain(exc.say(lang())))
                    else:
                        submitted(ids, token)

with tab_list:
    statuses = st.multiselect(_("Status"), list(corr.STATUSES), default=[],
                              format_func=lambda s: _.say(corr_status_word(s)),
                              placeholder=_("every status"))
    try:  # one page at a time: however many corrections are stored, a visit reads and sends one page
        total = corr.count(store(), provinces=provinces, statuses=tuple(statuses))
        page = 1
        if total > corr.page_bounds(0, 1)[1]:
            page = int(st.number_input(_("Page"), min_value=1, max_value=corr.page_bounds(total, 1)[2], value=1,
                                       step=1, key="corrections_page"))
        offset, rows, pages = corr.page_bounds(total, page)
        listing = corr.listing(store(), provinces=provinces, statuses=tuple(statuses), limit=rows, offset=offset)
    except StoreError as exc:
        st.error(plain(exc.say(lang())))
    else:
        if provinces:
            st.caption(_("Only the provinces chosen in the sidebar."))
        if total > len(listing):
            st.caption(_("Corrections {first}–{last} of {total}, newest first (page {page} of {pages}).",
                         first=fmt_int(offset + 1, lang()), last=fmt_int(offset + len(listing), lang()),
                         total=fmt_int(total, lang()),
                         page=page, pages=pages))
        if listing.empty:
            st.write(_("No correction yet."))
        else:
            show_corrections(listing)
            view = corr.public_view(listing, lang())
            labels = {r.id: f"{r.submitted_on} · {r.region} · {_.say(corr_status_word(r.correction_status))}"
                      for r in view.itertuples()}
            opened = st.selectbox(_("A correction's history"), list(labels), index=None, format_func=labels.get,
                                  placeholder=_("Choose a correction"), key="correction_open")
            if opened and opened != cid:
                show_status(opened)
        # the public list of every status (as the data API gives it), whatever the status filter above
        view_data("corrections", None, provinces, lambda: views.corrections(list(provinces), store(), page),
                  page=str(page))

if not current_steward():
    if st.session_state.pop("steward_expired", False):
        st.info(_("Your steward login has expired; log in again."))
    with st.expander(_("Data stewards")):
        with st.form("steward-login", enter_to_submit=True):
            who_s = st.text_input(_("Steward name"))
            password = st.text_input(_("Password"), type="password")
            if st.form_submit_button(_("Log in")):
                from geo import stewards

                try:
                    login = stewards.login(who_s.strip(), password, store(), client=visitor())
                except (stewards.StewardError, StoreError) as exc:
                    st.error(plain(exc.say(lang())))
                else:
                    st.session_state.update(steward_token=login.token, steward_name=login.steward)
                    st.rerun()
