"""A renderer for report-batch tests, put in through REPORT_RENDERER (the worker is a fresh
process, so a monkeypatch in the test would not reach it).

It makes the real report, except for the learner named in the app's TEST_SLOW_LEARNER,
whose report really takes five minutes (a sleep the worker's time limit has to interrupt).
"""

import time

from flask import current_app

from backend.reports.render import learner_document


def render(kind, learner, today, locale=None):
    if learner.username == current_app.config.get("TEST_SLOW_LEARNER"):
        time.sleep(300)
    return learner_document(kind, learner, today, locale=locale)
