"""Recommendations: the next learning target of each topic, and activities for it, with a why.

The next target of a topic is the first, in the topic's progression (scale 2.0 → 3.0 →
4.0, then the teacher's order), whose level is not yet proficient. Its aligned activities
are ranked by

(a) the learner's own habits: the kinds and modalities of activities they finished
    (picks with status done) — a learner who finishes practice sets gets practice sets;
(b) what worked for others: of the other learners who finished the activity, how many
    had a higher teacher score on the same target within GAIN_DAYS than their score
    before it;
(c) what the learner said about themself in their Personal Learner Profile (issue 18):
    the UDL choices of "how I take in ideas" (learn_by: watching → videos, reading →
    readings, doing → labs, projects and practice, talking → seminars and peer work) and
    "how I stay engaged" (engage_by: alone → independent or one-on-one work, with_peers →
    small- and whole-group work and peer activities), and words in their strengths and
    interests (STATED_WORDS: "building", "experiments" → labs and projects, "videos" →
    videos, ...). A stated preference weighs W_STATED, as much as "all who tried it
    gained" — what a learner says about themself counts as much as what worked for others;

then the teacher's playlist order, then the activity id (so the same data always gives
the same list). A learner with no history yet (no events, nothing finished) gets the
playlist order as it is, unless they have said how they like to learn: then (c) alone.
An activity the learner said "not for me" to (`suggestion.decline`, table
suggestion_declines) is left out until they take it back.
Nothing names another learner: (b) only ever shows counts.

Each activity's why is a list of reasons, each a code and its params (`reasons`), the
first two that counted, stated preferences first; `why` is the same in English
(`WHY_TEMPLATES`, marked for the catalogs). The device renders the codes through its own
catalog (assets/ui/why_text.js), so a learner reads them in their language; the params are
codes (kind, modality, choice) the device words itself, numbers, titles, and the learner's
own word.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from backend.extensions import db
from backend.mastery.words import reaches
from backend.models import (
    Activity,
    ActivityTarget,
    Enrollment,
    LearnerGroupMember,
    Pick,
    Playlist,
    User,
)
from backend.models.declines import SuggestionDecline
from backend.models.profile import ProfileSection
from backend.services.gains import GAIN_DAYS, gains_of_others
from backend.services.levels import learner_topics

PER_TARGET = 3
W_GAIN, W_KIND, W_MODALITY = 1.0, 0.5, 0.25
KIND_WORDS = {"video": ("video", "videos"), "reading": ("reading", "readings"),
              "practice": ("practice set", "practice sets"), "project": ("project", "projects"),
              "seminar": ("seminar", "seminars"), "lab": ("lab", "labs"),
              "peer": ("peer activity", "peer activities")}
MODALITY_WORDS = {"small_group": "small-group", "whole_group": "whole-group",
                  "one_on_one": "one-on-one", "independent": "independent"}
W_STATED, W_STATED_MORE = 1.0, 0.25  # the first stated preference met, and each one more
# (c): a UDL choice → the activity kinds (or modalities) it fits
LEARN_BY_KINDS = {"watching": {"video"}, "reading": {"reading"},
                  "doing": {"lab", "project", "practice"}, "talking": {"seminar", "peer"}}
ENGAGE_BY_MODALITIES = {"alone": {"independent", "one_on_one"},
                        "with_peers": {"small_group", "whole_group"}}
ENGAGE_BY_KINDS = {"with_peers": {"peer", "seminar"}}
# word stems in the learner's strengths and interests → the kinds they point to
STATED_WORDS = (
    (("build", "making", "make", "hands-on", "handson", "experiment", "robot", "lego",
      "craft", "fix", "tinker", "invent", "construct"), {"lab", "project"}),
    (("video", "watch", "film", "movie", "youtube"), {"video"}),
    (("read", "book", "stor", "novel", "poem"), {"reading"}),
    (("talk", "discuss", "debat", "convers", "team", "friend", "people"), {"seminar", "peer"}),
    (("puzzle", "practi", "game", "quiz", "number"), {"practice"}),
)
N_ = str  # marks the templates for the catalog extractor (backend/i18n_extract.py)
WHY_TEMPLATES = {
    "why.worked": N_("{gains} of {tries} learners who finished it scored higher on {code} "
                     "within {weeks} weeks."),
    "why.worked_one": N_("{gains} of 1 learner who finished it scored higher on {code} "
                         "within {weeks} weeks."),
    "why.kind_done": N_("You have finished {count} like it: this is {kind}."),
    "why.modality_done": N_("You often finish {modality} work."),
    "why.learn_by": N_("You said you take in ideas by {choice}: this is {kind}."),
    "why.engage_alone": N_("You said you like working alone: this is {modality} work."),
    "why.engage_peers": N_("You said you like working with others: this is {kind}."),
    "why.stated_word": N_("You said you like {word}: this is {kind}."),
    "why.show_by": N_("You like to show what you know by {way}: you can do that here."),
    "why.playlist": N_("Next in your playlist “{playlist}” for {code}."),
    "why.aligned": N_("Aligned to {code}."),
}
# the English words of the code params (the device has its own, through its catalog)
KIND_A = {"video": "a video", "reading": "a reading", "practice": "a practice set",
          "project": "a project", "seminar": "a seminar", "lab": "a hands-on lab",
          "peer": "a peer activity"}
CHOICE_WORDS = {"watching": "watching", "reading": "reading", "doing": "doing",
                "talking": "talking"}
WAY_WORDS = {"write": "writing", "make": "making", "present": "presenting",
             "record": "recording"}


def _playlist_order(student_id: int) -> tuple[dict[int, tuple], set[int]]:
    """(activity id → (assignee rank, playlist id, position, title), topic and target ids).

    The slot is the activity's first place in the learner's playlists: their own playlists
    come first, then their groups', then their classes'.
    """
    class_ids = select(Enrollment.class_id).where(Enrollment.student_id == student_id)
    group_ids = select(LearnerGroupMember.group_id).where(
        LearnerGroupMember.student_id == student_id)
    playlists = db.session.scalars(
        select(Playlist).where(
            (Playlist.student_id == student_id) | Playlist.group_id.in_(group_ids)
            | Playlist.class_id.in_(class_ids)
        ).options(selectinload(Playlist.items))  # one query for every playlist's items
    )
    order: dict[int, tuple] = {}
    covers: set[tuple[str, int]] = set()
    for p in playlists:
        covers |= {("topic", p.topic_id), ("target", p.target_id)}
        rank = 0 if p.student_id else 1 if p.group_id else 2
        for item in p.items:
            slot = (rank, p.id, item.position, p.title)
            order[item.activity_id] = min(order.get(item.activity_id, slot), slot)
    return order, covers


def _done_activities(student_id: int) -> list[tuple[str, str]]:
    """(kind, modality) of each activity the learner finished, one per finished pick."""
    return [tuple(r) for r in db.session.execute(
        select(Activity.kind, Activity.modality).join(Pick, Pick.activity_id == Activity.id)
        .where(Pick.student_id == student_id, Pick.status == "done",
               Pick.is_deleted.is_(False)).order_by(Pick.id))]


@dataclass(frozen=True)
class Choice:
    """An activity as a suggestion reads it: plain, so a plan can be kept between pulls."""
    id: int
    title: str
    kind: str
    modality: str
    minutes: int
    url: str | None
    show_ways: tuple


def _aligned(target_ids: list[int]) -> dict[int, list[Choice]]:
    out: dict[int, list[Choice]] = defaultdict(list)
    rows = db.session.execute(
        select(ActivityTarget.target_id, Activity.id, Activity.title, Activity.kind,
               Activity.modality, Activity.minutes, Activity.url, Activity.show_ways)
        .join(Activity, Activity.id == ActivityTarget.activity_id)
        .where(ActivityTarget.target_id.in_(target_ids))
        .order_by(Activity.id)
    )
    for target_id, *fields in rows:
        fields[-1] = tuple(fields[-1] or ())
        out[target_id].append(Choice(*fields))
    return out


def stated_preferences(student_id: int) -> dict:
    """What the learner said in their profile that a suggestion can meet: their learn_by and
    engage_by choices, and [(their word, kinds)] from their strengths and interests."""
    rows = db.session.execute(
        select(ProfileSection.section, ProfileSection.text, ProfileSection.choices).where(
            ProfileSection.student_id == student_id,
            ProfileSection.section.in_(("learn_by", "engage_by", "show_by", "strengths",
                                        "interests")))
    ).all()
    out = {"learn_by": [], "engage_by": [], "show_by": [], "words": []}
    for section, text, choices in sorted(rows):
        if section in ("learn_by", "engage_by", "show_by"):
            out[section] = [c for c in (choices or []) if isinstance(c, str)]
            continue
        for word in re.findall(r"[\w-]+", (text or "").lower()):
            for stems, kinds in STATED_WORDS:
                if word.startswith(stems) and word not in {w for w, _ in out["words"]}:
                    out["words"].append((word, kinds))
    return out


def declined_activities(student_id: int) -> set[int]:
    """The activities the learner said "not for me" to (and has not taken back)."""
    return set(db.session.scalars(select(SuggestionDecline.activity_id).where(
        SuggestionDecline.student_id == student_id, SuggestionDecline.declined.is_(True))))


def has_stated(stated: dict) -> bool:
    return bool(stated["learn_by"] or stated["engage_by"] or stated.get("show_by")
                or stated["words"])


def show_as(activity, stated: dict) -> str | None:
    """Of the ways an activity offers to show mastery (more than one), the first the learner
    said they like (their show_by choices, in their order); None when it offers one way
    or none they chose."""
    ways = list(getattr(activity, "show_ways", None) or [])
    if len(ways) < 2:
        return None
    return next((w for w in stated.get("show_by", []) if w in ways), None)


def stated_reasons(activity, stated: dict) -> list[dict]:
    """The stated preferences this activity meets, each a reason (code, params)."""
    out = []
    for choice in stated["learn_by"]:
        if activity.kind in LEARN_BY_KINDS.get(choice, ()):
            out.append({"code": "why.learn_by",
                        "params": {"choice": choice, "kind": activity.kind}})
    for choice in stated["engage_by"]:
        if activity.modality in ENGAGE_BY_MODALITIES.get(choice, ()) and choice == "alone":
            out.append({"code": "why.engage_alone", "params": {"modality": activity.modality}})
        elif choice == "with_peers" and (
                activity.modality in ENGAGE_BY_MODALITIES[choice]
                or activity.kind in ENGAGE_BY_KINDS[choice]):
            out.append({"code": "why.engage_peers", "params": {"kind": activity.kind}})
    for word, kinds in stated["words"]:
        if activity.kind in kinds:
            out.append({"code": "why.stated_word",
                        "params": {"word": word, "kind": activity.kind}})
            break  # one of the learner's words is enough to say
    return out


def stated_score(reasons: list[dict]) -> float:
    return W_STATED + W_STATED_MORE * (len(reasons) - 1) if reasons else 0.0


def why_text(reason: dict) -> str:
    """A reason in English (the device says it through its catalog instead)."""
    params = dict(reason["params"])
    if "kind" in params:
        params["kind"] = KIND_A.get(params["kind"], params["kind"])
    if "modality" in params:
        params["modality"] = MODALITY_WORDS.get(params["modality"], params["modality"])
    if "choice" in params:
        params["choice"] = CHOICE_WORDS.get(params["choice"], params["choice"])
    if "way" in params:
        params["way"] = WAY_WORDS.get(params["way"], params["way"])
    return WHY_TEMPLATES[reason["code"]].format(**params)


def _why(activity, code, slot, gain, kinds, modalities, basis, stated) -> list[dict]:
    reasons = list(stated)
    gains, tries = gain
    if basis == "history" and gains:
        reasons.append({"code": "why.worked" if tries != 1 else "why.worked_one", "params": {
            "gains": gains, "tries": tries, "code": code, "weeks": GAIN_DAYS // 7}})
    if basis == "history" and kinds[activity.kind]:
        reasons.append({"code": "why.kind_done",
                        "params": {"count": kinds[activity.kind], "kind": activity.kind}})
    elif basis == "history" and modalities[activity.modality]:
        reasons.append({"code": "why.modality_done", "params": {"modality": activity.modality}})
    if not reasons:
        if slot:
            reasons.append({"code": "why.playlist", "params": {"playlist": slot[3], "code": code}})
        else:
            reasons.append({"code": "why.aligned", "params": {"code": code}})
    return reasons[:2]


def _next_target(topic, levels: dict[int, dict], bar: float):
    progression = sorted(topic.targets, key=lambda t: (t.scale_level, t.position, t.id))
    # below the bar as shown (backend/mastery/words.py): a 2.98 shows 3.0 and is reached
    return next((t for t in progression if not reaches(levels[t.id]["level"], bar)), None)


def load_recommendations(learner: User, rows: list[dict] | None = None,
                         stated: dict | None = None) -> dict:
    """The next target per topic and up to PER_TARGET activities for each, each with a why.

    `rows`: the learner's `learner_topics` over every topic, when the caller has them.
    `stated`: their stated preferences (stated_preferences), read from their profile when
    left out; {"learn_by": [], "engage_by": [], "words": []} ranks without them.
    """
    plan = plan_recommendations(learner, rows, stated)
    gains = gains_of_others(learner.id, plan["aligned"]) if plan["basis"] == "history" else {}
    return rank_recommendations(plan, gains)


def plan_recommendations(learner: User, rows: list[dict] | None = None,
                         stated: dict | None = None) -> dict:
    """Everything a learner's suggestions read but what worked for others: their next
    targets, the activities aligned to each, their habits, what they said, what they
    declined and their playlists' order. Plain data (rank_recommendations finishes it)."""
    rows = learner_topics(learner) if rows is None else rows
    order, covers = _playlist_order(learner.id)
    done = _done_activities(learner.id)
    has_events = any(evs for row in rows for evs in row["events"].values())
    stated = stated_preferences(learner.id) if stated is None else stated
    declined = declined_activities(learner.id)

    nexts = {}
    for row in rows:
        bar = row["credit"]["rule"]["proficient"]
        nexts[row["topic"].id] = _next_target(row["topic"], row["levels"], bar)
    aligned = _aligned([t.id for t in nexts.values() if t is not None])

    topics = []
    for row in rows:
        topic, target = row["topic"], nexts[row["topic"].id]
        in_playlists = ("topic", topic.id) in covers or any(
            ("target", t.id) in covers for t in topic.targets)
        if not in_playlists and not any(row["events"].values()):
            continue  # not a topic this learner works on
        entry = {"topic_id": topic.id, "name": topic.name, "next_target": None,
                 "candidates": []}
        if target is not None:
            result = row["levels"][target.id]
            entry["next_target"] = {
                "id": target.id, "code": target.code, "title": target.title,
                "scale_level": target.scale_level, "level": result["level"],
                "level_words": result["level_words"],
            }
            # "not for me": never suggested again until taken back
            entry["candidates"] = [(a, order.get(a.id)) for a in aligned.get(target.id, [])
                                   if a.id not in declined]
        topics.append(entry)
    return {
        "learner": {"id": learner.id, "display_name": learner.display_name},
        "basis": "history" if done or has_events else "playlist",
        "stated": stated,
        "kinds": Counter(kind for kind, _ in done),
        "modalities": Counter(modality for _, modality in done),
        "done": len(done),
        "aligned": aligned,
        "topics": topics,
    }


def rank_recommendations(plan: dict, gains: dict[tuple[int, int], list]) -> dict:
    """A plan (plan_recommendations) ranked with `gains` (what worked for others: the
    counts of gains_of_others)."""
    basis, stated = plan["basis"], plan["stated"]
    kinds, modalities = plan["kinds"], plan["modalities"]
    topics = []
    for planned in plan["topics"]:
        entry = {k: planned[k] for k in ("topic_id", "name", "next_target")}
        entry["activities"], target = [], planned["next_target"]
        if target is None:
            entry["summary"] = f"Every target in {planned['name']} is proficient or beyond."
            topics.append(entry)
            continue
        ranked = []
        for a, slot in planned["candidates"]:
            gain = gains.get((target["id"], a.id), [0, 0])
            total = plan["done"] or 1
            score = (W_GAIN * gain[0] / (gain[1] + 1) + W_KIND * kinds[a.kind] / total
                     + W_MODALITY * modalities[a.modality] / total) if basis == "history" else 0.0
            met = stated_reasons(a, stated)
            score += stated_score(met)
            playlist_key = slot[:3] if slot else (9, 0, 0)
            ranked.append(((-round(score, 6), playlist_key, a.id), a, slot, gain, score, met))
        ranked.sort(key=lambda r: r[0])
        for _key, a, slot, gain, score, met in ranked[:PER_TARGET]:
            reasons = _why(a, target["code"], slot, gain, kinds, modalities, basis, met)
            way = show_as(a, stated)
            if way:  # a third line of its own: how to show it, not why it ranks here
                reasons.append({"code": "why.show_by", "params": {"way": way}})
            entry["activities"].append({
                "id": a.id, "title": a.title, "kind": a.kind, "modality": a.modality,
                "minutes": a.minutes, "url": a.url,
                "playlist_id": slot[1] if slot else None,
                "position": slot[2] if slot else None,
                "score": round(score, 4),
                "gains": gain[0], "tries": gain[1],
                "stated": bool(met),
                "show_as": way,
                "reasons": reasons,
                "why": " ".join(why_text(r) for r in reasons),
            })
        entry["summary"] = (
            f"Next in {planned['name']}: {target['code']} {target['title']} "
            f"(now {target['level_words']})."
        )
        topics.append(entry)
    return {
        "learner": plan["learner"],
        "basis": basis,
        "stated": has_stated(stated),
        "gain_days": GAIN_DAYS,
        "topics": topics,
    }
