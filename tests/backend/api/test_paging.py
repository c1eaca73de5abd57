"""Every list a screen reads comes one page at a time, with the true total beside it
(issue 12: a learner with 5,000 goals cost the family portal 25.8 s)."""

import uuid

import pytest

HLC = "1700000000000-{n:04d}-{node}"


def _push(client, auth, user, mutations):
    body = {"client_id": str(uuid.uuid4()),
            "mutations": [{"seq": n, "hlc": HLC.format(n=n, node="pg"), **m}
                          for n, m in enumerate(mutations, start=1)]}
    resp = client.post("/api/sync/push", json=body, headers=auth.headers(user))
    assert resp.status_code == 200, resp.get_json()
    results = resp.get_json()["results"]
    assert {r["status"] for r in results} == {"applied"}, results
    return results


def _goals(client, auth, ids, active: int, done: int) -> None:
    _push(client, auth, "student", [
        {"name": "goal.put", "args": {"id": str(uuid.uuid4()), "student_id": ids["student"],
                                      "title": f"{status} goal {n}", "status": status}}
        for status, many in (("done", done), ("active", active)) for n in range(many)])


def _get(client, auth, user, url):
    resp = client.get(url, headers=auth.headers(user))
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def test_goals_come_a_page_at_a_time_with_true_counts(client, auth, ids):
    before = _get(client, auth, "student", f"/api/learners/{ids['student']}/goals")["counts"]
    _goals(client, auth, ids, active=25, done=30)
    url = f"/api/learners/{ids['student']}/goals"

    first = _get(client, auth, "guardian", url)
    assert (first["limit"], first["offset"]) == (20, 0)
    assert len(first["items"]) == 20
    assert first["counts"] == {"active": before["active"] + 25, "done": before["done"] + 30,
                               "dropped": before["dropped"]}
    assert first["total"] == sum(first["counts"].values())
    # current goals first: a done goal never reaches the first page while 20 are active
    assert {g["status"] for g in first["items"]} == {"active"}

    done = _get(client, auth, "guardian", f"{url}?status=done&limit=20&offset=20")
    assert done["total"] == before["done"] + 30
    assert len(done["items"]) == min(20, done["total"] - 20)
    assert {g["status"] for g in done["items"]} == {"done"}

    pages = [_get(client, auth, "student", f"{url}?status=active&limit=7&offset={o}")["items"]
             for o in range(0, first["counts"]["active"], 7)]
    seen = [g["id"] for page in pages for g in page]
    assert len(seen) == len(set(seen)) == first["counts"]["active"]  # no repeats, no gaps


@pytest.mark.parametrize("query, field", [
    ("limit=0", "limit"), ("limit=101", "limit"), ("offset=-1", "offset"),
    ("status=finished", "status"), ("limit=lots", "limit")])
def test_page_arguments_out_of_range_are_refused(client, auth, ids, assert_error, query, field):
    resp = client.get(f"/api/learners/{ids['student']}/goals?{query}",
                      headers=auth.headers("student"))
    body = assert_error(resp, 422)
    assert field in str(body["errors"])
