"""The Personal Learner Profile as plain data (issue 18): what an export carries and what
the family portal reads. The rows are written only through sync (sync/merge/profile.py)."""

from sqlalchemy import select

from backend.extensions import db
from backend.models import ProfileEntry, ProfileObservation, ProfileSection, User
from sync.protocol import PROFILE_SECTIONS


def _names(ids: set) -> dict:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    found = db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return dict(found.all())


def profile_record(learner_id: int) -> dict:
    """{"sections": [...in the binder's order], "history": [...oldest first],
    "observations": [...oldest first]}, with the names of who wrote what."""
    sections = {s.section: s for s in db.session.scalars(
        select(ProfileSection).where(ProfileSection.student_id == learner_id))}
    entries = list(db.session.scalars(select(ProfileEntry).where(
        ProfileEntry.student_id == learner_id).order_by(ProfileEntry.hlc)))
    notes = list(db.session.scalars(select(ProfileObservation).where(
        ProfileObservation.student_id == learner_id).order_by(ProfileObservation.created_at)))
    names = _names({s.author_id for s in sections.values()} | {e.author_id for e in entries}
                   | {o.teacher_id for o in notes})
    out_sections = []
    for key in PROFILE_SECTIONS:
        s = sections.get(key)
        if s is None:
            continue
        out_sections.append({
            "section": key, "text": s.text, "choices": list(s.choices or []),
            "author": names.get(s.author_id, ""), "hlc": s.hlc,
            "alternatives": [{"text": a["text"], "choices": a.get("choices", []),
                              "author": names.get(a.get("author_id"), ""), "hlc": a["hlc"]}
                             for a in s.alternatives or []]})
    history = [{"section": e.section, "text": e.text, "choices": list(e.choices or []),
                "author": names.get(e.author_id, ""), "hlc": e.hlc} for e in entries]
    observations = [{"id": o.id, "section": o.section, "text": o.text,
                     "teacher": names.get(o.teacher_id, ""), "response": o.response,
                     "reply": o.reply} for o in notes]
    return {"sections": out_sections, "history": history, "observations": observations}
