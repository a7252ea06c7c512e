"""Static files sent compressed, compressed once per process: an ASGI middleware in front of Streamlit.

Streamlit 1.67 deliberately sends its own bundles (``/static/…``, about 4 MB of JavaScript for a first visit)
uncompressed, because its gzip middleware would compress them again on every request; it expects a proxy in front
to do it. The README's default setup has no proxy, so this middleware does it the cheap way: a text file is gzipped
once per process (the warm-up compresses Streamlit's bundles before the process listens; anything else
the first time it is asked for) and kept in memory (bounded), and every request is a dictionary lookup. It serves:

- ``/static/…``: Streamlit's content-hashed bundles (``Cache-Control: public, max-age=31536000, immutable``, as
  Streamlit sends them);
- ``/app/static/geo/…``: the maps' geometry documents, versioned by a hash of their content (:mod:`geo.mapdata`),
  immutable too;
- ``/app/static/…`` otherwise (Leaflet and its plugins under fixed names): revalidated (``no-cache`` with an ETag).

Anything else, any file it cannot resolve safely under those folders, any request that does not accept gzip, and
any file that is not text pass through to Streamlit unchanged (which answers them as before, path checks included).
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, Awaitable, Callable

ROOT = Path(__file__).resolve().parent.parent
TEXT_TYPES = (".js", ".mjs", ".css", ".json", ".svg", ".html", ".txt", ".map")
MAX_FILE = 16 * 2**20  # bigger files pass through
MAX_CACHE = 96 * 2**20  # compressed bytes kept, least recently used out first
LEVEL = 6  # level 9 makes the bundles 0.3% smaller for 50% more CPU
IMMUTABLE = "public, max-age=31536000, immutable"


def streamlit_static() -> Path:
    import streamlit

    return Path(streamlit.__file__).resolve().parent / "static" / "static"


class Compressed:
    """One compressed file: its bytes, ETag and headers."""

    __slots__ = ("body", "etag", "key", "media")

    def __init__(self, body: bytes, etag: str, media: str, key: tuple) -> None:
        self.body, self.etag, self.media, self.key = body, etag, media, key


class CompressedFiles:
    """Files gzipped once and kept in memory (least recently used out first beyond ``MAX_CACHE`` bytes)."""

    def __init__(self) -> None:
        self._cache: OrderedDict[str, Compressed] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.compressions = 0  # how many times a file was compressed (for tests and the benchmark)

    def get(self, file: Path) -> Compressed:
        st = file.stat()
        key = (str(file), st.st_mtime_ns, st.st_size)
        with self._lock:
            hit = self._cache.get(key[0])
            if hit is not None and hit.key == key:
                self._cache.move_to_end(key[0])
                return hit
        raw = file.read_bytes()
        body = gzip.compress(raw, compresslevel=LEVEL, mtime=0)
        media = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if media.startswith("text/") or media in ("application/javascript", "application/json", "image/svg+xml"):
            media += "; charset=utf-8"
        item = Compressed(body, '"' + hashlib.sha256(raw).hexdigest()[:24] + '-gz"', media, key)
        with self._lock:
            old = self._cache.pop(key[0], None)
            self._size -= len(old.body) if old else 0
            self._cache[key[0]] = item
            self._size += len(body)
            self.compressions += 1
            while self._size > MAX_CACHE and len(self._cache) > 1:
                _, dropped = self._cache.popitem(last=False)
                self._size -= len(dropped.body)
        return item


#: The process's compressed files: filled by the warm-up (:func:`precompress`), used by every :class:`GzipStatic`.
FILES = CompressedFiles()


def precompress(folder: Path | None = None, files: CompressedFiles = FILES) -> int:
    """Compress every text file of ``folder`` (Streamlit's bundles by default: 320 files, 23 MB into 7 MB in about
    0.7 s of CPU) ahead of any visitor, so the first session of a process costs no more than the tenth."""
    count = 0
    for f in sorted((folder or streamlit_static()).rglob("*")):
        if f.suffix.lower() in TEXT_TYPES and f.is_file() and f.stat().st_size <= MAX_FILE:
            files.get(f)
            count += 1
    return count


class GzipStatic:
    """ASGI middleware: see the module's docstring. ``folders`` maps a URL prefix to (folder, Cache-Control)."""

    def __init__(self, app: Callable[..., Awaitable[Any]], folders: dict[str, tuple[Path, str]] | None = None,
                 files: CompressedFiles | None = None) -> None:
        self.app = app
        self.folders = folders if folders is not None else {
            "/static/": (streamlit_static(), IMMUTABLE),
            "/app/static/geo/": (ROOT / "static" / "geo", IMMUTABLE),
            "/app/static/": (ROOT / "static", "no-cache"),
        }
        self.files = files if files is not None else FILES

    def resolve(self, path: str) -> tuple[Path, str] | None:
        """The file a URL path names under one of the folders, with its Cache-Control; None when it names none."""
        if "\\" in path or "\x00" in path or "//" in path:
            return None
        for prefix, (folder, cache) in self.folders.items():
            if path.startswith(prefix):
                rest = path[len(prefix):]
                if not rest or any(part in ("", ".", "..") or part.startswith(".") for part in rest.split("/")):
                    return None
                base = folder.resolve()
                full = (base / rest).resolve()
                if base not in full.parents or full.suffix.lower() not in TEXT_TYPES:
                    return None
                try:
                    if not full.is_file() or full.stat().st_size > MAX_FILE:
                        return None
                except OSError:
                    return None
                return full, cache
        return None

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD"):
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if "gzip" not in headers.get("accept-encoding", "").lower() or "range" in headers:
            return await self.app(scope, receive, send)
        found = self.resolve(scope.get("path", ""))
        if found is None:
            return await self.app(scope, receive, send)
        file, cache = found
        from starlette.concurrency import run_in_threadpool

        try:
            item = await run_in_threadpool(self.files.get, file)
        except OSError:
            return await self.app(scope, receive, send)
        common = [(b"etag", item.etag.encode()), (b"cache-control", cache.encode()), (b"vary", b"Accept-Encoding"),
                  (b"x-content-type-options", b"nosniff")]
        if item.etag in [t.strip() for t in headers.get("if-none-match", "").split(",")]:
            await send({"type": "http.response.start", "status": 304, "headers": common})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", item.media.encode()), (b"content-encoding", b"gzip"),
            (b"content-length", str(len(item.body)).encode()), *common]})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else item.body})
