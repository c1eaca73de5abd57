"""Who sent which evidence file: one row per account and sha256, partial or finished."""

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column

from backend.extensions import db
from backend.models._base import utcnow


class BlobUpload(db.Model):
    """One account's own upload of a file, resumable (tus) until its last byte arrives.

    Files are shared by sha256 (`blobs`), but the right to cite one in evidence and to read
    it through that evidence comes from having sent its bytes: a sha alone proves nothing.
    Each account uploads into its own partial, so nobody ever waits on someone else's.
    """

    __tablename__ = "blob_uploads"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    length: Mapped[int] = mapped_column(BigInteger)
    offset: Mapped[int] = mapped_column(BigInteger, default=0)
    is_complete: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # the last byte received: a partial untouched for BLOB_PARTIAL_TTL is purged
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 index=True)

    @property
    def partial_key(self) -> str:
        """The blob store's name for this account's half-sent bytes."""
        return f"{self.sha256}.{self.user_id}"


def record_upload(session, user_id: int, sha256: str, length: int) -> BlobUpload:
    """Record that `user_id` sent every byte of file `sha256` (for the seed and imports, which
    store the file themselves): a learner's evidence may then cite it, and readers of that
    evidence read it. Pair it with a `Blob` row and the file in the blob store."""
    upload = session.get(BlobUpload, (sha256, user_id))
    if upload is None:
        upload = BlobUpload(sha256=sha256, user_id=user_id, length=length)
        session.add(upload)
    upload.length = upload.offset = length
    upload.is_complete = True
    return upload


def started_uploads(session, pairs: set[tuple[int, str]]) -> set[tuple[int, str]]:
    """The (user id, sha256) pairs of `pairs` whose account has started or finished sending
    that file: one query for a whole sync batch."""
    if not pairs:
        return set()
    shas = {sha for _user, sha in pairs}
    users = {user for user, _sha in pairs}
    rows = session.execute(select(BlobUpload.user_id, BlobUpload.sha256).where(
        BlobUpload.sha256.in_(shas), BlobUpload.user_id.in_(users)))
    return {(user, sha) for user, sha in rows} & pairs
