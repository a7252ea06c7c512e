"""Widgets the pages share: tables for people (localized) and row-by-row reports, and the PDF/PNG export buttons."""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from geo.i18n import fmt_date, fmt_period
from geo.labels import NUMBER_FORMATS, localize, number_text
from pages._language import lang, tr
from pages._loaders import (
    active_registry,
    active_scores,
    provenance,
)

#: Columns of an MPP's or a statement's dates as the sources give them (day, month or year), in a regency's detail
#: and the reports: shown as a reader writes them (7 Maret 2024). Long tables people sort by date keep YYYY-MM-DD
#: (text would sort by day), and so do exports, which spreadsheets sort.
DATE_COLUMNS = ("opened_on", "known_by", "stated_on", "inaugurated_on", "claim_date")
#: Up to this many rows, numbers are written in the reader's language (a pandas Styler's display values, the numbers
#: kept for sorting); a longer table (an upload's report) shows them as the browser writes them.
STYLED_ROWS = 5_000


def show_table(df: pd.DataFrame, **kwargs) -> None:
    """A dataframe for people (geo.labels.localize): columns and coded values in words, unknown text as "no data",
    numbers written in the reader's language (4.140.295; 182,4 km; 12,3%) and still sorted as numbers, a missing
    number as a dash (not "None"); long reasons wrap in a wide column."""
    if df.empty:  # Streamlit's empty grid says "empty" in English and ignores the height given for rows
        _ = tr()
        st.caption(_("No rows to show."))
        return
    language = lang()
    df = df.assign(**{c: df[c].map(lambda v: fmt_period(v, language)) for c in DATE_COLUMNS if c in df.columns})
    shown = localize(df, language)
    config: dict[str, Any] = {}
    formats: dict[str, Any] = {}
    for col, label in zip(df.columns, shown.columns):
        if col in NUMBER_FORMATS and len(df) <= STYLED_ROWS:
            formats[label] = functools.partial(number_text, col, lang=language)
            config[label] = st.column_config.NumberColumn(label)  # no format: the Styler's text is shown
        elif col in NUMBER_FORMATS:
            config[label] = st.column_config.NumberColumn(label, format="localized")
        elif col in ("row", "code", "status"):
            config[label] = st.column_config.Column(label, width="small")
        elif col in ("reason", "nearest_mpp", "claim_text", "status_reason"):  # long text people read whole
            config[label] = st.column_config.TextColumn(label, width="large")
    data = shown.style.format(formats) if formats else shown
    st.dataframe(data, hide_index=True, width="stretch", column_config=config, placeholder="–", **kwargs)


def show_report(report: pd.DataFrame) -> None:
    """A row-by-row upload report with each reason in the reader's language and in full (a wide, wrapping column)."""
    show_table(report)


def button_row() -> Any:
    """A row of buttons, each as wide as its words, side by side and wrapping (a label is never cut short)."""
    return st.container(horizontal=True)


def export_buttons(when: date, provinces: tuple[str, ...], layer: str = "coverage") -> None:
    """PDF briefing and PNG map of the current view, generated when clicked (geo.briefing); for the public data's
    coverage map, the view's briefing link (deploy/briefing.py)."""
    from geo.briefing import briefing_data, briefing_pdf, briefing_png
    from geo.inputs import briefing_inputs

    reg, sc, language, origin = active_registry(), active_scores(), lang(), provenance()
    stem = f"peta-mpp_{when}" + (f"_{'-'.join(provinces)}" if provinces else "") + f"_{language}"

    def make(fmt: str):
        def build() -> bytes:
            data = briefing_data(when, list(provinces), reg, sc, language, **briefing_inputs(provinces),
                                 provenance=origin)
            return briefing_pdf(data, layer) if fmt == "pdf" else briefing_png(data, layer)
        return build

    _ = tr()
    row = button_row()
    row.download_button(_("PDF briefing"), make("pdf"), file_name=f"{stem}.pdf", mime="application/pdf",
                        on_click="ignore", width="content")
    row.download_button("PNG", make("png"), file_name=f"{stem}.png", mime="image/png", on_click="ignore",
                        width="content")
    if layer == "coverage" and not origin.analyst:  # the briefing link's page shows the public data only
        from geo.briefing_page import query

        row.link_button(_("Briefing link"), "briefing?" + query(language, when.isoformat(), provinces),
                        icon=":material/share:", width="content",
                        help=_("A light page of this map for an audience to open on their own phones and laptops "
                               "at once: the map, its headline and its source, without the app's filters."))


def progress_block(when: date, provinces: tuple[str, ...], chart: bool = True) -> None:
    """Progress in the ministry's terms (geo.progress): units with an MPP of 509 and how that differs from our count,
    the pace and the projected range read as sentences, the target in force with its source, the MPPs without a
    known opening date; and the trajectory chart (registry line, official totals, target dates, projection)."""
    from geo.progress import DIFFERENCE_FROM_OURS, headline, projection_sentence, target_sentence, undated_sentence
    from pages._errors import plain
    from pages._loaders import official_totals, progress_of

    _ = tr()
    language = lang()
    reg = active_registry()
    p = progress_of(when, provinces, reg)
    st.subheader(_("Progress against the target"))
    left, right = st.columns([1, 3])
    left.metric(_("MPP units (KemenPAN-RB)"), f"{p.units_with_mpp} / {p.units_total}",
                help=_("Kabupaten/kota with their own MPP, DK Jakarta counted as one unit, as the ministry counts"))
    left.caption(_("{share}; {left} without", share=_.pct(p.share), left=p.units_without_mpp))
    with right:
        st.write(plain(headline(p, language) + ". " + projection_sentence(p, language)))
        if (t := target_sentence(p, language)) is not None:
            st.caption(plain(t) + f" [{_('source')}]({p.targets[-1]['source_url']})")
        st.caption(plain(_("How it differs from our count: {text}", text=DIFFERENCE_FROM_OURS)))
        if (u := undated_sentence(p, language)) is not None:
            st.caption(plain(u))
    if chart:
        st.html(progress_chart(p, when, provinces, official_totals()))
        st.caption(chart_key(p, when, provinces, official_totals()))


def chart_key(p: Any, when: date, provinces: tuple[str, ...], totals: pd.DataFrame) -> str:
    """What the trajectory shows, in words: only the marks this view's chart has (no orange points in a province's
    view, no band when the projection is not drawn: DK Jakarta's units are all covered)."""
    _ = tr()
    words = [_("Blue line: units with an MPP in the registry, month by month.")]
    if official_points(when, provinces, totals):
        words.append(_("Orange points: KemenPAN-RB's stated national counts."))
    if any(t["target_by"] for t in p.targets):
        words.append(_("Red dashed lines: the target dates stated."))
    words.append(_("Dotted line: all {n} units.", n=p.units_total))
    if projection_drawn(p):
        words.append(_("Blue band: the projection between the fastest and the slowest pace of the last 12 and 24 "
                       "months."))
    return " ".join(words)


def official_points(when: date, provinces: tuple[str, ...], totals: pd.DataFrame) -> list[tuple[Any, int]]:
    """KemenPAN-RB's stated national counts up to ``when`` (none in a province's view: they are national)."""
    if provinces:
        return []
    pts = totals.assign(at=pd.to_datetime(totals["as_of"]))
    pts = pts[pts["at"] <= pd.Timestamp(when)]
    return list(zip(pts["at"], pts["total"].astype(int)))


def projection_drawn(p: Any) -> bool:
    """Whether the chart draws the projected band (a pace is known and not every unit has an MPP yet)."""
    return bool(p.projected_complete["from"] and not p.projected_complete.get("reached"))


def progress_chart(p: Any, when: date, provinces: tuple[str, ...], totals: pd.DataFrame) -> str:
    """The trajectory (geo.charts.progress_chart): units with an MPP month by month (registry),
    KemenPAN-RB's stated totals (points, national only), the target dates (dashed rules), all units (a rule) and the
    projection at the fastest and slowest pace (a dashed band); an image for ``st.html``."""
    from pages._loaders import data_key

    return _progress_svg(when, provinces, data_key(), lang(), p, totals)


@st.cache_data(show_spinner=False, max_entries=64)
def _progress_svg(when: date, provinces: tuple[str, ...], key: str, language: str, _p: Any,
                  _totals: pd.DataFrame) -> str:
    import hashlib

    from geo.charts import as_image
    from geo.charts import progress_chart as draw
    from pages._loaders import active_registry, monthly_units

    p, totals = _p, _totals
    _ = tr()
    series = monthly_units(when, provinces, key, active_registry())
    months = list(pd.to_datetime(series["as_of"]))
    official = official_points(when, provinces, totals)
    targets = sorted(pd.Timestamp(t) for t in {t["target_by"] for t in p.targets if t["target_by"]})
    band = None
    proj = p.projected_complete
    if projection_drawn(p):
        start = pd.Timestamp(p.anchor)
        before = pd.to_datetime(series["as_of"]) <= start
        base = int(series.loc[before, "units_with_mpp"].iloc[-1]) if before.any() else p.units_with_mpp
        ends = [pd.Timestamp(proj["from"]), pd.Timestamp(proj["to"]) if proj["to"] else start + pd.DateOffset(years=20)]
        slow_mid = base + (p.units_total - base) * (ends[0] - start) / (ends[1] - start)
        band = ([start, ends[0], ends[1]], [base, slow_mid, p.units_total], [base, p.units_total, p.units_total])
    words = {"registry": _("registry"), "official": _("KemenPAN-RB's count"), "target": _("target"),
             "all": _("all {n} units", n=p.units_total), "projection": _("projection")}
    description = _("{what}, month by month: {n} of {total} on {date}", what=_("Units with an MPP"),
                    n=p.units_with_mpp, total=p.units_total, date=fmt_date(when, language))
    key_id = "p" + hashlib.sha1(repr((when, provinces, key, language)).encode()).hexdigest()[:8]
    return as_image(draw(months, list(series["units_with_mpp"]), p.units_total, language, description,
                         _("Units with an MPP"), official=official, targets=targets, band=band, legend=words,
                         key=key_id), description)


def app_origin() -> str:
    """This deployment's address as the reader reached it (setting public_url, else the browser's address)."""
    from geo import settings

    public = settings.get("public_url")
    if public:
        return public.rstrip("/")
    from urllib.parse import urlsplit

    url = urlsplit(st.context.url or "http://localhost:8501")
    return f"{url.scheme}://{url.netloc}"


def api_link(view: str, when: date | None, provinces: tuple[str, ...], fmt: str = "csv", **params: str) -> str:
    """The API's address of a view with this page's filters (and its saved dataset, when one is in use)."""
    from urllib.parse import urlencode

    from geo import settings
    from pages._loaders import session_inputs

    base = (settings.get("api_url") or f"{app_origin()}/api/v1").rstrip("/")
    query: list[tuple[str, str]] = [("as_of", when.isoformat())] if when else []
    query += [("province", p) for p in provinces]
    dataset = session_inputs().dataset
    if dataset:
        query.append(("dataset", dataset))
    query += sorted(params.items())
    return f"{base}/{view}" + (f".{fmt}" if fmt != "json" else "") + (f"?{urlencode(query)}" if query else "")


def _frame(data: Any) -> pd.DataFrame:
    """A view's table; the summary's dict as its one row of headline figures (as the API's summary.csv)."""
    if isinstance(data, pd.DataFrame):
        return data.drop(columns="geometry", errors="ignore")
    return pd.DataFrame([{"as_of": data["as_of"], "provinces": ";".join(data["provinces"]),
                          **{k: v for k, v in data["summary"].items() if not isinstance(v, (dict, list))}}])


def view_data(view: str, when: date | None, provinces: tuple[str, ...], data: Any, *, embed: str = "",
              **params: str) -> None:
    """"Data of this view": the view's table as CSV (the API's columns), its metadata (filters, definitions, sources,
    data date) as JSON, the API address of the same view, and how to cite it in the reader's language; with
    ``embed`` (a page path and query), an iframe snippet of that view. ``data``: a function giving the view's table
    (a DataFrame) or, for the summary, its dict, called only when a file is downloaded."""
    import json

    from geo import views
    from geo.tables import to_csv_bytes
    from pages._loaders import session_inputs

    _ = tr()
    # Its contents are sent only when the reader opens it: a closed box costs no visitor the code blocks' script
    # (Streamlit's syntax highlighter, 1.6 MB) or the work of building the links and the citation.
    box = st.expander(_("Data of this view"), icon=":material/dataset:", key=f"view-data-{view}", on_change="rerun")
    if not box.open:
        return
    language = lang()
    link = api_link(view, when, provinces, "json", **params)
    stem = f"peta-mpp_{view}" + (f"_{when}" if when else "") + (f"_{'-'.join(provinces)}" if provinces else "")

    def metadata() -> bytes:
        meta = views.describe(view, when, list(provinces), session_inputs(), language, link,
                              list(_frame(data()).columns))
        return json.dumps(meta, ensure_ascii=False, indent=2, default=str).encode("utf-8")

    with box:
        st.caption(_("The table behind this view with the same filters, as analysts' scripts read it (the project's "
                     "English field names), its definitions and sources, its address in the data API and how to "
                     "cite it."))
        row = button_row()
        row.download_button(_("CSV of this view"), lambda: to_csv_bytes(_frame(data())), file_name=f"{stem}.csv",
                            mime="text/csv", on_click="ignore", width="content", key=f"view-csv-{view}")
        row.download_button(_("Metadata (JSON)"), metadata, file_name=f"{stem}.metadata.json",
                            mime="application/json", on_click="ignore", width="content", key=f"view-meta-{view}")
        st.text(_("The same view in the data API, as JSON and as CSV:"))
        st.code(f"{link}\n{api_link(view, when, provinces, 'csv', **params)}", language=None, wrap_lines=True)
        st.text(_("Cite as:"))
        st.code(views.citation(view, list(provinces), when, link, language), language=None, wrap_lines=True)
        if embed:
            st.text(_("Embed the presentation of this view in another page:"))
            st.code(f'<iframe src="{app_origin()}/{embed}" width="1280" height="720" style="border:0" '
                    f'title="Peta MPP" loading="lazy"></iframe>', language="html", wrap_lines=True)
