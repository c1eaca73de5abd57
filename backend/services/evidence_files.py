"""Which evidence files a server-side reader may include: a rule of the domain that the
reports, the record export and the blobs API share (the API's read rule is
backend/api/blobs/access.py)."""

from backend.extensions import db
from backend.models import BlobUpload


def sent_by(learner_id: int, sha: str) -> bool:
    """Whether `learner_id` finished sending file `sha`: what a report, an export or any
    other server-side reader of a learner's evidence must check before including the file
    (evidence written before issue 13 may cite a file someone else sent)."""
    upload = db.session.get(BlobUpload, (sha, learner_id))
    return upload is not None and upload.is_complete
