"""What an import found: problems that refuse it, warnings, and the changes it makes."""

from collections import Counter
from dataclasses import dataclass, field

from backend.errors import AppError

MAX_LISTED = 200  # a report names the first problems and changes; counts cover them all


@dataclass
class Problem:
    """One thing wrong with the input, where a person can find it."""

    file: str
    row: int | None  # the line in the file (header = line 1), or None for the whole file
    problem: str
    field: str | None = None

    def words(self) -> str:
        where = self.file + (f", row {self.row}" if self.row is not None else "")
        where += f", {self.field}" if self.field else ""
        return f"{where}: {self.problem}"

    def as_dict(self) -> dict:
        return {"file": self.file, "row": self.row, "field": self.field, "problem": self.problem}


class Problems:
    """Collects problems while reading; `raise_if_any` refuses the import with all of them."""

    def __init__(self):
        self.items: list[Problem] = []

    def add(self, file: str, row: int | None, problem: str, field: str | None = None) -> None:
        self.items.append(Problem(file, row, problem, field))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self, what: str) -> None:
        if self.items:
            raise ImportRefused(what, self.items)


class ImportRefused(AppError):
    """The input cannot be imported; nothing was written. Rendered as a 422 naming each problem."""

    def __init__(self, what: str, problems: list[Problem]):
        count = len(problems)
        first = problems[0].words()
        more = f" (and {count - 1} more problem{'s' if count > 2 else ''})" if count > 1 else ""
        super().__init__(
            f"The {what} was refused as a whole and nothing was changed: {first}{more}.",
            status=422,
            code="import_refused",
            errors=_by_file(problems),
            problems=[p.as_dict() for p in problems[:MAX_LISTED]],
        )
        self.problems = problems


def _by_file(problems: list[Problem]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in problems[:MAX_LISTED]:
        where = f"row {p.row}" if p.row is not None else "file"
        where += f", {p.field}" if p.field else ""
        out.setdefault(p.file, []).append(f"{where}: {p.problem}")
    return out


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    kind: str
    is_dry_run: bool
    counts: Counter = field(default_factory=Counter)  # ("user", "create") -> n
    changes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def change(self, entity: str, action: str, words: str | None = None) -> None:
        self.counts[(entity, action)] += 1
        if words and len(self.changes) < MAX_LISTED:
            self.changes.append(words)

    def warn(self, words: str) -> None:
        if len(self.warnings) < MAX_LISTED:
            self.warnings.append(words)

    def summary(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for (entity, action), n in sorted(self.counts.items()):
            out.setdefault(entity, {})[action] = n
        return out

    def as_dict(self) -> dict:
        changed = sum(n for (_, action), n in self.counts.items() if action != "unchanged")
        return {
            "kind": self.kind,
            "dry_run": self.is_dry_run,
            "ok": True,
            "changed": changed,
            "summary": self.summary(),
            "changes": self.changes,
            "warnings": self.warnings,
        }

    def words(self) -> str:
        """A few lines for the CLI."""
        verb = "Would change" if self.is_dry_run else "Changed"
        lines = [f"{verb}:" if self.counts else "Nothing to change."]
        for entity, actions in self.summary().items():
            lines.append(f"  {entity}: " + ", ".join(f"{a} {n}" for a, n in actions.items()))
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)
