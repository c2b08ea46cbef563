"""Django's cache, for what the site can do without: a cache that fails is logged and the request goes on.

Four things keep data in the cache (CACHE_URL): the rendered public pages
(measures/public/page_cache/middleware.py), the award finder's counts (measures/public/finder/tally.py),
/feedback/'s figures (measures/public/feedback/figures.py) and the fair-use counters (xmpolicy/ratelimit.py).
Each is a saving, not a need: a Redis that is down or unreachable must cost speed (or let a client off its
limit), never a page. So each reads and writes through an OptionalCache: a call that fails is logged at
WARNING with its traceback, naming what went without the cache, and answers as if the cache held nothing and
kept nothing.
"""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


class OptionalCache:
    def __init__(self, purpose: str):
        self.purpose = purpose  # what the entries are, for the log: "page cache", "award counts"…

    def get(self, key):
        """The value kept under `key`; None if there is none or the cache fails."""
        try:
            return cache.get(key)
        except Exception:  # whatever the cache's client raises: a refused connection, a timeout…
            self._failed("read nothing")
            return None

    def set(self, key, value, timeout: int) -> None:
        """Keep `value` under `key` for `timeout` seconds, if the cache works."""
        try:
            cache.set(key, value, timeout)
        except Exception:
            self._failed("kept nothing")

    def count(self, key, timeout: int) -> int | None:
        """Add one to the counter under `key` and return it: 1 for a new counter, which is kept
        `timeout` seconds. Atomic (a Redis INCR, or under the in-memory cache's lock). None if the
        cache fails."""
        try:
            if cache.add(key, 1, timeout=timeout):
                return 1
            try:
                return cache.incr(key)
            except ValueError:  # expired between add() and incr(): a new counter after all
                cache.add(key, 1, timeout=timeout)
                return 1
        except Exception:
            self._failed("counted nothing")
            return None

    def _failed(self, consequence: str) -> None:
        logger.warning("%s unavailable; %s, carrying on without it", self.purpose, consequence, exc_info=True)
