"""GET /api/sync/pull: paging, who sees what, bad cursors, and no row skipped under writers."""

from __future__ import annotations

import threading

import pytest

from backend.extensions import db
from backend.models import User
from sync.merge.project import ROW_TYPES
from tests.backend.sync.world import PULL, World, standard_world

GOAL = "0190a0a1-0000-7000-8000-0000000000{:02d}"
PICK = "0190b0b1-0000-7000-8000-0000000000{:02d}"
EVIDENCE = "0190e0e1-0000-7000-8000-0000000000{:02d}"
NOW = 1_700_000_000_000


def _stamp(ms: int, node: str) -> str:
    return f"{NOW + ms:013d}-0000-{node}"


def _learner_batch(student: str, offset: int) -> list:
    """Goals, a pick, evidence and a self-assessment of one learner."""
    node = f"d{student}"
    return [
        {"seq": 1, "name": "goal.put", "hlc": _stamp(1, node),
         "args": {"id": GOAL.format(offset), "student_id": student, "title": "Ratios"}},
        {"seq": 2, "name": "goal.put", "hlc": _stamp(2, node),
         "args": {"id": GOAL.format(offset + 1), "student_id": student, "title": "Fractions",
                  "target_ids": ["lt1"]}},
        {"seq": 3, "name": "pick.put", "hlc": _stamp(3, node),
         "args": {"id": PICK.format(offset), "student_id": student, "activity_id": "a1",
                  "status": "picked"}},
        {"seq": 4, "name": "evidence.put", "hlc": _stamp(4, node),
         "args": {"id": EVIDENCE.format(offset), "student_id": student, "kind": "text",
                  "text": "My work", "caption": "first try", "target_ids": ["lt1"]}},
        {"seq": 5, "name": "self_assessment.put", "hlc": _stamp(5, node),
         "args": {"student_id": student, "target_id": "lt1", "level": 2.5}},
        {"seq": 6, "name": "goal.put", "hlc": _stamp(6, node),  # loses to seq 1: history
         "args": {"id": GOAL.format(offset), "student_id": student, "title": "Older title"}},
    ]


@pytest.fixture
def school(make_app):
    """The standard world with records for s1 and s2, ratings from t1 and t2 (a conflict)."""
    app = make_app(seeded=False)
    world = World.build(app, standard_world())
    http = app.test_client()
    for student, offset, client in (("s1", 10, "pull-s1-tablet"), ("s2", 20, "pull-s2-tablet")):
        batch = _learner_batch(student, offset)
        batch[-1]["hlc"] = _stamp(0, f"d{student}")
        resp = world.push(http, student, client, batch)
        assert resp.status_code == 200, resp.get_json()
    ratings = [
        ("t1", "pull-t1-laptop", [("s1", "lt1", 3.0), ("s2", "lt1", 2.0), ("s1", "lt2", 3.5)]),
        ("t2", "pull-t2-laptop", [("s1", "lt1", 2.5)]),
    ]
    for teacher, client, rated in ratings:
        batch = [{"seq": i, "name": "rating.put", "hlc": _stamp(100 + i, teacher),
                  "args": {"student_id": s, "target_id": t, "level": lv, "base_version": 0}}
                 for i, (s, t, lv) in enumerate(rated, 1)]
        resp = world.push(http, teacher, client, batch)
        assert resp.status_code == 200, resp.get_json()
    statuses = [r["status"] for r in resp.get_json()["results"]]
    assert statuses == ["conflict"]
    return world, http


def _pages(http, world: World, user: str, limit: int) -> list[dict]:
    pages, cursor = [], None
    while True:
        query = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        resp = http.get(PULL, query_string=query, headers=world.headers(user))
        assert resp.status_code == 200, resp.get_json()
        pages.append(resp.get_json())
        cursor = pages[-1]["cursor"]
        if not pages[-1]["has_more"]:
            return pages
        assert len(pages) < 500, "pull never finished"


def _cursor_value(cursor: str) -> int:
    assert cursor.startswith("v1.")
    return int(cursor[3:])


def _sync_rows(rows):
    return [r for r in rows if r["type"] in ROW_TYPES]


def test_small_pages_give_the_rows_of_one_big_page_in_version_order(school):
    world, http = school
    (big,) = _pages(http, world, "a1", 1000)
    rows = big["changes"]
    assert len(_sync_rows(rows)) > 20
    versions = [r["version"] for r in rows]
    assert versions == sorted(versions) and len(set(versions)) == len(versions)
    for limit in (1, 2, 3, 7, len(rows) - 1, len(rows), len(rows) + 1):
        pages = _pages(http, world, "a1", limit)
        got = [r for p in pages for r in p["changes"]]
        assert got == rows, limit
        cursors = [_cursor_value(p["cursor"]) for p in pages]
        assert cursors == sorted(cursors) and len(set(cursors)) == len(cursors), limit
        for page, cursor in zip(pages, cursors, strict=True):
            assert 0 < len(page["changes"]) <= limit or not page["has_more"]
            assert all(r["version"] <= cursor for r in page["changes"])
        assert all(p["has_more"] for p in pages[:-1]) and not pages[-1]["has_more"]
        assert len(pages) == -(-len(rows) // limit), limit
    # pulling from the last cursor gives nothing new and the same cursor
    again = http.get(PULL, query_string={"cursor": big["cursor"]}, headers=world.headers("a1"))
    assert again.get_json()["changes"] == [] and again.get_json()["cursor"] == big["cursor"]


def _learner_of(row: dict, by_key: dict) -> str:
    """A row's learner; history rows carry it only as a column, so ask their parent row."""
    if row["type"] == "history":
        row = by_key[(row["data"]["row_type"], row["data"]["row_id"])]
    return row["data"]["student_id"]


def test_each_role_sees_exactly_the_learners_they_may_read(school):
    world, http = school
    everything = world.symbolic_rows(world.pull_all(http, "a1"))
    by_key = {(r["type"], r["id"]): r for r in everything}
    assert {_learner_of(r, by_key) for r in everything} == {"s1", "s2"}
    assert any(r["type"] == "history" for r in everything)
    expected = {"s1": {"s1"}, "s2": {"s2"}, "t1": {"s1", "s2"}, "t2": {"s1"}, "g1": {"s1"}}
    for user, learners in expected.items():
        rows = world.symbolic_rows(world.pull_all(http, user))
        mine = [r for r in everything if _learner_of(r, by_key) in learners]
        assert sorted(rows, key=_key) == sorted(mine, key=_key), user
    # teacher2 never sees student2; the guardian never sees a child not theirs
    for user in ("t2", "g1"):
        assert "s2" not in {_learner_of(r, by_key) for r in
                            world.symbolic_rows(world.pull_all(http, user))}


def _key(row: dict) -> tuple:
    return row["type"], row["id"]


def test_teachers_and_guardians_pull_the_names_of_exactly_their_learners(school):
    world, http = school

    def names(user: str, cursor: str | None = None) -> dict:
        query = {"limit": 1000, **({"cursor": cursor} if cursor else {})}
        page = http.get(PULL, query_string=query, headers=world.headers(user)).get_json()
        return ({world.user_keys[r["id"]]: r["data"]["display_name"]
                 for r in page["changes"] if r["type"] == "learner"}, page["cursor"])

    expected = {"t1": {"s1", "s2"}, "t2": {"s1"}, "g1": {"s1"}, "a1": {"s1", "s2"},
                "s1": set()}  # a learner's device needs no learner rows
    cursors = {}
    for user, learners in expected.items():
        got, cursors[user] = names(user)
        assert set(got) == learners, user
        assert all(got[key] == world.names[key] for key in got), user
    # a rename reaches the teachers' next pull (the user row's version moves), and only theirs
    with world.app.app_context():
        db.session.get(User, world.users["s2"]).display_name = "Sam Renamed"
        db.session.commit()
    assert names("t1", cursors["t1"])[0] == {"s2": "Sam Renamed"}
    assert names("t2", cursors["t2"])[0] == {}


def test_a_cursor_the_server_never_gave_is_refused(school, assert_error):
    world, http = school
    for bad in ("nonsense", "v1.", "v1.-3", "v2.10", "v1.1e3"):
        resp = http.get(PULL, query_string={"cursor": bad}, headers=world.headers("s1"))
        assert_error(resp, 400, code="bad_cursor")
    assert_error(http.get(PULL, query_string={"limit": 0}, headers=world.headers("s1")), 422)
    assert_error(http.get(PULL), 401)


def test_pull_reports_last_seq_only_for_the_callers_own_device(school):
    world, http = school
    mine = http.get(PULL, headers={**world.headers("s1"), "X-Client-Id": "pull-s1-tablet"})
    assert mine.get_json()["last_seq"] == 6
    other = http.get(PULL, headers={**world.headers("s1"), "X-Client-Id": "pull-s2-tablet"})
    assert other.get_json()["last_seq"] is None


WRITERS = 3
BATCHES = 12


def test_concurrent_writers_never_make_a_puller_skip_a_row(make_app):
    """Writers commit while a device pulls with its cursor: the union of pages is the state."""
    first = make_app(seeded=False)
    url = first.config["SQLALCHEMY_DATABASE_URI"]
    world = World.build(first, standard_world())
    errors: list = []
    done = threading.Event()

    # create_app registers blueprints on shared extensions: build every app in this thread
    apps = [make_app(database_url=url) for _ in range(WRITERS + 1)]

    def writer(index: int) -> None:
        app = apps[index]
        http = app.test_client()
        view = World(app, world.users, world.targets, world.activities, world.names, world.roles)
        user = ("s1", "s2", "t1")[index % 3]
        client = f"writer-{index}-{user}"
        try:
            for b in range(BATCHES):
                seq = b * 2 + 1
                if user == "t1":
                    batch = [{"seq": seq + k, "name": "rating.put", "hlc": _stamp(seq + k, "t1"),
                              "args": {"student_id": ("s1", "s2")[k], "target_id": "lt1",
                                       "level": (b % 9) / 2, "base_version": 0}}
                             for k in range(2)]
                else:
                    # the same goal again and again (updates move rows to new versions)
                    batch = [{"seq": seq, "name": "goal.put", "hlc": _stamp(seq, user),
                              "args": {"id": f"0190a0a1-0000-7000-8000-{index:012d}",
                                       "student_id": user,
                                       "title": f"draft {b}"}},
                             {"seq": seq + 1, "name": "goal.put", "hlc": _stamp(seq + 1, user),
                              "args": {"id": f"0190a0a1-0000-7000-8001-{index:04d}{b:08d}",
                                       "student_id": user,
                                       "title": f"new {b}"}}]
                resp = view.push(http, user, client, batch)
                assert resp.status_code == 200, resp.get_json()
        except BaseException as error:  # noqa: BLE001 — reported by the main thread
            errors.append(error)

    seen: dict = {}
    overlapping: list[int] = []  # pages with changes pulled while writers were still at it

    def puller() -> None:
        app = apps[-1]
        http = app.test_client()
        view = World(app, world.users, world.targets, world.activities, world.names, world.roles)
        cursor, last = None, 0
        try:
            while True:
                finished = done.is_set()
                while True:
                    query = {"limit": 7, **({"cursor": cursor} if cursor else {})}
                    resp = http.get(PULL, query_string=query, headers=view.headers("a1"))
                    assert resp.status_code == 200, resp.get_json()
                    page = resp.get_json()
                    if page["changes"] and not finished:
                        overlapping.append(len(page["changes"]))
                    for r in page["changes"]:
                        assert r["version"] > last, "a version at or below the cursor"
                        seen[(r["type"], r["id"])] = r
                    cursor = page["cursor"]
                    assert _cursor_value(cursor) >= last
                    last = _cursor_value(cursor)
                    if not page["has_more"]:
                        break
                if finished:
                    return
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    writers = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    reader = threading.Thread(target=puller)
    reader.start()
    for t in writers:
        t.start()
    for t in writers:
        t.join(120)
    done.set()
    reader.join(120)
    assert not errors, errors
    assert len(overlapping) >= 2, "the puller never ran while writers committed"
    final = world.pull_all(first.test_client(), "a1")
    assert len(_sync_rows(final)) > BATCHES * 2
    assert {(r["type"], r["id"]): r for r in final} == seen
