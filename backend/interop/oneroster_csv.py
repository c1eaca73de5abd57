"""Read a OneRoster 1.1 CSV zip into checked rows, naming the file, row and field of each problem.

Only the files Waypoint uses are read (manifest, orgs, academicSessions, courses, classes,
users, enrollments); demographics and gradebook files are ignored. Each file is `bulk` (the
whole truth: records it leaves out are gone) or `delta` (only changes: every row carries
`status` and `dateLastModified`, and `tobedeleted` rows are tombstones), as the manifest says.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

from backend.interop.problems import Problems

MANIFEST = "manifest.csv"
# file -> (columns that must be in the header, fields an active row must fill)
SPEC: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "orgs.csv": (("sourcedId", "status", "dateLastModified", "name", "type", "parentSourcedId"),
                 ("name", "type")),
    "academicSessions.csv": (("sourcedId", "status", "dateLastModified", "title", "type",
                              "startDate", "endDate", "schoolYear"), ("title", "type")),
    "courses.csv": (("sourcedId", "status", "dateLastModified", "schoolYearSourcedId", "title",
                     "orgSourcedId"), ("title", "orgSourcedId")),
    "classes.csv": (("sourcedId", "status", "dateLastModified", "title", "courseSourcedId",
                     "schoolSourcedId", "termSourcedIds"),
                    ("title", "courseSourcedId", "schoolSourcedId", "termSourcedIds")),
    "users.csv": (("sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds",
                   "role", "username", "givenName", "familyName", "agentSourcedIds"),
                  ("enabledUser", "orgSourcedIds", "role", "username", "givenName",
                   "familyName")),
    "enrollments.csv": (("sourcedId", "status", "dateLastModified", "classSourcedId",
                         "schoolSourcedId", "userSourcedId", "role", "primary"),
                        ("classSourcedId", "schoolSourcedId", "userSourcedId", "role")),
}
ENUMS = {
    ("orgs.csv", "type"): ("department", "school", "district", "local", "state", "national"),
    ("academicSessions.csv", "type"): ("gradingPeriod", "semester", "schoolYear", "term"),
    ("users.csv", "role"): ("administrator", "aide", "guardian", "parent", "proctor",
                            "relative", "student", "teacher"),
    ("users.csv", "enabledUser"): ("true", "false"),
    ("enrollments.csv", "role"): ("administrator", "aide", "proctor", "student", "teacher"),
    ("enrollments.csv", "primary"): ("true", "false", ""),
}
MAX_LENGTH = {("classes.csv", "title"): 120, ("orgs.csv", "name"): 200,
              ("users.csv", "username"): 80, ("users.csv", "givenName"): 60,
              ("users.csv", "familyName"): 60}
MODES = ("bulk", "delta", "absent")


@dataclass
class Row:
    """One data row: its line in the file, its values, and whether it is a tombstone."""

    file: str
    line: int
    values: dict[str, str]
    date_last_modified: datetime | None = None

    @property
    def sourced_id(self) -> str:
        return self.values["sourcedId"]

    @property
    def is_tombstone(self) -> bool:
        return self.values.get("status") == "tobedeleted"

    def list(self, name: str) -> list[str]:
        """A comma-separated list field (orgSourcedIds, agentSourcedIds, termSourcedIds)."""
        return [part.strip() for part in self.values.get(name, "").split(",") if part.strip()]


@dataclass
class Package:
    """The checked contents of one zip: per file its mode and its rows."""

    modes: dict[str, str] = field(default_factory=dict)
    rows: dict[str, list[Row]] = field(default_factory=dict)
    source: str = ""

    def active(self, file: str) -> list[Row]:
        return [r for r in self.rows.get(file, []) if not r.is_tombstone]

    def total_rows(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


def _members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Base name -> member name; exports often put the files inside one folder."""
    out: dict[str, str] = {}
    for name in archive.namelist():
        if name.endswith("/") or "__MACOSX" in name:
            continue
        out.setdefault(name.rsplit("/", 1)[-1], name)
    return out


def _decode(data: bytes, file: str, problems: Problems) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        problems.add(file, line, f"is not UTF-8 text (byte 0x{data[err.start]:02x}); "
                     "export the file as UTF-8 and try again")
        return None


def _parse_datetime(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None
    return parsed


def _table(text: str, file: str, problems: Problems) -> tuple[list[str], list[tuple[int, list]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as err:
        problems.add(file, reader.line_num, f"cannot be read as CSV ({err})")
        return [], []
    if not rows:
        problems.add(file, None, "is empty: it needs at least a header row")
        return [], []
    header = [h.strip() for h in rows[0][1]]
    return header, rows[1:]


def read_manifest(text: str, problems: Problems) -> dict[str, str]:
    header, rows = _table(text, MANIFEST, problems)
    if header and header[:2] != ["propertyName", "value"]:
        problems.add(MANIFEST, 1, "the header must be propertyName,value")
        return {}
    props = {row[0].strip(): row[1].strip() for _, row in rows if len(row) >= 2}
    version = props.get("oneroster.version")
    if version != "1.1":
        problems.add(MANIFEST, None, f"says oneroster.version {version!r}; Waypoint reads "
                     "OneRoster 1.1 CSV", "oneroster.version")
    modes = {}
    for file in SPEC:
        mode = props.get(f"file.{file.removesuffix('.csv')}", "absent")
        if mode not in MODES:
            problems.add(MANIFEST, None, f"file.{file.removesuffix('.csv')} must be bulk, "
                         f"delta or absent, not {mode!r}")
            mode = "absent"
        modes[file] = mode
    return modes


def _check_row(file: str, mode: str, line: int, values: dict, problems: Problems,
               seen: dict[str, int]) -> Row | None:
    before = len(problems.items)
    sid = values.get("sourcedId", "")
    if not sid:
        problems.add(file, line, "has no sourcedId", "sourcedId")
    elif sid in seen:
        problems.add(file, line, f"repeats sourcedId {sid!r} (first on row {seen[sid]})",
                     "sourcedId")
    else:
        seen[sid] = line
    status, stamp = values.get("status", ""), values.get("dateLastModified", "")
    when = None
    if mode == "delta" and status not in ("active", "tobedeleted"):
        problems.add(file, line, f"status must be active or tobedeleted in a delta file, not "
                     f"{status!r}", "status")
    elif mode == "bulk" and status not in ("", "active"):
        problems.add(file, line, f"status {status!r} cannot appear in a bulk file (leave the "
                     "record out to delete it)", "status")
    if stamp:
        when = _parse_datetime(stamp)
        if when is None:
            problems.add(file, line, f"dateLastModified {stamp!r} is not an ISO 8601 date and "
                         "time with a time zone (e.g. 2025-08-20T12:00:00Z)", "dateLastModified")
    elif mode == "delta":
        problems.add(file, line, "needs dateLastModified in a delta file", "dateLastModified")
    if status != "tobedeleted":
        for name in SPEC[file][1]:
            if not values.get(name):
                problems.add(file, line, f"{name} is empty", name)
        for (f, name), allowed in ENUMS.items():
            if f == file and values.get(name, "") not in allowed and values.get(name):
                problems.add(file, line, f"{name} {values[name]!r} is not one of "
                             f"{', '.join(a for a in allowed if a)}", name)
        for (f, name), limit in MAX_LENGTH.items():
            if f == file and len(values.get(name, "")) > limit:
                problems.add(file, line, f"{name} is longer than {limit} characters", name)
    if len(problems.items) > before:
        return None
    return Row(file, line, values, when)


def read_file(file: str, text: str, mode: str, problems: Problems, progress=None) -> list[Row]:
    header, rows = _table(text, file, problems)
    if not header:
        return []
    missing = [c for c in SPEC[file][0] if c not in header]
    if missing:
        problems.add(file, 1, f"the header lacks {', '.join(missing)}")
        return []
    out: list[Row] = []
    seen: dict[str, int] = {}
    for n, (line, cells) in enumerate(rows, start=1):
        if progress and n % 500 == 0:
            progress(f"reading {file}", n, len(rows))
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.add(file, line, f"is broken: it has {len(cells)} fields but the header "
                         f"has {len(header)}")
            continue
        values = {h: c.strip() for h, c in zip(header, cells, strict=True)}
        row = _check_row(file, mode, line, values, problems, seen)
        if row is not None:
            out.append(row)
    return out


def read_zip(data: bytes, problems: Problems, source: str = "upload",
             progress=None) -> Package:
    """Every file the manifest names, checked row by row. Problems are collected, not raised."""
    package = Package(source=source)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        problems.add(source, None, "is not a zip file (a OneRoster CSV export is a .zip)")
        return package
    with archive:
        members = _members(archive)
        if MANIFEST not in members:
            problems.add(MANIFEST, None, "is missing from the zip")
            return package
        text = _decode(archive.read(members[MANIFEST]), MANIFEST, problems)
        if text is None:
            return package
        package.modes = read_manifest(text, problems)
        for file, mode in package.modes.items():
            if mode == "absent":
                continue
            if file not in members:
                problems.add(file, None, f"is missing from the zip (the manifest says it is "
                             f"{mode})")
                continue
            if progress:
                progress(f"reading {file}", 0, 0)
            text = _decode(archive.read(members[file]), file, problems)
            if text is not None:
                package.rows[file] = read_file(file, text, mode, problems, progress)
    return package
