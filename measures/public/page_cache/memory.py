"""The pages this process served from the page cache lately, kept as they are (not pickled), so that a
page asked for again is answered without decoding it from the cache (or fetching it from a shared Redis).

Only pages whose content revision the process keeps (revision_watch.py) are kept here:
their key names the content's state (middleware.py), so an entry can never be stale,
only unused. Bounded by size, the least recently used dropped first.
"""

import collections
import threading

MAX_BYTES = 32 * 1024 * 1024


class PageMemory:
    def __init__(self, max_bytes: int = MAX_BYTES):
        self.max_bytes = max_bytes
        self._entries = collections.OrderedDict()  # key -> (entry, size)
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def set(self, key, entry, size: int) -> None:
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._entries[key] = (entry, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _key, (_entry, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


def entry_size(entry) -> int:
    _status, _headers, content, variants = entry
    return len(content) + sum(len(body) for body in variants.values())
