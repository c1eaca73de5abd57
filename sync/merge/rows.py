"""Put and delete of rows devices create (goals, picks, evidence): LWW fields plus tombstones."""

from __future__ import annotations

from sync.errors import InvalidMutation, NotFound
from sync.merge.common import (
    Context,
    Outcome,
    authorize,
    check_role,
    is_tombstoned,
    json_copy,
    lww,
    newer,
    row,
)
from sync.reasons import shown


def owner_of(current: dict | None, args: dict) -> object:
    """The learner a row belongs to: the stored one wins over what the mutation claims."""
    return current["data"]["student_id"] if current else args["student_id"]


def check_immutable(row_type: str, current: dict | None, args: dict, names: tuple) -> None:
    """Refuse a put that tries to change a field fixed at creation."""
    if current is None:
        return
    for name in names:
        stored = current["data"].get(name)
        if name in args and str(args[name]) != str(stored):
            if name == "student_id":
                raise InvalidMutation("row.other_learner", row_type=row_type)
            raise InvalidMutation("row.immutable", row_type=row_type, field=name,
                                  stored=shown(stored), value=shown(args[name]))


def put_fields(
    row_type: str, current: dict | None, args: dict, ctx: Context, defaults: dict, lww_names: tuple
) -> tuple[dict, set, list]:
    """Merge a put into a copy of the row's data: (new data, changed fields, history rows)."""
    data = json_copy(current["data"]) if current else json_copy(defaults)
    data.setdefault("_hlc", {})
    changes = {name: args[name] for name in lww_names if name in args}
    changed, history = lww(row_type, args["id"], data, changes, ctx.hlc)
    data["_put_hlc"] = newer(data.get("_put_hlc"), ctx.hlc)
    data.setdefault("_delete_hlc", None)
    return data, changed, history


def finish_put(row_type: str, current: dict | None, data: dict, history: list, row_id: str):
    """Build the Outcome of a put: rewrite the row only if its data changed."""
    rows = []
    if current is None or data != current["data"]:
        rows.append(row(row_type, row_id, data, deleted=is_tombstoned(data)))
    rows.extend(history)
    if is_tombstoned(data):
        return Outcome(code="row.stays_deleted", params={"row_type": row_type}, rows=rows)
    return Outcome(rows=rows)


def delete_row(row_type: str, name: str, current: dict | None, args: dict, ctx: Context) -> Outcome:
    """Tombstone a row; a delete wins over every put whose stamp is not newer."""
    check_role(ctx.actor, name)
    if current is None:
        raise NotFound(f"not_found.{row_type}", id=args["id"])
    authorize(ctx.actor, name, current["data"]["student_id"])
    data = json_copy(current["data"])
    data["_delete_hlc"] = newer(data.get("_delete_hlc"), ctx.hlc)
    if data == current["data"]:
        return Outcome()
    deleted = is_tombstoned(data)
    rows = [row(row_type, args["id"], data, deleted=deleted)]
    if deleted:
        return Outcome(rows=rows)
    return Outcome(code="row.newer_edit_kept", params={"row_type": row_type}, rows=rows)
