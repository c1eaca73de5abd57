"""Bad OneRoster input is refused as a whole, naming the file, row and problem."""

import io
import zipfile

import pytest

from tests.backend.interop.conftest import DELTA, DISTRICT, csv_text, upload, zip_folder


def _users_with(old: str, new: str) -> bytes:
    text = csv_text(DISTRICT, "users.csv")
    assert old in text
    return text.replace(old, new, 1).encode()


def _delta_users(old: str, new: str) -> bytes:
    text = csv_text(DELTA, "users.csv")
    assert old in text
    return text.replace(old, new, 1).encode()


def _enrollments_with(extra_line: str) -> bytes:
    return (csv_text(DISTRICT, "enrollments.csv") + extra_line + "\r\n").encode()


LATIN1 = csv_text(DISTRICT, "users.csv").encode("latin-1")  # García, Chloé: not UTF-8
CASES = {
    "not a zip": (b"sourcedId,name\r\n", "district.zip", None, "is not a zip file"),
    "missing manifest": (zip_folder(DISTRICT, {"manifest.csv": None}), "manifest.csv", None,
                         "is missing from the zip"),
    "missing file": (zip_folder(DISTRICT, {"users.csv": None}), "users.csv", None,
                     "is missing from the zip (the manifest says it is bulk)"),
    "broken row": (zip_folder(DISTRICT, {"users.csv": _users_with(
        "u-t.mes-001,,2025", "u-t.mes-001,,extra,2025")}), "users.csv", 3,
        "is broken: it has 19 fields but the header has 18"),
    "empty required field": (zip_folder(DISTRICT, {"users.csv": _users_with(
        "teacher,t.mes001", "teacher,")}), "users.csv", 3, "username is empty"),
    "unknown role": (zip_folder(DISTRICT, {"users.csv": _users_with(
        "teacher,t.mes001", "wizard,t.mes001")}), "users.csv", 3, "role 'wizard' is not one"),
    "unknown sourcedId reference": (zip_folder(DISTRICT, {"enrollments.csv": _enrollments_with(
        "e-ghost,,,class-mes-math,org-maple,u-nobody,student,false,,")}), "enrollments.csv",
        435, "refers to unknown user 'u-nobody'"),
    "unknown class reference": (zip_folder(DISTRICT, {"enrollments.csv": _enrollments_with(
        "e-ghost,,,class-nowhere,org-maple,u-s.mes-001,student,false,,")}), "enrollments.csv",
        435, "refers to unknown class 'class-nowhere'"),
    "wrong encoding": (zip_folder(DISTRICT, {"users.csv": LATIN1}), "users.csv", None,
                       "is not UTF-8 text"),
    "repeated sourcedId": (zip_folder(DISTRICT, {"users.csv": _users_with(
        "u-t.mes-002,", "u-t.mes-001,")}), "users.csv", None, "repeats sourcedId 'u-t.mes-001'"),
    "username of another account": (zip_folder(DISTRICT, {"users.csv": _users_with(
        "teacher,t.mes001", "teacher,teacher2")}), "users.csv", 3,
        "username 'teacher2' already belongs to another Waypoint account"),
    "wrong OneRoster version": (zip_folder(DISTRICT, {"manifest.csv": csv_text(
        DISTRICT, "manifest.csv").replace("oneroster.version,1.1", "oneroster.version,1.2")
        .encode()}), "manifest.csv", None, "Waypoint reads OneRoster 1.1 CSV"),
    "delta row without status": (zip_folder(DELTA, {"users.csv": _delta_users(
        "u-s.mes-071,active,", "u-s.mes-071,,")}), "users.csv", 3,
        "status must be active or tobedeleted"),
    "delta row with a bad date": (zip_folder(DELTA, {"users.csv": _delta_users(
        "u-s.mes-071,active,2025-09-10T12:00:00Z", "u-s.mes-071,active,10/09/2025")}),
        "users.csv", 3, "dateLastModified '10/09/2025' is not an ISO 8601"),
    "tombstone in a bulk file": (zip_folder(DISTRICT, {"users.csv": _users_with(
        "u-t.mes-001,,", "u-t.mes-001,tobedeleted,")}), "users.csv", 3,
        "cannot appear in a bulk file"),
    "class title too long": (zip_folder(DISTRICT, {"classes.csv": csv_text(
        DISTRICT, "classes.csv").replace("Math 05 · Maple Elementary", "M" * 130, 1).encode()}),
        "classes.csv", 2, "title is longer than 120 characters"),
}


@pytest.mark.parametrize("data, file, row, words", CASES.values(), ids=CASES.keys())
def test_bad_input_is_refused_as_a_whole(client, auth, assert_error, db_counts, data, file,
                                         row, words):
    before = db_counts()
    resp = upload(client, "/api/interop/oneroster", data, auth.headers("admin"), wait=1,
                  org="org-maple", filename="district.zip")
    body = assert_error(resp, 422, code="import_refused")
    assert "nothing was changed" in body["message"]
    match = [p for p in body["problems"] if p["file"] == file and words in p["problem"]]
    assert match, body["problems"]
    if row is not None:
        assert match[0]["row"] == row, match
    assert body["job"]["status"] == "failed"
    assert db_counts() == before  # nothing half-imported, not even the job


def test_every_problem_is_listed_not_just_the_first(client, auth, assert_error):
    users = _users_with("teacher,t.mes001", "wizard,t.mes001").decode()
    users = users.replace("student,s.mes001", "student,", 1)
    data = zip_folder(DISTRICT, {"users.csv": users.encode(), "enrollments.csv":
                                 _enrollments_with("e-x,,,class-x,org-maple,u-x,student,,,")})
    resp = upload(client, "/api/interop/oneroster", data, auth.headers("admin"), wait=1,
                  org="org-maple")
    body = assert_error(resp, 422)
    problems = {(p["file"], p["field"]) for p in body["problems"]}
    assert ("users.csv", "role") in problems and ("users.csv", "username") in problems
    assert body["message"].endswith("(and 1 more problem).")
    # references are checked only once every file reads cleanly
    assert set(body["errors"]) == {"users.csv"}


def test_files_inside_a_folder_of_the_zip_are_found(client, auth):
    data = zip_folder(DISTRICT, prefix="export-2025/")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist()[0].startswith("export-2025/")
    resp = upload(client, "/api/interop/oneroster", data, auth.headers("admin"), wait=1,
                  dry_run=1, org="org-maple")
    assert resp.status_code == 200, resp.get_json()


def test_cli_refusal_names_the_problem_and_exits_non_zero(runner, tmp_path, db_counts):
    path = tmp_path / "bad.zip"
    path.write_bytes(zip_folder(DISTRICT, {"users.csv": None}))
    before = db_counts()
    result = runner.invoke(args=["import-oneroster", str(path)])
    assert result.exit_code == 1
    assert "users.csv: is missing from the zip" in result.output
    assert db_counts() == before
