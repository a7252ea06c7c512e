"""Streamlit glue shared by the pages: cached loaders, the filters (kept in the URL), translations.

Everything here reads widgets or caches; the work itself is done by geo/.
"""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import boundaries, coverage, gazetteer, registry, scores
from geo.settings import FIRST_MPP_YEAR
from pages._errors import input_errors, plain  # noqa: F401  (re-exported for the pages)
from pages._reroute import leave_legacy_page_router

TEXT = {
    "title": ("Peta MPP", "Peta MPP"),
    "language": ("Bahasa", "Language"),
    "provinces": ("Provinsi", "Provinces"),
    "all": ("Seluruh Indonesia", "All of Indonesia"),
    "as_of": ("Per tanggal", "As of"),
    "quick_dates": ("Tanggal cepat", "Quick dates"),
    "overview": ("Ringkasan", "Overview"),
    "map": ("Peta cakupan", "Coverage map"),
    "gaps": ("Kesenjangan", "Gaps"),
    "scores": ("Skor reformasi", "Reform scores"),
    "detail": ("Rincian wilayah", "Regency detail"),
    "timeline": ("Linimasa", "Over time"),
    "present": ("Presentasi", "Presentation"),
    "click": ("Klik sebuah kabupaten/kota di peta untuk melihat rinciannya.", "Click a regency on the map for its detail."),
    "data": ("Data", "Data"),
    "layer": ("Lapisan peta", "Map layer"),
    "covered": ("Kabupaten/kota dengan MPP", "Regencies with an MPP"),
    "named": ("MPP tercatat vs hitungan resmi", "MPPs named vs official count"),
    "full_provinces": ("Provinsi tercakup penuh", "Provinces fully covered"),
    "change": ("Perubahan sejak tahun lalu", "Change since a year earlier"),
    "people_covered": ("Penduduk wilayah ber-MPP", "People in regencies with an MPP"),
    "uploaded": ("Data MPP unggahan dipakai (menggantikan registri)", "Using the uploaded MPP data (replacing the registry)"),
    "uploaded_add": ("Data MPP unggahan ditambahkan ke registri", "Uploaded MPPs added to the registry"),
    "uploaded_scores": ("Data skor unggahan dipakai", "Using the uploaded score data"),
}


def lang() -> str:
    return st.session_state.get("lang", "id")


def t(key: str) -> str:
    return TEXT[key][0 if lang() == "id" else 1]


def prepare_boundaries() -> None:
    """First start on a new machine: download (with progress) and clean the boundaries once, visibly."""
    if boundaries.cache_is_ready():
        return
    from geo.sources import boundary_source

    en = lang() == "en"
    bar = st.progress(0.0, text="Preparing the regency boundaries (first start only)…" if en else
                      "Menyiapkan batas wilayah (hanya pada awal pertama)…")
    from geo.sources import SourceError

    try:
        src = boundary_source(progress=lambda i, n, rel: bar.progress(i / n * 0.5, text=f"{i}/{n} {rel}"))
    except SourceError as exc:
        bar.empty()
        st.error(str(exc))
        st.stop()
    bar.progress(0.5, text="Cleaning and simplifying 514 regencies (about 20 s)…" if en else
                 "Membersihkan dan menyederhanakan 514 kabupaten/kota (sekitar 20 detik)…")
    boundaries.builtin_boundaries(src)
    bar.empty()


@st.cache_resource(show_spinner="Menyiapkan batas wilayah…")
def boundaries_at(level: str) -> gpd.GeoDataFrame:
    return boundaries.load_boundaries(level)  # type: ignore[arg-type]


@st.cache_data(show_spinner=False)
def builtin_registry() -> pd.DataFrame:
    return registry.load_registry()


@st.cache_data(show_spinner=False)
def builtin_scores() -> pd.DataFrame:
    return scores.load_scores()


@st.cache_data(show_spinner=False)
def official_totals() -> pd.DataFrame:
    return registry.load_official_totals()


def active_scores() -> pd.DataFrame:
    """The analyst's uploaded scores for this session if any, else the built-in table."""
    return st.session_state.get("uploaded_scores", builtin_scores())


@st.cache_data(show_spinner=False, max_entries=16)
def _with_analyst(key: str, _reg: pd.DataFrame, _rows: pd.DataFrame, mode: str) -> pd.DataFrame:
    from geo.uploads import apply_mode

    return apply_mode(_reg, _rows, mode)


def active_registry() -> pd.DataFrame:
    """The registry this session uses: the built-in one, with the analyst's MPPs added (the default) or replaced
    by them, from this session's upload or a saved dataset opened by its link."""
    rows = st.session_state.get("uploaded_registry")
    if rows is None:
        return builtin_registry()
    from pages._views import data_key

    return _with_analyst(data_key(), builtin_registry(), rows, st.session_state.get("upload_mode", "add"))


def store():
    from geo.store import Store

    return Store()


def open_saved_dataset(dataset_id: str | None) -> None:
    """A ``?dataset=<id>`` link: load that saved dataset into this session (once), or say it does not exist."""
    if not dataset_id or st.session_state.get("dataset_id") == dataset_id:
        return
    from geo.store import StoreError

    en = lang() == "en"
    try:
        d = store().get(dataset_id)
    except StoreError as exc:
        st.sidebar.error(plain(str(exc)))
        return
    if d is None:
        st.sidebar.warning("No saved dataset has this link (it may have been deleted)." if en else
                           "Tidak ada data tersimpan dengan tautan ini (mungkin sudah dihapus).")
        st.session_state["dataset_id"] = dataset_id
        return
    st.session_state.update({"uploaded_registry": d.rows, "upload_mode": d.mode, "dataset_id": d.id,
                             "dataset_name": d.name})


def coverage_table(when: date, provinces: tuple[str, ...], reg: pd.DataFrame, sc: pd.DataFrame,
                   key: str | None = None) -> pd.DataFrame:
    """The coverage table for a view, cached by this session's short data key (never by hashing the frames)."""
    from pages._views import data_key

    return _coverage_table(when, provinces, key or data_key(), reg, sc)


@st.cache_data(show_spinner=False, max_entries=64)
def _coverage_table(when: date, provinces: tuple[str, ...], key: str, _reg: pd.DataFrame,
                    _sc: pd.DataFrame) -> pd.DataFrame:
    return coverage.regency_coverage(when, list(provinces), _reg, _sc)


def yearly(until: date, provinces: tuple[str, ...], reg: pd.DataFrame, sc: pd.DataFrame) -> pd.DataFrame:
    """The one per-year series (geo.coverage.yearly_series), shared by the overview and the timeline."""
    from pages._views import data_key

    return _yearly(until, provinces, data_key(), reg, sc)


@st.cache_data(show_spinner=False, max_entries=32)
def _yearly(until: date, provinces: tuple[str, ...], key: str, _reg: pd.DataFrame, _sc: pd.DataFrame) -> pd.DataFrame:
    return coverage.yearly_series(until, list(provinces), _reg, _sc, official_totals())


def borders(provinces: tuple[str, ...]) -> gpd.GeoDataFrame:
    return boundaries.borders_for("province" if provinces else "national", provinces)


def coverage_gdf(table: pd.DataFrame, provinces: tuple[str, ...]) -> gpd.GeoDataFrame:
    level = "province" if provinces else "national"
    geoms = boundaries_at(level).set_index("code")["geometry"]
    return gpd.GeoDataFrame(table, geometry=table["code"].map(geoms).values, crs=boundaries.CRS)


def filters() -> tuple[date, tuple[str, ...]]:
    """Sidebar filters, read from and written to the URL so a view can be shared as a link."""
    qp = st.query_params
    provs = gazetteer.provinces()
    names = dict(zip(provs["code"], provs["name"]))
    if "lang" not in st.session_state:
        st.session_state["lang"] = qp.get("lang", "id") if qp.get("lang") in ("id", "en") else "id"
    st.sidebar.radio(t("language"), ["id", "en"], key="lang", horizontal=True,
                     format_func=lambda x: {"id": "Bahasa Indonesia", "en": "English"}[x])
    default_codes = [c for c in qp.get_all("province") if c in names]
    chosen = st.sidebar.multiselect(t("provinces"), list(names), default=default_codes, key="f_provinces",
                                    format_func=lambda c: names[c], placeholder=t("all"))
    when = date_filter(qp.get("as_of"))
    st.query_params.update({"lang": st.session_state["lang"], "as_of": when.isoformat()})
    st.query_params["province"] = chosen
    open_saved_dataset(qp.get("dataset"))
    if "uploaded_registry" in st.session_state:
        mode = st.session_state.get("upload_mode", "add")
        what = st.session_state.get("dataset_name")
        st.sidebar.info(t("uploaded_add" if mode == "add" else "uploaded") + (f": {plain(what)}" if what else ""))
        if st.session_state.get("dataset_id"):
            st.query_params["dataset"] = st.session_state["dataset_id"]
    if "uploaded_scores" in st.session_state:
        st.sidebar.info(t("uploaded_scores"))
    return when, tuple(sorted(chosen))


def _quick_dates() -> list[tuple[str, date]]:
    """Quick picks for the date: today, the end of each year, the dates of KemenPAN-RB's official counts."""
    en = lang() == "en"
    today = date.today()
    picks = [("Today" if en else "Hari ini", today)]
    picks += [((f"End of {y}" if en else f"Akhir {y}"), date(y, 12, 31)) for y in range(today.year - 1, FIRST_MPP_YEAR - 1, -1)]
    for r in official_totals().sort_values("as_of", ascending=False).itertuples():
        d = date.fromisoformat(r.as_of)
        picks.append(((f"Official count {r.total} ({fmt_date(d)})" if en else
                       f"Hitungan resmi {r.total} ({fmt_date(d)})"), d))
    return picks


def fmt_date(d: date) -> str:
    return d.strftime("%d/%m/%Y")


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
    when = st.sidebar.date_input(t("as_of"), min_value=date(FIRST_MPP_YEAR, 1, 1), max_value=today,
                                 format="DD/MM/YYYY", key="f_as_of")
    labels: dict[str, str] = {}
    for label, d in _quick_dates():  # one entry per date, the first label wins
        labels.setdefault(d.isoformat(), label)
    st.sidebar.selectbox(t("quick_dates"), [None, *labels], key="f_quick",
                         format_func=lambda v: "—" if v is None else labels[v], on_change=_apply_quick_date)
    data_date = data_as_of()
    en = lang() == "en"
    st.sidebar.caption((f"Data as of {fmt_date(data_date)} (latest dated statement)" if en else
                        f"Data per {fmt_date(data_date)} (pernyataan bertanggal terakhir)"))
    if (when - data_date).days > 183:
        st.sidebar.warning(f"The chosen date is more than six months after the latest data ({fmt_date(data_date)}): "
                           f"MPPs opened since may be missing." if en else
                           f"Tanggal yang dipilih lebih dari enam bulan setelah data terakhir ({fmt_date(data_date)}): "
                           f"MPP yang dibuka sesudahnya mungkin belum tercatat.")
    return when


def current_filters() -> tuple[date, tuple[str, ...]]:
    """The filters app.py drew in this run; a page run on its own (as AppTest does) draws them itself. Every page
    calls this first: a run started by the legacy page router is rerouted through app.py here."""
    leave_legacy_page_router()
    if st.session_state.get("_filters_owner") != "app" or "filters" not in st.session_state:
        st.session_state["filters"] = filters()
    return st.session_state["filters"]


def mpp_points_as_of(when: date, provinces: tuple[str, ...], reg: pd.DataFrame,
                     key: str | None = None) -> gpd.GeoDataFrame:
    from pages._views import data_key

    return _mpp_points_as_of(when, provinces, key or data_key(), reg)


@st.cache_data(show_spinner=False, max_entries=64)
def _mpp_points_as_of(when: date, provinces: tuple[str, ...], key: str, _reg: pd.DataFrame) -> gpd.GeoDataFrame:
    from geo.maps import mpp_points

    reg = _reg
    live = registry.as_of(reg, when)
    if provinces:
        live = live[live["province_code"].isin(provinces)]
    return mpp_points(live)


@st.cache_data(show_spinner=False)
def data_as_of() -> date:
    return registry.data_as_of(builtin_registry(), curation_report("negative_evidence"))


@st.cache_data(show_spinner=False)
def curation_report(name: str) -> pd.DataFrame:
    return registry.load_curation_report(name)


@st.cache_data(show_spinner=False)
def boundary_report() -> dict:
    return boundaries.reconciliation_report()


@st.cache_data(show_spinner=False)
def population_report() -> dict:
    from geo.population import region_stats

    return region_stats().report


COLUMN_LABELS = {
    "code": ("Kode", "Code"), "name": ("Kabupaten/kota", "Regency/city"), "province": ("Provinsi", "Province"),
    "presence": ("MPP", "MPP"), "rb_predikat": ("Predikat RB", "RB predikat"), "rb_year": ("Tahun RB", "RB year"),
    "rb_score": ("Nilai RB", "RB score"), "sakip_predikat": ("Predikat SAKIP", "SAKIP predikat"),
    "sakip_year": ("Tahun SAKIP", "SAKIP year"), "sakip_score": ("Nilai SAKIP", "SAKIP score"),
    "nearest_mpp": ("MPP terdekat", "Nearest MPP"), "nearest_mpp_regency": ("Wilayah MPP terdekat", "Its regency"),
    "nearest_mpp_km": ("Jarak (km)", "Distance (km)"), "has_mpp": ("Ada MPP", "Has an MPP"),
    "regencies": ("Kab/kota", "Regencies"), "covered": ("Dengan MPP sendiri", "With their own MPP"),
    "population": ("Penduduk terdaftar", "Registered residents"),
    "people_without": ("Penduduk tanpa layanan MPP", "People without an MPP"),
    "without": ("Tanpa layanan MPP", "Without MPP service"), "coverage_rate": ("Cakupan", "Coverage"),
    "province_code": ("Kode provinsi", "Province code"),
    "served": ("Terlayani", "Served"), "served_rate": ("Terlayani (%)", "Served (%)"),
    "display_name": ("MPP", "MPP"), "status": ("Status", "Status"), "opened_on": ("Dibuka", "Opened"),
    "date_precision": ("Ketelitian tanggal", "Date precision"), "date_basis": ("Dasar tanggal", "Date basis"),
    "known_by": ("Diketahui ada per", "Known to exist by"), "province_run": ("Dikelola provinsi", "Province-run"),
    "sources": ("Sumber", "Sources"), "conflicts": ("Tanggal lain dari sumber", "Other dates in sources"),
    "notes": ("Catatan", "Notes"), "assessment": ("Penilaian", "Assessment"), "year": ("Tahun", "Year"),
    "predikat": ("Predikat", "Predikat"), "score": ("Nilai", "Score"), "quality": ("Mutu sumber", "Source quality"),
    "selected": ("Dipakai", "Used"), "conflict": ("Perbedaan sumber", "Sources disagree"),
    "source_url": ("Sumber", "Source"), "stated_on": ("Tanggal pernyataan", "Stated on"),
    "event": ("Pernyataan", "Statement"), "note": ("Catatan", "Note"), "region_name": ("Nama di sumber", "Name in the source"),
    "mpp_in_registry": ("Sudah ada MPP di registri", "MPP already in the registry"),
    "stated_size": ("Jumlah disebut", "Stated size"), "linked": ("Tertaut di registri", "Linked in the registry"),
    "difference": ("Selisih", "Difference"), "ratio": ("Rasio", "Ratio"),
    "polygon_km2": ("Luas poligon (km²)", "Polygon area (km²)"), "official_km2": ("Luas resmi (km²)", "Official area (km²)"),
    "reason": ("Alasan", "Reason"), "linked_regions": ("Wilayah", "Regions"), "date": ("Tanggal", "Date"),
    "as_of": ("Per tanggal", "As of"), "official_total": ("Hitungan resmi", "Official count"),
    "registry_named": ("Disebut registri", "Named in the registry"), "share_named": ("Bagian", "Share"),
}


def show_table(df: pd.DataFrame, **kwargs) -> None:
    """A dataframe with localized column labels; unknown values read "tidak ada data" / "no data"."""
    i = 0 if lang() == "id" else 1
    shown = df.copy()
    for col in shown.columns:
        if shown[col].dtype == object:
            shown[col] = shown[col].fillna(("tidak ada data", "no data")[i])
    config = {c: st.column_config.Column(COLUMN_LABELS[c][i]) for c in shown.columns if c in COLUMN_LABELS}
    if "nearest_mpp_km" in shown.columns:
        config["nearest_mpp_km"] = st.column_config.NumberColumn(COLUMN_LABELS["nearest_mpp_km"][i], format="%.1f")
    for col in ("coverage_rate", "served_rate"):
        if col in shown.columns:
            config[col] = st.column_config.NumberColumn(COLUMN_LABELS[col][i], format="percent")
    for col in ("population", "people_without"):
        if col in shown.columns:
            config[col] = st.column_config.NumberColumn(COLUMN_LABELS[col][i], format="localized")
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config, **kwargs)


def show_report(report: pd.DataFrame) -> None:
    """A row-by-row upload report with the whole reason visible (a wide, wrapping column)."""
    i = 0 if lang() == "id" else 1
    statuses = {"accepted": ("diterima", "accepted"), "warning": ("diterima, dengan peringatan", "accepted, with a warning"),
                "rejected": ("ditolak", "rejected")}
    shown = report.assign(status=report["status"].map(lambda v: statuses.get(v, (v, v))[i]))
    st.dataframe(shown, hide_index=True, width="stretch", column_config={
        "row": st.column_config.NumberColumn(("Baris", "Row")[i], width="small"),
        "status": st.column_config.TextColumn("Status", width="small"),
        "reason": st.column_config.TextColumn(("Alasan", "Reason")[i], width="large"),
        "code": st.column_config.TextColumn(("Kode", "Code")[i], width="small"),
        "official_name": st.column_config.TextColumn(("Nama resmi", "Official name")[i])})


def export_buttons(when: date, provinces: tuple[str, ...], layer: str = "coverage") -> None:
    """PDF briefing and PNG map of the current view, generated when clicked (geo.briefing)."""
    from geo.briefing import briefing_data, briefing_pdf, briefing_png

    reg, sc, language = active_registry(), active_scores(), lang()
    stem = f"peta-mpp_{when}" + (f"_{'-'.join(provinces)}" if provinces else "") + f"_{language}"

    def make(fmt: str):
        def build() -> bytes:
            data = briefing_data(when, list(provinces), reg, sc, language)
            return briefing_pdf(data, layer) if fmt == "pdf" else briefing_png(data, layer)
        return build

    c1, c2, _ = st.columns([1, 1, 4])
    c1.download_button("PDF briefing", make("pdf"), file_name=f"{stem}.pdf", mime="application/pdf", on_click="ignore")
    c2.download_button("PNG", make("png"), file_name=f"{stem}.png", mime="image/png", on_click="ignore")
