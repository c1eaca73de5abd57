"""CASE 1.1 import: three documents with rubrics, identifiers kept, newer versions in place."""

import pytest
from sqlalchemy import select

from backend.extensions import db
from backend.models import ContentArea, LearningTarget, MeasurementTopic
from tests.backend.interop.conftest import CASE, as_bytes, case_package, upload

PACKAGES = ("math", "ela", "skills")


def _curriculum(app) -> dict:
    """Imported areas → topics → targets (code, scale, rubric scores), by CASE identifier."""
    with app.app_context():
        out = {}
        for area in db.session.scalars(select(ContentArea).where(
                ContentArea.case_identifier.is_not(None))):
            out[area.name] = {"id": area.id, "is_academic": area.is_academic,
                              "identifier": area.case_identifier, "topics": {
                topic.name: {"id": topic.id, "level": topic.level, "targets": [
                    (t.code, t.scale_level, [d.score for d in t.rubric], t.id)
                    for t in topic.targets]}
                for topic in area.topics}}
        db.session.remove()
    return out


def _import_all(runner):
    return runner.invoke(args=["import-case", *(str(CASE / f"{n}.json") for n in PACKAGES),
                               "--school", "Riverbend Community School"])


def test_three_documents_with_rubrics(app, runner, db_counts):
    before = db_counts()
    result = _import_all(runner)
    assert result.exit_code == 0, result.output
    tree = _curriculum(app)
    assert set(tree) == {"Mathematics", "Writing", "Lifelong Learning Skills"}
    assert tree["Lifelong Learning Skills"]["is_academic"] is False
    assert tree["Mathematics"]["is_academic"] and tree["Writing"]["is_academic"]
    fractions = tree["Mathematics"]["topics"]["Number and Operations: Fractions"]
    assert fractions["level"] == 5
    assert [(c, s) for c, s, _, _ in fractions["targets"]] == [
        ("M.NF.1", 2.0), ("M.NF.2", 3.0), ("M.NF.3", 3.0), ("M.NF.4", 4.0)]
    assert fractions["targets"][1][2] == [0, 1, 2, 3, 4]  # rubric → descriptors
    geometry = tree["Mathematics"]["topics"]["Geometry and Measurement"]
    assert geometry["targets"][2][1] == 3.0  # no scaleLevel: the default
    argument = tree["Writing"]["topics"]["Text Types and Purposes: Argument"]
    # elements of a standard follow it in the same topic
    assert [c for c, *_ in argument["targets"]] == ["ELA.W.A.1", "ELA.W.A.1.a", "ELA.W.A.1.b",
                                                     "ELA.W.A.2"]
    counts = db_counts()
    assert counts["learning_targets"] - before["learning_targets"] == 17
    assert counts["rubric_descriptors"] - before["rubric_descriptors"] == 25
    math = case_package("math")
    assert tree["Mathematics"]["identifier"] == math["CFItems"][0]["identifier"]

    again = _import_all(runner)  # idempotent
    assert again.exit_code == 0 and "create" not in again.output, again.output
    assert db_counts() == counts


def test_a_newer_version_updates_in_place(app, runner, tmp_path):
    assert _import_all(runner).exit_code == 0
    before = _curriculum(app)["Mathematics"]["topics"]
    math = case_package("math")
    math["CFDocument"]["lastChangeDateTime"] = "2026-01-05T00:00:00+00:00"
    items = {i["humanCodingScheme"]: i for i in math["CFItems"]}
    items["M.NF.3"]["fullStatement"] = "Multiply a fraction by a whole number or a fraction"
    items["M.NF.3"]["extensions"] = {"scaleLevel": 4.0}
    dropped = items["M.G.3"]["identifier"]
    math["CFItems"] = [i for i in math["CFItems"] if i["identifier"] != dropped]
    math["CFAssociations"] = [a for a in math["CFAssociations"]
                              if dropped not in (a["originNodeURI"]["identifier"],
                                                 a["destinationNodeURI"]["identifier"])]
    crit = math["CFRubrics"][0]["CFRubricCriteria"][0]
    crit["CFRubricCriterionLevels"][4]["description"] = "Invents a new fraction puzzle."
    path = tmp_path / "math-v2.json"
    path.write_bytes(as_bytes(math))
    result = runner.invoke(args=["import-case", str(path)])
    assert result.exit_code == 0, result.output
    assert "retire 1" in result.output and "update" in result.output
    after = _curriculum(app)["Mathematics"]["topics"]
    old_ids = {c: i for c, _, _, i in before["Number and Operations: Fractions"]["targets"]}
    new = {c: (s, i) for c, s, _, i in after["Number and Operations: Fractions"]["targets"]}
    assert new["M.NF.3"] == (4.0, old_ids["M.NF.3"])  # same row, new scale level
    assert [c for c, *_ in after["Geometry and Measurement"]["targets"]] == ["M.G.1", "M.G.2"]
    with app.app_context():
        retired = db.session.scalar(select(LearningTarget).where(
            LearningTarget.case_identifier == dropped))
        assert retired.deleted_at is not None  # soft-deleted: evidence and events kept
        nf2 = db.session.scalar(select(LearningTarget).where(LearningTarget.code == "M.NF.2"))
        assert nf2.rubric[4].text == "Invents a new fraction puzzle."
        db.session.remove()

    old = case_package("math")  # the first version again: older, refused
    path.write_bytes(as_bytes(old))
    result = runner.invoke(args=["import-case", str(path)])
    assert result.exit_code == 1 and "is older than the one already imported" in result.output


def test_an_array_of_packages_over_the_api(app, client, auth):
    packages = [case_package(n) for n in PACKAGES]
    resp = upload(client, "/api/interop/case", as_bytes(packages), auth.headers("admin"),
                  wait=1, filename="all.json")
    assert resp.status_code == 200, resp.get_json()
    summary = resp.get_json()["report"]["summary"]
    assert summary["learning targets"] == {"create": 17}
    assert summary["measurement topics"] == {"create": 6}


def test_case_dry_run_writes_nothing(client, auth, db_counts):
    before = db_counts()
    resp = upload(client, "/api/interop/case", (CASE / "ela.json").read_bytes(),
                  auth.headers("admin"), wait=1, dry_run=1)
    assert resp.status_code == 200
    assert resp.get_json()["report"]["summary"]["content areas"] == {"create": 1}
    counts = db_counts()
    assert counts.pop("interop_jobs") == before.pop("interop_jobs") + 1
    assert counts == before


def _cycle(pkg):
    items = {i["humanCodingScheme"]: i["identifier"] for i in pkg["CFItems"]}
    for assoc in pkg["CFAssociations"]:
        if assoc["originNodeURI"]["identifier"] == items["M.NF"]:
            assoc["destinationNodeURI"]["identifier"] = items["M.NF.1"]
    for assoc in pkg["CFAssociations"]:
        if assoc["originNodeURI"]["identifier"] == items["M.NF.1"]:
            assoc["destinationNodeURI"]["identifier"] = items["M.NF"]
    return pkg


def _set(code, key, value):
    def change(pkg):
        next(i for i in pkg["CFItems"] if i["humanCodingScheme"] == code)[key] = value
        return pkg
    return change


def _orphan(pkg):
    pkg["CFAssociations"] = pkg["CFAssociations"][:-3] + pkg["CFAssociations"][-2:]
    return pkg


def _unknown_parent(pkg):
    pkg["CFAssociations"][1]["destinationNodeURI"]["identifier"] = "no-such-item"
    return pkg


def _rubric_score(pkg):
    pkg["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"][4]["score"] = 5
    return pkg


def _rubric_on_topic(pkg):
    topic = next(i for i in pkg["CFItems"] if i["humanCodingScheme"] == "M.NF")
    pkg["CFRubrics"][0]["CFRubricCriteria"][0]["CFItemURI"]["identifier"] = topic["identifier"]
    return pkg


def _no_document(pkg):
    del pkg["CFDocument"]
    return pkg


BAD = {
    "cycle": (_cycle, "isChildOf associations form a cycle"),
    "unknown item type": (_set("M.NF.2", "CFItemType", "Grade Level"),
                          "has CFItemType 'Grade Level', which Waypoint cannot map"),
    "item with no place": (_orphan, "has no isChildOf association"),
    "unknown parent": (_unknown_parent, "isChildOf points to unknown item 'no-such-item'"),
    "topic outside an area": (_set("MATH", "CFItemType", "Cluster"),
                              "measurement topic"),
    "bad scale level": (_set("M.NF.2", "extensions", {"scaleLevel": 2.5}),
                        "scaleLevel must be 2.0, 3.0 or 4.0"),
    "rubric score out of range": (_rubric_score, "score must be a whole number from 0 to 4"),
    "rubric on a topic": (_rubric_on_topic, "which is not a learning target of this package"),
    "no document": (_no_document, "needs a CFDocument"),
}


@pytest.mark.parametrize("change, words", BAD.values(), ids=BAD.keys())
def test_bad_packages_are_refused_as_a_whole(client, auth, assert_error, db_counts, change,
                                             words):
    before = db_counts()
    packages = [case_package("ela"), change(case_package("math"))]  # ela alone is fine
    resp = upload(client, "/api/interop/case", as_bytes(packages), auth.headers("admin"),
                  wait=1, filename="district.json")
    body = assert_error(resp, 422, code="import_refused")
    assert any(words in p["problem"] for p in body["problems"]), body["problems"]
    assert all(p["file"] == "district.json [package 2]" for p in body["problems"])
    assert db_counts() == before  # nothing written, not even the job


@pytest.mark.parametrize("data, words", [
    (b'{"CFDocument": ', "is not valid JSON"),
    ((CASE / "math.json").read_text(encoding="utf-8").encode("utf-16"), "is not UTF-8 text"),
    (b"[1, 2]", "must be a CFPackage object or an array of them"),
], ids=["broken JSON", "wrong encoding", "not packages"])
def test_unreadable_files_are_refused(client, auth, assert_error, data, words):
    resp = upload(client, "/api/interop/case", data, auth.headers("admin"), wait=1,
                  filename="math.json")
    body = assert_error(resp, 422)
    assert body["problems"][0]["file"] == "math.json" and words in body["problems"][0]["problem"]


def test_an_identifier_cannot_change_kind(runner, client, auth, assert_error, db_counts):
    assert _import_all(runner).exit_code == 0
    math = case_package("math")
    target_id = next(i["identifier"] for i in math["CFItems"] if i["humanCodingScheme"] ==
                     "M.NF.4")
    other = {"CFDocument": {"identifier": "doc-other", "title": "Other"}, "CFItems": [
        {"identifier": "area-other", "CFItemType": "Domain", "fullStatement": "Other"},
        {"identifier": target_id, "CFItemType": "Cluster", "fullStatement": "Now a topic"}],
        "CFAssociations": [
            {"associationType": "isChildOf", "originNodeURI": {"identifier": "area-other"},
             "destinationNodeURI": {"identifier": "doc-other"}},
            {"associationType": "isChildOf", "originNodeURI": {"identifier": target_id},
             "destinationNodeURI": {"identifier": "area-other"}}]}
    before = db_counts()
    resp = upload(client, "/api/interop/case", as_bytes(other), auth.headers("admin"), wait=1)
    body = assert_error(resp, 422)
    assert any("was imported as a learning target and is now a measurement topic"
               in p["problem"] for p in body["problems"]), body["problems"]
    assert db_counts() == before  # nothing written, not even the job


def test_topics_keep_their_place_when_moved_between_areas(app, runner, tmp_path):
    assert _import_all(runner).exit_code == 0
    with app.app_context():
        topic = db.session.scalar(select(MeasurementTopic).where(
            MeasurementTopic.name == "Perseverance"))
        assert topic.content_area.name == "Lifelong Learning Skills"
        db.session.remove()


@pytest.mark.parametrize("role", ["teacher", "student", "guardian"])
def test_only_admins_import_curriculum(client, auth, assert_error, role):
    resp = upload(client, "/api/interop/case", (CASE / "ela.json").read_bytes(),
                  auth.headers(role), wait=1)
    assert_error(resp, 403)
