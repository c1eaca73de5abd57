"""Issue 13 #5 and #9: decompression bombs refused from the header, before any decoding;
files that are not photos served only as downloads, never rendered from our origin."""

import hashlib
import io
import struct
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from backend.errors import AppError
from backend.extensions import db
from backend.models import Blob, BlobUpload
from backend.services.images import clean_upload

OCTETS = "application/offset+octet-stream"


def _png_bomb(width: int, height: int) -> bytes:
    """A real PNG of width×height black pixels: a few KB per 10 MP compressed, gigabytes
    decoded (the issue's was 398 KB for 99.8 MP)."""
    row = b"\x00" * (width + 1)  # filter byte + one grey byte per pixel
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body)
            + chunk(b"IEND", b""))


def _jpeg_claiming(width: int, height: int) -> bytes:
    """A small valid JPEG whose frame header says width×height."""
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(buf, "JPEG")
    data = bytearray(buf.getvalue())
    sof = data.find(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def _webp_claiming(width: int, height: int) -> bytes:
    """A small lossless WebP whose VP8L header says width×height (each at most 16384)."""
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (1, 2, 3)).save(buf, "WEBP", lossless=True)
    data = bytearray(buf.getvalue())
    at = data.find(b"VP8L") + 9  # chunk name, size, signature byte; then 14 + 14 bits
    bits = struct.unpack("<I", data[at:at + 4])[0] & ~((1 << 28) - 1)
    bits |= (width - 1) | ((height - 1) << 14)
    data[at:at + 4] = struct.pack("<I", bits)
    return bytes(data)


def _send(client, headers, data: bytes):
    sha = hashlib.sha256(data).hexdigest()
    return sha, client.patch(f"/api/blobs/{sha}", data=data, headers={
        **headers, "Content-Type": OCTETS, "Upload-Offset": "0",
        "Upload-Length": str(len(data))})


def _nothing_kept(app, client, headers, sha: str) -> None:
    assert client.head(f"/api/blobs/{sha}", headers=headers).status_code == 404
    with app.app_context():
        assert db.session.get(Blob, sha) is None
        assert db.session.query(BlobUpload).filter_by(sha256=sha).count() == 0
        db.session.remove()


@pytest.fixture
def student(auth):
    return auth.headers("student")


def test_a_small_png_of_a_hundred_megapixels_is_refused_before_decoding(app, client, student,
                                                                        assert_error):
    bomb = _png_bomb(10_000, 9_980)
    assert len(bomb) < 400_000  # small on the wire, 99.8 MP (and ~100 MB) decoded
    sha, resp = _send(client, student, bomb)
    body = assert_error(resp, 413, code="image_too_large")
    assert body["message"] == ("This photo is too large to process: 99.8 megapixels; "
                               "the most is 40.")
    _nothing_kept(app, client, student, sha)


def test_a_jpeg_whose_header_claims_huge_dimensions_is_refused(app, client, student,
                                                               assert_error):
    sha, resp = _send(client, student, _jpeg_claiming(60_000, 60_000))
    body = assert_error(resp, 413, code="image_too_large")
    assert "3600 megapixels" in body["message"]
    _nothing_kept(app, client, student, sha)


def test_a_webp_whose_header_claims_huge_dimensions_is_refused(app, client, student,
                                                               assert_error):
    sha, resp = _send(client, student, _webp_claiming(16_000, 16_000))
    body = assert_error(resp, 413, code="image_too_large")
    assert "256 megapixels" in body["message"]
    _nothing_kept(app, client, student, sha)


def test_an_image_that_decodes_but_cannot_be_stored_again_is_refused_not_a_500(
        app, client, student, assert_error):
    """Found by fuzzing headers: a WebP 16,384 pixels wide decodes, but WebP cannot encode
    it again (16,383 at most)."""
    sha, resp = _send(client, student, _webp_claiming(16_384, 16))
    assert_error(resp, 415, code="not_an_image")
    _nothing_kept(app, client, student, sha)


def test_the_cap_counts_every_frame_of_an_animated_image(make_app, assert_error):
    app = make_app(IMAGE_MAX_PIXELS=1_000_000)
    client = app.test_client()
    token = client.post("/api/auth/login", json={"username": "student",
                                                 "password": "waypoint"}).get_json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    frames = [Image.new("RGB", (500, 500), (n * 40, 0, 0)) for n in range(5)]
    buf = io.BytesIO()
    frames[0].save(buf, "PNG", save_all=True, append_images=frames[1:])
    sha, resp = _send(client, headers, buf.getvalue())
    body = assert_error(resp, 413, code="image_too_large")
    assert "5 frames" in body["message"] and "the most is 1" in body["message"]
    # one frame of the same size is fine
    one = io.BytesIO()
    frames[0].save(one, "PNG")
    assert _send(client, headers, one.getvalue())[1].status_code == 204


def _pdf() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n<script>alert(1)</script>\n%%EOF\n")


def test_a_pdf_downloads_as_an_attachment_and_is_never_sniffed(client, student):
    sha, resp = _send(client, student, _pdf())
    assert resp.status_code == 204
    got = client.get(f"/api/blobs/{sha}", headers=student)
    assert got.status_code == 200 and got.mimetype == "application/pdf"
    disposition = got.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="evidence-{sha[:12]}.pdf"' in disposition  # ASCII: no filename* needed
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    csp = got.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "sandbox" in csp


def test_a_photo_is_shown_inline_with_the_same_protections(client, student):
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 90, 200)).save(buf, "PNG")
    sha, resp = _send(client, student, buf.getvalue())
    assert resp.status_code == 204
    for query in ("", "?size=thumb"):
        got = client.get(f"/api/blobs/{sha}{query}", headers=student)
        assert got.headers["Content-Disposition"].startswith("inline;")
        assert got.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in got.headers["Content-Security-Policy"]


def _seeds() -> list[bytes]:
    out = []
    for fmt, options in (("PNG", {}), ("JPEG", {}), ("WEBP", {}), ("WEBP", {"lossless": True})):
        buf = io.BytesIO()
        Image.new("RGB", (24, 16), (9, 80, 200)).save(buf, fmt, **options)
        out.append(buf.getvalue())
    frames = [Image.new("RGB", (20, 20), (n * 50, 0, 0)) for n in range(3)]
    for fmt in ("PNG", "WEBP"):
        buf = io.BytesIO()
        frames[0].save(buf, fmt, save_all=True, append_images=frames[1:])
        out.append(buf.getvalue())
    return out


SEEDS = _seeds()


@settings(max_examples=500, deadline=None)
@given(seed=st.sampled_from(SEEDS),
       edits=st.lists(st.tuples(st.one_of(st.integers(16, 40), st.integers(0, 400)),
                                st.integers(0, 255)), min_size=1,
                      max_size=4),
       cut=st.one_of(st.none(), st.integers(0, 400)))
def test_any_damaged_header_is_a_refusal_or_a_photo_never_a_crash(seed, edits, cut):
    """Every failure of the image check is an AppError (a 4xx in the error shape)."""
    data = bytearray(seed)
    for at, value in edits:
        data[at % len(data)] = value
    if cut is not None:
        data = data[:cut]
    try:
        clean_upload(bytes(data))
    except AppError as err:
        assert 400 <= err.status < 500
