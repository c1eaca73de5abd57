"""/learner/conference: the learner rehearses their student-led conference (issue 18 item 4),
offline, one slide per part: my profile, my highlights (the work they starred), my goals, my
levels. The view and the slide moves are assets/ui/conference.js (the device's store);
printing shows every slide, one a page."""

from typing import Any

import reflex as rx

from app import routes
from app.components.offline_shell import TOUCH, learner_shell
from app.components.sync_store import hook_var, js_action, part
from app.i18n import t
from app.routes import page
from app.state.learner import LearnerState

CONFERENCE_UI = "$/public/ui/conference.js"
view = hook_var("wpConference", "useConferenceView()", CONFERENCE_UI, "useConferenceView",
                dict[str, Any], typed=True)

# one slide per page on paper, every slide shown; the controls and the page frame left out
PRINT_CSS = """
.conf-slide { border: 1px solid var(--gray-5); border-radius: 10px; padding: 1em;
              min-height: 50vh; }
@media print {
  header, nav, .conf-controls, .no-print, [role=status] { display: none !important; }
  .conf-slide { display: block !important; border: none; min-height: 0;
                break-after: page; page-break-after: always; }
  .conf-slide:last-of-type { break-after: auto; page-break-after: auto; }
}
"""


def _empty(words: rx.Var, link_words: rx.Var, href: str) -> rx.Component:
    """What to do when a slide has nothing yet, with the page where to do it."""
    return rx.vstack(
        rx.text(words, size="3", weight="medium"),
        rx.link(link_words, href=href, size="3", min_height=TOUCH, underline="always"),
        spacing="2",
    )


def _slide(key: str, title: rx.Var, *body: rx.Component) -> rx.Component:
    shown = part(view, "slide", str) == key
    return rx.el.section(
        rx.heading(title, as_="h2", size="6", id=f"slide-{key}-title", tab_index=-1),
        *body,
        class_name="conf-slide",
        aria_labelledby=f"slide-{key}-title",
        data_slide=key,
        style={"display": rx.cond(shown, "block", "none")},
    )


def _profile_slide() -> rx.Component:
    sections = part(view, "profile")
    accepted = part(view, "accepted")
    return _slide(
        "profile", t("My profile, in my own words"),
        rx.cond(
            sections.length() > 0,
            rx.vstack(rx.foreach(sections, lambda s: rx.box(
                rx.heading(s.to(dict)["title"].to(str), as_="h3", size="4"),
                rx.cond(s.to(dict)["choices_text"].to(str) != "",
                        rx.text(s.to(dict)["choices_text"].to(str), size="3", weight="bold")),
                rx.text(s.to(dict)["text"].to(str), size="4"),
            )), spacing="3", width="100%"),
            _empty(t("I have not written my profile yet."), t("Write my profile"),
                   routes.LEARNER_PROFILE),
        ),
        rx.cond(accepted.length() > 0, rx.box(
            rx.heading(t("What my teachers noticed, and I agree"), as_="h3", size="4"),
            rx.el.ul(rx.foreach(accepted, lambda o: rx.el.li(
                rx.text(o.to(dict)["text"].to(str), " · ", o.to(dict)["who"].to(str),
                        size="3")))),
            margin_top="1em")),
    )


def _highlights_slide() -> rx.Component:
    items = part(view, "highlights")
    return _slide(
        "highlights", t("My highlights"),
        rx.cond(
            items.length() > 0,
            rx.flex(rx.foreach(items, lambda e: rx.el.figure(
                rx.cond(e.to(dict)["thumb"].to(str) != "", rx.image(
                    src=e.to(dict)["thumb"].to(str), alt=e.to(dict)["caption"].to(str),
                    width="160px", height="160px", object_fit="cover",
                    border_radius="8px")),
                rx.el.figcaption(
                    rx.text(e.to(dict)["caption"].to(str), size="3", weight="medium"),
                    rx.cond(e.to(dict)["text"].to(str) != "",
                            rx.text(e.to(dict)["text"].to(str), size="2"))),
                margin="0", max_width="220px",
            )), gap="1em", wrap="wrap"),
            _empty(t("Star the work you want to show"), t("Go to my evidence"),
                   routes.LEARNER_EVIDENCE),
        ),
    )


def _goals_slide() -> rx.Component:
    goals = part(view, "goals")
    return _slide(
        "goals", t("My goals"),
        rx.cond(
            goals.length() > 0,
            rx.vstack(rx.foreach(goals, lambda g: rx.box(
                rx.heading(g.to(dict)["title"].to(str), as_="h3", size="4"),
                rx.text(g.to(dict)["status_text"].to(str), " · ",
                        g.to(dict)["due_text"].to(str), size="2"),
                rx.cond(g.to(dict)["reflection"].to(str) != "",
                        rx.text(g.to(dict)["reflection"].to(str), size="3")),
            )), spacing="3", width="100%"),
            _empty(t("I have not set goals yet; let us set one today."), t("Set a goal"),
                   routes.LEARNER_GOALS),
        ),
    )


def _levels_slide() -> rx.Component:
    topics = part(view, "levels")
    return _slide(
        "levels", t("My levels"),
        rx.cond(
            topics.length() > 0,
            rx.vstack(rx.foreach(topics, lambda tp: rx.box(
                rx.heading(tp.to(dict)["name"].to(str), as_="h3", size="4"),
                rx.text(tp.to(dict)["progress_text"].to(str), size="2"),
                rx.el.ul(rx.foreach(tp.to(dict)["targets"].to(list[dict[str, Any]]),
                                    lambda tg: rx.el.li(rx.text(
                                        tg.to(dict)["code"].to(str), " ",
                                        tg.to(dict)["title"].to(str), ": ",
                                        tg.to(dict)["level_text"].to(str), size="3")))),
            )), spacing="3", width="100%"),
            _empty(t("Nothing assessed yet."), t("Go to my evidence"), routes.LEARNER_EVIDENCE),
        ),
    )


def _controls() -> rx.Component:
    return rx.flex(
        rx.button(t("Previous"), type="button", min_height=TOUCH, variant="soft",
                  disabled=part(view, "is_first", bool),
                  on_click=js_action("waypointConference.go", -1)),
        rx.text(part(view, "counter_text", str), size="3", weight="medium",
                role="status", aria_live="polite", id="slide-counter"),
        rx.button(t("Next"), type="button", min_height=TOUCH,
                  disabled=part(view, "is_last", bool),
                  on_click=js_action("waypointConference.go", 1)),
        rx.button(t("Print"), type="button", min_height=TOUCH, variant="outline",
                  on_click=js_action("waypointConference.print")),
        class_name="conf-controls", gap="0.75em", align="center", wrap="wrap",
        justify="between", width="100%",
    )


@page(routes.LEARNER_CONFERENCE, title="Rehearse my conference",
      on_load=LearnerState.check_access)
def learner_conference_page() -> rx.Component:
    """One slide at a time; the arrow keys and the buttons move; printing shows them all."""
    return learner_shell(
        t("Rehearse my conference"),
        routes.LEARNER_CONFERENCE,
        rx.el.style(PRINT_CSS),
        rx.text(t("Practice what you will say: one part at a time. It works without a "
                  "connection."), size="2", color=rx.color("gray", 11), class_name="no-print"),
        _controls(),
        _profile_slide(),
        _highlights_slide(),
        _goals_slide(),
        _levels_slide(),
    )
