"""A process's shared results: a bounded, thread-safe least-recently-used cache, and a decorator that keeps a
function's results in one.

What every session, the briefing link, the warm-up and the API compute from the same inputs (a view's coverage table,
its progress, its rendered map) is computed once per process and kept here, keyed by short keys (a date, provinces,
a data key): never by hashing DataFrames. As with Streamlit's caches, parameters whose names start with ``_`` are
not part of the key (the frames a data key stands for).
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class LRU:
    """At most ``maxsize`` values (a number, or a function giving it, read at each insertion), the least recently used
    dropped first. One build per key at a time: a second caller of a key being built waits for it."""

    def __init__(self, maxsize: int | Callable[[], int]) -> None:
        self._maxsize = maxsize
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}

    @property
    def maxsize(self) -> int:
        return int(self._maxsize() if callable(self._maxsize) else self._maxsize)

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            return default

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > max(1, self.maxsize):
                self._items.popitem(last=False)

    def get_or_build(self, key: Hashable, build: Callable[[], T]) -> T:
        missing = object()
        found = self.get(key, missing)
        if found is not missing:
            return found
        with self._lock:
            gate = self._building.setdefault(key, threading.Lock())
        try:
            with gate:
                found = self.get(key, missing)
                if found is missing:
                    found = build()
                    self.put(key, found)
        finally:  # a build that failed leaves no gate behind either
            with self._lock:
                self._building.pop(key, None)
        return found

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


def memo(maxsize: int | Callable[[], int] = 32, copy: bool = False) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Keep ``fn``'s results in an :class:`LRU` of ``maxsize``, keyed by its arguments except those whose parameter
    names start with ``_``. With ``copy``, each caller gets a copy (a DataFrame one session may change)."""
    def wrap(fn: Callable[..., T]) -> Callable[..., T]:
        sig = inspect.signature(fn)
        cache = LRU(maxsize)

        @functools.wraps(fn)
        def cached(*args: Any, **kwargs: Any) -> T:
            bound = sig.bind(*args, **kwargs)
            bound.apply_defaults()
            key = tuple((k, v) for k, v in bound.arguments.items() if not k.startswith("_"))
            value = cache.get_or_build(key, lambda: fn(*args, **kwargs))
            return value.copy() if copy and hasattr(value, "copy") else value
        cached.cache = cache  # type: ignore[attr-defined]
        cached.cache_clear = cache.clear  # type: ignore[attr-defined]
        return cached
    return wrap
