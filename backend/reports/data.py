"""What each report shows, gathered from the binder (levels from the mastery service)."""

import base64
from datetime import date, timedelta

from sqlalchemy import func, select

from backend.extensions import db
from backend.i18n import N_
from backend.mastery.words import level_text
from backend.models import Evidence, Goal, User
from backend.services.levels import learner_topics

TREND_WEEKS = 4
OPEN_GOALS_SHOWN = 20
FINISHED_GOALS_SHOWN = 10
# the words are msgids (N_): the templates translate them into the report's language
AGENDA = (
    (N_("Welcome"), N_("I introduce my family and my teacher and say what we will talk about.")),
    (N_("Where I am"), N_("I show my binder: the topics I am working on and my levels.")),
    (N_("My evidence"), N_("I show the work I chose and explain what it proves.")),
    (N_("My goals"), N_("I share my goals, how they are going, and what I reflected.")),
    (N_("Next steps"),
     N_("Together we agree on what I will do next and how my family can help.")),
)
PROMPTS = (
    N_("What are you most proud of, and why?"),
    N_("Which learning target was hardest? What helped you keep going?"),
    N_("What does this piece of evidence show that you can do now?"),
    N_("What will you work on next, and how will you know you have got there?"),
    N_("How can your family and your teacher help you at home and at school?"),
)
TREND_WORDS = {"up": N_("↑ up"), "down": N_("↓ down"), "steady": N_("→ steady"),
               "new": N_("new")}
GOAL_STATUS_WORDS = {"active": N_("working on it"), "done": N_("done"),
                     "dropped": N_("set aside")}
# the conference pack opens with the profile in the learner's voice (= assets/ui/profile.js)
MY_SECTION_LABELS = {
    "strengths": N_("My strengths"), "interests": N_("My interests"),
    "learn_by": N_("How I take in ideas"), "engage_by": N_("How I stay engaged"),
    "show_by": N_("How I like to show what I know"),
    "hard_and_helps": N_("What I find hard, and what helps"),
    "beyond_school": N_("My goals beyond school"),
}


def _trend(now: float | None, before: float | None) -> str:
    if now is None:
        return ""
    if before is None:
        return TREND_WORDS["new"]
    if now > before:
        return TREND_WORDS["up"]
    return TREND_WORDS["down"] if now < before else TREND_WORDS["steady"]


def _fmt(level: float | None) -> str:
    # the number the words are read from (one decimal, halves up: backend/mastery/words.py)
    return "–" if level is None else level_text(level)


def binder_topics(learner: User, today: date) -> list[dict]:
    """Per topic: its area, targets with level, words and trend, and the credit verdict."""
    earlier = {row["topic"].id: row["levels"] for row in
               learner_topics(learner, until=today - timedelta(weeks=TREND_WEEKS))}
    out = []
    for row in learner_topics(learner):
        topic = row["topic"]
        targets = []
        for target in topic.targets:
            now = row["levels"][target.id]["level"]
            before = earlier.get(topic.id, {}).get(target.id, {}).get("level")
            targets.append({"code": target.code, "title": target.title,
                            "scale_level": f"{target.scale_level:.1f}", "level": _fmt(now),
                            "level_value": now, "words": row["levels"][target.id]["level_words"],
                            "trend": _trend(now, before)})
        credit = row["credit"]
        out.append({"area": topic.content_area.name,
                    "is_academic": topic.content_area.is_academic, "name": topic.name,
                    "level": topic.level, "targets": targets, "is_complete": credit["is_met"],
                    "rule_words": credit["rule_words"],
                    "proficient": credit["proficient_count"], "count": credit["target_count"],
                    "needed": credit["proficient_needed"],
                    "method_label": targets and row["levels"][topic.targets[0].id]["method_label"]})
    return out


def _goals(learner: User) -> list[dict]:
    """The open goals, then the latest finished ones: a year can hold thousands of goals,
    and a report page is read, not scrolled (the rest stay in the binder)."""
    mine = select(Goal).where(Goal.student_id == learner.id, Goal.is_deleted.is_(False))
    active = db.session.scalars(mine.where(Goal.status == "active").order_by(
        Goal.due_on, Goal.created_at).limit(OPEN_GOALS_SHOWN)).all()
    finished = db.session.scalars(mine.where(Goal.status != "active").order_by(
        Goal.updated_at.desc(), Goal.id).limit(FINISHED_GOALS_SHOWN)).all()
    return [{"title": g.title, "status": g.status, "due_on": g.due_on,
             "status_words": GOAL_STATUS_WORDS.get(g.status, g.status),
             "reflection": g.reflection} for g in (*active, *finished)]


def _goals_not_shown(learner: User, shown: int) -> int:
    """How many goals the report leaves in the binder (the template says it, in plural)."""
    total = db.session.scalar(select(func.count()).select_from(Goal).where(
        Goal.student_id == learner.id, Goal.is_deleted.is_(False))) or 0
    return max(total - shown, 0)


def _thumbnail(ev: Evidence) -> str | None:
    if not ev.blob_sha256:
        return None
    from backend.blobstore import blob_store
    from backend.services.evidence_files import sent_by

    if not sent_by(ev.student_id, ev.blob_sha256):  # someone else's file: never shown
        return None
    data = blob_store().get(ev.blob_sha256, "thumb")
    return f"data:image/jpeg;base64,{base64.b64encode(data).decode()}" if data else None


def _evidence(rows: list[Evidence]) -> list[dict]:
    return [{"caption": ev.caption or "", "kind": ev.kind, "text": ev.text,
             "url": ev.url, "thumbnail": _thumbnail(ev), "status": ev.review_status,
             "date": ev.created_at.date() if ev.created_at else None} for ev in rows]


def _base(learner: User, today: date) -> dict:
    return {"learner": learner, "school": learner.school.name, "today": today}


def progress_report(learner: User, today: date, **_) -> dict:
    """Topics with targets, levels in words and numbers, trend, goals, approved evidence."""
    topics = binder_topics(learner, today)
    approved = db.session.scalars(select(Evidence).where(
        Evidence.student_id == learner.id, Evidence.is_deleted.is_(False),
        Evidence.review_status == "approved").order_by(Evidence.created_at.desc()).limit(4))
    goals = _goals(learner)
    return _base(learner, today) | {
        "academic": [t for t in topics if t["is_academic"]],
        "skills": [t for t in topics if not t["is_academic"]],
        "goals": goals, "more_goals": _goals_not_shown(learner, len(goals)),
        "evidence": _evidence(list(approved)), "trend_weeks": TREND_WEEKS,
    }


def transcript(learner: User, today: date, **_) -> dict:
    """Each measurement topic with its level and whether its credit is earned."""
    topics = binder_topics(learner, today)
    return _base(learner, today) | {
        "academic": [t for t in topics if t["is_academic"]],
        "skills": [t for t in topics if not t["is_academic"]],
        "complete": sum(t["is_complete"] for t in topics if t["is_academic"]),
        "total": sum(1 for t in topics if t["is_academic"]),
    }


def conference_profile(learner_id: int) -> tuple[list[dict], list[dict]]:
    """The profile as the learner presents it: (sections in their own words, with the
    learner's titles and choices as msgids; the teachers' observations they accepted)."""
    from backend.services.profile import CHOICE_LABELS, profile_record

    record = profile_record(learner_id)
    sections = [{"title": MY_SECTION_LABELS[s["section"]], "text": s["text"] or "",
                 "choices": [CHOICE_LABELS.get(w, w) for w in s["choices"]]}
                for s in record["sections"] if (s["text"] or s["choices"])]
    accepted = [{"text": o["text"], "teacher": o["teacher"]}
                for o in record["observations"] if o["response"] == "accepted"]
    return sections, accepted


def conference_pack(learner: User, today: date, evidence_ids: list[str] | None = None,
                    **_) -> dict:
    """The learner's profile first (their words, the observations they accepted), then the
    work they starred to show (or chose by id), their goals and reflections, the agenda,
    levels and prompts."""
    query = select(Evidence).where(Evidence.student_id == learner.id,
                                   Evidence.is_deleted.is_(False))
    starred = False
    if evidence_ids:
        rows = {ev.id: ev for ev in db.session.scalars(query.where(Evidence.id.in_(evidence_ids)))}
        chosen = [rows[i] for i in evidence_ids if i in rows]
    else:  # the work they starred ("Show this at my conference"), newest first
        chosen = list(db.session.scalars(query.where(Evidence.is_highlight.is_(True))
                                         .order_by(Evidence.created_at.desc())))
        starred = bool(chosen)
        if not chosen:  # nothing starred yet: the latest submitted work
            chosen = list(db.session.scalars(query.where(Evidence.review_status != "draft")
                                             .order_by(Evidence.created_at.desc()).limit(4)))
    profile, accepted = conference_profile(learner.id)
    topics = binder_topics(learner, today)
    strengths = [dict(t, topic=tp["name"]) for tp in topics for t in tp["targets"]
                 if t["level_value"] is not None and t["level_value"] >= 3.0][:6]
    next_steps = [dict(t, topic=tp["name"]) for tp in topics for t in tp["targets"]
                  if t["level_value"] is not None and t["level_value"] < 3.0][:6]
    goals = _goals(learner)
    return _base(learner, today) | {
        "agenda": AGENDA, "prompts": PROMPTS, "goals": goals,
        "more_goals": _goals_not_shown(learner, len(goals)),
        "profile": profile, "accepted": accepted, "starred": starred,
        "evidence": _evidence(chosen), "strengths": strengths, "next_steps": next_steps,
    }


BUILDERS = {"progress": progress_report, "transcript": transcript,
            "conference": conference_pack}
