"""Plain words for one audit-log row, from the JSON it stored (QA F16).

The log keeps a small `change` dict per admin write ({"class_id": 7, "class": "Math"},
{"is_active": False}…). An admin reading the log should see "Enrolled Maya R. in Math",
"Deactivated", "Name: New Kid · Role: learner", never field names or Python values like
True/None. Every word is here, in one place, so the translation catalogs can wrap them.
Names of people and classes are looked up by the caller (one query per page) and passed
in as `names`: {("user", id): display name, ("class", id): class name}.
"""

from __future__ import annotations

from typing import Any

# sentences of the common writes, by action
ENROLLED = "Enrolled {learner} in {cls}"
UNENROLLED = "Took {learner} out of {cls}"
LINKED = "Linked {guardian} to {learner}"
UNLINKED = "Unlinked {guardian} from {learner}"
DEACTIVATED = "Deactivated"
ACTIVE = "Can sign in"
PASSWORD_SET = "Set a new password"
LEARNERS = "{count} learners"
ONE_LEARNER = "1 learner"
PAIR = "{label}: {value}"
SOMEONE = "someone no longer on the roster"
A_CLASS = "a class"
YES, NO, NONE = "yes", "no", "none"
SEPARATOR = " · "

# what the row was about, by target type
TARGET_WORDS = {
    "learner": "Learner: {name}",
    "user": "Account: {name}",
    "class": "Class: {name}",
    "school": "The school",
    "learners": "Several learners",
    "import": "An import",
    "deleted_learner": "A deleted learner's record",
    "device": "A shared class device",
}
TARGET_OTHER = "Record {ident}"

FIELD_LABELS = {
    "display_name": "Name", "username": "Username", "role": "Role", "name": "Name",
    "class": "Class", "filename": "File", "status": "Status", "dry_run": "Trial run",
    "code": "Code", "description": "Description", "grade_level": "Grade level",
    "override": "Override", "photo_years": "Keep photos (years)",
    "record_years": "Keep records (years)", "receipt": "Receipt", "teacher_id": "Teacher",
    "student_id": "Learner", "guardian_id": "Guardian", "why": "Why",
    "device": "Device",
}
ROLE_WORDS = {"student": "learner", "teacher": "teacher", "guardian": "guardian",
              "admin": "school admin"}
# ids already said by a name elsewhere in the line, or of no use to a reader
_HIDDEN = {"class_id", "link_id", "id"}
_PEOPLE = {"student_id", "guardian_id", "teacher_id"}
_LIMIT = 240


def value_words(value: Any) -> str:
    """A stored value as a person reads it: yes/no/none, lists joined, never a repr."""
    if isinstance(value, bool):
        return YES if value else NO
    if value is None or value == "":
        return NONE
    if isinstance(value, dict):
        return ", ".join(PAIR.format(label=_label(k), value=value_words(v))
                         for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(value_words(v) for v in value) or NONE
    return str(value)


def _label(key: str) -> str:
    label = FIELD_LABELS.get(key)
    if label:
        return label
    words = key.removesuffix("_id").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _person(names: dict, ident: Any) -> str:
    try:
        return names.get(("user", int(ident)), SOMEONE)
    except (TypeError, ValueError):
        return SOMEONE


def target_words(target_type: str, target_id: str, names: dict,
                 change: dict | None = None) -> str:
    """What the row was about: "Learner: Maya R.", "Class: Math", "The school"."""
    template = TARGET_WORDS.get(target_type)
    if template is None:
        return TARGET_OTHER.format(ident=target_id) if target_id else ""
    if target_type in ("learner", "user"):
        return template.format(name=_person(names, target_id))
    if target_type == "class":
        return template.format(name=_class(names, target_id, change or {}))
    return template


def _class(names: dict, ident: Any, change: dict) -> str:
    try:
        found = names.get(("class", int(ident)))
    except (TypeError, ValueError):
        found = None
    return found or str(change.get("class") or change.get("name") or "").strip() or A_CLASS


def change_words(action: str, target_type: str, target_id: str, change: dict | None,
                 names: dict) -> str:
    """The change in plain words, at most about one line long."""
    change = dict(change or {})
    lead: list[str] = []
    if action in ("enrollment.create", "enrollment.delete"):
        template = ENROLLED if action == "enrollment.create" else UNENROLLED
        lead.append(template.format(learner=_person(names, target_id),
                                    cls=_class(names, change.get("class_id"), change)))
        change = {}
    elif action in ("guardian_link.create", "guardian_link.delete"):
        template = LINKED if action == "guardian_link.create" else UNLINKED
        lead.append(template.format(guardian=_person(names, change.get("guardian_id")),
                                    learner=_person(names, target_id)))
        change = {}
    parts = lead + [_field(key, value, names) for key, value in change.items()
                    if key not in _HIDDEN]
    text = SEPARATOR.join(part for part in parts if part)
    return text if len(text) <= _LIMIT else text[:_LIMIT - 1] + "…"


def _field(key: str, value: Any, names: dict) -> str:
    if key == "is_active":
        return ACTIVE if value else DEACTIVATED
    if "password" in key.lower():
        return PASSWORD_SET
    if key == "learners" and isinstance(value, int):
        return ONE_LEARNER if value == 1 else LEARNERS.format(count=value)
    if key == "role":
        return PAIR.format(label=_label(key), value=ROLE_WORDS.get(value, value_words(value)))
    if key in _PEOPLE:
        return PAIR.format(label=_label(key), value=_person(names, value))
    return PAIR.format(label=_label(key), value=value_words(value))


def ids_to_name(rows) -> tuple[set[int], set[int]]:
    """(user ids, class ids) a page of audit rows mentions, so names load in two queries."""
    users, classes = set(), set()
    for row in rows:
        change = row.change or {}
        if row.target_type in ("learner", "user") and str(row.target_id).isdigit():
            users.add(int(row.target_id))
        if row.target_type == "class" and str(row.target_id).isdigit():
            classes.add(int(row.target_id))
        for key in _PEOPLE:
            if isinstance(change.get(key), int):
                users.add(change[key])
        if isinstance(change.get("class_id"), int):
            classes.add(change["class_id"])
    return users, classes
