"""The school's retention setting, and `flask retention-run` deleting only what is past it."""

import hashlib
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from backend.blobstore import LocalFolderStore
from backend.extensions import db
from backend.models import Blob, DeletionReceipt, Evidence, User
from backend.models._base import utcnow

URL = "/api/privacy/retention"


@pytest.fixture
def store(app, tmp_path):
    store = LocalFolderStore(tmp_path / "store")
    app.extensions["waypoint_blobs"] = store
    return store


def test_admin_sets_the_periods_and_bad_values_are_refused_with_nothing_written(
        client, auth, db_counts, assert_error):
    admin = auth.headers("admin")
    assert client.get(URL, headers=admin).get_json() == {"photo_years": None,
                                                         "record_years": None}
    before = db_counts()
    for body in ({"photo_years": 0}, {"photo_years": 51}, {"record_years": "5"},
                 {"photo_years": True}, {"photo_years": 2**63},
                 {"photo_years": 6, "record_years": 5}):
        assert_error(client.put(URL, json=body, headers=admin), 422)
    assert db_counts() == before
    resp = client.put(URL, json={"photo_years": 2, "record_years": 5}, headers=admin)
    assert resp.status_code == 200
    assert client.get(URL, headers=admin).get_json() == {"photo_years": 2, "record_years": 5}
    resp = client.put(URL, json={"photo_years": None, "record_years": 5}, headers=admin)
    assert resp.get_json() == {"photo_years": None, "record_years": 5}
    for role in ("teacher", "guardian", "student"):
        assert_error(client.put(URL, json={"photo_years": 1}, headers=auth.headers(role)), 403)


def _learner(app, username: str, left_years_ago: float | None) -> int:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        user.withdrawn_at = (None if left_years_ago is None
                             else utcnow() - timedelta(days=365.25 * left_years_ago))
        db.session.commit()
        return user.id


def _photo(app, store, learner_id: int) -> str:
    data = uuid.uuid4().bytes * 4
    sha = hashlib.sha256(data).hexdigest()
    store.put(sha, data)
    store.put(sha, data[:8], "thumb")
    with app.app_context():
        db.session.add(Blob(sha256=sha, uploader_id=learner_id, length=len(data),
                            offset=len(data), is_complete=True, content_type="image/jpeg"))
        db.session.add(Evidence(id=str(uuid.uuid4()), student_id=learner_id, kind="photo",
                                caption="a photo", target_ids=[], blob_sha256=sha))
        db.session.commit()
    return sha


def test_the_run_deletes_only_what_is_past_each_period_and_is_idempotent(
        app, client, auth, store, db_counts):
    old = _learner(app, "student3", 6)  # left 6 years ago: whole record goes (5)
    middle = _learner(app, "student4", 3)  # 3 years: photos go (2), record stays
    recent = _learner(app, "student5", 1)  # 1 year: nothing yet
    current = _learner(app, "student6", None)  # still at school
    shas = {who: _photo(app, store, who) for who in (old, middle, recent, current)}
    assert client.put(URL, json={"photo_years": 2, "record_years": 5},
                      headers=auth.headers("admin")).status_code == 200
    runner = app.test_cli_runner()

    before = db_counts()
    dry = runner.invoke(args=["retention-run", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"Would delete the whole record of learner {old} " in dry.output
    assert f"Would delete the evidence photos of learner {middle} " in dry.output
    assert str(recent) not in dry.output and "nothing was deleted" in dry.output
    assert db_counts() == before and store.get(shas[old]) is not None

    run = runner.invoke(args=["retention-run"])
    assert run.exit_code == 0, run.output
    with app.app_context():
        assert db.session.get(User, old) is None
        assert db.session.get(User, middle) is not None
        photos = {ev.student_id: ev.blob_sha256 for ev in db.session.scalars(
            select(Evidence).where(Evidence.caption == "a photo"))}
        assert photos == {middle: None, recent: shas[recent], current: shas[current]}
        receipts = db.session.scalars(select(DeletionReceipt).order_by(
            DeletionReceipt.scope)).all()
        assert [(r.learner_ref, r.scope, r.reason) for r in receipts] == [
            (old, "learner", "retention"), (middle, "photos", "retention")]
        assert receipts[1].counts == {"evidence_photos": 1} and receipts[1].blob_count == 1
    assert store.get(shas[old]) is None and store.get(shas[middle]) is None
    assert store.get(shas[middle], "thumb") is None
    assert store.get(shas[recent]) is not None and store.get(shas[current]) is not None

    again = runner.invoke(args=["retention-run"])
    assert again.exit_code == 0 and "Nothing is past the retention period." in again.output


def test_without_a_setting_nothing_is_deleted(app, store):
    gone_long_ago = _learner(app, "student3", 30)
    result = app.test_cli_runner().invoke(args=["retention-run"])
    assert "Nothing is past the retention period." in result.output
    with app.app_context():
        assert db.session.get(User, gone_long_ago) is not None
