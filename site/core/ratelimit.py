"""Counting a client's attempts in a sliding window, in the cache, for throttles.

A window of ``seconds`` is approximated with two fixed buckets (this one and the previous one,
weighted by how much of it still overlaps the window): every write is an atomic ``incr``, so
parallel requests cannot slip past the limit. If the cache is unreachable the count reads 0:
throttles fail open rather than lock everybody out (docs/reliability.md, Redis outage).

The client is :func:`core.clients.client_ip` (which trusts only the configured proxies,
``TRUSTED_PROXY_COUNT``), IPv6 reduced to its /64 network, so one household or school counts
once.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from dataclasses import dataclass

from django.core.cache import cache

from core.clients import UNKNOWN, client_ip

logger = logging.getLogger(__name__)

IPV6_PREFIX = 64


def now() -> float:
    """The throttles' clock (seconds since the epoch); tests pin it so that no window rolls
    over in the middle of a count."""
    return time.time()


def client_network(request) -> str:
    """The client's address (an IPv6 address as its /64 network); "" when unknown."""
    raw = client_ip(request)
    if raw == UNKNOWN:
        return ""
    address = ipaddress.ip_address(raw)  # client_ip returns only valid addresses
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network(f"{address}/{IPV6_PREFIX}", strict=False))
    return str(address)


@dataclass(frozen=True)
class SlidingWindow:
    """At most ``limit`` hits per ``seconds`` for each key of the throttle ``name``."""

    name: str
    limit: int
    seconds: int

    def _bucket_keys(self, key: str, now: float) -> tuple[str, str, float]:
        bucket = int(now // self.seconds)
        elapsed = (now % self.seconds) / self.seconds
        base = f"ratelimit:{self.name}:{key}"
        return f"{base}:{bucket}", f"{base}:{bucket - 1}", elapsed

    def count(self, key: str) -> float:
        """Hits in the last ``seconds`` (estimated); 0 when the cache cannot say."""
        current, previous, elapsed = self._bucket_keys(key, now())
        try:
            values = cache.get_many([current, previous])
        except Exception:  # cache down: fail open
            logger.warning("throttle %s unreadable", self.name, exc_info=True)
            return 0
        return values.get(current, 0) + values.get(previous, 0) * (1 - elapsed)

    def exceeded(self, key: str) -> bool:
        return self.count(key) >= self.limit

    def hit(self, key: str) -> None:
        current, _previous, _elapsed = self._bucket_keys(key, now())
        try:
            cache.add(current, 0, timeout=2 * self.seconds)
            cache.incr(current)
        except ValueError:  # the bucket expired between add and incr
            cache.set(current, 1, timeout=2 * self.seconds)
        except Exception:  # cache down: fail open
            logger.warning("throttle %s not counted", self.name, exc_info=True)

    def clear(self, key: str) -> None:
        current, previous, _elapsed = self._bucket_keys(key, now())
        cache.delete_many([current, previous])
