"""The sync issue's Done-when, through HTTP only: offline devices, a rating conflict, a photo.

A learner's tablet and Chromebook (its clock a day fast) and two teachers' laptops pull,
go offline and queue changes in their outboxes with their own HLC clocks, then push in an
arbitrary order. Both teachers rated the same target from a stale base, so a conflict
shows in both teachers' inboxes (with names); one resolves it and the resolved level is
shown. The tablet's photo is uploaded in three interrupted pieces (HEAD finds the offset)
and cited by evidence.put before it finished; a teacher approves it with a level, which
appends an assessment event. Every device then pulls to the same state.
"""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from backend.sync_server import push as sync_push
from sync import HLC, Clock, project_rows, shown_rating
from sync.merge.project import ROW_TYPES
from tests.backend.sync.world import PULL, World, standard_world

NOW = 1_700_000_600_000
DAY = 86_400_000
GOAL = "0190a0a1-0000-7000-8000-0000000000a1"
PICK_TABLET = "0190b0b1-0000-7000-8000-0000000000b1"
PICK_CHROMEBOOK = "0190b0b1-0000-7000-8000-0000000000b2"
PHOTO = "0190e0e1-0000-7000-8000-0000000000e1"
OCTETS = "application/offset+octet-stream"


class Device:
    """One browser profile: its outbox, HLC clock, seq counter, pull cursor and replica."""

    def __init__(self, world: World, http, user: str, client_id: str, node: str, skew_ms: int,
                 now: int = NOW):
        self.world, self.http, self.user, self.client_id = world, http, user, client_id
        self.clock = Clock(node, lambda: now + skew_ms)
        self.seq, self.outbox, self.answers, self.sent = 0, [], {}, {}
        self.cursor, self.replica = None, {}

    def do(self, name: str, args: dict) -> int:
        """Queue a change offline; returns its seq."""
        self.seq += 1
        self.outbox.append({"seq": self.seq, "name": name, "args": args,
                            "hlc": str(self.clock.send())})
        self.sent[self.seq] = self.outbox[-1]
        return self.seq

    def stamp(self, seq: int) -> HLC:
        """The stamp the server used for one of this device's changes (clamped or not)."""
        return HLC.parse(self.answers[seq].get("hlc") or self.sent[seq]["hlc"])

    def push(self) -> list[dict]:
        resp = self.world.push(self.http, self.user, self.client_id, self.outbox)
        assert resp.status_code == 200, resp.get_json()
        body = resp.get_json()
        assert body["last_seq"] == self.seq
        for result in body["results"]:
            self.answers[result["seq"]] = result
        self.outbox = []
        return body["results"]

    def pull(self) -> None:
        while True:
            query = {"limit": 5, **({"cursor": self.cursor} if self.cursor else {})}
            headers = {**self.world.headers(self.user), "X-Client-Id": self.client_id}
            resp = self.http.get(PULL, query_string=query, headers=headers)
            assert resp.status_code == 200, resp.get_json()
            page = resp.get_json()
            for row in page["changes"]:
                self.replica[(row["type"], row["id"])] = row
            if page["last_seq"] is not None:
                self.clock.receive(page["server_hlc"])
            self.cursor = page["cursor"]
            if not page["has_more"]:
                return

    def rows(self) -> list[dict]:
        return [r for r in self.replica.values() if r["type"] in ROW_TYPES]

    def view(self) -> dict:
        return project_rows(self.world.symbolic_rows(self.rows()))

    def shown(self, student: str, target: str) -> dict | None:
        pair = (self.world.users[student], self.world.targets[target])
        rows = [r for r in self.rows() if r["type"] in ("rating", "conflict")
                and (r["data"]["student_id"], r["data"]["target_id"]) == pair]
        return shown_rating([r for r in rows if r["type"] == "rating"],
                            [r for r in rows if r["type"] == "conflict"])


def _photo(color: tuple[int, int, int] = (200, 90, 40)) -> bytes:
    image = Image.new("RGB", (800, 600), color)
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def _upload_piece(http, headers, sha: str, data: bytes, end: int) -> int:
    """Resume an interrupted upload: ask where the server is, send up to `end`."""
    head = http.head(f"/api/blobs/{sha}", headers=headers)
    if head.status_code == 404:
        offset, extra = 0, {"Upload-Length": str(len(data))}
    else:
        assert head.status_code == 204, head.status_code
        offset, extra = int(head.headers["Upload-Offset"]), {}
    resp = http.patch(f"/api/blobs/{sha}", data=data[offset:end], headers={
        **headers, **extra, "Content-Type": OCTETS, "Upload-Offset": str(offset)})
    assert resp.status_code == 204, resp.get_json()
    return int(resp.headers["Upload-Offset"])


def _conflicts(http, world: World, teacher: str, status: str = "open") -> list[dict]:
    """The teacher's conflict rows of `status` as their device pulls them (the Conflicts
    screen and its badge read nothing else), with `names` of the school's staff."""
    rows = world.pull_all(http, teacher)
    names = {r["id"]: r["data"]["display_name"] for r in rows if r["type"] == "staff"}
    return [{**r, "names": names} for r in rows
            if r["type"] == "conflict" and r["data"]["status"] == status]


ORDERS = {
    "learner-first": ["tablet", "chromebook", "t1", "t2"],
    "teachers-first": ["t2", "t1", "chromebook", "tablet"],
    "mixed": ["chromebook", "t1", "tablet", "t2"],
}


@pytest.mark.parametrize("order", ORDERS.values(), ids=ORDERS.keys())
def test_offline_devices_converge_through_http(make_app, monkeypatch, order):
    monkeypatch.setattr(sync_push, "now_ms", lambda: NOW)
    # the server clock is process-wide: start it afresh so earlier tests' stamps don't leak in
    monkeypatch.setattr(sync_push, "_server_clock", Clock("server", lambda: NOW))
    app = make_app(seeded=False)
    world = World.build(app, standard_world())
    run_scenario(world, app.test_client(), order)


def _ours(row_id: str, tag: str) -> str:
    """The scenario's ids, made its own when a server keeps several runs (not the default)."""
    if tag == "0190c11e":
        return row_id
    return row_id[:-8] + hashlib.sha1(f"{tag}:{row_id}".encode()).hexdigest()[:8]


def run_scenario(world: World, http, order: list[str], now: int = NOW,
                 tag: str = "0190c11e", photo: bytes | None = None) -> None:
    """The scenario against any server: `http` has the Flask test client's methods (the
    scale tests pass an adapter over real HTTP); `now` is the server's time; `photo` must
    be new to the server's blob store."""
    goal_id, pick_tablet, pick_chromebook, photo_id = (
        _ours(i, tag) for i in (GOAL, PICK_TABLET, PICK_CHROMEBOOK, PHOTO))
    devices = {
        "tablet": Device(world, http, "s1", f"s1-tablet-{tag}", "tab", -60_000, now),
        "chromebook": Device(world, http, "s1", f"s1-chromebook-{tag}", "cb", DAY, now),
        "t1": Device(world, http, "t1", f"t1-laptop-{tag}", "t1p", -5_000, now),
        "t2": Device(world, http, "t2", f"t2-laptop-{tag}", "t2p", -3_000, now),
    }
    tablet, chromebook, t1, t2 = devices.values()
    s1_headers = world.headers("s1")

    # online: the tablet starts a goal; every device pulls it before going offline
    tablet.do("goal.put", {"id": goal_id, "student_id": "s1", "title": "Ratios"})
    assert tablet.push() == [{"seq": 1, "status": "applied"}]
    for device in devices.values():
        device.pull()
    base = max((r["version"] for r in t1.rows() if r["type"] == "rating"), default=0)

    # offline: the tablet takes a photo and starts uploading it; the connection drops
    photo = photo or _photo()
    sha = hashlib.sha256(photo).hexdigest()
    assert http.head(f"/api/blobs/{sha}", headers=s1_headers).status_code == 404
    assert _upload_piece(http, s1_headers, sha, photo, len(photo) // 3) == len(photo) // 3
    tablet.do("goal.put", {"id": goal_id, "student_id": "s1", "title": "Ratios and rates"})
    tablet.do("pick.put", {"id": pick_tablet, "student_id": "s1", "activity_id": "a1",
                           "status": "in_progress"})
    tablet.do("self_assessment.put", {"student_id": "s1", "target_id": "lt1", "level": 2.5})
    tablet.do("evidence.put", {"id": photo_id, "student_id": "s1", "kind": "photo",
                               "blob_sha256": sha, "caption": "My ratio table",
                               "target_ids": ["lt1"], "submitted": True})
    chromebook.do("goal.put", {"id": goal_id, "student_id": "s1", "title": "Ratios",
                               "reflection": "I can explain unit rates"})
    chromebook.do("pick.put", {"id": pick_chromebook, "student_id": "s1",
                               "activity_id": "a1", "status": "picked"})
    t1.do("rating.put", {"student_id": "s1", "target_id": "lt1", "level": 3.0,
                         "base_version": base})
    t2.do("rating.put", {"student_id": "s1", "target_id": "lt1", "level": 2.5,
                         "base_version": base})

    # back online, in an arbitrary order
    for name in order:
        results = devices[name].push()
        assert all(r["status"] in ("applied", "conflict") for r in results), (name, results)
    assert all(r.get("clamped") for r in chromebook.answers.values())  # a day fast
    statuses = sorted(teacher.answers[1]["status"] for teacher in (t1, t2))
    assert statuses == ["applied", "conflict"]

    # the photo finishes uploading after the evidence that cites it
    second = _upload_piece(http, s1_headers, sha, photo, 2 * len(photo) // 3)
    assert second == 2 * len(photo) // 3
    assert _upload_piece(http, s1_headers, sha, photo, len(photo)) == len(photo)
    assert http.head(f"/api/blobs/{sha}", headers=s1_headers).status_code == 200

    # both teachers see the conflict, with names
    opener = t1 if t1.answers[1]["status"] == "conflict" else t2
    conflict_id = opener.answers[1]["conflict_id"]
    for teacher in ("t1", "t2"):
        (conflict,) = _conflicts(http, world, teacher)
        assert conflict["id"] == conflict_id
        assert conflict["data"]["student_id"] == world.users["s1"]
        assert conflict["data"]["target_id"] == world.targets["lt1"]
        names = conflict["names"]
        assert sorted((names[int(m["teacher_id"])], m["level"])
                      for m in conflict["data"]["members"]) == [
            (world.names["t1"], 3.0), (world.names["t2"], 2.5)]
    other = "t2" if opener is t1 else "t1"
    assert world.names[other] in opener.answers[1]["reason"]

    # t1 resolves it (after pulling); it leaves both inboxes and its level is shown
    t1.pull()
    assert t1.shown("s1", "lt1")["open_conflict_id"] == conflict_id
    t1.do("conflict.resolve", {"conflict_id": conflict_id, "level": 3.0,
                                "note": "Both proofs hold"})
    assert t1.push()[0]["status"] == "applied"
    for teacher in ("t1", "t2"):
        assert _conflicts(http, world, teacher) == []
        (done,) = _conflicts(http, world, teacher, "resolved")
        assert done["data"]["resolved_by"] == world.users["t1"]
        assert done["data"]["resolved_level"] == 3.0
        why = [r for r in world.pull_all(http, teacher) if r["type"] == "event"
               and r["data"]["conflict_id"] == conflict_id
               and r["data"]["origin"] == "conflict.resolve"]
        assert [r["data"]["note"] for r in why] == ["Both proofs hold"]

    # t2 pulls the photo evidence, sees the image, and approves it with a level
    t2.pull()
    evidence = t2.replica[("evidence", photo_id)]
    assert evidence["data"]["blob_sha256"] == sha and evidence["data"]["submitted"] is True
    assert http.get(f"/api/blobs/{sha}", headers=world.headers("t2")).status_code == 200
    t2.do("evidence.review", {"evidence_id": photo_id, "decision": "approved", "level": 3.5,
                              "target_id": "lt1", "comment": "Clear table"})
    assert t2.push()[0]["status"] == "applied"

    # every device pulls to the same state
    for device in devices.values():
        device.pull()
    views = [device.view() for device in devices.values()]
    assert all(view == views[0] for view in views[1:])
    view = views[0]
    for device in devices.values():
        shown = device.shown("s1", "lt1")
        assert shown["level"] == 3.0 and shown["source"] == "resolution"
        assert shown["resolved_conflict_id"] == conflict_id and shown["open_conflict_id"] is None
    assert view["shown"] == [{"student_id": "s1", "target_id": "lt1", "level": 3.0,
                              "source": "resolution", "teacher_id": "t1",
                              "resolved_conflict_id": conflict_id, "open_conflict_id": None}]
    (review_event,) = [e for e in view["events"] if e["origin"] == "evidence.review"]
    assert review_event | {"id": None, "hlc": None} == {
        "deleted": False, "student_id": "s1", "target_id": "lt1", "level": 3.5,
        "source": "teacher", "author_id": "t2", "origin": "evidence.review", "note": "Clear table",
        "evidence_id": photo_id, "conflict_id": None, "id": None, "hlc": None}
    (evidence,) = view["evidence"]
    assert (evidence["reviewed"]["decision"], evidence["reviewed"]["teacher_id"]) == (
        "approved", "t2")
    # the two devices' titles: the later stamp (the Chromebook's is clamped to server time)
    # wins, the other is kept in history; the reflection merges in per field
    titles = sorted([(tablet.stamp(2), "Ratios and rates"), (chromebook.stamp(1), "Ratios")])
    (goal,) = view["goals"]
    assert (goal["title"], goal["reflection"]) == (titles[1][1], "I can explain unit rates")
    # history also keeps the first title, which the tablet's edit replaced
    assert sorted((h["field"], h["value"]) for h in view["history"]) == sorted(
        [("title", "Ratios"), ("title", titles[0][1])])
    assert {p["id"] for p in view["picks"]} == {pick_tablet, pick_chromebook}
    assert [s["level"] for s in view["self_assessments"]] == [2.5]
    assert sorted((r["teacher_id"], r["level"]) for r in view["ratings"]) == [
        ("t1", 3.0), ("t2", 2.5)]
