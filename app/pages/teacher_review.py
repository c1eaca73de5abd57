"""/teacher/review: evidence waiting for review — approve with a level in two taps."""

import reflex as rx

from app.components import teacher_sync as sync
from app.components.empty_state import empty_state, error_state, loading_state
from app.components.shell import TOUCH, page_shell
from app.components.teacher_widgets import comment_box, level_chips, order_toggle
from app.state.teacher_review import TeacherReviewState
from app.state.teacher_views import ReviewItem, TargetChip


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
    return rx.cond(sync.reviewed_keys.contains(item.key), _done(item), _card(item))


def teacher_review_page() -> rx.Component:
    """The review queue: newest or oldest first; approve or return each piece."""
    return page_shell(
        "Review queue",
        rx.text("Pick a level, then Approve. Return needs a comment so the learner knows "
                "what to change.", color=rx.color("gray", 11), size="2"),
        sync.sync_strip(),
        order_toggle(TeacherReviewState.order, TeacherReviewState.set_order),
        rx.cond(
            TeacherReviewState.is_loaded,
            rx.cond(
                TeacherReviewState.error != "",
                error_state(TeacherReviewState.error),
                rx.cond(
                    TeacherReviewState.items.length() > 0,
                    rx.vstack(
                        rx.text(TeacherReviewState.items.length().to_string() + " waiting",
                                size="2", color=rx.color("gray", 11)),
                        rx.foreach(TeacherReviewState.shown_items, _item),
                        rx.cond(TeacherReviewState.more_text != "",
                                rx.button(TeacherReviewState.more_text, variant="soft",
                                          size="3", min_height=TOUCH, width="100%",
                                          on_click=TeacherReviewState.show_more)),
                        spacing="3", width="100%"),
                    empty_state("Nothing waits for review.",
                                "When a learner submits evidence it appears here. Meanwhile, "
                                "see who is ready to demonstrate a target.", icon="inbox"),
                ),
            ),
            loading_state("the review queue"),
        ),
    )
