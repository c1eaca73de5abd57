"""The public privacy page (/privacy): how long this school keeps records, from the one
public route GET /api/privacy-notice (no sign-in, so it uses the API without a token)."""

from __future__ import annotations

import reflex as rx

from app.api_client import call_api

# user-facing words, kept together for the translation catalogs
PHOTOS_KEPT = ("Evidence photos and files are deleted {years} years after a learner leaves "
               "the school.")
RECORD_KEPT = "A learner's whole record is deleted {years} years after they leave the school."
PHOTOS_UNTIL = ("Evidence photos and files are kept until the school deletes the learner's "
                "record.")
RECORD_UNTIL = ("A learner's record is kept until the school deletes it. The school can delete "
                "it once the learner has left.")
EACH_SCHOOL = ("Each school on this server sets its own periods; ask your school how long it "
               "keeps records.")
UNKNOWN = "Ask your school how long it keeps records."


def _years(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def retention_lines(body: dict | None) -> list[str]:
    """The retention setting in plain sentences (or what to ask when it is not known)."""
    if not isinstance(body, dict):
        return [UNKNOWN]
    if not body.get("is_one_school"):
        return [EACH_SCHOOL]
    photos, record = _years(body.get("photo_years")), _years(body.get("record_years"))
    return [PHOTOS_KEPT.format(years=photos) if photos else PHOTOS_UNTIL,
            RECORD_KEPT.format(years=record) if record else RECORD_UNTIL]


class PrivacyState(rx.State):
    """Public: holds nothing about the visitor, only the school's retention sentences."""

    retention: list[str] = []
    is_loaded: bool = False

    @rx.event
    async def load(self):
        response = await call_api("GET", "/api/privacy-notice",
                                  client_ip=self.router.session.client_ip)
        self.retention = retention_lines(response.body if response.is_ok else None)
        self.is_loaded = True
