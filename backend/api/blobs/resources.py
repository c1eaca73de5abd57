"""Evidence files, uploaded resumably by sha256 (tus 1.0 core: HEAD for the offset, PATCH
to append), verified, stripped of EXIF and thumbnailed when the last byte arrives.

Each account has its own upload of a file (backend/api/blobs/uploads.py); a file is read
only as access.py allows. HEAD and PATCH speak of the caller's own upload only.
"""

import re

import click
from flask import Response, current_app, request
from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint

from backend.api.blobs import uploads
from backend.api.blobs.access import authorize_read, file_response
from backend.auth import login_required
from backend.blobstore import blob_store
from backend.errors import AppError
from backend.extensions import db
from backend.i18n import N_, gettext
from backend.models import Blob, BlobUpload
from backend.services.access_log import record_read

# cli_group=None: the command is `flask blobs-expire`, ready for cron or a systemd timer
blp = Blueprint("blobs", __name__, url_prefix="/api/blobs", cli_group=None,
                description="Resumable evidence uploads (tus 1.0 core)")

TUS_VERSION = "1.0.0"
_SHA = re.compile(r"^[0-9a-f]{64}$")

# user-facing words, in one place for the translation catalogs
BAD_NAME = N_("A blob is named by the sha256 of its bytes: 64 lowercase hex digits.")
NOT_FOUND = N_("That file was not found.")
NO_THUMB = N_("That file has no thumbnail.")


def _check_sha(sha: str) -> str:
    if not _SHA.match(sha):
        raise AppError(BAD_NAME, status=400)
    return sha


def _tus_headers(upload: BlobUpload, offset: int) -> dict:
    return {"Tus-Resumable": TUS_VERSION, "Upload-Offset": str(offset),
            "Upload-Length": str(upload.length), "Cache-Control": "no-store"}


def _not_found() -> Response:
    """The one answer for unknown, not yours, and not readable by you: it tells nothing."""
    return Response(status=404, headers={"Tus-Resumable": TUS_VERSION,
                                         "Cache-Control": "no-store"})


def _int_header(name: str) -> int:
    raw = request.headers.get(name)
    if raw is None or not raw.isdigit() or len(raw) > 18:
        raise AppError(gettext("The {name} header must be a whole number of bytes.", name=name),
                       status=400)
    return int(raw)


@blp.route("/<sha>")
class BlobsBySha(MethodView):
    @login_required()  # guardians too: they never sent a file, so they get the same 404
    def head(self, sha):
        """Your own upload of this file: 200 complete, 204 partial with Upload-Offset, 404
        none yet (also when someone else sent it: HEAD tells nothing about others' files)."""
        sha = _check_sha(sha)
        upload = uploads.own_upload(sha, current_user.id)
        if upload is not None and uploads.is_expired(upload):
            # abandoned: the device starts again from 0 (under the row lock, so a chunk
            # arriving meanwhile is either before this, and keeps it alive, or after it)
            upload = uploads.own_upload(sha, current_user.id, lock=True)
            if upload is not None and uploads.is_expired(upload):
                uploads.drop(blob_store(), upload)
                upload = None
            db.session.commit()
        if upload is None:
            return _not_found()
        if upload.is_complete:
            # a worker killed between the finishing commit and the chunks' removal (patch
            # below) left them: the device's next look at its finished upload removes them
            blob_store().drop_partial(upload.partial_key)
            return Response(status=200, headers=_tus_headers(upload, upload.length))
        return Response(status=204, headers=_tus_headers(upload, upload.offset))

    @login_required("student", "teacher", "admin")
    def patch(self, sha):
        """Append bytes at Upload-Offset to your own upload; the first PATCH (offset 0)
        carries Upload-Length. A chunk already stored is harmless."""
        sha = _check_sha(sha)
        if request.headers.get("Content-Type") != "application/offset+octet-stream":
            raise AppError(gettext("Send the bytes as application/offset+octet-stream."),
                           status=415)
        offset = _int_header("Upload-Offset")
        # the whole chunk first: a slow tablet must not hold the row lock (and a database
        # connection) while its bytes trickle in, nor write a chunk after the line dropped
        data = request.get_data(cache=False)
        store = blob_store()
        upload = uploads.own_upload(sha, current_user.id, lock=True)
        if upload is not None and uploads.is_expired(upload):
            uploads.drop(store, upload)
            db.session.flush()
            upload = None
            if offset != 0:
                db.session.commit()
                raise AppError(uploads.EXPIRED, status=409, expected_offset=0)
        if upload is None:
            if offset != 0:
                raise AppError(uploads.NOT_STARTED, status=409, expected_offset=0)
            length = _int_header("Upload-Length")
            if length > current_app.config["BLOB_MAX_BYTES"]:
                cap_mb = current_app.config["BLOB_MAX_BYTES"] // (1024 * 1024)
                raise AppError(gettext("That file is larger than {mb} MB.", mb=cap_mb), status=413)
            upload = uploads.start(store, sha, current_user.id, length)
        if upload.is_complete:
            store.drop_partial(upload.partial_key)  # leftovers of a worker killed (see head)
            return Response(status=204, headers=_tus_headers(upload, upload.length))
        uploads.append(store, upload, data, offset)
        is_finished = upload.offset == upload.length
        if is_finished:
            uploads.finish(store, upload)
        db.session.commit()
        if is_finished:
            # only once the commit stands: a worker killed before it leaves the chunks for
            # the device's retry to finish from, instead of an upload that can never complete
            store.drop_partial(upload.partial_key)
        return Response(status=204, headers=_tus_headers(upload, upload.offset))

    @login_required()
    def get(self, sha):
        """The cleaned file (or `?size=thumb`), for its sender and for those who may read
        evidence its learner sent it with; 404 for everyone else, as for no file at all.
        Photos are shown inline; other files (PDF) download as attachments."""
        sha = _check_sha(sha)
        grant = authorize_read(sha, current_user)
        if grant is None:
            raise AppError(NOT_FOUND, status=404)
        variant = "thumb" if request.args.get("size") == "thumb" else "original"
        data = blob_store().get(sha, variant)
        if data is None:
            raise AppError(NO_THUMB if variant == "thumb" else NOT_FOUND, status=404)
        content_type = "image/jpeg" if variant == "thumb" else (
            db.session.get(Blob, sha).content_type or "application/octet-stream")
        record_read(current_user, [grant.learner_id], "evidence_file")
        return file_response(data, sha, content_type)


@blp.cli.command("blobs-expire")
def blobs_expire_command():
    """Purge half-sent files untouched for BLOB_PARTIAL_TTL (schedule it daily)."""
    result = uploads.expire_partials(blob_store())
    click.echo(f"Purged {result['uploads']} abandoned uploads and "
               f"{result['orphans']} partial files with no upload.")
