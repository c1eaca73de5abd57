"""The cached school year the benchmarks share (`.cache/bench/first-sync-<size>/year.db`),
brought up to today's models before use.

A year takes minutes to seed, so bench/first_sync_bench.py keeps it; later migrations add
tables and columns it lacks. `catch_up` creates the missing tables and adds each missing
column with its default (a NOT NULL column such as `content_areas.audience` gets its
default, "learner", not NULL: an empty audience would hide the whole curriculum)."""

from __future__ import annotations

from sqlalchemy import inspect, text

from backend.extensions import db


def _literal(column) -> str | None:
    """The column's default as SQL, if it has a plain one."""
    if column.server_default is not None and hasattr(column.server_default, "arg"):
        arg = column.server_default.arg
        return arg.text if hasattr(arg, "text") else f"'{arg}'"
    default = column.default
    if default is None or not getattr(default, "is_scalar", False):
        return None
    value = default.arg
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return None


def catch_up(app) -> list[str]:
    """Missing tables created, missing columns added with their defaults; returns what was
    added ("table.column"), so a benchmark can say its copy was older than the code."""
    added = []
    with app.app_context():
        db.create_all()
        found = inspect(db.engine)
        for table in db.metadata.sorted_tables:
            have = {c["name"] for c in found.get_columns(table.name)}
            for column in table.columns:
                if column.name in have:
                    continue
                kind = column.type.compile(dialect=db.engine.dialect)
                default = _literal(column)
                clause = f" DEFAULT {default}" if default is not None else ""
                if not column.nullable and default is not None:
                    clause += " NOT NULL"
                db.session.execute(text(
                    f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}{clause}'))
                if column.name == "version":  # a sync version: low, so every full pull has it
                    db.session.execute(text(f"UPDATE {table.name} SET version = 1"))
                added.append(f"{table.name}.{column.name}")
        db.session.commit()
        db.session.remove()
    return added
