"""What a long-running server process does once it is up: settle the garbage collector.

A full (generation 2) collection stops every request the process is serving while it walks
every tracked object. With CPython's default thresholds (700, 10, 10) the embedded server
ran one every ~5 s under the 200-device load test, each 100–560 ms on the shared 2-core
box: most of the push and pull p95 (docs/benchmarks.md, "Embedded default"). So, once the
app is built:

* `gc.freeze()` moves everything alive at start-up (modules, the app, the routes, Reflex's
  compiled pages) to the permanent generation, which no collection walks again;
* a larger first threshold collects the young generation every GEN0 allocations instead
  of every 700: a request's short-lived objects mostly die before it, and a full
  collection comes about 14x less often.

Reference cycles are still collected, only less often. Called by the Reflex backend
(app/app.py, a lifespan task) and by each gunicorn worker (deploy/gunicorn.conf.py).
Never at import time: tests and scripts build many apps whose garbage must stay
collectable.
"""

import gc

GEN0 = 10_000


def settle_for_serving() -> None:
    gc.collect()
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GEN0, gen1, gen2)
