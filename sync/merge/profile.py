"""Merge rules of the Personal Learner Profile (issue 18): sections, their history, and the
teacher's observations with the learner's answers.

A section is a multi-value register: the versions nobody has replaced yet stay, the newest
is the section's text and the others are its `alternatives`. A put names the versions its
device showed (`seen`); those are replaced, so a put made on a device that had not seen a
concurrent one (another device offline, or the same edit arriving late) keeps both texts
until the learner chooses, with a later put that saw them both. The stored state is two
grow-only sets (versions written, stamps replaced), so any order of the same puts gives the
same section (sync/PROTOCOL.md, "Profile").
"""

from __future__ import annotations

from sync.clock import HLC
from sync.errors import NotAuthorized, NotFound
from sync.merge.common import (
    Context,
    Outcome,
    authorize,
    check_role,
    derived_id,
    rejecting,
    row,
)
from sync.merge.rows import check_immutable, finish_put, owner_of, put_fields

OBSERVATION_DEFAULTS = {
    "student_id": None,
    "teacher_id": None,
    "section": "",
    "text": "",
    "response": "open",
    "reply": "",
}


def profile_section_id(student_id: object, section: str) -> str:
    """The register of one section of one learner's profile."""
    return derived_id("profile_section", student_id, section)


def profile_entry_id(client_id: str, seq: int) -> str:
    """The history entry appended by profile.section.put (client_id, seq)."""
    return derived_id("profile_entry", client_id, seq)


def _version(data: dict) -> dict:
    return {k: data[k] for k in ("text", "choices", "author_id", "hlc")}


def live_versions(data: dict | None) -> list[dict]:
    """The versions a stored section still shows: its text, then its alternatives."""
    if data is None or data.get("hlc") is None:
        return list(data["alternatives"]) if data else []
    return [_version(data), *data["alternatives"]]


def section_data(student_id, section: str, live: list[dict], replaced: set[str]) -> dict:
    """A section's row data from its live versions: the newest stamp is the text."""
    ordered = sorted(live, key=lambda v: HLC.parse(v["hlc"]), reverse=True)
    head = ordered[0] if ordered else {"text": "", "choices": [], "author_id": None, "hlc": None}
    return {
        "student_id": student_id,
        "section": section,
        **head,
        "alternatives": ordered[1:],
        "_replaced": sorted(replaced),
    }


@rejecting
def merge_profile_section_put(current: dict | None, args: dict, ctx: Context) -> Outcome:
    """profile.section.put: the learner's own words, or their teacher's beside them;
    concurrent texts are all kept. A teacher's put replaces only versions that teacher wrote:
    their words stand beside the learner's until the learner keeps one."""
    name = "profile.section.put"
    check_role(ctx.actor, name)
    student = current["data"]["student_id"] if current else args["student_id"]
    authorize(ctx.actor, name, student)
    section = args["section"]
    mine = {"text": args["text"], "choices": list(args.get("choices", [])),
            "author_id": ctx.actor.user_id, "hlc": ctx.hlc}
    replaced = set(current["data"].get("_replaced", [])) if current else set()
    seen = set(args["seen"])
    if ctx.actor.role != "student":
        seen &= {v["hlc"] for v in live_versions(current["data"] if current else None)
                 if str(v.get("author_id")) == str(ctx.actor.user_id)}
    replaced |= seen
    live = [v for v in live_versions(current["data"] if current else None) if v["hlc"] != ctx.hlc]
    live.append(mine)
    live = [v for v in live if v["hlc"] not in replaced]
    data = section_data(student, section, live, replaced)
    rows = []
    if current is None or data != current["data"]:
        rows.append(row("profile_section", profile_section_id(student, section), data))
    entry = {"student_id": student, "section": section, **mine}
    rows.append(row("profile_entry", profile_entry_id(ctx.client_id, ctx.seq), entry))
    if all(v["hlc"] != ctx.hlc for v in live):
        return Outcome(code="profile.newer_kept", rows=rows)
    if len(live) > 1:
        return Outcome(code="profile.both_kept", params={"section": section}, rows=rows)
    return Outcome(rows=rows)


@rejecting
def merge_observation_put(current: dict | None, args: dict, ctx: Context) -> Outcome:
    """profile.observation.put: a teacher's "I've noticed…"; LWW per field, author fixed."""
    name = "profile.observation.put"
    check_role(ctx.actor, name)
    authorize(ctx.actor, name, owner_of(current, args))
    check_immutable("profile_observation", current, args, ("student_id",))
    if current is not None and str(current["data"]["teacher_id"]) != str(ctx.actor.user_id):
        raise NotAuthorized("profile.not_your_observation")
    defaults = {**OBSERVATION_DEFAULTS, "student_id": args["student_id"],
                "teacher_id": ctx.actor.user_id}
    data, _, history = put_fields("profile_observation", current, args, ctx, defaults,
                                  ("text", "section"))
    return finish_put("profile_observation", current, data, history, args["id"])


@rejecting
def merge_observation_respond(current: dict | None, args: dict, ctx: Context) -> Outcome:
    """profile.observation.respond: the learner accepts an observation or asks to discuss it."""
    name = "profile.observation.respond"
    check_role(ctx.actor, name)
    if current is None:
        raise NotFound("not_found.profile_observation", id=args["id"])
    authorize(ctx.actor, name, current["data"]["student_id"])
    data, _, history = put_fields("profile_observation", current, args, ctx, {},
                                  ("response", "reply"))
    return finish_put("profile_observation", current, data, history, args["id"])
