"""One account's resumable upload of one file: start, append, finish, expire.

Every account sends into a partial of its own (`BlobUpload`, named `<sha>.<account>` in the
store), so nobody ever waits for, appends to or sabotages someone else's half-sent bytes.
The finished file is shared by sha256 (`Blob`): a second account sending the same bytes
proves it has them (the hash is checked) and is recorded, without storing them twice.
"""

import hashlib
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from backend.blobstore import BlobStore
from backend.errors import AppError
from backend.extensions import db
from backend.i18n import N_, gettext
from backend.models import Blob, BlobUpload
from backend.models.blobs import record_upload
from backend.services.images import MAX_PIXELS, clean_upload

DEFAULT_PARTIAL_TTL = timedelta(hours=24)

# user-facing words, in one place for the translation catalogs
RESTARTED = N_("This upload restarted; send it again from offset 0.")
EXPIRED = N_("This upload waited too long and was cleared; send it again from the "
             "start.")
NOT_STARTED = N_("This upload has not started: send from offset 0.")
HASH_MISMATCH = N_("The file's bytes do not match its sha256; please send it again.")


def partial_ttl() -> timedelta:
    return current_app.config.get("BLOB_PARTIAL_TTL", DEFAULT_PARTIAL_TTL)


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes for timezone columns; they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def is_expired(upload: BlobUpload, now: datetime | None = None) -> bool:
    """A partial nobody has added to for BLOB_PARTIAL_TTL (a finished upload never expires)."""
    now = now or datetime.now(UTC)
    return not upload.is_complete and _aware(upload.updated_at) < now - partial_ttl()


def own_upload(sha: str, user_id: int, *, lock: bool = False) -> BlobUpload | None:
    return db.session.get(BlobUpload, (sha, user_id), with_for_update=lock or None,
                          populate_existing=lock)


def drop(store: BlobStore, upload: BlobUpload) -> None:
    """Forget one account's partial: its bytes first, then its row (the caller commits)."""
    store.drop_partial(upload.partial_key)
    db.session.delete(upload)


def start(store: BlobStore, sha: str, user_id: int, length: int) -> BlobUpload:
    """Create this account's row (and so hold its lock) before any byte is stored.

    Two first chunks of one file from one account can race (a retry overtaking a request
    the network held back): the second INSERT waits for the first's commit and fails, then
    takes the row lock like any later chunk, so only one of them writes to the store.
    Starting also purges other accounts' expired partials of the same file.
    """
    _expire_others(store, sha, user_id)
    try:
        with db.session.begin_nested():
            db.session.add(BlobUpload(sha256=sha, user_id=user_id, length=length, offset=0))
    except IntegrityError:
        upload = own_upload(sha, user_id, lock=True)
        if upload is None:  # created and discarded meanwhile: the device starts again
            raise AppError(RESTARTED, status=409, expected_offset=0) from None
        return upload
    upload = own_upload(sha, user_id)
    store.drop_partial(upload.partial_key)  # leftovers of an earlier, discarded try
    return upload


def _expire_others(store: BlobStore, sha: str, user_id: int) -> None:
    """Lazily purge abandoned partials of this file (the owners' devices restart from 0)."""
    cutoff = datetime.now(UTC) - partial_ttl()
    for stale in db.session.scalars(select(BlobUpload).where(
            BlobUpload.sha256 == sha, BlobUpload.user_id != user_id,
            BlobUpload.is_complete.is_(False), BlobUpload.updated_at < cutoff)
            .with_for_update(skip_locked=True)):
        drop(store, stale)


def append(store: BlobStore, upload: BlobUpload, data: bytes, offset: int) -> None:
    """Append the new part of a chunk sent at `offset` (a retried chunk is harmless)."""
    if offset > upload.offset:
        raise AppError(gettext("Bytes are missing: the server has {offset}.",
                               offset=upload.offset), status=409,
                       expected_offset=upload.offset)
    fresh = data[upload.offset - offset:]  # skip what an earlier, retried chunk delivered
    if upload.offset + len(fresh) > upload.length:
        raise AppError(gettext("That is more bytes than the upload said it would send."),
                       status=413)
    if fresh:
        # at the committed offset: bytes of a worker killed before its commit are replaced
        upload.offset = store.append_partial(upload.partial_key, fresh, at=upload.offset)
    upload.updated_at = datetime.now(UTC)


def finish(store: BlobStore, upload: BlobUpload) -> None:
    """Verify the hash; the first account to finish a file also checks its type, strips its
    metadata and stores the clean file and a thumbnail. Raises AppError (and forgets the
    upload) for bytes that are not what they claim."""
    raw = store.read_partial(upload.partial_key, upload.length)
    if hashlib.sha256(raw).hexdigest() != upload.sha256:
        discard(store, upload.sha256, upload.user_id)
        raise AppError(HASH_MISMATCH, status=422, code="hash_mismatch")
    if db.session.get(Blob, upload.sha256) is None:
        try:
            store_file(store, upload.sha256, raw, upload.user_id)
        except AppError:
            discard(store, upload.sha256, upload.user_id)
            raise
    upload.is_complete = True


def store_file(store: BlobStore, sha: str, raw: bytes, user_id: int) -> Blob:
    """Clean `raw` (refusing fakes and decompression bombs), store it, add its `Blob` row."""
    max_pixels = current_app.config.get("IMAGE_MAX_PIXELS", MAX_PIXELS)
    clean, thumb, meta = clean_upload(raw, max_pixels)
    store.put(sha, clean)
    if thumb is not None:
        store.put(sha, thumb, "thumb")
    blob = Blob(sha256=sha, uploader_id=user_id, length=len(raw), offset=len(raw),
                is_complete=True, content_type=meta["content_type"], width=meta.get("width"),
                height=meta.get("height"))
    try:
        with db.session.begin_nested():
            db.session.add(blob)
    except IntegrityError:  # another account finished the same file a moment earlier
        blob = db.session.get(Blob, sha)
    return blob


def add_file(user_id: int, data: bytes) -> str:
    """Store `data` as if `user_id` had uploaded it (the seed, imports); returns its sha256.
    The caller commits. Raises AppError for a file an upload would refuse."""
    from backend.blobstore import blob_store

    sha = hashlib.sha256(data).hexdigest()
    if db.session.get(Blob, sha) is None:
        store_file(blob_store(), sha, data, user_id)
    record_upload(db.session, user_id, sha, len(data))
    return sha


def discard(store: BlobStore, sha: str, user_id: int) -> None:
    """Forget a failed upload entirely so the device can start it again from zero."""
    db.session.rollback()
    stale = own_upload(sha, user_id)
    store.drop_partial(f"{sha}.{user_id}")
    if stale is not None:
        db.session.delete(stale)
        db.session.commit()


def expire_partials(store: BlobStore, now: datetime | None = None, batch: int = 500) -> dict:
    """Purge every partial untouched for BLOB_PARTIAL_TTL: rows with their bytes, then bytes
    the store holds with no row (a worker killed mid-start, partials from before 0006).
    Bounded batches, each committed; ends when nothing stale is left."""
    now = now or datetime.now(UTC)
    cutoff = now - partial_ttl()
    uploads = 0
    while True:
        stale = db.session.scalars(select(BlobUpload).where(
            BlobUpload.is_complete.is_(False), BlobUpload.updated_at < cutoff)
            .order_by(BlobUpload.updated_at).limit(batch)
            .with_for_update(skip_locked=True)).all()
        for upload in stale:  # the row lock is held while its bytes go: no owner races us
            drop(store, upload)
        db.session.commit()
        uploads += len(stale)
        if len(stale) < batch:
            break
    live = {f"{sha}.{user}" for sha, user in db.session.execute(
        select(BlobUpload.sha256, BlobUpload.user_id).where(BlobUpload.is_complete.is_(False)))}
    orphans = [name for name, written in store.partials()
               if name not in live and _aware(written) < cutoff]
    for name in orphans:
        store.drop_partial(name)
    return {"uploads": uploads, "orphans": len(orphans)}
