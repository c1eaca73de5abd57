"""Evidence blobs: resumable upload (tus 1.0 core), verification, EXIF stripping, access."""

import hashlib
import io

import pytest
from PIL import Image

OCTETS = "application/offset+octet-stream"


def _photo_with_gps(size=(640, 480)) -> bytes:
    image = Image.new("RGB", size, (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (44.0, 30.0, 0.0), 3: "W", 4: (69.0, 15.0, 0.0)}  # GPS IFD
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif, quality=90)
    return buf.getvalue()


def _patch(client, headers, sha, chunk, offset, length=None):
    h = {**headers, "Content-Type": OCTETS, "Upload-Offset": str(offset)}
    if length is not None:
        h["Upload-Length"] = str(length)
    return client.patch(f"/api/blobs/{sha}", data=chunk, headers=h)


@pytest.fixture
def student(auth):
    return auth.headers("student")


def test_interrupted_upload_resumes_without_resending_stored_bytes(app, client, student):
    data = _photo_with_gps()
    sha = hashlib.sha256(data).hexdigest()
    assert client.head(f"/api/blobs/{sha}", headers=student).status_code == 404

    third = len(data) // 3
    received = 0
    resp = _patch(client, student, sha, data[:third], 0, len(data))
    assert resp.status_code == 204
    received += third
    # the connection drops; the device asks where to resume
    head = client.head(f"/api/blobs/{sha}", headers=student)
    assert head.status_code == 204
    offset = int(head.headers["Upload-Offset"])
    assert offset == third
    resp = _patch(client, student, sha, data[offset:2 * third], offset)
    assert resp.status_code == 204
    received += 2 * third - offset
    offset = int(client.head(f"/api/blobs/{sha}", headers=student).headers["Upload-Offset"])
    resp = _patch(client, student, sha, data[offset:], offset)
    assert resp.status_code == 204
    received += len(data) - offset
    assert received == len(data)  # no byte was sent twice
    assert client.head(f"/api/blobs/{sha}", headers=student).status_code == 200


def test_a_retried_chunk_is_harmless(client, student):
    data = _photo_with_gps()
    sha = hashlib.sha256(data).hexdigest()
    half = len(data) // 2
    assert _patch(client, student, sha, data[:half], 0, len(data)).status_code == 204
    # the same chunk again (its acknowledgement was lost), then a chunk overlapping it
    assert _patch(client, student, sha, data[:half], 0).headers["Upload-Offset"] == str(half)
    resp = _patch(client, student, sha, data[half - 10:], half - 10)
    assert resp.status_code == 204
    assert client.head(f"/api/blobs/{sha}", headers=student).status_code == 200
    got = client.get(f"/api/blobs/{sha}", headers=student)
    assert got.status_code == 200
    Image.open(io.BytesIO(got.data)).verify()


def test_stored_photo_has_no_exif_gps_and_has_a_thumbnail(client, student):
    data = _photo_with_gps((1600, 1200))
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the input does have GPS
    sha = hashlib.sha256(data).hexdigest()
    assert _patch(client, student, sha, data, 0, len(data)).status_code == 204
    stored = Image.open(io.BytesIO(client.get(f"/api/blobs/{sha}", headers=student).data))
    assert stored.size == (1600, 1200)
    assert not stored.getexif().get_ifd(0x8825)
    assert not dict(stored.getexif())
    thumb = client.get(f"/api/blobs/{sha}?size=thumb", headers=student)
    assert thumb.mimetype == "image/jpeg"
    assert max(Image.open(io.BytesIO(thumb.data)).size) <= 320


def test_photo_taken_sideways_is_stored_upright(client, student):
    image = Image.new("RGB", (400, 200), (0, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to view
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif)
    data = buf.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    _patch(client, student, sha, data, 0, len(data))
    stored = Image.open(io.BytesIO(client.get(f"/api/blobs/{sha}", headers=student).data))
    assert stored.size == (200, 400)


def test_bytes_that_do_not_match_the_sha_are_refused_and_forgotten(client, student,
                                                                   assert_error):
    data = _photo_with_gps()
    wrong = hashlib.sha256(b"something else").hexdigest()
    resp = _patch(client, student, wrong, data, 0, len(data))
    assert_error(resp, 422, code="hash_mismatch")
    assert client.head(f"/api/blobs/{wrong}", headers=student).status_code == 404


def test_a_png_that_is_really_a_script_is_refused(client, student, assert_error):
    fake = b"\x89PNG\r\n\x1a\n<script>alert('hi')</script>"
    sha = hashlib.sha256(fake).hexdigest()
    body = assert_error(_patch(client, student, sha, fake, 0, len(fake)), 415,
                        code="not_an_image")
    assert "photo" in body["message"]
    assert client.head(f"/api/blobs/{sha}", headers=student).status_code == 404


def test_oversized_upload_is_refused_before_any_byte_is_stored(make_app, assert_error):
    app = make_app(BLOB_MAX_BYTES=1000)
    client = app.test_client()
    token = client.post("/api/auth/login", json={"username": "student",
                                                 "password": "waypoint"}).get_json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    sha = "a" * 64
    assert_error(_patch(client, headers, sha, b"x" * 10, 0, 5000), 413)
    assert client.head(f"/api/blobs/{sha}", headers=headers).status_code == 404


def test_gaps_bad_headers_and_bad_names_get_clear_errors(client, student, assert_error):
    data = _photo_with_gps()
    sha = hashlib.sha256(data).hexdigest()
    _patch(client, student, sha, data[:100], 0, len(data))
    body = assert_error(_patch(client, student, sha, data[200:300], 200), 409)
    assert body["expected_offset"] == 100
    assert_error(client.patch(f"/api/blobs/{sha}", data=b"x", headers={
        **student, "Content-Type": "image/jpeg", "Upload-Offset": "100"}), 415)
    assert_error(_patch(client, student, "not-a-sha", b"x", 0, 1), 400)
    assert_error(client.patch(f"/api/blobs/{sha}", data=b"x", headers={
        **student, "Content-Type": OCTETS}), 400)


def test_only_people_who_may_see_the_evidence_can_download_it(client, auth, student):
    data = _photo_with_gps()
    sha = hashlib.sha256(data).hexdigest()
    _patch(client, student, sha, data, 0, len(data))
    # before any evidence cites it, only the uploader can read it
    assert client.get(f"/api/blobs/{sha}", headers=auth.headers("teacher")).status_code == 404
    push = client.post("/api/sync/push", headers=student, json={
        "client_id": "blob-test-device", "mutations": [{
            "seq": 1, "name": "evidence.put", "hlc": "1790000000000-0000-devA",
            "args": {"id": "0190e5f4-7a3b-7c1d-8e2f-3a4b5c6d7e8f",
                     "student_id": auth.tokens("student")["user"]["id"], "kind": "photo",
                     "caption": "My fraction strips", "blob_sha256": sha, "submitted": True}}]})
    assert push.get_json()["results"][0]["status"] == "applied"
    assert client.get(f"/api/blobs/{sha}", headers=auth.headers("teacher")).status_code == 200
    assert client.get(f"/api/blobs/{sha}", headers=auth.headers("guardian")).status_code == 200
    for outsider in ("student2", "guardian2"):
        assert client.get(f"/api/blobs/{sha}", headers=auth.headers(outsider)).status_code == 404
    # guardians read, never write
    assert _patch(client, auth.headers("guardian"), "b" * 64, b"x", 0, 1).status_code == 403


def test_each_account_sends_into_its_own_partial(client, auth, student, assert_error):
    """Nobody waits on, appends to or sees someone else's half-sent file of the same bytes."""
    data = _photo_with_gps()
    sha = hashlib.sha256(data).hexdigest()
    _patch(client, student, sha, data[:100], 0, len(data))
    other = auth.headers("student2")
    assert client.head(f"/api/blobs/{sha}", headers=other).status_code == 404
    # resuming at the owner's offset is not possible: the other account has not started
    body = assert_error(_patch(client, other, sha, data[100:], 100), 409)
    assert body["expected_offset"] == 0
    # it sends its own copy from the start, and finishes first
    assert _patch(client, other, sha, data, 0, len(data)).status_code == 204
    assert client.head(f"/api/blobs/{sha}", headers=other).status_code == 200
    # the owner's upload is untouched and completes
    head = client.head(f"/api/blobs/{sha}", headers=student)
    assert head.status_code == 204 and head.headers["Upload-Offset"] == "100"
    assert _patch(client, student, sha, data[100:], 100).status_code == 204
    assert client.head(f"/api/blobs/{sha}", headers=student).status_code == 200
