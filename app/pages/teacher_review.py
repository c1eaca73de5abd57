"""/teacher/review: evidence waiting for review, read from the device's store only.

One read model (issue 14 item 1): the cards come from the sync core's store through
`sync.review_queue` (assets/ui/teacher_queue.js), identically online, offline and after an
offline reload; there is no REST twin. Each decision is one evidence.review mutation
through the outbox; a card says "Saved on this phone" until the server acknowledged it,
then "Sent". Buttons are plain JS handlers (`sync.queue_action`), so they work with the
Reflex socket down. Cards are compact (about 140 px at 375 px wide) so a long queue is a
few minutes' work.
"""

import reflex as rx

from app import routes
from app.components import sync_store as sync
from app.components.empty_state import empty_state
from app.components.paging import device_pager, page_item_props, page_list_props
from app.components.shell import TOUCH, page_shell
from app.components.teacher_widgets import order_toggle, sync_strip
from app.i18n import t
from app.routes import page
from app.state.teacher_review import TeacherReviewState
from app.state.views import LEVEL_CHOICES

QUEUE_LIST = "review-queue"  # QUEUE_LIST in assets/ui/teacher_queue.js
queue = sync.review_queue
_THUMB = "64px"


def _level_select(select_id: rx.Var | str, label: rx.Var | str) -> rx.Component:
    """A native select of levels ("" = no level), so it works with the socket down."""
    return rx.el.select(
        rx.el.option(t("No level"), value=""),
        *[rx.el.option(level, value=level) for level in LEVEL_CHOICES],
        id=select_id, name=select_id, aria_label=label,
        style={"min_height": TOUCH, "padding": "0 0.4em", "font": "inherit",
               "border_radius": "var(--radius-2)", "border": f"1px solid {rx.color('gray', 8)}",
               "background": rx.color("gray", 1), "color": rx.color("gray", 12)},
    )


def _media(item: rx.Var) -> rx.Component:
    """The thumbnail, or a small box saying why there is none."""
    media = item["media"].to(str)
    box = {"width": _THUMB, "height": _THUMB, "flex_shrink": "0",
           "border_radius": "var(--radius-2)", "background": rx.color("gray", 3),
           "display": "flex", "align_items": "center", "justify_content": "center"}
    return rx.cond(
        media == "photo",
        rx.image(src=item["photo"].to(str), alt=t("Photo: {caption}", caption=item["caption"]),
                 width=_THUMB, height=_THUMB, object_fit="cover", flex_shrink="0",
                 border_radius="var(--radius-2)"),
        rx.box(
            rx.cond(media == "file", rx.icon("file", size=22, aria_hidden="true"),
                    rx.cond(media == "unreadable",
                            rx.icon("file_warning", size=22, aria_hidden="true"),
                            rx.cond(media == "later",
                                    rx.icon("image_off", size=22, aria_hidden="true"),
                                    rx.icon("file_text", size=22, aria_hidden="true")))),
            style=box, color=rx.color("gray", 11),
        ),
    )


def _summary(item: rx.Var) -> rx.Component:
    """Learner, caption, targets and date: one line each, cut short with an ellipsis."""
    line = {"overflow": "hidden", "text_overflow": "ellipsis", "white_space": "nowrap"}
    return rx.box(
        rx.heading(item["learner_name"].to(str), as_="h2", size="2", style=line),
        rx.text(rx.cond(item["caption"].to(str) != "", item["caption"].to(str),
                        item["text"].to(str)), size="2", style=line),
        rx.text(item["targets_text"].to(str), " ", item["submitted_text"].to(str), size="1",
                color=rx.color("gray", 11), style=line),
        rx.cond(item["media_text"].to(str) != "",
                rx.text(item["media_text"].to(str), size="1", color=rx.color("amber", 11))),
        rx.cond(item["media"].to(str) == "file",
                rx.link(t("Open the file"), href=item["file_href"].to(str), is_external=True,
                        size="1")),
        rx.cond(item["is_micro"].to(bool),
                rx.badge(rx.icon("award", size=12, aria_hidden="true"),
                         item["micro_text"].to(str), color_scheme="indigo", size="1",
                         max_width="100%", style={"white_space": "normal"})),
        rx.cond(item["is_edited_after_review"].to(bool),
                rx.text(t("Edited after an earlier review"), size="1",
                        color=rx.color("amber", 11))),
        min_width="0", flex="1",
    )


def _pick_box(item: rx.Var) -> rx.Component:
    """Tick for "Approve selected" (a 44 px target around a native checkbox)."""
    return rx.el.label(
        rx.el.input(type="checkbox", name="queue-pick", value=item["id"].to(str),
                    disabled=item["locked"].to(bool),
                    aria_label=t("Select {name}: {caption}", name=item["learner_name"],
                                 caption=item["caption"]),
                    style={"width": "1.2em", "height": "1.2em", "margin": "0"}),
        style={"min_width": TOUCH, "min_height": TOUCH, "display": "flex",
               "align_items": "center", "justify_content": "center", "cursor": "pointer",
               "flex_shrink": "0"},
    )


def _actions(item: rx.Var) -> rx.Component:
    """Level, Approve, Return (and the comment box when opened)."""
    item_id = item["id"].to(str)
    return rx.flex(
        _level_select("level-" + item_id, t("Level for {targets}", targets=item["targets_text"])),
        rx.button(t("Approve"), id="approve-" + item_id, size="2", min_height=TOUCH,
                  color_scheme="grass", flex="1",
                  aria_label=t("Approve {name}: {caption}", name=item["learner_name"],
                               caption=item["caption"]),
                  on_click=sync.queue_action("approve", item_id)),
        rx.button(t("Return"), size="2", min_height=TOUCH, variant="soft", color_scheme="amber",
                  flex="1", aria_label=t("Return {name}: {caption}", name=item["learner_name"],
                                         caption=item["caption"]),
                  on_click=sync.queue_action("giveBack", item_id)),
        rx.cond(~item["comment_open"].to(bool),
                rx.icon_button(rx.icon("message_square", aria_hidden="true"), size="2",
                               variant="soft", min_height=TOUCH, min_width=TOUCH,
                               aria_label=t("Add a comment on {name}: {caption}",
                                            name=item["learner_name"], caption=item["caption"]),
                               on_click=sync.queue_action("openComment", item_id))),
        gap="0.4em", width="100%", align="center",
    )


def _status(item: rx.Var) -> rx.Component:
    """The decision and what the server knows of it; Undo while it is only on this phone."""
    item_id = item["id"].to(str)
    return rx.flex(
        rx.text(rx.text.strong(item["decision_text"].to(str)), " ",
                rx.el.span(item["status_text"].to(str)), size="2", role="status"),
        rx.cond(item["can_undo"].to(bool),
                rx.button(t("Undo"), size="2", variant="soft", min_height=TOUCH,
                          id="undo-" + item_id,
                          aria_label=t("Undo the decision on {caption}", caption=item["caption"]),
                          on_click=sync.queue_action("undo", item_id, item["seq"]))),
        justify="between", align="center", gap="0.5em", width="100%", min_height=TOUCH,
    )


def _rejected(item: rx.Var) -> rx.Component:
    """The server's refusal beside its card, with a way to drop it (or decide again)."""
    return rx.flex(
        rx.text(item["status_text"].to(str), size="2", color=rx.color("red", 11)),
        rx.button(t("Drop this decision"), size="2", variant="soft", color_scheme="red",
                  min_height=TOUCH,
                  on_click=sync.queue_action("dismiss", item["id"].to(str), item["seq"])),
        direction="column", gap="0.3em", width="100%", role="alert",
    )


def _comment(item: rx.Var) -> rx.Component:
    """The comment box, tied to the card's message (the Return error shows right below it)."""
    item_id = item["id"].to(str)
    is_error = item["message_is_error"].to(bool)
    return rx.box(
        rx.el.label(item["comment_label"].to(str), html_for="comment-" + item_id,
                    font_size="0.85em", font_weight="500"),
        rx.el.textarea(
            id="comment-" + item_id, name="comment-" + item_id, rows=2, max_length=4000,
            aria_describedby="msg-" + item_id,
            aria_invalid=rx.cond(is_error, "true", "false"),
            style={"width": "100%", "min_height": TOUCH, "padding": "0.4em", "font": "inherit",
                   "border_radius": "var(--radius-2)",
                   "border": f"1px solid {rx.color('gray', 8)}",
                   "background": rx.color("gray", 1)},
        ),
        width="100%",
    )


def _micro(item: rx.Var) -> rx.Component:
    """An educator's microcredential piece: their reflection on transfer to practice, and
    the competency's rubric to score it against (the level select takes its score)."""
    return rx.box(
        rx.text(t("How it changed their teaching"), size="1", weight="bold"),
        rx.text(rx.cond(item["reflection"].to(str) != "", item["reflection"].to(str),
                        t("(no reflection)")), size="2", white_space="pre-line"),
        rx.cond(
            item["rubric"].to(list[dict]).length() > 0,
            rx.el.details(
                rx.el.summary(t("Rubric for {targets}", targets=item["targets_text"]),
                              style={"min_height": TOUCH, "padding": "0.75em 0",
                                     "cursor": "pointer", "font_weight": "500",
                                     "font_size": "0.9em"}),
                rx.el.dl(rx.foreach(item["rubric"].to(list[dict]), lambda d: rx.fragment(
                    rx.el.dt(d["score_text"], font_weight="bold"),
                    rx.el.dd(d["text"], margin_inline_start="1.5em", margin_bottom="0.3em"),
                )), margin="0", font_size="0.9em"),
                open=True,
            ),
        ),
        padding="0.4em", border_radius="var(--radius-2)", background=rx.color("indigo", 2),
        width="100%",
    )


def _card(item: rx.Var) -> rx.Component:
    item_id = item["id"].to(str)
    locked = item["locked"].to(bool)
    message = item["message"].to(str)
    return rx.box(
        rx.flex(_pick_box(item), _media(item), _summary(item), gap="0.5em", align="start",
                width="100%"),
        rx.cond(item["is_micro"].to(bool), _micro(item)),
        rx.cond(locked, _status(item), _actions(item)),
        rx.cond(item["state"].to(str) == "rejected", _rejected(item)),
        rx.cond(item["comment_open"].to(bool) & ~locked, _comment(item)),
        rx.text(message, id="msg-" + item_id, size="2",
                color=rx.cond(item["message_is_error"].to(bool), rx.color("red", 11),
                              rx.color("gray", 11)),
                role=rx.cond(item["message_is_error"].to(bool), "alert", "status"),
                display=rx.cond(message != "", "block", "none")),
        id="card-" + item_id,
        # keyed by the evidence, not the list index: the tick, the level select and the
        # comment are the browser's own inputs, and a filter or a new order must not hand
        # one card's choices to another learner's card (QA F38)
        key=item_id,
        data_target=item["first_target"].to(str),
        role="article",
        aria_label=t("{name}: {caption}", name=item["learner_name"], caption=item["caption"]),
        padding="0.5em", border=f"1px solid {rx.color('gray', 6)}",
        border_radius="var(--radius-3)", background=rx.color("gray", 1),
        display="flex", flex_direction="column", gap="0.4em", width="100%",
        **page_item_props(),
    )


def _filter(select_id: str, label: rx.Var, options: rx.Var, anyone: rx.Var) -> rx.Component:
    return rx.box(
        rx.el.label(label, html_for=select_id, font_size="0.85em", font_weight="500",
                    display="block"),
        rx.el.select(
            rx.el.option(anyone, value=""),
            rx.foreach(options.to(list[dict[str, str]]),
                       lambda o: rx.el.option(o["label"], value=o["value"])),
            id=select_id, on_change=sync.queue_action("readFilters"),
            style={"min_height": TOUCH, "width": "100%", "font": "inherit",
                   "border_radius": "var(--radius-2)",
                   "border": f"1px solid {rx.color('gray', 8)}",
                   "background": rx.color("gray", 1), "color": rx.color("gray", 12)},
        ),
        flex="1 1 8em", min_width="0",
    )


def _tools() -> rx.Component:
    """Filters (class, target, learner), order, and Approve selected at a level."""
    options = queue["options"].to(dict)
    return rx.vstack(
        rx.flex(
            rx.cond(options["classes"].to(list).length() > 0,
                    _filter("filter-class", t("Class"), options["classes"], t("All classes"))),
            _filter("filter-target", t("Target"), options["targets"], t("All targets")),
            _filter("filter-learner", t("Learner"), options["learners"], t("All learners")),
            gap="0.5em", wrap="wrap", width="100%", role="group", aria_label=t("Filters"),
        ),
        order_toggle(queue["order"].to(str), lambda value: sync.queue_action("setOrder", value)),
        rx.flex(
            _level_select("bulk-level", t("Level for the selected pieces")),
            rx.button(t("Approve selected"), size="2", min_height=TOUCH, color_scheme="grass",
                      on_click=sync.queue_action("approveSelected")),
            gap="0.5em", align="center", wrap="wrap", role="group",
            aria_label=t("Approve selected at a level"),
        ),
        spacing="2", width="100%",
    )


def _notice() -> rx.Component:
    text = sync.queue_notice["text"].to(str)
    is_error = sync.queue_notice["isError"].to(bool)
    return rx.text(text, size="2", role=rx.cond(is_error, "alert", "status"),
                   color=rx.cond(is_error, rx.color("red", 11), rx.color("grass", 11)))


def _list() -> rx.Component:
    items = queue["items"].to(list[dict])
    return rx.cond(
        queue["is_empty"].to(bool),
        empty_state(t("Nothing waits for review."),
                    t("When a learner submits evidence it appears here. Meanwhile, see who "
                      "is ready to demonstrate a target."), icon="inbox"),
        rx.vstack(
            rx.text(queue["waiting_text"].to(str), " ", queue["unsent_text"].to(str),
                    size="2", weight="medium", role="status"),
            rx.cond(queue["nothing_matches"].to(bool),
                    rx.flex(rx.text(t("Nothing waiting matches these filters."), size="2"),
                            rx.button(t("Show everything"), size="2", variant="soft",
                                      min_height=TOUCH,
                                      on_click=sync.queue_action("clearFilters")),
                            gap="0.5em", align="center", wrap="wrap")),
            rx.vstack(rx.foreach(items, _card), spacing="2", width="100%",
                      **page_list_props(QUEUE_LIST)),
            device_pager(queue["count_text"].to(str), queue["more_text"].to(str), QUEUE_LIST,
                         queue["shown"].to(int)),
            spacing="2", width="100%",
        ),
    )


@page(routes.TEACHER_REVIEW, title="Review", on_load=TeacherReviewState.load_queue)
def teacher_review_page() -> rx.Component:
    """The review queue: filter, approve or return each piece, or approve several at once."""
    # offline, Reflex's red "Cannot connect to server" toast would cover the cards; the
    # sync strip already says calmly that decisions are kept on this phone
    hide_toasts = rx.el.style(
        'section[aria-label^="Notifications"] { display: none !important; }')
    return page_shell(
        t("Review queue"),
        hide_toasts,
        rx.text(t("Pick a level, then Approve. Return needs a comment so the learner knows "
                  "what to change."), color=rx.color("gray", 11), size="2"),
        sync_strip(),
        _notice(),
        rx.cond(queue["ready"].to(bool), rx.fragment(_tools(), _list()),
                rx.text(t("Reading the queue on this phone…"), size="2",
                        color=rx.color("gray", 11), role="status")),
    )
