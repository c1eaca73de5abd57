"""The mutation envelope and the argument rules of every protocol v1 mutation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from sync import fields as f
from sync.errors import InvalidMutation, UnknownMutation
from sync.reasons import shown

GOAL_STATUSES = ("active", "done", "dropped")
PICK_STATUSES = ("picked", "in_progress", "done")
EVIDENCE_KINDS = ("photo", "file", "link", "text")
REVIEW_DECISIONS = ("approved", "returned")
LEVEL_MIN, LEVEL_MAX, LEVEL_STEP = f.LEVEL_MIN, f.LEVEL_MAX, f.LEVEL_STEP
# the Personal Learner Profile (issue 18): its sections, in the order a binder shows them;
# UDL's three parts (learn_by, engage_by, show_by) also take a few choices beside the words
PROFILE_SECTIONS = ("strengths", "interests", "learn_by", "engage_by", "show_by",
                    "hard_and_helps", "beyond_school")
PROFILE_CHOICES = {
    "learn_by": ("watching", "reading", "doing", "talking"),
    "engage_by": ("alone", "with_peers", "challenge", "choice"),
    "show_by": ("write", "make", "present", "record"),
}
OBSERVATION_RESPONSES = ("accepted", "discuss")
_ALL_CHOICES = tuple(word for words in PROFILE_CHOICES.values() for word in words)

Validator = Callable[[str, Any], Any]
_title = partial(f.text, max_len=f.MAX_TITLE, required=True)
_title_text = partial(f.text, required=True)
_goal_status = partial(f.choice, allowed=GOAL_STATUSES)
_pick_status = partial(f.choice, allowed=PICK_STATUSES)
_kind = partial(f.choice, allowed=EVIDENCE_KINDS)
_decision = partial(f.choice, allowed=REVIEW_DECISIONS)
_section = partial(f.choice, allowed=PROFILE_SECTIONS)
_choices = partial(f.words, allowed=_ALL_CHOICES)
_response = partial(f.choice, allowed=OBSERVATION_RESPONSES)

# name -> (required args, optional args); optional args that are omitted are not written.
SPECS: dict[str, tuple[dict[str, Validator], dict[str, Validator]]] = {
    "goal.put": (
        {"id": f.row_id, "student_id": f.ref_id, "title": _title},
        {
            "target_ids": f.target_ids,
            "due_on": f.date,
            "status": _goal_status,
            "reflection": f.text,
        },
    ),
    "goal.delete": ({"id": f.row_id}, {}),
    "pick.put": (
        {"id": f.row_id, "student_id": f.ref_id, "activity_id": f.ref_id, "status": _pick_status},
        {},
    ),
    "pick.delete": ({"id": f.row_id}, {}),
    "self_assessment.put": (
        {"student_id": f.ref_id, "target_id": f.ref_id, "level": f.level},
        {"note": f.text},
    ),
    "evidence.put": (
        {"id": f.row_id, "student_id": f.ref_id, "kind": _kind},
        {
            "caption": f.text,
            "target_ids": f.target_ids,
            "blob_sha256": f.sha256,
            "url": f.url,
            "text": f.text,
            "submitted": f.boolean,
            "highlight": f.boolean,  # starred to show at the learner's conference
            # an educator's reflection on transfer to practice (teacher microcredentials)
            "reflection": f.text,
        },
    ),
    "evidence.delete": ({"id": f.row_id}, {}),
    "evidence.review": (
        {"evidence_id": f.row_id, "decision": _decision},
        {"comment": f.text, "level": f.level, "target_id": f.ref_id},
    ),
    "rating.put": (
        {
            "student_id": f.ref_id,
            "target_id": f.ref_id,
            "level": f.level,
            "base_version": f.version,
        },
        {"note": f.text},
    ),
    # note: why the teacher kept this level (kept on the resolution's assessment event)
    "conflict.resolve": ({"conflict_id": f.row_id, "level": f.level}, {"note": f.text}),
    # the learner's own words in one section; seen: the stamps of the versions the device
    # showed (the text and any alternatives), which this put replaces (PROTOCOL.md, "Profile")
    "profile.section.put": (
        {"student_id": f.ref_id, "section": _section, "text": f.text, "seen": f.stamps},
        {"choices": _choices},
    ),
    # a teacher's "I've noticed…" (section: the part it is about; left out: the whole profile)
    "profile.observation.put": (
        {"id": f.row_id, "student_id": f.ref_id, "text": _title_text},
        {"section": _section},
    ),
    # "not for me" (issue 18): the learner declines a suggested activity (declined: false
    # takes it back); one LWW register per (learner, activity), sync/merge/declines.py
    "suggestion.decline": (
        {"student_id": f.ref_id, "activity_id": f.ref_id, "declined": f.boolean},
        {},
    ),
    # the learner's answer to an observation: accepted, or discuss (with a reply)
    "profile.observation.respond": ({"id": f.row_id, "response": _response}, {"reply": f.text}),
}
MUTATION_NAMES = tuple(SPECS)


# the argument names each mutation takes (validate_args's quick check; speed only)
_ALLOWED = {name: frozenset(required) | frozenset(optional)
            for name, (required, optional) in SPECS.items()}


def validate_args(name: str, args: object) -> dict:
    """Check a mutation's arguments and return them normalized; raise InvalidMutation."""
    if name not in SPECS:
        raise UnknownMutation(name)
    if not isinstance(args, dict):
        raise InvalidMutation("mutation.args_not_object", mutation=name)
    required, optional = SPECS[name]
    if not _ALLOWED[name].issuperset(args):
        unknown = sorted(set(args) - set(required) - set(optional))
        raise InvalidMutation("mutation.unknown_args", mutation=name, args=unknown)
    missing = [key for key in required if key not in args]
    if missing:
        raise InvalidMutation("mutation.missing_args", mutation=name, args=missing)
    clean = {key: check(key, args[key]) for key, check in required.items()}
    clean.update({key: check(key, args[key]) for key, check in optional.items() if key in args})
    if name == "profile.section.put" and clean.get("choices"):
        allowed = PROFILE_CHOICES.get(clean["section"])
        if allowed is None:
            raise InvalidMutation("profile.no_choices", section=clean["section"])
        for word in clean["choices"]:
            f.choice("choices", word, allowed)
    if name == "evidence.review" and "level" in clean:
        if clean["decision"] != "approved":
            raise InvalidMutation("mutation.level_needs_approval")
        if "target_id" not in clean:
            raise InvalidMutation("mutation.level_needs_target")
    return clean


def parse_seq(raw: object) -> int:
    """The seq of a raw mutation; a missing or bad seq spoils the whole push."""
    seq = raw.get("seq") if isinstance(raw, dict) else None
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise InvalidMutation("mutation.bad_seq", value=shown(seq))
    return seq


_ENVELOPE = frozenset({"seq", "name", "args", "hlc"})


@dataclass(frozen=True)
class Mutation:
    """One operation a device sends: its seq, name, arguments and HLC stamp (unvalidated args)."""

    seq: int
    name: str
    args: dict
    hlc: str

    @classmethod
    def from_dict(cls, raw: object) -> Mutation:
        """Parse the envelope, rejecting wrong types; the args are checked by validate_args."""
        if not isinstance(raw, dict):
            raise InvalidMutation("mutation.not_object")
        seq = parse_seq(raw)
        if not _ENVELOPE.issuperset(raw):
            raise InvalidMutation("mutation.extra_keys", keys=sorted(set(raw) - _ENVELOPE))
        name, args, hlc = raw.get("name"), raw.get("args"), raw.get("hlc")
        if not isinstance(name, str):
            raise InvalidMutation("mutation.name_not_text", value=shown(name))
        if not isinstance(args, dict):
            raise InvalidMutation("mutation.args_not_object", mutation=name)
        if not isinstance(hlc, str):
            raise InvalidMutation("mutation.hlc_not_text", value=shown(hlc))
        return cls(seq, name, args, hlc)

    def to_dict(self) -> dict:
        """The wire form."""
        return {"seq": self.seq, "name": self.name, "args": self.args, "hlc": self.hlc}
