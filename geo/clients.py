"""Who is asking: one trusted client address per request, and in-process budgets per client.

:func:`client_address` is the one rule for every per-visitor limit (saved datasets, corrections, steward logins,
briefing builds). The address comes from the connection's peer, except when that peer is a proxy named in the
setting ``trusted_proxies`` (``deploy/serve.py`` names loopback, where its nginx runs): then from the ``X-Real-IP``
header that proxy sets from its own peer (nginx overwrites whatever the client sent). A header is never read from an
untrusted peer, so a client cannot choose its own address. With no address at all (no peer, or a trusted proxy that
sent none) the answer is :data:`UNKNOWN`: every such request shares one budget, the strictest, never none.

:class:`Budget` counts events per key in a sliding window (thread-safe, bounded in memory): the per-client and
global rate limits that are checked before any expensive work.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Mapping

from . import settings

#: The one address that all requests without a usable address share (their budget is the strictest: one for all).
UNKNOWN = "unknown"


def _ip(value: object) -> str | None:
    """A normalised IP address, or None for anything that is not one."""
    if not isinstance(value, str) or not value.strip() or len(value) > 64:
        return None
    try:
        return str(ipaddress.ip_address(value.strip().split("%", 1)[0]))
    except ValueError:
        return None


def trusted(peer: str | None) -> bool:
    """Whether ``peer`` is one of the proxies named in ``trusted_proxies``."""
    ip = _ip(peer)
    if ip is None:
        return False
    addr = ipaddress.ip_address(ip)
    return any(addr in net for net in settings.get("trusted_proxies"))


def client_address(peer: str | None, headers: Mapping[str, str] | None = None) -> str:
    """The client's address: the peer's, or, when the peer is a trusted proxy, the ``X-Real-IP`` it set; else
    :data:`UNKNOWN`. ``X-Forwarded-For`` is read only as the last entry a trusted proxy appended, when it sent no
    ``X-Real-IP``."""
    if trusted(peer):
        headers = headers or {}
        lower = {str(k).lower(): v for k, v in headers.items()}
        real = _ip(lower.get("x-real-ip"))
        if real is None:
            forwarded = str(lower.get("x-forwarded-for") or "").split(",")
            real = _ip(forwarded[-1])
        return real or UNKNOWN
    return _ip(peer) or UNKNOWN


class Budget:
    """At most ``limit`` events per key in any ``window`` seconds; :meth:`take` records one and says whether it fit.
    Keeps at most ``keys`` keys (the oldest forgotten first), so a flood of new addresses cannot grow it."""

    def __init__(self, limit: int, window: float, keys: int = 10_000) -> None:
        self.limit, self.window, self.keys = int(limit), float(window), int(keys)
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str, now: float | None = None) -> bool:
        """Record an event for ``key`` if it is within the budget; return False (recording nothing) if not."""
        now = time.monotonic() if now is None else now
        with self._lock:
            times = self._seen.get(key)
            if times is None:
                times = self._seen[key] = deque()
                while len(self._seen) > self.keys:
                    self._seen.popitem(last=False)
            self._seen.move_to_end(key)
            while times and times[0] <= now - self.window:
                times.popleft()
            if len(times) >= self.limit:
                return False
            times.append(now)
            return True

    def retry_after(self, key: str, now: float | None = None) -> float:
        """Seconds until ``key`` may have another event (0 if it may now)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            times = self._seen.get(key)
            if not times or len(times) < self.limit:
                return 0.0
            return max(0.0, times[0] + self.window - now)


_BUDGETS: dict[tuple[str, int, float], Budget] = {}
_GATES: dict[tuple[str, int], threading.BoundedSemaphore] = {}
_SHARED = threading.Lock()


def budget(name: str, limit: int, window: float) -> Budget:
    """The process's one :class:`Budget` called ``name`` with this limit and window (a changed setting makes a new
    one)."""
    key = (name, int(limit), float(window))
    with _SHARED:
        found = _BUDGETS.get(key)
        if found is None:
            found = _BUDGETS[key] = Budget(limit, window)
        return found


def gate(name: str, size: int) -> threading.BoundedSemaphore:
    """The process's one semaphore called ``name`` admitting ``size`` at once (work bounded in memory and CPU)."""
    key = (name, int(size))
    with _SHARED:
        found = _GATES.get(key)
        if found is None:
            found = _GATES[key] = threading.BoundedSemaphore(int(size))
        return found
