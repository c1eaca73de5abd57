"""/teacher/review: evidence waiting for review — approve with a level in two taps.

Online the list comes from the API through TeacherReviewState. With no connection (or no
answer within a few seconds) the same cards render from the device's store instead
(`teacher_sync.review_queue`: the teacher's learners' evidence, learner and target rows),
so a teacher on a bus can reload the page and clear the queue; it syncs later.
"""

import reflex as rx
from reflex.vars.base import VarData

from app import routes
from app.components import sync_store as sync
from app.components.empty_state import empty_state, error_state, loading_state
from app.components.paging import (
    count_line,
    device_pager,
    page_item_props,
    page_list_props,
    show_more_button,
)
from app.components.shell import TOUCH, page_shell
from app.components.teacher_widgets import comment_box, level_chips, order_toggle, sync_strip
from app.routes import page
from app.state.teacher_review import LIST_ID, TeacherReviewState
from app.state.views import ReviewItem, TargetChip

DEVICE_LIST = "review-queue-device"  # DEVICE_QUEUE in assets/teacher/teacher.js


def _online_count_text(items: rx.Var, total: rx.Var) -> rx.Var:
    """The online list's count without the pieces reviewed on this page (onlineCountText)."""
    data = VarData.merge(VarData(imports={sync.TEACHER_UI: ["onlineCountText"]}),
                         items._get_all_var_data(), total._get_all_var_data(),
                         sync.reviewed_keys._get_all_var_data())
    expr = (f"onlineCountText({items._js_expr}, {total._js_expr}, "
            f"{sync.reviewed_keys._js_expr})")
    return rx.Var(expr, _var_type=str, _var_data=data)


def _target_choice(item: rx.Var[ReviewItem]) -> rx.Component:
    """Which target a level is for: shown only when the piece names more than one."""
    def _option(target: rx.Var[TargetChip], index) -> rx.Component:
        return rx.el.label(
            rx.el.input(type="radio", name="target-" + item.id, value=target.id.to_string(),
                        default_checked=index == 0),
            target.code + " " + target.title,
            display="flex", gap="0.5em", align_items="center", min_height=TOUCH,
        )
    return rx.cond(
        item.targets.length() > 1,
        rx.el.fieldset(
            rx.el.legend("Level for which target?", font_weight="500", font_size="0.9em"),
            rx.foreach(item.targets, _option),
            border="none", padding="0", margin="0",
        ),
    )


def _done(item: rx.Var[ReviewItem]) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.icon("circle_check", color=rx.color("grass", 10), aria_hidden="true"),
            rx.text(rx.text.strong(item.learner_name), " · reviewed ",
                    rx.cond(sync.waiting_review_keys.contains(item.key),
                            "(waiting to sync)", "(synced)"), size="2"),
            align="center",
        ),
        width="100%", role="status",
    )


def _card(item: rx.Var[ReviewItem]) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.heading(item.learner_name, as_="h2", size="4"),
                rx.text(item.submitted_text, size="1", color=rx.color("gray", 11)),
                justify="between", align="baseline", width="100%", wrap="wrap", gap="0.5em",
            ),
            rx.cond(item.is_edited_after_review,
                    rx.badge("Edited after an earlier review", color_scheme="amber")),
            rx.cond(
                item.photo != "",
                rx.vstack(
                    rx.image(src=item.photo, alt="Photo evidence: " + item.caption,
                             width="100%", height="auto", border_radius="var(--radius-3)"),
                    rx.cond(~item.is_full_photo & (item.photo_path != ""),
                            rx.button("Show full photo", variant="ghost", size="2",
                                      min_height=TOUCH,
                                      on_click=TeacherReviewState.show_full_photo(item.id))),
                    width="100%", spacing="1",
                ),
            ),
            rx.cond((item.kind == "photo") & (item.photo == ""),
                    rx.flex(rx.icon("image_off", size=18, aria_hidden="true"),
                            rx.text("Photo will show when online", size="2"),
                            gap="0.5em", align="center", padding="1em", width="100%",
                            justify="center", border_radius="var(--radius-3)",
                            background=rx.color("gray", 3), color=rx.color("gray", 11))),
            rx.text(item.caption, size="3", weight="medium"),
            rx.cond(item.text != "", rx.text(item.text, size="2", white_space="pre-wrap")),
            rx.cond(item.url != "", rx.link(item.url, href=item.url, is_external=True,
                                            size="2", word_break="break-all")),
            rx.vstack(rx.foreach(item.targets, lambda t: rx.text(
                rx.text.strong(t.code), " · " + t.title, size="1",
                color=rx.color("accent", 11))), spacing="1"),
            _target_choice(item),
            level_chips("level-" + item.id, "Level (optional)"),
            comment_box("comment-" + item.id),
            rx.hstack(
                rx.button(
                    rx.icon("check", aria_hidden="true"), "Approve",
                    on_click=sync.teacher_action("approve", item.id, item.target_ids),
                    size="3", min_height=TOUCH, flex="1", color_scheme="grass",
                    aria_label="Approve " + item.learner_name + "'s evidence",
                ),
                rx.button(
                    rx.icon("undo_2", aria_hidden="true"), "Return",
                    on_click=sync.teacher_action("giveBack", item.id),
                    size="3", min_height=TOUCH, variant="soft", color_scheme="amber",
                    aria_label="Return " + item.learner_name + "'s evidence with the comment",
                ),
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        role="article",
        aria_label=item.learner_name + ": " + item.caption,
    )


def _item(item: rx.Var[ReviewItem]) -> rx.Component:
    return rx.box(rx.cond(sync.reviewed_keys.contains(item.key), _done(item), _card(item)),
                  width="100%", **page_item_props())


def _online_queue() -> rx.Component:
    """The list from the API (TeacherReviewState), as loaded while online."""
    return rx.fragment(
        order_toggle(TeacherReviewState.order, TeacherReviewState.set_order),
        rx.cond(
            TeacherReviewState.error != "",
            error_state(TeacherReviewState.error),
            rx.cond(
                TeacherReviewState.items.length() > 0,
                rx.vstack(
                    count_line(_online_count_text(TeacherReviewState.items,
                                                  TeacherReviewState.total)),
                    rx.vstack(rx.foreach(TeacherReviewState.items, _item), spacing="3",
                              width="100%", **page_list_props(LIST_ID)),
                    rx.cond(TeacherReviewState.more_text != "",
                            show_more_button(TeacherReviewState.more_text,
                                             TeacherReviewState.show_more)),
                    spacing="3", width="100%"),
                _nothing_waits(),
            ),
        ),
    )


def _nothing_waits() -> rx.Component:
    return empty_state("Nothing waits for review.",
                       "When a learner submits evidence it appears here. Meanwhile, "
                       "see who is ready to demonstrate a target.", icon="inbox")


def _device_queue() -> rx.Component:
    """The same cards from the device's store: no server needed (plain JS buttons)."""
    items = sync.review_queue["items"].to(list[ReviewItem])
    order = sync.review_queue["order"].to(str)
    return rx.fragment(
        order_toggle(order, lambda value: sync.teacher_action("setOrder", value)),
        rx.cond(
            items.length() > 0,
            rx.vstack(
                rx.text("On this device, as of the last sync.", size="2",
                        color=rx.color("gray", 11)),
                rx.vstack(rx.foreach(items, _item), spacing="3", width="100%",
                          **page_list_props(DEVICE_LIST)),
                device_pager(sync.review_queue["count_text"].to(str),
                             sync.review_queue["more_text"].to(str), DEVICE_LIST,
                             sync.review_queue["shown"].to(int)),
                spacing="3", width="100%"),
            _nothing_waits(),
        ),
    )


@page(routes.TEACHER_REVIEW, title="Review", on_load=TeacherReviewState.load_queue)
def teacher_review_page() -> rx.Component:
    """The review queue: newest or oldest first; approve or return each piece."""
    # offline, Reflex's red "Cannot connect to server" toast would cover the cards; the
    # sync strip already says calmly that marks are kept on this phone
    hide_toasts = rx.el.style(
        'section[aria-label^="Notifications"] { display: none !important; }')
    return page_shell(
        "Review queue",
        hide_toasts,
        rx.text("Pick a level, then Approve. Return needs a comment so the learner knows "
                "what to change.", color=rx.color("gray", 11), size="2"),
        sync_strip(),
        rx.cond(
            TeacherReviewState.is_loaded,
            _online_queue(),
            rx.cond(sync.review_queue["show"].to(bool), _device_queue(),
                    loading_state("the review queue")),
        ),
    )
