"""Who may read an evidence file, and how it is served.

A sha256 proves nothing: anyone who has seen a file can compute it. So a file is readable
only by the account that sent it, and through evidence the caller may read whose own
learner sent that same file (a learner citing someone else's sha gains nothing). Anyone
else gets the same 404 as for a sha that does not exist.
"""

from dataclasses import dataclass

from flask import Response
from sqlalchemy import and_, select

from backend.auth import learner_ids_for
from backend.downloads import content_disposition
from backend.extensions import db
from backend.models import Blob, BlobUpload, Evidence, User

# a blob is data, never a page: no script, no plugin, no frame, no sniffing
# (img-src and inline styles: what the browser's own image viewer needs to show a photo)
BLOB_CSP = ("default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
            "frame-ancestors 'none'; sandbox")
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png",
              "image/webp": "webp"}


@dataclass(frozen=True)
class BlobRead:
    """Why a read was allowed: the caller's own upload, or evidence of `learner_id`."""

    sha256: str
    reader_id: int
    role: str
    learner_id: int | None = None  # None: the caller reads their own upload
    evidence_id: str | None = None


def authorize_read(sha: str, user: User) -> BlobRead | None:
    """The one place a blob read is allowed (the access log records reads from here).

    Returns None (→ 404) unless the file is finished and `user` sent it, or may read a
    live piece of evidence citing it whose learner sent it.
    """
    if db.session.get(Blob, sha) is None:
        return None
    own = db.session.get(BlobUpload, (sha, user.id))
    if own is not None and own.is_complete:
        return BlobRead(sha, user.id, user.role)
    from backend.sync_server.visibility import colleagues_assessed

    # an assessor also reads the files of the staff whose microcredential work it reviews
    learners = learner_ids_for(user) | colleagues_assessed(user)
    if not learners:
        return None
    row = db.session.execute(
        select(Evidence.id, Evidence.student_id)
        .join(BlobUpload, and_(BlobUpload.sha256 == Evidence.blob_sha256,
                               BlobUpload.user_id == Evidence.student_id,
                               BlobUpload.is_complete.is_(True)))
        .where(Evidence.blob_sha256 == sha, Evidence.is_deleted.is_(False),
               Evidence.student_id.in_(learners))
        .order_by(Evidence.id).limit(1)).first()
    if row is None:
        return None
    return BlobRead(sha, user.id, user.role, learner_id=row.student_id, evidence_id=row.id)


def file_response(data: bytes, sha: str, content_type: str) -> Response:
    """Photos shown in place; anything else (a PDF) only as a download, never rendered
    from our origin. Every answer says: no sniffing, no scripts, no embedding elsewhere."""
    is_image = content_type.startswith("image/")
    name = f"evidence-{sha[:12]}.{EXTENSIONS.get(content_type, 'bin')}"
    return Response(data, mimetype=content_type, headers={
        "Cache-Control": "private, max-age=31536000, immutable",
        "Content-Disposition": content_disposition(name, inline=is_image),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": BLOB_CSP,
        "Cross-Origin-Resource-Policy": "same-origin",
    })
