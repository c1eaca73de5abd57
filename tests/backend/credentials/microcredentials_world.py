"""Shared steps of the teacher-microcredential tests: the demo catalog, pushes through the
sync API, full pulls, and a teacher earning "Student-Centered Feedback" (evidence with the
transfer reflection, the coach's approvals)."""

from sqlalchemy import select

from backend.extensions import db
from backend.models import MeasurementTopic

PUSH, PULL = "/api/sync/push", "/api/sync/pull"
MC = "Student-Centered Feedback"
REFLECTION = "My exit tickets now name the target; I regroup the next day from them."


def topic_of(app, name=MC) -> tuple[int, list[int]]:
    with app.app_context():
        topic = db.session.scalar(select(MeasurementTopic).where(MeasurementTopic.name == name))
        return topic.id, [t.id for t in topic.targets]


def push(client, auth, user, client_id, mutations):
    resp = client.post(PUSH, json={"client_id": client_id, "mutations": mutations},
                       headers=auth.headers(user))
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()["results"]


def hlc(n: int, node: str) -> str:
    from backend.sync_server.push import now_ms
    from sync import HLC
    return str(HLC(now_ms() - 60_000 + n, 0, node))


def pull_all(client, auth, who, cursor=None) -> list[dict]:
    """Every page of a pull from `cursor` (None: from the start)."""
    rows = []
    while True:
        query = {"limit": 1000, **({"cursor": cursor} if cursor else {})}
        page = client.get(PULL, query_string=query, headers=auth.headers(who)).get_json()
        rows += page["changes"]
        cursor = page["cursor"]
        if not page["has_more"]:
            return rows


def evidence_id(n: int) -> str:
    return f"0190e0e1-0000-7000-8000-{n:012d}"


def earn(app, client, auth, ids, teacher="teacher", level=4):
    """The teacher submits evidence with a reflection on each competency of the
    microcredential offline-style (through push); the coach approves each with a level."""
    topic_id, targets = topic_of(app)
    me = ids[teacher]
    mutations = [{"seq": n + 1, "name": "evidence.put", "hlc": hlc(n, "tp"), "args": {
        "id": evidence_id(n + 1), "student_id": me, "kind": "text",
        "text": f"Feedback log {n}", "target_ids": [target], "reflection": REFLECTION,
        "submitted": True}} for n, target in enumerate(targets)]
    assert [r["status"] for r in push(client, auth, teacher, f"{teacher}-phone",
                                      mutations)] == ["applied"] * len(targets)
    reviews = [{"seq": n + 1, "name": "evidence.review", "hlc": hlc(100 + n, "cp"),
                "args": {"evidence_id": evidence_id(n + 1), "decision": "approved",
                         "level": level, "target_id": target, "comment": "Clear transfer."}}
               for n, target in enumerate(targets)]
    assert [r["status"] for r in push(client, auth, "coach", "coach-phone", reviews)] == \
        ["applied"] * len(targets)
    return topic_id, targets
