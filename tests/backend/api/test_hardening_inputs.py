"""Input that should be refused is refused: never a 500, always the one error shape.

The review found ~25 distinct 500s (issue 13, finding 8): ids of 2^63 and beyond in a path,
a query, a body or sync arguments, and JSON nested deeper than Python's parser copes with.
Rather than a test per route, these walk every route the API has (the URL map and the
OpenAPI document, so a route added later is walked too) for each role, with:

- every integer path parameter set to 2^63, 2^64 and 2^31 (PostgreSQL's INTEGER max + 1);
- every integer query parameter, and every integer (or list of integers) in a JSON body,
  set to the same values and to -1;
- a JSON body nested 1,100 and 100,000 deep;
- every sync mutation's id arguments (student_id, target_id, target_ids, activity_id,
  base_version) set to the same values.

Each answer must be below 500, and every 4xx must be in the one error shape.
"""

import json
import uuid

import pytest

from tests.conftest import assert_error_shape

BIG = (2**63, 2**64, 2**31, -1)
ROLES = ("admin", "teacher", "student", "guardian")
EXCLUDED = ("/api/openapi", "/api/docs", "/api/swagger", "/api/redoc")


def _spec(client) -> dict:
    return client.get("/api/openapi.json").get_json()


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = spec["components"]["schemas"][name]
    return schema


def _plausible(spec: dict, schema: dict):
    """A value of the schema's type, so that a body reaches the integer under test."""
    schema = _resolve(spec, schema)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "string":
        return {"date": "2026-01-05", "date-time": "2026-01-05T10:00:00Z",
                "email": "probe@example.org", "uri": "https://example.org/",
                "url": "https://example.org/"}.get(schema.get("format"), "Probe text")
    if kind == "boolean":
        return False
    if kind in ("integer", "number"):
        return 1
    if kind == "array":
        return []
    if kind == "object":
        return {}
    return "Probe"


def _bodies(spec: dict, schema: dict, big: int) -> list[dict]:
    """One body per integer property (or list of integers), that property set to `big`."""
    schema = _resolve(spec, schema)
    props = {k: _resolve(spec, v) for k, v in schema.get("properties", {}).items()
             if not v.get("readOnly")}
    base = {k: _plausible(spec, v) for k, v in props.items()}
    out = []
    for name, prop in props.items():
        items = _resolve(spec, prop.get("items", {}))
        if prop.get("type") == "integer":
            out.append({**base, name: big})
        elif prop.get("type") == "array" and items.get("type") == "integer":
            out.append({**base, name: [big]})
    return out


def _operations(app, client):
    """(method, path template, operation) for every operation in the OpenAPI document."""
    spec = _spec(client)
    for path, ops in spec["paths"].items():
        if path.startswith(EXCLUDED):
            continue
        for method, op in ops.items():
            if method == "parameters":
                continue
            params = op.get("parameters", []) + ops.get("parameters", [])
            yield spec, method.upper(), path, op, params


def _fill(path: str, params: list, value) -> str:
    for p in params:
        if p["in"] == "path":
            path = path.replace("{" + p["name"] + "}", str(value) if p.get("schema", {}).get(
                "type") == "integer" else _path_text(p["name"]))
    return path


def _path_text(name: str) -> str:
    return {"sha": "a" * 64, "kind": "progress", "job_id": str(uuid.uuid4())}.get(name, "x")


def _call(client, auth, role, method, url, **kw):
    headers = {**auth.headers(role), **kw.pop("headers", {})}
    if method == "PATCH" and "/api/blobs/" in url:
        headers.update({"Tus-Resumable": "1.0.0", "Upload-Offset": "0",
                        "Content-Type": "application/offset+octet-stream"})
    return client.open(url, method=method, headers=headers, **kw)


def _check(resp, what: str, failures: list) -> None:
    if resp.status_code >= 500:
        failures.append(f"{what} -> {resp.status_code}")
        return
    if resp.status_code >= 400 and resp.status_code != 404 or (
            resp.status_code == 404 and resp.is_json):
        try:
            assert_error_shape(resp, resp.status_code)
        except AssertionError as err:
            failures.append(f"{what} -> {resp.status_code} not the error shape: {err}")
    elif resp.status_code == 404:
        failures.append(f"{what} -> 404 not JSON")


def test_every_route_walks_every_role(app):
    """The walk covers every /api rule of the URL map (so nothing hides from it)."""
    client = app.test_client()
    walked = {p for _, _, p, _, _ in _operations(app, client)}
    rules = {r.rule for r in app.url_map.iter_rules()
             if r.rule.startswith("/api/") and not r.rule.startswith(EXCLUDED)}
    as_template = {r.replace("<int:", "{").replace("<", "{").replace(">", "}")
                   for r in rules}
    assert as_template <= walked, as_template - walked


@pytest.mark.parametrize("role", ROLES)
def test_huge_and_negative_ids_are_refused_not_crashed(app, auth, role):
    client = app.test_client()
    failures: list[str] = []
    for spec, method, path, op, params in _operations(app, client):
        for big in BIG:
            if any(p["in"] == "path" and p.get("schema", {}).get("type") == "integer"
                   for p in params):
                url = _fill(path, params, big)
                _check(_call(client, auth, role, method, url, json={} if method in (
                    "POST", "PUT", "PATCH") else None), f"{role} {method} {url}", failures)
            url = _fill(path, params, 1)
            for p in params:
                schema = p.get("schema", {})
                is_int_list = schema.get("type") == "array" and _resolve(
                    spec, schema.get("items", {})).get("type") == "integer"
                if p["in"] == "query" and (schema.get("type") == "integer" or is_int_list):
                    _check(_call(client, auth, role, method, f"{url}?{p['name']}={big}"),
                           f"{role} {method} {url}?{p['name']}={big}", failures)
            content = op.get("requestBody", {}).get("content", {}).get("application/json")
            for body in _bodies(spec, content["schema"], big) if content else ():
                _check(_call(client, auth, role, method, url, json=body),
                       f"{role} {method} {url} {json.dumps(body)[:200]}", failures)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("depth", [1_100, 100_000])
def test_deeply_nested_json_is_refused_in_the_error_shape(app, auth, depth):
    client = app.test_client()
    deep = "[" * depth + "]" * depth
    failures: list[str] = []
    for _, method, path, _op, params in _operations(app, client):
        if method not in ("POST", "PUT", "PATCH"):
            continue
        url = _fill(path, params, 1)
        for role in ("admin", "teacher", "student"):
            resp = _call(client, auth, role, method, url, data=deep,
                         content_type="application/json")
            _check(resp, f"{role} {method} {url} depth {depth}", failures)
    assert not failures, "\n".join(failures)


def test_deep_json_gets_a_message_a_person_can_act_on(client, auth):
    deep = '{"a":' * 2_000 + "1" + "}" * 2_000
    resp = client.post("/api/sync/push", data=deep, content_type="application/json",
                       headers=auth.headers("student"))
    body = assert_error_shape(resp, 400)
    assert "nested" in body["message"]


# sync mutations whose arguments carry the API's ids, with every other argument valid
_MUTATIONS = {
    "goal.put": {"id": "@uuid", "student_id": "@student", "title": "Probe",
                 "target_ids": ["@target"]},
    "pick.put": {"id": "@uuid", "student_id": "@student", "activity_id": "@activity",
                 "status": "picked"},
    "self_assessment.put": {"student_id": "@student", "target_id": "@target", "level": 2},
    "evidence.put": {"id": "@uuid", "student_id": "@student", "kind": "text",
                     "text": "Probe", "target_ids": ["@target"]},
    "rating.put": {"student_id": "@student", "target_id": "@target", "level": 2,
                   "base_version": 0},
    "evidence.review": {"evidence_id": "@uuid", "decision": "approved", "level": 3,
                        "target_id": "@target"},
}
_ID_ARGS = ("student_id", "target_id", "target_ids", "activity_id", "base_version")


def _sync_refs(app, ids) -> dict:
    from sqlalchemy import select

    from backend.extensions import db
    from backend.models import Activity, LearningTarget

    with app.app_context():
        return {"@student": ids["student"],
                "@target": db.session.scalar(select(LearningTarget.id).limit(1)),
                "@activity": db.session.scalar(select(Activity.id).limit(1))}


@pytest.mark.parametrize("role", ["student", "teacher"])
def test_sync_arguments_with_huge_ids_are_rejected_with_a_reason(app, auth, ids, role):
    client = app.test_client()
    refs = _sync_refs(app, ids)
    seq = 0
    client_id = f"probe-{role}-{uuid.uuid4().hex[:8]}"
    failures: list[str] = []
    for name, template in _MUTATIONS.items():
        for arg in _ID_ARGS:
            if arg not in template:
                continue
            for big in BIG:
                args = {k: [refs[x] for x in v] if isinstance(v, list) else
                        str(uuid.uuid4()) if v == "@uuid" else refs.get(v, v)
                        for k, v in template.items()}
                args[arg] = [big] if arg == "target_ids" else big
                seq += 1
                resp = client.post("/api/sync/push", headers=auth.headers(role), json={
                    "client_id": client_id, "mutations": [
                        {"seq": seq, "name": name, "args": args,
                         "hlc": f"{1_700_000_000_000 + seq:013d}-0000-probe"}]})
                what = f"{role} {name} {arg}={big}"
                if resp.status_code != 200:
                    seq -= 1  # nothing was applied, so the seq was not used
                    failures.append(f"{what} -> {resp.status_code} {resp.get_data()[:200]}")
                    continue
                result = resp.get_json()["results"][0]
                if result["status"] == "applied" and big != -1 and arg != "base_version":
                    failures.append(f"{what} -> applied")
    assert not failures, "\n".join(failures)


def test_a_case_file_nested_too_deep_is_a_problem_named_in_the_report(client, auth):
    from tests.backend.interop.conftest import upload

    deep = ("[" * 5_000 + "]" * 5_000).encode()
    resp = upload(client, "/api/interop/case", deep, auth.headers("admin"), wait=1)
    body = assert_error_shape(resp, 422)
    assert "levels deep" in json.dumps(body["job"]["report"])
    assert "our side" not in json.dumps(body)


@pytest.mark.parametrize("cursor", ["v1.9223372036854775808", "v1.99999999999999999999"])
def test_a_pull_cursor_beyond_any_version_is_a_bad_cursor(client, auth, cursor):
    resp = client.get(f"/api/sync/pull?cursor={cursor}", headers=auth.headers("student"))
    assert_error_shape(resp, 400, code="bad_cursor")
