"""QR sign-in cards (issue 15 #7): a card signs a learner in only on a shared class device;
an invalidated card is refused at once (and its learner's sessions end); wrong codes are
throttled; teachers print and retire only their own classes' cards; guardians and learners
cannot; no secret is stored or logged."""

import logging

import pytest
from sqlalchemy import select

from backend.extensions import db
from backend.models import AuditEntry, SchoolClass, SignInCard, User
from backend.services import sign_in_cards as cards

NOT_SHARED = ("This device is not set up for sign-in cards. Ask your teacher to mark it as "
              "a shared class device.")
BAD_CODE = "That code did not work. Check the letters and try again, or ask your teacher."


def _class_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(SchoolClass.id).where(SchoolClass.name == name))


def _issue(app, class_name: str = "Math Studio A", by: str = "teacher") -> dict[str, cards.NewCard]:
    """New cards for a class, made by the service (the PDF holds them; tests need the text)."""
    with app.app_context():
        actor = db.session.scalar(select(User).where(User.username == by))
        cls = db.session.scalar(select(SchoolClass).where(SchoolClass.name == class_name))
        made = cards.issue_cards(actor, cls, cards.learners_of(cls))
        return {c.learner.username: cards.NewCard(None, c.qr, c.code) for c in made}


def _share(client, auth, who: str = "teacher", name: str = "Room 12 iPad 3"):
    """Mark the test client's 'device' as shared (the cookie stays in its jar)."""
    return client.post("/api/devices", json={"name": name}, headers=auth.headers(who))


def test_a_card_signs_in_only_on_a_shared_device(app, auth, assert_error):
    issued = _issue(app)
    eli = issued["student2"]
    plain = app.test_client()
    assert_error(plain.post("/api/auth/card", json={"qr": eli.qr}), 403, NOT_SHARED,
                 "not_shared_device")
    device = app.test_client()
    resp = _share(device, auth)
    assert resp.status_code == 201, resp.get_json()
    assert device.get("/api/devices/this").get_json() == {"shared": True,
                                                         "name": "Room 12 iPad 3"}
    assert plain.get("/api/devices/this").get_json()["shared"] is False
    # the device cookie is httpOnly, and limited to the API
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "Path=/api" in cookie
    resp = device.post("/api/auth/card", json={"qr": eli.qr, "cookies": True})
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["user"]["username"] == "student2"
    # exactly a password sign-in's session: httpOnly token cookies, /me works on them
    set_cookies = " ".join(resp.headers.getlist("Set-Cookie"))
    assert "waypoint_access=" in set_cookies and "waypoint_csrf_access=" in set_cookies
    assert device.get("/api/auth/me").get_json()["username"] == "student2"
    # and the typed code does the same (case, spaces and the dash do not matter)
    typed = device.post("/api/auth/card", json={"code": " " + eli.code.lower()[:4] + " - "
                                                + eli.code[4:]})
    assert typed.status_code == 200 and typed.get_json()["user"]["username"] == "student2"


def test_a_revoked_device_refuses_new_card_sign_ins(app, auth, assert_error):
    issued = _issue(app)
    device = app.test_client()
    device_id = _share(device, auth).get_json()["id"]
    listed = device.get("/api/devices", headers=auth.headers("teacher")).get_json()
    assert [d["id"] for d in listed] == [device_id]
    # another teacher neither sees nor revokes it; the admin sees every device
    assert device.get("/api/devices", headers=auth.headers("teacher2")).get_json() == []
    assert_error(device.delete(f"/api/devices/{device_id}", headers=auth.headers("teacher2")),
                 404)
    assert [d["id"] for d in device.get("/api/devices",
                                        headers=auth.headers("admin")).get_json()] == [device_id]
    assert device.delete(f"/api/devices/{device_id}",
                         headers=auth.headers("teacher")).status_code == 204
    assert_error(device.post("/api/auth/card", json={"qr": issued["student2"].qr}), 403,
                 NOT_SHARED)


def test_an_invalidated_card_is_refused_at_once_and_its_sessions_end(app, auth, assert_error):
    issued = _issue(app)
    device = app.test_client()
    _share(device, auth)
    signed_in = device.post("/api/auth/card", json={"qr": issued["student2"].qr})
    token = signed_in.get_json()["access_token"]
    me = {"Authorization": f"Bearer {token}"}
    assert device.get("/api/auth/me", headers=me).status_code == 200
    eli = _user_id(app, "student2")
    resp = device.delete(f"/api/cards/learners/{eli}", headers=auth.headers("teacher"))
    assert resp.get_json() == {"invalidated": 1}
    assert_error(device.post("/api/auth/card", json={"qr": issued["student2"].qr}), 401,
                 code="bad_card")
    assert_error(device.post("/api/auth/card", json={"code": issued["student2"].code}), 401,
                 BAD_CODE)
    assert_error(device.get("/api/auth/me", headers=me), 401, code="session_ended")
    # Maya's card of the same class still works
    assert device.post("/api/auth/card", json={"qr": issued["student"].qr}).status_code == 200
    # the whole class at once
    math_a = _class_id(app, "Math Studio A")
    resp = device.delete(f"/api/cards/classes/{math_a}", headers=auth.headers("teacher"))
    assert resp.get_json()["invalidated"] == len(issued) - 1
    assert_error(device.post("/api/auth/card", json={"qr": issued["student"].qr}), 401)


def test_printing_again_retires_the_old_cards_and_returns_a_pdf(app, auth, client, assert_error):
    first = _issue(app)
    math_a = _class_id(app, "Math Studio A")
    teacher = auth.headers("teacher")
    # everyone has a card: printing "the missing ones" has nothing to print, and says so
    assert_error(client.post(f"/api/cards/classes/{math_a}/print", headers=teacher), 409,
                 code="all_have_cards")
    resp = client.post(f"/api/cards/classes/{math_a}/print", json={"which": "all"},
                       headers=teacher)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/pdf"
    assert resp.data.startswith(b"%PDF") and resp.headers["Cache-Control"] == "no-store"
    learners = client.get(f"/api/cards/classes/{math_a}",
                          headers=auth.headers("teacher")).get_json()
    assert learners and all(row["has_card"] for row in learners)
    summary = {c["name"]: c for c in client.get("/api/cards/classes",
                                                headers=auth.headers("teacher")).get_json()}
    assert summary["Math Studio A"]["live_cards"] == summary["Math Studio A"]["learners"]
    assert summary["Math Studio B"]["live_cards"] == 0
    device = app.test_client()
    _share(device, auth)
    assert_error(device.post("/api/auth/card", json={"qr": first["student2"].qr}), 401)


def test_by_default_only_learners_without_a_working_card_get_one(app, auth, client):
    first = _issue(app)
    eli = _user_id(app, "student2")
    math_a = _class_id(app, "Math Studio A")
    teacher = auth.headers("teacher")
    assert client.delete(f"/api/cards/learners/{eli}", headers=teacher).status_code == 200
    resp = client.post(f"/api/cards/classes/{math_a}/print", headers=teacher)
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF")
    with app.app_context():
        live = {c.student_id for c in db.session.scalars(select(SignInCard).where(
            SignInCard.invalidated_at.is_(None)))}
    assert eli in live and len(live) == len(first)
    device = app.test_client()
    _share(device, auth)
    # Maya's first card was not voided by printing Eli's new one
    assert device.post("/api/auth/card", json={"qr": first["student"].qr}).status_code == 200
    # one learner's lost card: a new card for them alone
    maya = _user_id(app, "student")
    resp = client.post(f"/api/cards/classes/{math_a}/print", json={"learner_id": maya},
                       headers=teacher)
    assert resp.status_code == 200
    assert device.post("/api/auth/card", json={"qr": first["student"].qr}).status_code == 401
    assert client.post(f"/api/cards/classes/{math_a}/print", json={"which": "some"},
                       headers=teacher).status_code == 422


def test_teachers_reach_only_their_own_classes_and_learners(app, auth, client, assert_error):
    _issue(app)
    math_a = _class_id(app, "Math Studio A")
    other = auth.headers("teacher2")  # teaches Writers' Workshop and Humanities Lab
    assert_error(client.post(f"/api/cards/classes/{math_a}/print", headers=other), 404)
    assert_error(client.get(f"/api/cards/classes/{math_a}", headers=other), 404)
    assert_error(client.delete(f"/api/cards/classes/{math_a}", headers=other), 404)
    eli = _user_id(app, "student2")  # only in Math Studio A
    assert_error(client.delete(f"/api/cards/learners/{eli}", headers=other), 404)
    names = [c["name"] for c in client.get("/api/cards/classes", headers=other).get_json()]
    assert "Math Studio A" not in names
    # the admin reaches every class of the school
    assert client.get(f"/api/cards/classes/{math_a}",
                      headers=auth.headers("admin")).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(SignInCard.invalidated_at).where(
            SignInCard.student_id == eli)) is None  # nothing was retired by the refusals


@pytest.mark.parametrize("who", ["guardian", "student"])
def test_guardians_and_learners_cannot_print_retire_or_share(app, auth, client, who,
                                                              assert_error):
    math_a = _class_id(app, "Math Studio A")
    headers = auth.headers(who)
    assert_error(client.post(f"/api/cards/classes/{math_a}/print", headers=headers), 403)
    assert_error(client.delete(f"/api/cards/classes/{math_a}", headers=headers), 403)
    assert_error(client.delete(f"/api/cards/learners/{_user_id(app, 'student')}",
                               headers=headers), 403)
    assert_error(client.post("/api/devices", json={"name": "Mine"}, headers=headers), 403)
    assert_error(client.get("/api/devices", headers=headers), 403)


def test_wrong_codes_are_throttled_per_device(app, auth, assert_error):
    issued = _issue(app)
    device = app.test_client()
    _share(device, auth)
    statuses = [device.post("/api/auth/card", json={"code": f"AAAA{i:04d}"}).status_code
                for i in range(12)]
    assert statuses == [401] * 9 + [429] * 3
    # the right code waits too: nothing is checked while the device must wait
    body = assert_error(device.post("/api/auth/card", json={"code": issued["student"].code}),
                        429, code="sign_in_throttled")
    assert body["retry_after"] > 0
    # another shared device is not held up
    other = app.test_client()
    _share(other, auth, name="Room 12 iPad 4")
    assert other.post("/api/auth/card", json={"code": issued["student"].code}).status_code == 200


def test_only_learners_sign_in_with_a_card_and_bad_input_is_a_4xx(app, auth, assert_error):
    issued = _issue(app)
    device = app.test_client()
    _share(device, auth)
    with app.app_context():  # a card whose holder is no longer a learner
        maya = db.session.scalar(select(User).where(User.username == "student"))
        maya.role = "teacher"
        db.session.commit()
    assert_error(device.post("/api/auth/card", json={"qr": issued["student"].qr}), 401)
    assert_error(device.post("/api/auth/card", json={"qr": "https://example.com/"}), 401)
    assert_error(device.post("/api/auth/card", json={}), 422)
    assert_error(device.post("/api/auth/card", json={"code": "x" * 41}), 422)
    assert_error(device.post("/api/devices", json={"name": "   "},
                             headers=auth.headers("teacher")), 422)


def test_no_secret_is_stored_or_logged(app, auth, caplog):
    caplog.set_level(logging.DEBUG)
    issued = _issue(app)
    device = app.test_client()
    _share(device, auth)
    device.post("/api/auth/card", json={"qr": issued["student"].qr})
    device.post("/api/auth/card", json={"code": "WRONGONE"})
    with app.app_context():
        rows = db.session.scalars(select(SignInCard)).all()
        audit = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action.like("card.%"))).all()
    secrets_ = [c.qr.split(":", 1)[1] for c in issued.values()] + [
        c.code for c in issued.values()]
    stored = " ".join(f"{r.secret_hash} {r.code_hash}" for r in rows)
    logged = caplog.text + " ".join(str(a.change) for a in audit)
    assert not any(s in stored or s in logged for s in secrets_)
    assert {a.action for a in audit} == {"card.create", "card.sign_in"}


def _user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def test_deleting_a_withdrawn_learner_takes_their_card_with_them(app, auth, client):
    issued = _issue(app)
    eli = _user_id(app, "student2")
    admin = auth.headers("admin")
    assert client.patch(f"/api/privacy/learners/{eli}", json={"is_withdrawn": True},
                        headers=admin).status_code == 200
    resp = client.delete(f"/api/privacy/learners/{eli}", json={"confirm": "student2"},
                         headers=admin)
    assert resp.status_code == 200, resp.get_json()
    with app.app_context():
        assert db.session.scalar(select(SignInCard).where(SignInCard.student_id == eli)) is None
    device = app.test_client()
    _share(device, auth)
    assert device.post("/api/auth/card", json={"qr": issued["student2"].qr}).status_code == 401
