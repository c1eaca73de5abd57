"""Evidence files, uploaded resumably by sha256 (tus 1.0 core: HEAD for the offset, PATCH
to append), verified, stripped of EXIF and thumbnailed when the last byte arrives."""

import hashlib
import re

from flask import Response, current_app, request
from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from backend.auth import learner_ids_for, login_required
from backend.blobstore import BlobStore, store_from_url
from backend.errors import AppError
from backend.extensions import db
from backend.models import Blob, Evidence
from backend.services.images import clean_upload

blp = Blueprint("blobs", __name__, url_prefix="/api/blobs",
                description="Resumable evidence uploads (tus 1.0 core)")

TUS_VERSION = "1.0.0"
_SHA = re.compile(r"^[0-9a-f]{64}$")


def blob_store() -> BlobStore:
    store = current_app.extensions.get("waypoint_blobs")
    if store is None:
        cfg = current_app.config
        store = store_from_url(cfg["BLOB_STORE_URL"], endpoint_url=cfg.get("S3_ENDPOINT_URL"),
                               region=cfg.get("S3_REGION"))
        current_app.extensions["waypoint_blobs"] = store
    return store


def _check_sha(sha: str) -> str:
    if not _SHA.match(sha):
        raise AppError("A blob is named by the sha256 of its bytes: 64 lowercase hex digits.",
                       status=400)
    return sha


def _tus_headers(blob: Blob | None, offset: int) -> dict:
    headers = {"Tus-Resumable": TUS_VERSION, "Upload-Offset": str(offset),
               "Cache-Control": "no-store"}
    if blob is not None and blob.length is not None:
        headers["Upload-Length"] = str(blob.length)
    return headers


def _int_header(name: str) -> int:
    raw = request.headers.get(name)
    if raw is None or not raw.isdigit():
        raise AppError(f"The {name} header must be a whole number of bytes.", status=400)
    return int(raw)


def _may_read(sha: str, blob: Blob) -> bool:
    if blob.uploader_id == current_user.id:
        return True
    owners = set(db.session.scalars(select(Evidence.student_id).where(
        Evidence.blob_sha256 == sha, Evidence.is_deleted.is_(False))))
    return bool(owners & learner_ids_for(current_user))


@blp.route("/<sha>")
class BlobsBySha(MethodView):
    @login_required("student", "teacher", "admin")
    def head(self, sha):
        """200 when complete, 204 with Upload-Offset when partial, 404 when unknown."""
        sha = _check_sha(sha)
        blob = db.session.get(Blob, sha)
        if blob is None:
            return Response(status=404, headers={"Tus-Resumable": TUS_VERSION})
        if blob.is_complete:
            return Response(status=200, headers=_tus_headers(blob, blob.length or 0))
        if blob.uploader_id != current_user.id:
            return Response(status=404, headers={"Tus-Resumable": TUS_VERSION})
        return Response(status=204, headers=_tus_headers(blob, blob.offset))

    @login_required("student", "teacher", "admin")
    def patch(self, sha):
        """Append bytes at Upload-Offset; a chunk already stored is harmless."""
        sha = _check_sha(sha)
        if request.headers.get("Content-Type") != "application/offset+octet-stream":
            raise AppError("Send the bytes as application/offset+octet-stream.", status=415)
        offset = _int_header("Upload-Offset")
        # the whole chunk first: a slow tablet must not hold the row lock (and a database
        # connection) while its bytes trickle in, nor write a chunk after the line dropped
        data = request.get_data(cache=False)
        store = blob_store()
        blob = db.session.get(Blob, sha, with_for_update=True)
        if blob is None:
            length = _int_header("Upload-Length")
            if length > current_app.config["BLOB_MAX_BYTES"]:
                cap_mb = current_app.config["BLOB_MAX_BYTES"] // (1024 * 1024)
                raise AppError(f"That file is larger than {cap_mb} MB.", status=413)
            if offset != 0:
                raise AppError("This upload has not started: send from offset 0.", status=409,
                               expected_offset=0)
            blob = _start_upload(store, sha, length)
        if blob.is_complete:
            return Response(status=204, headers=_tus_headers(blob, blob.length or 0))
        if blob.uploader_id != current_user.id:
            # nobody can append to (or sabotage) a half-sent file of another account
            raise AppError("Someone else is uploading this file right now; try again later.",
                           status=409, code="upload_in_progress")
        if offset > blob.offset:
            raise AppError(f"Bytes are missing: the server has {blob.offset}.", status=409,
                           expected_offset=blob.offset)
        fresh = data[blob.offset - offset:]  # skip what an earlier, retried chunk delivered
        if blob.offset + len(fresh) > (blob.length or 0):
            raise AppError("That is more bytes than the upload said it would send.", status=413)
        if fresh:
            # at the committed offset: bytes of a worker killed before its commit are replaced
            blob.offset = store.append_partial(sha, fresh, at=blob.offset)
        is_finished = blob.offset == blob.length
        if is_finished:
            _finish(store, blob)
        db.session.commit()
        if is_finished:
            # only once the commit stands: a worker killed before it leaves the chunks for
            # the device's retry to finish from, instead of an upload that can never complete
            store.drop_partial(sha)
        return Response(status=204, headers=_tus_headers(blob, blob.offset))

    @login_required()
    def get(self, sha):
        """The cleaned file (or `?size=thumb`), for those who may see its evidence."""
        sha = _check_sha(sha)
        blob = db.session.get(Blob, sha)
        if blob is None or not blob.is_complete or not _may_read(sha, blob):
            raise AppError("That file was not found.", status=404)
        variant = "thumb" if request.args.get("size") == "thumb" else "original"
        data = blob_store().get(sha, variant)
        if data is None:
            raise AppError("That file has no thumbnail.", status=404)
        mimetype = "image/jpeg" if variant == "thumb" else blob.content_type
        return Response(data, mimetype=mimetype, headers={
            "Cache-Control": "private, max-age=31536000, immutable",
            "X-Content-Type-Options": "nosniff",
        })


def _start_upload(store: BlobStore, sha: str, length: int) -> Blob:
    """Create the row (and so hold its lock) before any byte is stored.

    Two first chunks of one file can race (a retry overtaking a request the network held
    back): the second INSERT waits for the first's commit and fails, and then takes the
    row lock like any later chunk, so only one of them ever writes to the store.
    """
    try:
        with db.session.begin_nested():
            db.session.add(Blob(sha256=sha, uploader_id=current_user.id, length=length,
                                offset=0))
    except IntegrityError:
        blob = db.session.get(Blob, sha, with_for_update=True, populate_existing=True)
        if blob is None:  # created and discarded meanwhile: the device starts again
            raise AppError("This upload restarted; send it again from offset 0.", status=409,
                           expected_offset=0) from None
        return blob
    store.drop_partial(sha)  # leftovers of an earlier, discarded try of the same file
    return db.session.get(Blob, sha)


def _finish(store: BlobStore, blob: Blob) -> None:
    """Verify the hash and the type, strip metadata, store the clean file and a thumbnail."""
    raw = store.read_partial(blob.sha256, blob.length)
    if hashlib.sha256(raw).hexdigest() != blob.sha256:
        _discard(store, blob.sha256)
        raise AppError("The file's bytes do not match its sha256; please send it again.",
                       status=422, code="hash_mismatch")
    try:
        clean, thumb, meta = clean_upload(raw)
    except AppError:
        _discard(store, blob.sha256)
        raise
    store.put(blob.sha256, clean)
    if thumb is not None:
        store.put(blob.sha256, thumb, "thumb")
    blob.is_complete = True
    blob.content_type = meta["content_type"]
    blob.width = meta.get("width")
    blob.height = meta.get("height")


def _discard(store: BlobStore, sha: str) -> None:
    """Forget a failed upload entirely so the device can start it again from zero."""
    db.session.rollback()
    store.drop_partial(sha)
    stale = db.session.get(Blob, sha)
    if stale is not None:
        db.session.delete(stale)
        db.session.commit()
