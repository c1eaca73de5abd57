"""The mutation envelope and the argument rules of every protocol v1 mutation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from sync import fields as f
from sync.errors import InvalidMutation, UnknownMutation

GOAL_STATUSES = ("active", "done", "dropped")
PICK_STATUSES = ("picked", "in_progress", "done")
EVIDENCE_KINDS = ("photo", "file", "link", "text")
REVIEW_DECISIONS = ("approved", "returned")

Validator = Callable[[str, Any], Any]
_title = partial(f.text, max_len=f.MAX_TITLE, required=True)
_goal_status = partial(f.choice, allowed=GOAL_STATUSES)
_pick_status = partial(f.choice, allowed=PICK_STATUSES)
_kind = partial(f.choice, allowed=EVIDENCE_KINDS)
_decision = partial(f.choice, allowed=REVIEW_DECISIONS)

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
}
MUTATION_NAMES = tuple(SPECS)


def validate_args(name: str, args: object) -> dict:
    """Check a mutation's arguments and return them normalized; raise InvalidMutation."""
    if name not in SPECS:
        raise UnknownMutation(name)
    if not isinstance(args, dict):
        raise InvalidMutation(f"{name} arguments must be an object")
    required, optional = SPECS[name]
    unknown = sorted(set(args) - set(required) - set(optional))
    if unknown:
        raise InvalidMutation(f"{name} does not take {', '.join(map(repr, unknown))}")
    missing = [key for key in required if key not in args]
    if missing:
        raise InvalidMutation(f"{name} needs {', '.join(missing)}")
    clean = {key: check(key, args[key]) for key, check in required.items()}
    clean.update({key: check(key, args[key]) for key, check in optional.items() if key in args})
    if name == "evidence.review" and "level" in clean:
        if clean["decision"] != "approved":
            raise InvalidMutation("only an approval can carry a level")
        if "target_id" not in clean:
            raise InvalidMutation("a level needs the learning target (target_id) it is for")
    return clean


def parse_seq(raw: object) -> int:
    """The seq of a raw mutation; a missing or bad seq spoils the whole push."""
    seq = raw.get("seq") if isinstance(raw, dict) else None
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise InvalidMutation(f"every mutation needs a whole-number seq >= 1 (got {seq!r})")
    return seq


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
            raise InvalidMutation("a mutation must be an object")
        seq = parse_seq(raw)
        extra = sorted(set(raw) - {"seq", "name", "args", "hlc"})
        if extra:
            raise InvalidMutation(f"a mutation has only seq, name, args, hlc (got {extra})")
        name, args, hlc = raw.get("name"), raw.get("args"), raw.get("hlc")
        if not isinstance(name, str):
            raise InvalidMutation(f"mutation name must be text (got {name!r})")
        if not isinstance(args, dict):
            raise InvalidMutation("mutation args must be an object")
        if not isinstance(hlc, str):
            raise InvalidMutation(f"mutation hlc must be a clock stamp string (got {hlc!r})")
        return cls(seq, name, args, hlc)

    def to_dict(self) -> dict:
        """The wire form."""
        return {"seq": self.seq, "name": self.name, "args": self.args, "hlc": self.hlc}
