"""backend/serving.py: a serving process freezes what start-up left alive and collects its
young generation less often; the Reflex backend and gunicorn's workers call it."""

import gc
from pathlib import Path

from backend.serving import GEN0, settle_for_serving

ROOT = Path(__file__).resolve().parents[2]


def test_settling_freezes_start_up_objects_and_raises_the_first_threshold():
    before = gc.get_threshold()
    try:
        settle_for_serving()
        assert gc.get_freeze_count() > 1000  # the modules, the app, the routes
        assert gc.get_threshold() == (GEN0, before[1], before[2])
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_both_serving_entry_points_settle():
    assert "app.register_lifespan_task(settle_for_serving)" in (ROOT / "app/app.py").read_text()
    conf = (ROOT / "deploy/gunicorn.conf.py").read_text()
    assert "def post_fork" in conf and "settle_for_serving()" in conf
