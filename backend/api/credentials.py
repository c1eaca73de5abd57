"""Credentials API (issue 17): the issuer's public profile, keys and status list (public),
verification anyone can do (public), a learner's credentials and CLR (the learner, their
family, their teachers and admins; access-logged), revocation and key rotation (admins),
and importing a credential earned elsewhere (teachers and admins).
"""

import json
import uuid
from datetime import UTC

from flask import current_app, request
from flask_jwt_extended import current_user
from flask_smorest import Blueprint
from sqlalchemy import select

from backend.auth import learner_ids_for, login_required, require_learner
from backend.credentials import clr, issue, keys, status
from backend.credentials.models import (
    ImportedCredential,
    LearnerCredential,
    MicrocredentialAward,
)
from backend.credentials.verify import MAX_INPUT, verify
from backend.downloads import file_response
from backend.error_words import request_locale
from backend.errors import AppError
from backend.extensions import db, limiter
from backend.i18n import N_, gettext
from backend.models import School, User
from backend.models._base import utcnow
from backend.services.access_log import record_admin_write, record_read

blp = Blueprint("credentials", __name__, url_prefix="/api/credentials",
                description="Open Badges 3.0 / CLR 2.0 credentials and verification")

NOT_FOUND = N_("That credential was not found.")
NO_EDUCATOR = N_("That educator was not found among the people you can see.")
NO_SCHOOL = N_("That issuer was not found.")
NOTHING = N_("Paste a credential or choose a file first.")
TOO_BIG = N_("That file is larger than {kb} KB; a credential is much smaller.")


def _school(school_id: int) -> School:
    school = db.session.get(School, school_id)
    if school is None:
        raise AppError(gettext(NO_SCHOOL), status=404)
    return school


@blp.route("/issuers/<int:school_id>")
def issuer_profile(school_id: int):
    """The school's issuer Profile, its public keys as verification methods (public)."""
    school = _school(school_id)
    keys.current_key(school.id)
    return keys.profile(school)


@blp.route("/issuers/<int:school_id>/jwks")
def issuer_jwks(school_id: int):
    """The school's public keys, current and retired (retired keys still verify)."""
    school = _school(school_id)
    keys.current_key(school.id)
    return keys.jwks(school.id)


@blp.route("/status/<int:school_id>")
def status_list(school_id: int):
    """The school's BitstringStatusListCredential (public)."""
    return status.status_credential(_school(school_id).id)


def _words(result: dict) -> dict:
    locale = request_locale()
    out = dict(result)
    out["headline"] = gettext(result["headline"], locale=locale, **result["headline_params"])
    out["checks"] = [c | {"words": gettext(c["words"], locale=locale)} for c in result["checks"]]
    return out


def _submitted() -> str | dict:
    """The credential sent: an uploaded file, a JSON body ({"credential": ...} or the
    credential itself) or plain text."""
    upload = request.files.get("file")
    if upload is not None:
        data = upload.stream.read(MAX_INPUT + 1)
        if len(data) > MAX_INPUT:
            raise AppError(TOO_BIG, params={"kb": MAX_INPUT // 1024}, status=413,
                           errors={"file": [gettext(TOO_BIG, kb=MAX_INPUT // 1024)]})
        return data.decode("utf-8", errors="replace")
    if request.form.get("credential"):
        return request.form["credential"]
    raw = request.get_data(cache=True, as_text=True)
    if len(raw) > MAX_INPUT:
        raise AppError(TOO_BIG, params={"kb": MAX_INPUT // 1024}, status=413)
    if request.is_json:
        body = request.get_json(silent=True)
        if isinstance(body, dict) and "credential" in body:
            return body["credential"]
        if body is not None:
            return body
    if not raw.strip():
        raise AppError(NOTHING, status=422, errors={"credential": [gettext(NOTHING)]})
    return raw


@blp.route("/verify", methods=["POST"])
@limiter.limit(lambda: current_app.config["VERIFY_RATE_LIMIT"])  # public: per address
def verify_credential():
    """Anyone: is this credential authentic, unaltered, unrevoked; who issued it, when.
    Always 200 with a verdict for a credential that is bad; 4xx only for an empty or
    oversized request."""
    value = _submitted()
    if isinstance(value, str) and not value.strip():
        raise AppError(NOTHING, status=422, errors={"credential": [gettext(NOTHING)]})
    return _words(verify(value))


def _when(value) -> str | None:
    if value is None:
        return None
    return issue.stamp(value if value.tzinfo else value.replace(tzinfo=UTC))


def _view(row: LearnerCredential) -> dict:
    return {"id": row.id, "name": row.name, "topic_id": row.topic_id,
            "issued_at": _when(row.issued_at), "revoked_at": _when(row.revoked_at),
            "is_revoked": row.revoked_at is not None,
            "download": f"/api/credentials/{row.id}/download"}


def award_view(award: MicrocredentialAward | None) -> dict | None:
    """What an admin recorded for an educator's microcredential (stipend, hours)."""
    if award is None:
        return None
    return {"stipend_cents": award.stipend_cents, "recert_hours": award.recert_hours,
            "note": award.note, "recorded_at": _when(award.recorded_at),
            "recorded_by": award.recorded_by}


def _listing(person: User) -> list[LearnerCredential]:
    """A person's credentials, what they earned and have not yet got issued now (the one
    path for learners and educators)."""
    issue.issue_missing(person)
    return list(db.session.scalars(select(LearnerCredential).where(
        LearnerCredential.learner_id == person.id).order_by(LearnerCredential.issued_at)))


@blp.route("/learners/<int:student_id>")
@login_required()
def learner_credentials(student_id: int):
    """A learner's credentials; what they have earned and not yet got is issued now."""
    learner = require_learner(current_user, student_id)
    record_read(current_user, [learner.id], "binder")
    return {"learner_id": learner.id, "credentials": [_view(r) for r in _listing(learner)],
            "clr": f"/api/credentials/learners/{learner.id}/clr"}


def educator_ids_for(user: User) -> set[int]:
    """Whose teacher microcredentials `user` may read: their own (staff), and an admin's or
    an assessor's: every teacher and admin of the school."""
    if user.role not in ("teacher", "admin"):
        return set()
    if user.role == "admin" or user.is_assessor:
        return set(db.session.scalars(select(User.id).where(
            User.school_id == user.school_id, User.role.in_(("teacher", "admin")))))
    return {user.id}


@blp.route("/educators/<int:user_id>")
@login_required("teacher", "admin")
def educator_credentials(user_id: int):
    """An educator's microcredentials (their own, or for an admin or an assessor of the
    school); what they have earned and not yet got is issued now. With what an admin
    recorded for each (stipend, recertification hours)."""
    educator = db.session.get(User, user_id)
    if educator is None or user_id not in educator_ids_for(current_user):
        raise AppError(gettext(NO_EDUCATOR), status=404)
    rows = _listing(educator)
    awards = {a.credential_id: a for a in db.session.scalars(select(MicrocredentialAward).where(
        MicrocredentialAward.credential_id.in_([r.id for r in rows])))} if rows else {}
    return {"educator_id": educator.id,
            "credentials": [_view(r) | {"award": award_view(awards.get(r.id))} for r in rows]}


def _credential(cred_id: str) -> LearnerCredential:
    row = db.session.get(LearnerCredential, cred_id) if len(cred_id) <= 36 else None
    if row is None or (row.learner_id not in learner_ids_for(current_user)
                       and row.learner_id not in educator_ids_for(current_user)):
        raise AppError(gettext(NOT_FOUND), status=404)
    return row


@blp.route("/<cred_id>")
@login_required()
def credential_detail(cred_id: str):
    """One credential: what it says (decoded) and the file to download."""
    row = _credential(cred_id)
    record_read(current_user, [row.learner_id], "binder")
    return _view(row) | {"credential": issue.decoded(row.jwt),
                         "verification": _words(verify(row.jwt))}


@blp.route("/<cred_id>/download")
@login_required()
def credential_download(cred_id: str):
    """The credential as JSON (VCDM 2.0 enveloped VC-JWT), read-only, access-logged."""
    row = _credential(cred_id)
    record_read(current_user, [row.learner_id], "export")
    body = json.dumps(issue.enveloped(row.jwt), indent=2)
    return file_response(body, "application/json", f"credential-{row.id[:8]}.json")


@blp.route("/learners/<int:student_id>/clr")
@login_required()
def learner_clr(student_id: int):
    """The learner's CLR 2.0 ClrCredential (all credentials and topic results), signed."""
    learner = require_learner(current_user, student_id)
    record_read(current_user, [learner.id], "export")
    issue.issue_missing(learner)
    body = json.dumps(issue.enveloped(clr.signed_clr(learner)), indent=2)
    return file_response(body, "application/json", f"clr-{learner.id}.json")


@blp.route("/<cred_id>/revoke", methods=["POST"])
@login_required("admin")
def revoke_credential(cred_id: str):
    """An admin withdraws a credential: its bit in the status list turns on."""
    row = _credential(cred_id)
    if row.revoked_at is None:
        body = request.get_json(silent=True) or {}
        row.revoked_at, row.revoked_by = utcnow(), current_user.id
        row.revoke_reason = str(body.get("reason") or "")[:500]
        row.active_key = None
        record_admin_write(current_user, "credential.revoke", ("credential", row.id),
                           {"learner_id": row.learner_id, "topic_id": row.topic_id})
        db.session.commit()
    return _view(row)


@blp.route("/issuer/rotate", methods=["POST"])
@login_required("admin")
def rotate_key():
    """An admin replaces the signing key; the old public key stays published."""
    key = keys.rotate(current_user.school_id)
    record_admin_write(current_user, "credential.key_rotate", ("credential_key", key.id),
                       {"kid": key.id}, commit=True)
    return {"kid": key.id, "jwks": keys.jwks(current_user.school_id)}


def _import_view(row: ImportedCredential) -> dict:
    return {"id": row.id, "owner_id": row.owner_id, "name": row.name,
            "issuer": row.issuer_name, "verdict": row.verdict,
            "headline": gettext(row.result.get("headline", ""), locale=request_locale(),
                                **row.result.get("headline_params", {})),
            "created_at": _when(row.created_at)}


def _owner(owner_id: int | None) -> User:
    if owner_id is None or owner_id == current_user.id:
        return current_user
    return require_learner(current_user, owner_id)


@blp.route("/imports", methods=["POST"])
@login_required("teacher", "admin")
def import_credential():
    """A teacher uploads an OB 3.0 credential earned elsewhere (their own, or one of their
    learners' with owner_id); kept with its verification result."""
    body = request.get_json(silent=True) if request.is_json else None
    owner_raw = str(request.form.get("owner_id") or request.args.get("owner_id")
                    or (body.get("owner_id") if isinstance(body, dict) else "") or "")
    owner = _owner(int(owner_raw) if owner_raw.isdigit() and len(owner_raw) < 10 else None)
    value = _submitted()
    raw = value if isinstance(value, str) else json.dumps(value)
    result = verify(value)
    if result["verdict"] == "unreadable":
        raise AppError(N_("This is not a credential Waypoint can read. Paste the whole file, "
                          "or choose the .json file you downloaded."), status=422,
                       code="not_a_credential")
    summary = result["credential"]
    row = ImportedCredential(
        id=str(uuid.uuid4()), school_id=current_user.school_id, owner_id=owner.id,
        uploaded_by=current_user.id, raw=raw, name=summary.get("name", "")[:300],
        issuer_name=summary.get("issuer", "")[:300], verdict=result["verdict"],
        result={k: result[k] for k in ("headline", "headline_params", "reason")})
    db.session.add(row)
    db.session.commit()
    return _import_view(row), 201


@blp.route("/imports")
@login_required()
def list_imports():
    """Imported credentials of a person's record (one's own, or a learner one may read)."""
    owner_raw = request.args.get("owner_id")
    owner = _owner(int(owner_raw) if owner_raw and owner_raw.isdigit() else None)
    if owner.role == "student":
        record_read(current_user, [owner.id], "binder")
    rows = db.session.scalars(select(ImportedCredential).where(
        ImportedCredential.owner_id == owner.id).order_by(ImportedCredential.created_at.desc())
        .limit(200))
    return {"owner_id": owner.id, "imports": [_import_view(r) for r in rows]}


@blp.cli.command("keygen")
def keygen_command():
    """Make each school's issuer key if it has none (`make run`'s first use does too)."""
    import click

    for school in db.session.scalars(select(School).order_by(School.id)):
        key = keys.current_key(school.id)
        click.echo(f"school {school.id} ({school.name}): signing key {key.id}")


@blp.cli.command("rotate")
@__import__("click").option("--school", "school_id", type=int, required=True)
def rotate_command(school_id: int):
    """Retire a school's signing key and make a new one (old credentials still verify)."""
    import click

    if db.session.get(School, school_id) is None:
        raise click.ClickException(f"there is no school {school_id}")
    key = keys.rotate(school_id)
    click.echo(f"school {school_id}: new signing key {key.id}; older keys stay published")
