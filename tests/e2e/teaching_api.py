"""The live app's HTTP API as the teacher, family and admin browser tests use it: set-up
(a learner's photo evidence) and checks on what the server holds."""

import functools
import hashlib
import io
import json
import time
import urllib.error
import urllib.request
import uuid

from PIL import Image

SYNC_WAIT_S = 30


def call(base: str, method: str, path: str, token: str | None = None, body=None,
         headers: dict | None = None, data: bytes | None = None):
    """(status, parsed JSON or bytes) — errors are answers too, not exceptions."""
    if body is not None:
        data = json.dumps(body).encode()
        headers = {**(headers or {}), "Content-Type": "application/json"}
    if token:
        headers = {**(headers or {}), "Authorization": f"Bearer {token}"}
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            raw, status, kind = response.read(), response.status, response.headers
    except urllib.error.HTTPError as error:
        raw, status, kind = error.read(), error.code, error.headers
    if "json" in (kind.get("Content-Type") or ""):
        return status, json.loads(raw)
    return status, raw


@functools.cache
def token(base: str, username: str) -> str:
    """An access token, one per user per run: sign-in allows 10 a minute per address."""
    status, body = call(base, "POST", "/api/auth/login",
                        body={"username": username, "password": "waypoint"})
    assert status == 200, body
    return body["access_token"]


@functools.cache
def user_id(base: str, username: str) -> int:
    _, users = call(base, "GET", "/api/roster/users", token(base, "admin"))
    return next(u["id"] for u in users if u["username"] == username)


def reset_languages(base: str, usernames) -> None:
    """Put demo accounts back to no chosen language, as the demo seeds them: signing in then
    gives the account the device's language, so a later test on a Spanish browser reads
    Spanish and one on an English browser English (a saved "en" would beat the browser)."""
    for username in usernames:
        status, body = call(base, "PATCH", "/api/auth/locale", token(base, username),
                            body={"locale": None})
        assert status == 200, body


def target_id(base: str, code: str) -> int:
    _, areas = call(base, "GET", "/api/curriculum/areas", token(base, "admin"))
    codes = {t["code"]: t["id"] for a in areas for topic in a["topics"]
             for t in topic["targets"]}
    assert code in codes, f"no target {code} among {sorted(codes)}"
    return codes[code]


def push(base: str, username: str, mutations: list[dict]) -> list[dict]:
    """Push as a fresh device of `username`."""
    body = {"client_id": str(uuid.uuid4()),
            "mutations": [{"seq": n, "hlc": f"{int(time.time() * 1000)}-{n:04d}-e2e",
                           **m} for n, m in enumerate(mutations, start=1)]}
    status, answer = call(base, "POST", "/api/sync/push", token(base, username), body)
    assert status == 200, answer
    return answer["results"]


def photo_bytes(colour=(40, 140, 90)) -> bytes:
    image = Image.new("RGB", (800, 600), colour)
    for x in range(0, 800, 80):
        image.paste((240, 200, 40), (x, 0, x + 30, 600))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def submit_photo_evidence(base: str, username: str, target: int, caption: str) -> str:
    """A learner uploads a photo (tus PATCH) and submits it as evidence; returns its id."""
    data = photo_bytes()
    sha = hashlib.sha256(data).hexdigest()
    status, body = call(base, "PATCH", f"/api/blobs/{sha}", token(base, username),
                        data=data, headers={"Tus-Resumable": "1.0.0",
                                            "Content-Type": "application/offset+octet-stream",
                                            "Upload-Offset": "0",
                                            "Upload-Length": str(len(data))})
    assert status == 204, body
    evidence_id = str(uuid.uuid4())
    student = user_id(base, username)
    results = push(base, username, [{"name": "evidence.put", "args": {
        "id": evidence_id, "student_id": student, "kind": "photo", "caption": caption,
        "target_ids": [target], "blob_sha256": sha, "submitted": True}}])
    assert results[0]["status"] == "applied", results
    return evidence_id


def wait_for(predicate, what: str, timeout: float = SYNC_WAIT_S):
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout}s: {what}")
        time.sleep(0.5)


def wait_synced(page, timeout_ms: int = 60_000) -> None:
    """Until the page's sync core has finished one push + pull."""
    page.wait_for_function(
        "() => window.waypoint && window.waypoint.status().lastSyncedAt",
        timeout=timeout_ms)


def pulled_rows(base: str, username: str) -> dict[tuple[str, str], dict]:
    """Every row the server hands `username`'s device (all pages of a plain sync pull):
    {(type, id): change}."""
    rows: dict[tuple[str, str], dict] = {}
    cursor = None
    for _ in range(1000):
        query = "limit=500" + (f"&cursor={cursor}" if cursor else "")
        status, body = call(base, "GET", f"/api/sync/pull?{query}", token(base, username),
                            headers={"X-Client-Id": f"e2e-{username}"})
        assert status == 200, body
        for change in body["changes"]:
            rows[(change["type"], str(change["id"]))] = change
        cursor = body["cursor"]
        if not body["has_more"]:
            break
    return rows


def waiting_for_review(base: str, username: str) -> dict[str, dict]:
    """The evidence waiting for `username`'s review as the server hands it to their device:
    {evidence id: row data}. Submitted, and not reviewed since its last edit: the rule of
    isWaiting in assets/ui/queue_views.js."""
    return {key: row["data"] for (kind, key), row in pulled_rows(base, username).items()
            if kind == "evidence" and not row["deleted"] and row["data"].get("submitted")
            and (not row["data"].get("reviewed") or row["data"].get("edited_after_review"))}


def open_conflicts(base: str, username: str) -> int:
    """How many open conflicts `username`'s device receives: what the Conflicts screen and
    its badge count from the store."""
    return sum(1 for (kind, _key), row in pulled_rows(base, username).items()
               if kind == "conflict" and not row["deleted"]
               and row["data"].get("status") == "open")
