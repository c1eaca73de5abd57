"""The guardian's read-only view of a child: progress chart, goals, approved work, and the
binder with a link on every target to "how this level was worked out". No controls."""

import reflex as rx

from app.components.level_badge import level_badge
from app.components.paging import page_item_props, pager, show_more_button
from app.components.shell import TOUCH
from app.i18n import t
from app.state.family import FamilyState
from app.state.family_views import EvidenceCard, FamilyChild, GoalLine, GoalList
from app.state.views import AreaView, TargetView, TopicView
from backend.mastery.words import LEVEL_WORDS, PROFICIENT

# "Levels: 0 emerging, 2 developing, 3 proficient (the goal), 4 advanced. …": one whole
# sentence, its numbers and level words (each translated) from the one table
_SCALE = list(reversed(LEVEL_WORDS))
assert len(_SCALE) == 4 and _SCALE[2][0] == PROFICIENT, "the legend names the goal third"
SCALE_LEGEND_PARAMS = {name: value for i, (floor, words) in enumerate(_SCALE)
                       for name, value in ((f"n{i}", f"{floor:g}"), (f"w{i}", words))}


def _scale_legend() -> rx.Var:
    """The legend in the reader's language: the level words translated inside the sentence."""
    params = {k: (t(v) if k.startswith("w") else v) for k, v in SCALE_LEGEND_PARAMS.items()}
    return t("Levels: {n0} {w0}, {n1} {w1}, {n2} {w2} (the goal), {n3} {w3}. Tap a target to "
             "see how its level was worked out.", **params)


def _target(child: rx.Var[FamilyChild], target: rx.Var[TargetView]) -> rx.Component:
    href = ("/family/" + child.binder.learner_id.to_string() + "/targets/"
            + target.id.to_string())
    return rx.el.li(
        rx.link(
            rx.vstack(
                rx.text(target.title, size="2", weight="medium"),
                rx.text(t("How was this level worked out?"), size="1",
                        color=rx.color("accent", 12)),
                spacing="0", flex="1", min_width="0", align="start",
            ),
            level_badge(target.level_text, target.level_words, target.level_color),
            href=href, display="flex", gap="0.5em", align_items="center",
            justify_content="space-between", min_height=TOUCH, underline="none",
            color="inherit", padding_y="0.4em",
        ),
        list_style="none", border_top=f"1px solid {rx.color('gray', 4)}",
    )


def _topic(child, topic: rx.Var[TopicView]) -> rx.Component:
    return rx.box(
        rx.heading(topic.name, as_="h4", size="3"),
        rx.text(topic.progress_text, size="1", color=rx.color("gray", 11)),
        rx.el.ul(rx.foreach(topic.targets, lambda t: _target(child, t)), padding="0",
                 margin="0.25em 0 0 0"),
        padding_y="0.5em",
    )


def _area(child, area: rx.Var[AreaView]) -> rx.Component:
    return rx.card(
        rx.heading(area.name, as_="h3", size="4"),
        rx.foreach(area.topics, lambda topic: _topic(child, topic)),
        width="100%",
    )


def _chart(child: rx.Var[FamilyChild]) -> rx.Component:
    return rx.card(
        rx.heading(t("Progress over ten weeks"), as_="h3", size="4"),
        rx.text(child.progress_text, size="2"),
        rx.box(
            rx.recharts.area_chart(
                rx.recharts.area(data_key="proficient", stroke="var(--accent-9)",
                                 fill="var(--accent-4)", type_="monotone",
                                 name=t("Targets at proficient"), is_animation_active=False),
                rx.recharts.x_axis(data_key="label", font_size=11),
                rx.recharts.y_axis(allow_decimals=False, width=28, font_size=11),
                data=child.weeks, width="100%", height=180,
            ),
            role="img",
            aria_label=t("Chart: {summary}", summary=child.progress_text),
            # time runs left to right in every language: under an inherited rtl direction the
            # SVG flips the y ticks' text-anchor and draws them over the plot (QA F23)
            custom_attrs={"dir": "ltr"},
            width="100%",
        ),
        width="100%",
    )


def _goal(goal: rx.Var[GoalLine]) -> rx.Component:
    return rx.el.li(rx.text(goal.title, size="2", weight="medium"),
                    rx.text(goal.due_text + " · " + goal.status, size="1",
                            color=rx.color("gray", 11)),
                    padding_y="0.3em", **page_item_props())


def _goal_list(child: rx.Var[FamilyChild], goals: rx.Var[GoalList], status: str):
    """One page after another of a child's goals of one status, with the true count."""
    learner_id = child.binder.learner_id
    return rx.fragment(
        rx.el.ul(rx.foreach(goals.rows, _goal), padding_inline_start="1.1em", margin="0.25em 0",
                 data_page_list=f"goals-{status}-" + learner_id.to_string()),
        pager(goals.count_text, goals.more_text != "", goals.more_text,
              FamilyState.more_goals(learner_id, status)),
    )


def _goals(child: rx.Var[FamilyChild]) -> rx.Component:
    """Current goals first, 20 at a time; done goals one tap away, never in the first render."""
    return rx.card(
        rx.heading(t("Current goals"), as_="h3", size="4"),
        rx.cond(child.goals.rows.length() > 0,
                _goal_list(child, child.goals, "active"),
                rx.text(t("No goals right now. Goals are set with the teacher at "
                          "check-ins."), size="2", color=rx.color("gray", 11))),
        rx.cond(child.done.rows.length() > 0,
                rx.vstack(rx.heading(t("Done goals"), as_="h4", size="3"),
                          _goal_list(child, child.done, "done"), spacing="1", width="100%",
                          margin_top="0.75em"),
                rx.cond(child.done_button_text != "",
                        show_more_button(child.done_button_text,
                                         FamilyState.more_goals(child.binder.learner_id,
                                                                "done"),
                                         margin_top="0.5em"))),
        width="100%",
    )


def _evidence(card: rx.Var[EvidenceCard]) -> rx.Component:
    return rx.card(
        rx.cond(card.photo != "", rx.image(
            src=card.photo, alt=t("Photo: {caption}", caption=card.caption), width="100%",
            height="auto", border_radius="var(--radius-2)")),
        rx.text(card.caption, size="2", weight="medium", margin_top="0.25em"),
        rx.cond(card.text != "", rx.text(card.text, size="2")),
        rx.cond(card.url != "", rx.link(t("Open the work"), href=card.url, is_external=True,
                                        size="2")),
        rx.text(card.targets_text, size="1", color=rx.color("gray", 11)),
        rx.cond(card.comment != "", rx.text(t("Teacher: “{comment}”", comment=card.comment),
                                          size="1")),
        rx.text(card.when, size="1", color=rx.color("gray", 11)),
        width="100%",
    )


def _profile(child: rx.Var[FamilyChild]) -> rx.Component:
    """Their Personal Learner Profile in their own words, and what teachers noticed."""
    line = lambda p: rx.box(  # noqa: E731
        rx.text(p.title, size="2", weight="bold"),
        rx.cond(p.choices_text != "", rx.text(p.choices_text, size="2")),
        rx.text(p.text, size="2", white_space="pre-wrap"),
        rx.cond(p.note != "", rx.text(p.note, size="1", color=rx.color("gray", 11))),
        width="100%")
    note = lambda o: rx.box(  # noqa: E731
        rx.text(o.about, size="1", color=rx.color("gray", 11)),
        rx.text(o.text, size="2"),
        rx.text(o.response_text, size="1", weight="medium"),
        rx.cond(o.reply != "", rx.text(t("Reply: {text}", text=o.reply), size="2")),
        width="100%")
    return rx.vstack(
        rx.heading(t("Their profile, in their own words"), as_="h3", size="4"),
        rx.cond(child.profile.length() > 0,
                rx.vstack(rx.foreach(child.profile, line), spacing="2", width="100%"),
                rx.text(t("Nothing written yet."), size="2", color=rx.color("gray", 11))),
        rx.cond(child.observations.length() > 0,
                rx.vstack(rx.heading(t("What teachers noticed"), as_="h4", size="3"),
                          rx.foreach(child.observations, note),
                          rx.cond(child.observations_more != "",
                                  rx.text(child.observations_more, size="2",
                                          color=rx.color("gray", 11))),
                          spacing="2", width="100%")),
        spacing="2", width="100%")


def family_child(child: rx.Var[FamilyChild]) -> rx.Component:
    """One child's section."""
    binder = child.binder
    return rx.el.section(
        rx.vstack(
            rx.heading(binder.learner_name, as_="h2", size="6"),
            rx.cond(binder.classes_text != "",
                    rx.text(t("Classes: {classes}", classes=binder.classes_text), size="2",
                            color=rx.color("gray", 11))),
            _chart(child),
            _goals(child),
            _profile(child),
            rx.heading(t("Recent work the teacher approved"), as_="h3", size="4"),
            rx.cond(child.evidence.length() > 0,
                    rx.vstack(rx.foreach(child.evidence, _evidence), width="100%",
                              spacing="2"),
                    rx.text(t("Nothing approved yet. Approved work appears here."), size="2",
                            color=rx.color("gray", 11))),
            rx.heading(t("Learning targets"), as_="h3", size="4"),
            rx.text(_scale_legend(), size="2", color=rx.color("gray", 11)),
            rx.foreach(binder.academic, lambda a: _area(child, a)),
            rx.heading(t("Lifelong Learning Skills"), as_="h3", size="4"),
            rx.text(t("Habits like planning and working with others, shown on their own."),
                    size="2", color=rx.color("gray", 11)),
            rx.foreach(binder.skills, lambda a: _area(child, a)),
            spacing="3",
            width="100%",
        ),
        aria_label=binder.learner_name,
        width="100%",
    )
