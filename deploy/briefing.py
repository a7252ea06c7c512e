"""The briefing link (``/briefing?lang=…&as_of=…&province=…``): a view's light page, built once and served from memory.

An ASGI middleware in front of Streamlit (deploy/asgi.py). The page itself is :mod:`geo.briefing_page`; this module
reads the link, builds a view's page the first time it is asked for (one build at a time, in a worker thread), keeps
it (bounded, least recently used out first) compressed and with an ETag, and answers every later request from
memory: a briefing's thirty phones cost the server a dictionary lookup each.

The link is hostile input like any other: only ``lang`` (id or en), ``as_of`` (an ISO date from the first MPP's year
to today) and ``province`` (known province codes) are read, each checked; anything wrong gets a plain-text answer
saying what and where (HTTP 400), never an HTML page that repeats it. At most :data:`MAX_WAITING` builds wait at once
(beyond that: 503 with Retry-After), so a flood of distinct links cannot queue unbounded work; one client may have
at most ``briefing_builds_per_minute`` new pages built (beyond that: 429 with Retry-After; built pages are served
without limit), and nginx limits the requests per client before that. The pages of today's views (national and each
province, in both languages) are pinned: visitors asking for odd dates and combinations can push only other pages
out of the bounded cache, never the one the audience opens. The page shows the built-in public data only: a link
naming a saved dataset is refused with a message pointing to the app.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any, Awaitable, Callable
from urllib.parse import parse_qsl

from geo.i18n import N_, Msg, say

#: Said when :data:`MAX_WAITING` builds wait already.
BUSY = N_("Peta MPP is busy preparing other briefing pages: try again in a few seconds.")
#: Said to a method other than GET or HEAD.
METHOD = N_("This address answers GET and HEAD only.")

PATH = "/briefing"
MAX_QUERY = 2048  # characters of a link's query string
MAX_FIELDS = 64  # parameters in it
MAX_PAGES = 64  # built pages kept per process
MAX_WAITING = 4  # builds running or waiting at once
LEVEL = 6
#: The page runs only its own inline map script and the app's Leaflet; it fetches only from the app (the geometry
#: document); images are the app's, inline data, or the configured tile server's (:func:`csp`).
CSP = ("default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:{tiles}; connect-src 'self'; font-src 'self' data:; base-uri 'none'; form-action 'none'; "
       "frame-ancestors 'self'")


def csp(tiles: str | None) -> str:
    """The page's Content-Security-Policy; with a tile server (``PETA_MPP_TILES``, e.g.
    ``https://{s}.tile.example.org/{z}/{x}/{y}.png``) its origin may serve images too."""
    from urllib.parse import urlsplit

    origin = ""
    if tiles:
        parts = urlsplit(tiles)
        host = parts.netloc.replace("{s}", "*")
        if parts.scheme in ("http", "https") and host and not any(c in host for c in "{}; '\"\n"):
            origin = f" {parts.scheme}://{host}"
    return CSP.format(tiles=origin)


class LinkError(ValueError):
    """A briefing link that cannot be read: ``msg`` (said in the link's language) says what and where."""

    def __init__(self, msg: Msg) -> None:
        super().__init__(msg.msgid)
        self.msg = msg


@dataclass(frozen=True)
class Link:
    lang: str
    as_of: date
    provinces: tuple[str, ...]


def _shown(value: str) -> str:
    """A value from the link as it may appear in a plain-text message: quoted, at most 40 characters."""
    return repr(value[:40] + ("…" if len(value) > 40 else ""))


def read_link(query: str, known_provinces: set[str], today: date, first_year: int) -> Link:
    """The view a briefing link names; :class:`LinkError` says what is wrong with it."""
    if len(query) > MAX_QUERY:
        raise LinkError(N_("The link is too long ({n:,} characters; at most {limit:,}).", n=len(query), limit=MAX_QUERY))
    try:
        fields = parse_qsl(query, keep_blank_values=True, max_num_fields=MAX_FIELDS, errors="strict")
    except (ValueError, UnicodeDecodeError):
        raise LinkError(N_("The link has too many parameters (at most {limit}) or characters that are not UTF-8.",
                           limit=MAX_FIELDS)) from None
    values: dict[str, list[str]] = {}
    for name, value in fields:
        values.setdefault(name, []).append(value)
    if "dataset" in values:
        raise LinkError(N_("A briefing link shows the public data only; open a saved dataset in the app instead."))
    lang = values.get("lang", ["id"])[-1]
    if lang not in ("id", "en"):
        raise LinkError(N_("Unknown language {value} in the link's lang parameter: use id or en.",
                           value=_shown(lang)))
    raw = values.get("as_of", [""])[-1]
    try:
        when = date.fromisoformat(raw) if raw else today
    except ValueError:
        raise LinkError(N_("The link's as_of parameter {value} is not a date (YYYY-MM-DD).",
                           value=_shown(raw))) from None
    if not date(first_year, 1, 1) <= when <= today:
        raise LinkError(N_("The link's as_of date {value} is outside {first} to {last}.", value=when.isoformat(),
                           first=date(first_year, 1, 1).isoformat(), last=today.isoformat()))
    chosen = values.get("province", [])
    unknown = [p for p in chosen if p not in known_provinces]
    if unknown:
        raise LinkError(N_("Unknown province code {value} in the link's province parameter (codes like 12 for "
                           "Sumatera Utara).", value=_shown(unknown[0])))
    return Link(lang, when, tuple(sorted(set(chosen))))


class Page:
    """One built page: its bytes, compressed bytes and ETag."""

    __slots__ = ("body", "etag", "gz")

    def __init__(self, html: str) -> None:
        self.body = html.encode("utf-8")
        self.gz = gzip.compress(self.body, compresslevel=LEVEL, mtime=0)
        self.etag = '"' + hashlib.sha256(self.body).hexdigest()[:24] + '"'


def _build_page(link: Link) -> Page:
    """The view's page (the project's own views; imported here, not at start)."""
    from geo.mapviews import briefing_html

    return Page(briefing_html(link.as_of, link.provinces, link.lang))


def _reference() -> tuple[set[str], date, int]:
    from geo import gazetteer
    from geo.settings import FIRST_MPP_YEAR

    return set(gazetteer.provinces()["code"]), date.today(), FIRST_MPP_YEAR


def _message(lang: str, err: LinkError) -> str:
    return str(say(lang, err.msg))


class Pages:
    """The built pages of a process (bounded) and the budget on building them."""

    def __init__(self, build: Callable[[Link], Page] = _build_page,
                 data_key: Callable[[], str] | None = None, today: Callable[[], date] = date.today) -> None:
        self._build, self._data_key, self._today = build, data_key, today
        self._pages: OrderedDict[tuple, Page] = OrderedDict()
        self._pinned: dict[tuple, Page] = {}  # today's national and single-province views: never evicted
        self._lock = threading.Lock()  # the cache
        self._building = threading.Lock()  # one build at a time: at most one core
        self._waiting = 0

    def allowed(self, client: str) -> tuple[bool, float]:
        """Whether ``client`` may have one more page built now (its per-minute budget), and if not, in how many
        seconds it may."""
        from geo import settings
        from geo.clients import budget

        builds = budget("briefing-builds", settings.get("briefing_builds_per_minute"), 60.0)
        if builds.take(client):
            return True, 0.0
        return False, builds.retry_after(client)

    def _pin(self, link: Link) -> bool:
        return link.as_of == self._today() and len(link.provinces) <= 1

    def _key(self, link: Link) -> tuple:
        if self._data_key is None:
            from geo.mapviews import builtin_key

            self._data_key = builtin_key
        return (link.lang, link.as_of, link.provinces, self._data_key())

    def cached(self, link: Link) -> Page | None:
        key = self._key(link)
        with self._lock:
            page = self._pinned.get(key)
            if page is not None:
                return page
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def build(self, link: Link) -> Page | None:
        """The page, built now unless a build of it finished meanwhile; None when too many builds wait already."""
        with self._lock:
            if self._waiting >= MAX_WAITING:
                return None
            self._waiting += 1
        try:
            with self._building:
                page = self.cached(link)
                if page is not None:
                    return page
                key = self._key(link)  # the data as the build starts: newer corrections make a new key, a new build
                page = self._build(link)
                with self._lock:
                    if self._pin(link):
                        today, data = self._today(), key[-1]  # yesterday's pins and older data's are let go
                        self._pinned = {k: v for k, v in self._pinned.items() if k[1] == today and k[-1] == data}
                        self._pinned[key] = page
                    else:
                        self._pages[key] = page
                        while len(self._pages) > MAX_PAGES:
                            self._pages.popitem(last=False)
                return page
        finally:
            with self._lock:
                self._waiting -= 1


#: The process's built pages, shared by every :class:`BriefingPages` middleware.
PAGES = Pages()


def _headers(items: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(k.encode("latin-1"), v.encode("latin-1")) for k, v in items.items()]


class BriefingPages:
    """ASGI middleware: answers ``GET``/``HEAD`` of the briefing path (under Streamlit's base URL path, if any);
    everything else passes to the app."""

    def __init__(self, app: Callable[..., Awaitable[Any]], pages: Pages | None = None,
                 reference: Callable[[], tuple[set[str], date, int]] = _reference,
                 message: Callable[[str, LinkError], str] = _message) -> None:
        self.app, self.pages, self.reference, self.message = app, pages or PAGES, reference, message
        from geo import settings

        self.csp = csp(settings.get("tiles"))
        self.paths = {PATH}
        try:
            from streamlit import config

            base = (config.get_option("server.baseUrlPath") or "").strip("/")
            if base:
                self.paths.add(f"/{base}{PATH}")
        except Exception:  # noqa: BLE001  (outside a Streamlit server: the plain path)
            pass

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or scope.get("path", "").rstrip("/") not in self.paths:
            return await self.app(scope, receive, send)
        from starlette.concurrency import run_in_threadpool

        query = scope.get("query_string", b"").decode("latin-1")
        asked = "en" if "lang=en" in query[:MAX_QUERY] else "id"  # the reader's language before the link is read
        if scope.get("method") not in ("GET", "HEAD"):
            return await self._plain(send, 405, str(say(asked, METHOD)), {"allow": "GET, HEAD"})
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        try:  # in a worker thread: nothing here may hold up the event loop (the corrections' first read can wait)
            link, page = await run_in_threadpool(self._find, query)
        except LinkError as err:
            return await self._plain(send, 400, await run_in_threadpool(self.message, asked, err))
        if page is None:
            from geo import settings
            from geo.clients import client_address

            ok, wait = self.pages.allowed(client_address((scope.get("client") or (None,))[0], headers))
            if not ok:
                seconds = max(1, round(wait))
                text = say(link.lang, N_("You asked for more than {n} new briefing pages in a minute, the most one "
                                         "visitor may; try again in {s} seconds.",
                                         n=settings.get("briefing_builds_per_minute"), s=seconds))
                return await self._plain(send, 429, str(text), {"retry-after": str(seconds)})
            page = await run_in_threadpool(self.pages.build, link)
        if page is None:
            return await self._plain(send, 503, await run_in_threadpool(say, link.lang, BUSY), {"retry-after": "5"})
        common = {"etag": page.etag, "cache-control": "no-cache", "vary": "Accept-Encoding",
                  "content-security-policy": self.csp, "x-content-type-options": "nosniff",
                  "referrer-policy": "same-origin"}
        if page.etag in headers.get("if-none-match", ""):
            await send({"type": "http.response.start", "status": 304, "headers": _headers(common)})
            return await send({"type": "http.response.body", "body": b""})
        zipped = "gzip" in headers.get("accept-encoding", "").lower()
        body = page.gz if zipped else page.body
        out = {**common, "content-type": "text/html; charset=utf-8", "content-length": str(len(body))}
        if zipped:
            out["content-encoding"] = "gzip"
        await send({"type": "http.response.start", "status": 200, "headers": _headers(out)})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})

    def _find(self, query: str) -> tuple[Link, Page | None]:
        """The view the link names and its page if built already (:class:`LinkError` for a wrong link)."""
        known, today, first = self.reference()
        link = read_link(query, known, today, first)
        return link, self.pages.cached(link)

    @staticmethod
    async def _plain(send: Callable, status: int, text: str, extra: dict[str, str] | None = None) -> None:
        body = (text + "\n").encode("utf-8")
        await send({"type": "http.response.start", "status": status, "headers": _headers({
            "content-type": "text/plain; charset=utf-8", "content-length": str(len(body)),
            "x-content-type-options": "nosniff", "cache-control": "no-store", **(extra or {})})})
        await send({"type": "http.response.body", "body": body})


def warm(pages: Pages | None = None) -> None:
    """Build today's national briefing pages in both languages (the process's warm-up: no visitor waits for them)."""
    for lang in ("id", "en"):
        (pages or PAGES).build(Link(lang, date.today(), ()))
