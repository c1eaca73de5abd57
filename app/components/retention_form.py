"""/admin/settings: how long the school keeps a learner's photos and record after they leave.

Enforced by `flask retention-run` (docs/deploy.md, "Retention and deletion"); this form only
stores the two periods. Empty means "kept until an admin deletes the learner".
"""

import reflex as rx

from app.components.admin_form import FIELD, notice
from app.components.shell import TOUCH
from app.i18n import t
from app.state.base import SignedOut, State

TITLE = "How long records are kept"
ABOUT = ("Counted from the day a learner is marked as withdrawn. Leave a box empty to keep "
         "until an admin deletes the learner. A scheduled job deletes what is past the "
         "period every night.")
PHOTOS = "Evidence photos: years kept after a learner leaves"
RECORD = "The whole record: years kept after a learner leaves"
SAVED = "Saved. The next scheduled run applies it."
NOT_A_NUMBER = "Enter whole years as a number, e.g. 3, or leave the box empty."


def _years(text: str):
    text = (text or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValueError(NOT_A_NUMBER)
    return int(text)


class RetentionState(State):
    photo_years: str = ""
    record_years: str = ""
    message: str = ""
    is_error: bool = False

    @rx.event
    async def load(self):
        try:
            answer = await self._api("GET", "/api/privacy/retention")
        except SignedOut:
            return None
        if answer.is_ok:
            self.photo_years = str(answer.body["photo_years"] or "")
            self.record_years = str(answer.body["record_years"] or "")
        return None

    @rx.event
    async def save(self, form: dict):
        photo, record = str(form.get("photo_years", "")), str(form.get("record_years", ""))
        self.photo_years, self.record_years = photo, record  # keep what was typed
        try:
            body = {"photo_years": _years(photo), "record_years": _years(record)}
        except ValueError as err:
            self.message, self.is_error = str(err), True
            return None
        try:
            answer = await self._api("PUT", "/api/privacy/retention", body)
        except SignedOut:
            return self._to_login()
        self.message, self.is_error = (SAVED, False) if answer.is_ok else (answer.message, True)
        return None


def _field(label: str, name: str, field_id: str, value) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_weight="500", font_size="0.9em"),
        rx.el.input(id=field_id, name=name, type="number", min=1, max=50, step=1,
                    input_mode="numeric", default_value=value, key=value, style=FIELD),
        spacing="1", width="100%",
    )


def retention_card() -> rx.Component:
    """The two periods, saved together."""
    S = RetentionState
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(TITLE, as_="h2", size="4"),
                rx.text(ABOUT, size="2", color=rx.color("gray", 11)),
                _field(PHOTOS, "photo_years", "retention-photos", S.photo_years),
                _field(RECORD, "record_years", "retention-record", S.record_years),
                notice(S.message, S.is_error),
                rx.button(t("Save retention"), type="submit", size="3", min_height=TOUCH,
                          width="100%"),
                spacing="3", width="100%",
            ),
            on_submit=S.save, reset_on_submit=False,
        ),
        on_mount=S.load,
        width="100%",
    )
