"""The Personal Learner Profile as plain data (issue 18): what an export carries and what
the family portal reads. The rows are written only through sync (sync/merge/profile.py)."""

from sqlalchemy import func, select

from backend.extensions import db
from backend.i18n import N_, gettext
from backend.models import ProfileEntry, ProfileObservation, ProfileSection, User
from sync.protocol import PROFILE_SECTIONS

# how others (teachers, the family, the record's PDF) name each section
SECTION_LABELS = {
    "strengths": N_("Strengths"), "interests": N_("Interests"),
    "learn_by": N_("How they take in ideas"), "engage_by": N_("How they stay engaged"),
    "show_by": N_("How they show what they know"),
    "hard_and_helps": N_("What they find hard, and what helps"),
    "beyond_school": N_("Goals beyond school"),
}
# the same words as the learner's page (assets/ui/profile.js), so one catalog entry each
CHOICE_LABELS = {
    "watching": N_("Watching"), "reading": N_("Reading"), "doing": N_("Doing"),
    "talking": N_("Talking"), "alone": N_("Alone"), "with_peers": N_("With others"),
    "challenge": N_("A challenge"), "choice": N_("Having a choice"), "write": N_("Writing"),
    "make": N_("Making"), "present": N_("Presenting"), "record": N_("Recording"),
}
RESPONSES = {"open": N_("Not answered yet"), "accepted": N_("Accepted"),
             "discuss": N_("Wants to talk about it")}


def _names(ids: set) -> dict:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    found = db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return dict(found.all())


SHOWN = 50  # what a page reads of a year's history and observations: the newest 50 of each


def _newest(model, order, learner_id: int, newest: int | None) -> tuple[list, int]:
    """(rows oldest first, how many there are): all of them, or only the newest `newest`.

    Ties on `order` go by id: PostgreSQL stamps every row of one push with the same time,
    and the device's ids follow the order it made them in."""
    query = select(model).where(model.student_id == learner_id)
    if newest is None:
        rows = list(db.session.scalars(query.order_by(order, model.id)))
        return rows, len(rows)
    rows = list(db.session.scalars(query.order_by(order.desc(), model.id.desc())
                                   .limit(newest)))[::-1]
    total = len(rows) if len(rows) < newest else db.session.scalar(
        select(func.count()).select_from(model).where(model.student_id == learner_id))
    return rows, total


def profile_record(learner_id: int, newest: int | None = None) -> dict:
    """{"sections": [...in the binder's order], "history": [...oldest first],
    "observations": [...oldest first], "history_total", "observations_total"}, with the
    names of who wrote what. `newest`: only the newest that many of the history and of the
    observations (a page's read; the record export takes everything)."""
    sections = {s.section: s for s in db.session.scalars(
        select(ProfileSection).where(ProfileSection.student_id == learner_id))}
    entries, entries_total = _newest(ProfileEntry, ProfileEntry.hlc, learner_id, newest)
    notes, notes_total = _newest(ProfileObservation, ProfileObservation.created_at,
                                 learner_id, newest)
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
    return {"sections": out_sections, "history": history, "observations": observations,
            "history_total": entries_total, "observations_total": notes_total}


def sections_read(record: dict, locale: str | None = None) -> list[dict]:
    """Each written section of a profile_record as others read it, in `locale`:
    {title, choices_text, text, note}."""
    lines = []
    for s in record.get("sections", []):
        choices = ", ".join(gettext(CHOICE_LABELS.get(w, w), locale) for w in s.get("choices", []))
        if not s.get("text") and not choices:
            continue
        note = (gettext("Two texts are waiting for the learner to choose one.", locale)
                if s.get("alternatives") else "")
        lines.append({"title": gettext(SECTION_LABELS.get(s["section"], s["section"]), locale),
                      "choices_text": choices, "text": str(s.get("text") or ""),
                      "note": note})
    return lines


def observations_read(record: dict, locale: str | None = None) -> list[dict]:
    """The teachers' observations of a profile_record, newest first, in `locale`:
    {text, about, response_text, reply}."""
    out = []
    for o in reversed(record.get("observations", [])):
        part = (gettext(SECTION_LABELS[o["section"]], locale) if o.get("section")
                in SECTION_LABELS else gettext("The whole profile", locale))
        out.append({
            "text": str(o.get("text") or ""),
            "about": gettext("{who} noticed · {part}", locale, who=o.get("teacher") or "",
                             part=part),
            "response_text": gettext(RESPONSES.get(o.get("response"), RESPONSES["open"]),
                                     locale),
            "reply": str(o.get("reply") or "")})
    return out
