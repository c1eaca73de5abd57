"""Levels on read: the school's calculation method (with per-topic overrides) over the events.

Levels are computed whenever they are read, never stored. So changing a method recomputes
every level at once and cannot alter an event (events are append-only). The one memo
(`level_of`) is keyed by every input of the calculation, so it cannot go stale either. The
binder of one learner is a few dozen targets with a few events each: cheap to compute
(see docs/mastery.md for the measured latency).
"""

import json
from collections import OrderedDict, defaultdict
from datetime import date
from threading import Lock

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from backend.errors import AppError
from backend.extensions import db
from backend.i18n import N_
from backend.mastery import MasteryError, calculate
from backend.models import AssessmentEvent, ContentArea, MeasurementTopic, School
from backend.services.credit import DEFAULT_RULE, check_rule, evaluate_credit

# The keys this module owns in School.settings and MeasurementTopic.settings.
METHOD_KEYS = ("calculation_method", "method_params", "count_sources", "credit_rule")
DEFAULTS = {
    "calculation_method": "most_recent",
    "method_params": {},
    "count_sources": ["teacher"],
    "credit_rule": DEFAULT_RULE,
}
# A tiny history every valid setting must be able to turn into a level (or "not yet").
_SAMPLE = [
    {"id": "sample-1", "score": 2.0, "assessed_on": "2025-09-01", "source": "teacher"},
    {"id": "sample-2", "score": None, "assessed_on": "2025-09-08", "source": "teacher"},
    {"id": "sample-3", "score": 3.0, "assessed_on": "2025-09-15", "source": "self"},
    {"id": "sample-4", "score": 3.5, "assessed_on": "2025-09-22", "source": "teacher"},
]


def school_settings(school: School) -> dict:
    """The school's mastery settings with defaults filled in (method, params, sources, rule)."""
    stored = school.settings or {}
    return {key: stored.get(key, DEFAULTS[key]) for key in METHOD_KEYS}


def effective_settings(school_level: dict, topic: MeasurementTopic | None) -> dict:
    """The school's settings with the topic's override winning key by key."""
    override = (topic.settings or {}) if topic is not None else {}
    return {key: override.get(key, school_level[key]) for key in METHOD_KEYS}


def validate_settings(settings: dict) -> dict:
    """Run the settings on a sample history; MasteryError (clear words) if they cannot work.

    Returns the checked settings: method parameters and credit rule with defaults filled in.
    """
    method = settings.get("calculation_method")
    if not isinstance(method, str):
        raise MasteryError("calculation_method must be the name of a method, e.g. most_recent")
    params = settings.get("method_params") or {}
    if not isinstance(params, dict):
        raise MasteryError("method_params must be an object, e.g. {\"weight\": 65}")
    clash = sorted({"count_sources", "method", "events"} & set(params))
    if clash:
        raise MasteryError(f"method_params cannot set {', '.join(clash)}")
    sources = settings.get("count_sources", ["teacher"])
    if not isinstance(sources, list | tuple) or not sources:
        raise MasteryError("count_sources must list at least one of teacher, self, peer")
    result = calculate(method, _SAMPLE, **params, count_sources=tuple(sources))
    rule = settings.get("credit_rule")
    if rule is not None and not isinstance(rule, dict):
        raise MasteryError("credit_rule must be an object, e.g. {\"kind\": \"percent\"}")
    return {
        "calculation_method": method,
        "method_params": {k: v for k, v in result["params"].items() if k != "count_sources"},
        "count_sources": result["params"]["count_sources"],
        "credit_rule": check_rule(rule),
    }


CANNOT_APPLY = {  # whole sentences, for the catalog
    None: N_("The school's mastery settings cannot be applied: {why}. An admin can fix them "
             "under mastery settings."),
    "topic": N_("The mastery settings of topic {topic} cannot be applied: {why}. An admin can "
                "fix them under mastery settings."),
}


def settings_error(err: MasteryError, topic: str | None = None) -> AppError:
    """A stored setting that cannot be applied: a 409 in the one error shape, never a 500."""
    return AppError(CANNOT_APPLY["topic" if topic else None],
                    params={"why": str(err), "topic": repr(topic)},
                    status=409, code="bad_mastery_settings")


def event_dict(event: AssessmentEvent) -> dict:
    """One stored assessment event as `backend.mastery.calculate` reads it."""
    return _event_dict(event.id, event.score, event.assessed_on, event.created_at,
                       event.source)


def _event_dict(event_id: str, score, assessed_on: date, created_at, source: str) -> dict:
    return {"id": event_id, "score": score, "assessed_on": assessed_on.isoformat(),
            "entered_at": created_at, "source": source}


def level_of(events: list[dict], settings: dict, topic: str | None = None) -> dict:
    """`calculate` with the given effective settings; bad settings become a 409 AppError
    (naming `topic` when the settings are that topic's own).

    `calculate` is a pure function of the events and the method's settings, so its answer
    is kept for those exact inputs (LEVELS_KEPT of them, least recently used dropped): a
    learner's pull after a push recomputes only the targets whose events changed. Each
    caller gets its own copy (parsed from the kept JSON text)."""
    method = settings["calculation_method"]
    params = settings["method_params"] or {}
    sources = tuple(settings["count_sources"])
    try:
        key = (method, json.dumps(params, sort_keys=True), sources,
               tuple((e["id"], e["score"], e["assessed_on"], e["source"], e.get("entered_at"))
                     for e in events))
        hash(key)
    except TypeError:  # an event or a setting that is not plain data: not kept
        key = None
    if key is not None:
        kept = _LEVELS.get(key)
        if kept is not None:
            return kept
    try:
        result = calculate(method, events, **params, count_sources=sources)
    except MasteryError as err:
        raise settings_error(err, topic) from err
    if key is not None:
        _LEVELS.put(key, result)
    return result


class _Kept:
    """Answers of a pure function, kept for their exact inputs (the least recently used
    dropped beyond `size`) as JSON text: one untracked object per answer (nothing for the
    garbage collector to walk, ~2-3 KB), and only when the text gives the answer back
    exactly. Each caller gets its own copy, parsed from the text."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = Lock()

    def get(self, key):
        with self._lock:
            text = self._items.get(key)
            if text is not None:
                self._items.move_to_end(key)
        return None if text is None else json.loads(text)

    def put(self, key, result) -> None:
        try:
            text = json.dumps(result)
        except (TypeError, ValueError):
            return
        if json.loads(text) != result:
            return
        with self._lock:
            self._items[key] = text
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


LEVELS_KEPT = 8_000  # ~2-3 KB of text each: the learners x targets a busy hour reads again
_LEVELS = _Kept(LEVELS_KEPT)
# a topic's credit, for its targets' levels and its rule (a learner's pull after a push
# works out every topic's credit again; most are unchanged)
_CREDITS = _Kept(LEVELS_KEPT)


def events_by_target(student_id: int, target_ids: list[int] | None = None,
                     until: date | None = None) -> dict[int, list[dict]]:
    """A learner's events grouped by learning target (all sources: the method sorts them)."""
    # the columns event_dict reads, not whole events: a pull after a push reads every event
    # of the learner, and building ORM objects for them was a tenth of its time
    query = select(AssessmentEvent.target_id, AssessmentEvent.id, AssessmentEvent.score,
                   AssessmentEvent.assessed_on, AssessmentEvent.created_at,
                   AssessmentEvent.source).where(AssessmentEvent.student_id == student_id)
    if target_ids is not None:
        query = query.where(AssessmentEvent.target_id.in_(target_ids))
    if until is not None:
        query = query.where(AssessmentEvent.assessed_on <= until)
    out: dict[int, list[dict]] = defaultdict(list)
    for target_id, *event in db.session.execute(query):
        out[target_id].append(_event_dict(*event))
    return out


def school_topics(school_id: int, audience: str | None = "learner",
                  session=None) -> list[MeasurementTopic]:
    """Every measurement topic of a school, academic areas first, in curriculum order;
    `audience` "educator": the district's teacher microcredentials instead; None: both.
    Each topic comes with its targets and its content area (`session`: db.session)."""
    query = select(MeasurementTopic).join(ContentArea).where(ContentArea.school_id == school_id)
    if audience is not None:
        query = query.where(ContentArea.audience == audience)
    return list(
        (session or db.session).scalars(
            query.order_by(
                ContentArea.is_academic.desc(), ContentArea.position, MeasurementTopic.position
            ).options(selectinload(MeasurementTopic.targets),  # one query, not one per topic
                      contains_eager(MeasurementTopic.content_area))
        )
    )


def topic_levels(topic: MeasurementTopic, events: dict[int, list[dict]],
                 school_level: dict) -> tuple[dict, dict[int, dict]]:
    """(effective settings, {target id: calculate result}) for one topic of one learner."""
    settings = effective_settings(school_level, topic)
    own = topic.name if topic.settings else None
    return settings, {
        t.id: level_of(events.get(t.id, []), settings, own) for t in topic.targets
    }


def topic_credit(topic: MeasurementTopic, levels: dict[int, dict], settings: dict) -> dict:
    """The credit rule of the topic over the learner's current levels."""
    rows = [
        {"id": t.id, "code": t.code, "title": t.title, "level": levels[t.id]["level"]}
        for t in topic.targets
    ]
    try:
        key = (tuple((r["id"], r["code"], r["title"], r["level"]) for r in rows),
               json.dumps(settings["credit_rule"], sort_keys=True))
        hash(key)
    except TypeError:  # a level or a rule that is not plain data: not kept
        key = None
    kept = None if key is None else _CREDITS.get(key)
    if kept is not None:
        return kept
    try:
        result = evaluate_credit(rows, settings["credit_rule"])
    except MasteryError as err:
        raise settings_error(err, topic.name) from err
    if key is not None:
        _CREDITS.put(key, result)
    return result


def learner_topics(learner, topics: list[MeasurementTopic] | None = None,
                   until: date | None = None) -> list[dict]:
    """Per topic: the topic, its settings, each target's level result and the credit result."""
    school_level = school_settings(learner.school)
    topics = topics if topics is not None else school_topics(learner.school_id)
    events = events_by_target(learner.id, until=until)
    out = []
    for topic in topics:
        settings, levels = topic_levels(topic, events, school_level)
        out.append({
            "topic": topic,
            "settings": settings,
            "levels": levels,
            "events": {t.id: events.get(t.id, []) for t in topic.targets},
            "credit": topic_credit(topic, levels, settings),
        })
    return out
