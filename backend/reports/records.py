"""Transcripts with learner records: a class's transcript PDF and, beside it, each learner's
signed CLR 2.0 record (issue 17: "a CLR 2.0 bundle … is exported with the transcript").

The zip holds the batch's PDF, one `records/<name>-<id>.clr.json` per learner (the W3C
enveloped VC-JWT the family export and `/verify` use) and a README in the teacher's
language saying what the files are and how anyone can check them. A learner whose record
cannot be signed is listed as left out, like a learner whose report could not be made,
and the rest of the class goes on.
"""

import io
import json
import logging
import re
import zipfile

from backend.extensions import db
from backend.i18n import N_, gettext

log = logging.getLogger(__name__)

RECORD_SECONDS = 2  # a learner's record (levels, credentials, one signature): well under
SIGNING = "signing records"  # the job's stage; the page words it
RECORD_FAILED = N_("The learner record (CLR) could not be signed.")
README = N_(
    "Transcripts of {name}, with each learner's Comprehensive Learner Record (CLR 2.0).\n\n"
    "{pdf}: every learner's transcript.\n"
    "records/: one signed record per learner: their credentials and the results of every "
    "measurement topic. Each file is a verifiable credential signed by the school; a "
    "college, an employer or another school can check it on the school's /verify page "
    "without calling the school.\n")


def batch_filename(kind: str, class_name: str, with_records: bool) -> str:
    name = f"{kind}-records-{class_name}.zip" if with_records else f"{kind}-{class_name}.pdf"
    return name.replace("/", "-")


def _file_name(name: str, learner_id: int) -> str:
    slug = re.sub(r"[^\w.-]+", "-", name, flags=re.UNICODE).strip("-")[:60] or "learner"
    return f"records/{slug}-{learner_id}.clr.json"


def records_of(learners: list[tuple[int, str]], progress, locale: str
               ) -> tuple[dict[str, str], list[dict]]:
    """({file name: signed CLR JSON}, [left out]) for [(learner id, name)]; progress is
    reported per learner (stage "signing records")."""
    from backend.credentials import clr, issue
    from backend.models import User

    records, left_out = {}, []
    for done, (learner_id, name) in enumerate(learners):
        progress(SIGNING, done, len(learners), left_out)
        try:
            learner = db.session.get(User, learner_id)
            issue.issue_missing(learner)
            records[_file_name(name, learner_id)] = json.dumps(
                issue.enveloped(clr.signed_clr(learner)), indent=2)
        except Exception:  # one learner's record must not stop the class
            db.session.rollback()
            log.exception("learner record (CLR) of learner %s left out", learner_id)
            left_out.append({"learner_id": learner_id, "name": name,
                             "reason": gettext(RECORD_FAILED, locale=locale)})
        finally:
            db.session.expire_all()  # a class of records, not a class of ORM rows, in memory
    progress(SIGNING, len(learners), len(learners), left_out)
    return records, left_out


def records_zip(filename: str, pdf: bytes, records: dict[str, str], locale: str = "en"
                ) -> bytes:
    pdf_name = filename.removesuffix(".zip").replace("-records-", "-", 1) + ".pdf"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", gettext(README, locale=locale,
                                               name=filename.removesuffix(".zip"),
                                               pdf=pdf_name))
        archive.writestr(pdf_name, pdf)
        for name, body in records.items():
            archive.writestr(name, body)
    return buffer.getvalue()
