"""/admin/people: withdraw a learner, then delete their whole record with a typed
confirmation, and the deletion receipts (backend/services/deletion.py does the work).

The typed username is the guard against deleting the wrong child: the button alone is not
enough for something that cannot be undone. The form is never reset on an error, so what
the admin typed stays.
"""

import dataclasses
from datetime import datetime

import reflex as rx

from app.components.admin_form import FIELD, notice
from app.components.shell import TOUCH
from app.i18n import t
from app.state.base import SignedOut, State

# User-facing words, together so they can be wrapped for translation later.
TITLE = "Withdraw or delete a learner"
ABOUT = ("A learner who has left is first marked as withdrawn; the school's retention "
         "period counts from that day. Only a withdrawn learner can be deleted: every goal, "
         "piece of evidence and photo, level, review, family link and device copy of theirs "
         "is removed for good. Their family can download a copy first from the family "
         "portal.")
CHOOSE = "Choose a learner…"
PICK_LABEL = "Learner to withdraw or delete"
AT_SCHOOL = "{name} ({username}): at school"
WITHDRAWN = "{name} ({username}): withdrawn on {day}"
AGE_YES = "Recorded as 13 or older: can download their own record."
AGE_NO = "Not recorded as 13 or older: only their family can download the record."
CONFIRM_LABEL = "To delete, type the username {username}"
DELETE = "Delete {name}'s record"
DELETED = "Deleted the record of learner {ref} ({initials}). Receipt {id}."
RECEIPT_LINE = "{day}: learner {ref} ({initials}), {what}, {files} files, by {by}"
WHAT = {"learner": "whole record", "photos": "evidence photos"}
NO_RECEIPTS = "No deletions yet. Each deletion leaves a receipt here."
SAVED_WITHDRAWN = "{name} is marked as withdrawn."
SAVED_RETURNED = "{name} is back at school."
SAVED_AGE = "Saved."


@dataclasses.dataclass
class LearnerChoice:
    value: str = ""
    label: str = ""


@dataclasses.dataclass
class ReceiptLine:
    text: str = ""
    url: str = ""


def _day(iso: str | None) -> str:
    if not iso:
        return ""
    moment = datetime.fromisoformat(iso)
    return f"{moment.day} {moment:%B %Y}"


def _receipt_line(r: dict) -> ReceiptLine:
    return ReceiptLine(
        text=RECEIPT_LINE.format(day=_day(r["created_at"]), ref=r["learner_ref"],
                                 initials=r["initials"] or "–",
                                 what=WHAT.get(r["scope"], r["scope"]), files=r["blob_count"],
                                 by=r["deleted_by"]),
        url=f"/api/privacy/receipts/{r['id']}/download")


class LearnerDeletionState(State):
    """The school's learners with their withdrawn state, one chosen, and the receipts."""

    learners: list[dict] = []
    chosen_id: str = ""
    message: str = ""
    is_error: bool = False
    receipt_lines: list[str] = []
    receipt_url: str = ""
    receipts: list[ReceiptLine] = []

    @rx.var
    def choices(self) -> list[LearnerChoice]:
        return [LearnerChoice(value=str(u["id"]),
                              label=u["display_name"] + (" · withdrawn" if u["withdrawn_at"]
                                                         else "")) for u in self.learners]

    def _chosen(self) -> dict:
        return next((u for u in self.learners if str(u["id"]) == self.chosen_id), {})

    @rx.var
    def chosen_status(self) -> str:
        u = self._chosen()
        if not u:
            return ""
        words = WITHDRAWN if u["withdrawn_at"] else AT_SCHOOL
        return words.format(name=u["display_name"], username=u["username"],
                            day=_day(u["withdrawn_at"]))

    @rx.var
    def chosen_age(self) -> str:
        u = self._chosen()
        return "" if not u else AGE_YES if u["is_13_or_older"] else AGE_NO

    @rx.var
    def is_withdrawn(self) -> bool:
        return bool(self._chosen().get("withdrawn_at"))

    @rx.var
    def is_13(self) -> bool:
        return bool(self._chosen().get("is_13_or_older"))

    @rx.var
    def confirm_label(self) -> str:
        return CONFIRM_LABEL.format(username=self._chosen().get("username", ""))

    @rx.var
    def delete_label(self) -> str:
        return DELETE.format(name=self._chosen().get("display_name", ""))

    async def _reload(self) -> None:
        learners = await self._api("GET", "/api/privacy/learners?limit=1000")
        receipts = await self._api("GET", "/api/privacy/receipts")
        if learners.is_ok:
            self.learners = learners.body
        if receipts.is_ok:
            self.receipts = [_receipt_line(r) for r in receipts.body]

    @rx.event
    async def load(self):
        try:
            await self._reload()
        except SignedOut:
            return None  # the page's own guard sends the admin to sign in
        return None

    @rx.event
    def choose(self, value: str):
        self.chosen_id, self.message = value, ""

    async def _patch(self, body: dict, done: str):
        try:
            answer = await self._api("PATCH", f"/api/privacy/learners/{self.chosen_id}", body)
            if answer.is_ok:
                self.message, self.is_error = done.format(name=answer.body["display_name"]), False
                await self._reload()
            else:
                self.message, self.is_error = answer.message, True
        except SignedOut:
            return self._to_login()
        return None

    @rx.event
    async def set_withdrawn(self, value: bool):
        return await self._patch({"is_withdrawn": value},
                                 SAVED_WITHDRAWN if value else SAVED_RETURNED)

    @rx.event
    async def set_13(self, value: bool):
        return await self._patch({"is_13_or_older": value}, SAVED_AGE)

    @rx.event
    async def delete(self, form: dict):
        """Delete the chosen learner if the typed username matches (the API checks it)."""
        try:
            answer = await self._api("DELETE", f"/api/privacy/learners/{self.chosen_id}",
                                     {"confirm": str(form.get("confirm", ""))})
            if not answer.is_ok:
                self.message, self.is_error = answer.message, True
                return None
            r = answer.body
            self.message, self.is_error = DELETED.format(
                ref=r["learner_ref"], initials=r["initials"], id=r["id"]), False
            self.receipt_lines = [f"{kind}: {n}" for kind, n in sorted(r["counts"].items())]
            self.receipt_url = f"/api/privacy/receipts/{r['id']}/download"
            self.chosen_id = ""
            await self._reload()
        except SignedOut:
            return self._to_login()
        # the page's own lists (classes, links, everyone) still name the learner: reload them
        from app.state.admin_people import AdminPeopleState

        return AdminPeopleState.reload


S = LearnerDeletionState


def _chosen_controls() -> rx.Component:
    return rx.vstack(
        rx.text(S.chosen_status, weight="medium"),
        rx.text(S.chosen_age, size="2", color=rx.color("gray", 11)),
        rx.flex(
            rx.cond(S.is_withdrawn,
                    rx.button(t("Return to active"), variant="soft", min_height=TOUCH,
                              on_click=S.set_withdrawn(False)),
                    rx.button(t("Mark as withdrawn"), variant="soft", min_height=TOUCH,
                              on_click=S.set_withdrawn(True))),
            rx.cond(S.is_13,
                    rx.button(t("Mark as under 13"), variant="soft", min_height=TOUCH,
                              on_click=S.set_13(False)),
                    rx.button(t("Mark as 13 or older"), variant="soft", min_height=TOUCH,
                              on_click=S.set_13(True))),
            gap="0.5em", wrap="wrap",
        ),
        rx.cond(S.is_withdrawn, rx.form(
            rx.vstack(
                rx.el.label(S.confirm_label, html_for="delete-confirm", font_weight="500",
                            font_size="0.9em"),
                rx.el.input(id="delete-confirm", name="confirm", required=True,
                            auto_complete="off", auto_capitalize="none", style=FIELD),
                rx.button(S.delete_label, type="submit", color_scheme="red", size="3",
                          min_height=TOUCH, width="100%"),
                spacing="2", width="100%",
            ),
            on_submit=S.delete, reset_on_submit=False, key=S.chosen_id, width="100%",
        )),
        spacing="2", width="100%",
    )


def learner_deletion_panel() -> rx.Component:
    """The card on /admin/people, and the receipts below it."""
    return rx.card(
        rx.vstack(
            rx.heading(TITLE, as_="h2", size="4"),
            rx.text(ABOUT, size="2", color=rx.color("gray", 11)),
            rx.el.label(PICK_LABEL, html_for="privacy-learner", font_weight="500",
                        font_size="0.9em"),
            rx.el.select(rx.el.option(CHOOSE, value=""),
                         rx.foreach(S.choices, lambda o: rx.el.option(o.label, value=o.value)),
                         id="privacy-learner", value=S.chosen_id,
                         on_change=S.choose, style=FIELD),
            rx.cond(S.chosen_id != "", _chosen_controls()),
            notice(S.message, S.is_error),
            rx.cond(S.receipt_url != "", rx.vstack(
                rx.el.ul(rx.foreach(S.receipt_lines, lambda line: rx.el.li(line)),
                         aria_label="What was deleted"),
                rx.flex(
                    rx.el.a("Download the receipt", href=S.receipt_url, download="",
                            reload_document=True,
                            style={"min_height": TOUCH, "display": "inline-flex",
                                   "align_items": "center"}),
                    rx.button(t("Print"), variant="soft", min_height=TOUCH,
                              on_click=rx.call_script("window.print()")),
                    gap="1em", align="center", wrap="wrap",
                ),
                width="100%",
            )),
            rx.heading(t("Deletion receipts"), as_="h3", size="3"),
            rx.cond(S.receipts.length() > 0,
                    rx.el.ul(rx.foreach(S.receipts, lambda r: rx.el.li(
                        rx.text(r.text, size="2"),
                        rx.el.a("Download", href=r.url, download="", reload_document=True,
                                aria_label="Download receipt: " + r.text,
                                style={"min_height": TOUCH, "display": "inline-flex",
                                       "align_items": "center"}))),
                             padding_inline_start="1em"),
                    rx.text(NO_RECEIPTS, size="2", color=rx.color("gray", 11))),
            spacing="3", width="100%",
        ),
        on_mount=S.load,
        width="100%",
    )
