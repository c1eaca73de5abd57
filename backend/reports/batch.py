"""A class's reports in one PDF, made in a worker process where each learner has a time limit.

Why a process: WeasyPrint lays a report out in Python for as long as it takes, and a thread
cannot be stopped. The worker (a fresh `spawn`ed interpreter with the app's settings) makes
one learner at a time under `signal.setitimer`: a learner over REPORT_LEARNER_SECONDS is
interrupted, listed as a failure, and the class goes on; a learner whose records raise is
listed with the reason, and the class goes on. The PDF ends with a page naming everyone
left out. The parent only watches: it relays progress (and so the job's heartbeat), and
kills the worker if a learner runs far past the limit without the alarm stopping it (a
C call that never returns) or the whole batch passes its deadline.

Each learner's report is in the language the teacher chose, else the learner's guardian's
(backend/reports/render.py: report_locale); the reasons and the last page are in the
teacher's language.

Tests put a slow or failing renderer in through REPORT_RENDERER ("module:function"; it is
called as render(kind, learner, today, locale=...)).
"""

import importlib
import logging
import multiprocessing
import pickle
import signal
import time
from dataclasses import dataclass, field
from datetime import date

from backend.i18n import DEFAULT_LOCALE, N_, gettext

log = logging.getLogger(__name__)

DEFAULT_RENDERER = "backend.reports.render:learner_document"
START_SECONDS = 120  # a spawned worker imports the app and WeasyPrint before its first learner
GRACE_SECONDS = 10  # past the limit before the parent stops waiting for the alarm

# user-facing words, in one place for the translation catalogs
TIMED_OUT = N_("This learner's report took longer than {seconds} seconds, so it was left out.")
BROKEN = N_("Some of this learner's records could not be read, so the report was left out. "
            "Ask your school's admin to check them.")
STUCK = N_("{name}'s report did not stop at its time limit, so the batch was stopped. Run it "
           "again; if it happens again, print that learner's report on its own.")
WORKER_DIED = N_("The report maker stopped unexpectedly. Run it again.")
TOO_LONG = N_("The reports took longer than {minutes} minutes, so the batch was stopped. Run "
              "it again.")


class LearnerTimeout(Exception):
    """Raised inside the worker by the alarm when a learner's time is up."""


class BatchStopped(Exception):
    """The batch could not finish; `message` says why in words for the teacher."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class BatchResult:
    pdf: bytes
    made: int
    failures: list = field(default_factory=list)  # [{learner_id, name, reason}]
    cpu_seconds: float = 0.0  # the worker's own CPU time: what the batch costs, load aside


def _renderer(path: str):
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def _picklable(config: dict) -> dict:
    out = {}
    for key, value in config.items():
        try:
            pickle.dumps(value)
        except Exception:  # noqa: BLE001 - anything a worker cannot be sent is left out
            continue
        out[key] = value
    return out


def _on_alarm(_signum, _frame):
    raise LearnerTimeout


def _worker(config: dict, kind: str, learners: list, limit: float, today: str, conn,
            locales: tuple = (None, DEFAULT_LOCALE)) -> None:
    """The worker process: every learner in turn, each under an alarm; then one PDF."""
    from backend import create_app

    signal.signal(signal.SIGALRM, _on_alarm)
    app = create_app({**config, "STARTUP_CHECKS": False})
    with app.app_context():
        from backend.extensions import db
        from backend.models import User
        from backend.reports.render import combine_documents, report_locale

        render = _renderer(config.get("REPORT_RENDERER") or DEFAULT_RENDERER)
        chosen, teacher = locales
        documents, failures, detail = [], [], None
        for n, (learner_id, name) in enumerate(learners):
            conn.send(("start", n, learner_id))
            signal.setitimer(signal.ITIMER_REAL, limit)
            try:
                learner = db.session.get(User, learner_id)
                documents.append(render(kind, learner, date.fromisoformat(today),
                                        locale=report_locale(learner, chosen, teacher)))
                signal.setitimer(signal.ITIMER_REAL, 0)
            except LearnerTimeout:
                failures.append({"learner_id": learner_id, "name": name,
                                 "reason": gettext(TIMED_OUT, locale=teacher,
                                                   seconds=f"{limit:g}")})
            except Exception as error:  # noqa: BLE001 - one learner's records, not the class
                signal.setitimer(signal.ITIMER_REAL, 0)
                # the teacher reads words they can act on; the exception is for the log
                # (the parent writes it to the server's log: this process may have none)
                detail = f"{type(error).__name__}: {error}"[:500]
                failures.append({"learner_id": learner_id, "name": name,
                                 "reason": gettext(BROKEN, locale=teacher)})
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                db.session.rollback()
            if failures and failures[-1]["learner_id"] == learner_id:
                conn.send(("failed", n, failures[-1], detail))
                detail = None
            else:
                conn.send(("done", n, learner_id))
        pdf = combine_documents(kind, documents, failures, teacher)
        conn.send(("result", pdf, len(documents), failures, time.process_time()))
    conn.close()


def make_batch(app, kind: str, learners: list[tuple[int, str]], progress, *,
               today: date | None = None, locale: str | None = None,
               teacher_locale: str = DEFAULT_LOCALE) -> BatchResult:
    """Every learner's report of `learners` ([(id, name)]) in one PDF, with failures listed.

    `progress(stage, done, total, failures)` is called as learners finish (and at least
    once a second while one is being made: the job's heartbeat). Raises BatchStopped if
    the batch as a whole cannot finish. `locale`: every report in that language (else
    each in its guardian's); `teacher_locale`: the language of reasons and the last page.
    """
    limit = float(app.config.get("REPORT_LEARNER_SECONDS", 20))
    total = len(learners)
    deadline = time.monotonic() + START_SECONDS + total * (limit + 2)
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_worker, daemon=True, name="report-batch", args=(
        _picklable(dict(app.config)), kind, learners, limit,
        (today or date.today()).isoformat(), send, (locale, teacher_locale)))
    worker.start()
    send.close()
    failures: list = []
    began = time.monotonic()
    done, current, started = 0, None, began
    stage = "making reports"  # the page words it ("Making reports: 3 of 10")
    try:
        while True:
            progress(stage, done, total, failures)
            if receive.poll(1.0):
                try:
                    message = receive.recv()
                except EOFError:
                    raise BatchStopped(gettext(WORKER_DIED, locale=teacher_locale)) from None
                if message[0] == "start":
                    current, started = message[1], time.monotonic()
                elif message[0] in ("done", "failed"):
                    done, current = message[1] + 1, None
                    if message[0] == "failed":
                        failures.append(message[2])
                        if message[3]:
                            log.warning("report for learner %s left out: %s",
                                        message[2]["learner_id"], message[3])
                elif message[0] == "result":
                    progress(stage, total, total, message[3])
                    return BatchResult(pdf=message[1], made=message[2], failures=message[3],
                                       cpu_seconds=message[4])
            elif not worker.is_alive():
                raise BatchStopped(gettext(WORKER_DIED, locale=teacher_locale))
            now = time.monotonic()
            if current is not None and now - started > limit + GRACE_SECONDS:
                raise BatchStopped(gettext(STUCK, locale=teacher_locale,
                                           name=learners[current][1]))
            if now > deadline:
                raise BatchStopped(gettext(TOO_LONG, locale=teacher_locale, minutes=max(1, round(
                    (deadline - began) / 60))))
    finally:
        if worker.is_alive():
            worker.kill()
        worker.join(5)
        receive.close()
