"""The computed rows' cache (see computed.py): a bounded LRU per Flask app, one entry per
learner, served only for the inputs it was made from."""

from collections import OrderedDict
from threading import Lock

from flask import current_app, has_app_context

DEFAULT_LEARNERS = 4000


class ComputedCache:
    """A bounded LRU: key → (inputs, value); `get` serves a value only for equal inputs.

    `computed` and `served` count topics (levels) and learners (suggestions) worked out
    and taken from the cache: what the tests and the benchmark read."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = Lock()
        self.computed = self.served = 0

    def get(self, key, inputs):
        with self._lock:
            item = self._items.get(key)
            if item is None or item[0] != inputs:
                return None
            self._items.move_to_end(key)
            return item[1]

    def latest(self, key):
        """(inputs, value) last kept under `key`, whatever its inputs; None if none."""
        with self._lock:
            return self._items.get(key)

    def put(self, key, inputs, value) -> None:
        with self._lock:
            self._items[key] = (inputs, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


_PROCESS = ComputedCache(DEFAULT_LEARNERS)  # outside an app context (scripts)


def cache() -> ComputedCache:
    """The app's cache (one per Flask app, so two databases never share one)."""
    if not has_app_context():
        return _PROCESS
    found = current_app.extensions.get("computed_rows_cache")
    if found is None:
        size = int(current_app.config.get("COMPUTED_CACHE_LEARNERS", DEFAULT_LEARNERS))
        found = current_app.extensions.setdefault("computed_rows_cache", ComputedCache(size))
    return found
