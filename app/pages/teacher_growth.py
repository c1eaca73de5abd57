"""/teacher/growth ("My growth"): the district's microcredentials and a teacher's work on them.

Read from the device's store only (assets/ui/growth.js, growth_views.js): the educator
catalog (each microcredential's requirements, what it is worth, its competencies and their
rubrics) and the teacher's own binder. "Work on this" sets a goal; each competency takes
evidence (words, a photo or a file) with the REQUIRED reflection on transfer to practice,
through the outbox (own binder: the teacher's id is the student_id). Each competency says
where it is: not started, saved on this phone, sent (only once the server acknowledged it),
returned with the assessor's feedback, or approved with its level; the badge, when awarded,
downloads as a file and can be checked on /verify. Works offline on a phone.
"""

import reflex as rx

from app import routes
from app.components.empty_state import empty_state
from app.components.offline_shell import INPUT_STYLE, field_label, form_message
from app.components.shell import TOUCH, page_shell
from app.components.sync_store import hook_var, js_action
from app.components.teacher_widgets import sync_strip
from app.i18n import t
from app.routes import page
from app.state.teacher_growth import TeacherGrowthState

GROWTH_UI = "$/public/ui/growth.js"
view = hook_var("wpGrowth", "useGrowth()", GROWTH_UI, "useGrowth", dict, typed=True)


def _action(method: str, *args) -> rx.Var:
    return js_action(f"waypointGrowth.{method}", *args)


def _rubric(comp: rx.Var) -> rx.Component:
    """The competency's rubric, highest level first, folded away until asked for."""
    return rx.el.details(
        rx.el.summary(t("Rubric for {code}", code=comp["code"]),
                      # a list-item keeps the disclosure triangle (flex would hide it)
                      style={"min_height": TOUCH, "padding": "0.7em 0", "cursor": "pointer",
                             "font_weight": "500"}),
        rx.el.dl(
            rx.foreach(comp["rubric"].to(list[dict]), lambda d: rx.fragment(
                rx.el.dt(d["score_text"], font_weight="bold"),
                rx.el.dd(d["text"], margin_inline_start="1.5em", margin_bottom="0.4em"),
            )),
            margin="0",
        ),
    )


def _activity(a: rx.Var, comp_id: rx.Var) -> rx.Component:
    """One activity of the competency: pick it, start it, mark it done (own binder)."""
    title = a["title"].to(str)
    next_status = a["next_status"].to(str)
    return rx.el.li(
        rx.flex(
            rx.vstack(
                rx.text(title, size="2", weight="medium"),
                rx.text(a["meta_text"].to(str), size="1", color=rx.color("gray", 11)),
                rx.cond(a["description"].to(str) != "",
                        rx.text(a["description"].to(str), size="1")),
                rx.cond(a["url"].to(str) != "",
                        rx.link(t("Open the resource"), href=a["url"].to(str), is_external=True,
                                size="2", min_height=TOUCH, display="inline-flex",
                                align_items="center")),
                spacing="1", flex="1", min_width="0",
            ),
            rx.cond(
                a["is_picked"].to(bool),
                rx.vstack(
                    rx.badge(a["status_text"].to(str), size="2",
                             color_scheme=rx.cond(next_status == "", "grass", "blue")),
                    rx.cond(next_status != "",
                            rx.button(a["next_label"].to(str), type="button", size="2",
                                      min_height=TOUCH,
                                      aria_label=t("{action}: {title}",
                                                   action=a["next_label"].to(str), title=title),
                                      on_click=_action("movePick", a["pick_id"].to(str),
                                                       next_status, comp_id))),
                    align="end", spacing="1",
                ),
                rx.button(t("Pick"), type="button", size="2", min_height=TOUCH, min_width=TOUCH,
                          aria_label=t("Pick: {title}", title=title),
                          on_click=_action("pick", a["id"].to(str), comp_id)),
            ),
            gap="0.5em", align="start", justify="between", wrap="wrap", width="100%",
        ),
        key=a["key"].to(str), list_style="none", padding_y="0.4em",
    )


def _activities(comp: rx.Var) -> rx.Component:
    """What to learn and try for the competency (the district's activities)."""
    comp_id = comp["id"].to(str)
    return rx.el.div(
        rx.text(t("Activities"), size="2", weight="bold"),
        rx.el.ul(rx.foreach(comp["activities"].to(list[dict]), lambda a: _activity(a, comp_id)),
                 padding="0", margin="0", width="100%"),
        form_message(),
        id="mc-acts-" + comp_id, width="100%",
    )


def _evidence_form(comp: rx.Var) -> rx.Component:
    """Words, a photo or a file, and the required reflection; sent through the outbox."""
    comp_id = comp["id"].to(str)
    return rx.el.div(
        rx.vstack(
            field_label(
                t("What did you do?"),
                rx.el.textarea(name="caption", id="mc-" + comp_id + "-caption", rows="2",
                               default_value=comp["draft_caption"].to(str), max_length=4000,
                               style=INPUT_STYLE),
                hint=t("A few words about the lesson or the practice. Add a photo or a file "
                       "below if you have one (student work, a plan, a video)."),
            ),
            field_label(
                t("Photo or file (optional)"),
                rx.el.input(type="file", name="file", id="mc-" + comp_id + "-file",
                            style=INPUT_STYLE),
            ),
            field_label(
                t("How did this change your teaching? (transfer to practice)"),
                rx.el.textarea(name="reflection", id="mc-" + comp_id + "-reflection", rows="3",
                               default_value=comp["draft_reflection"].to(str),
                               max_length=4000, required=True, aria_required="true",
                               aria_describedby="mc-" + comp_id + "-msg",
                               style=INPUT_STYLE),
                hint=t("Required. What you do differently in your classroom now, and what "
                       "you saw in your learners."),
            ),
            rx.button(t("Send for review"), type="button", min_height=TOUCH, width="100%",
                      aria_label=t("Send for review: {code}", code=comp["code"]),
                      on_click=_action("send", comp_id)),
            rx.el.p("", data_msg="", role="status", aria_live="polite",
                    id="mc-" + comp_id + "-msg",
                    style={"min_height": "1.2em", "font_size": "14px",
                           "color": rx.color("gray", 11)}),
            spacing="2", width="100%",
        ),
        id=comp["form_id"].to(str), role="form",
        aria_label=t("Evidence for {code}", code=comp["code"]),
        width="100%",
    )


def _competency(comp: rx.Var, is_working: rx.Var) -> rx.Component:
    state = comp["state"].to(str)
    color = comp["status_color"].to(str)
    return rx.el.li(
        rx.vstack(
            rx.text(rx.text.strong(comp["code"].to(str)), " ", comp["title"].to(str), size="3"),
            rx.text(comp["status_text"].to(str), size="2", weight="medium", role="status",
                    data_state=state,
                    color=rx.match(color, ("grass", rx.color("grass", 11)),
                                   ("red", rx.color("red", 11)),
                                   ("tomato", rx.color("tomato", 11)),
                                   ("amber", rx.color("amber", 11)),
                                   ("indigo", rx.color("indigo", 11)),
                                   rx.color("gray", 11))),
            rx.cond(comp["feedback"].to(str) != "",
                    rx.box(rx.text(t("The assessor's feedback"), size="1", weight="bold"),
                           rx.text(comp["feedback"].to(str), size="2"),
                           padding="0.5em", border_radius="var(--radius-2)",
                           background=rx.color("gray", 3), width="100%")),
            rx.cond(comp["can_dismiss"].to(bool),
                    rx.button(t("Drop the refused piece"), size="2", variant="soft",
                              color_scheme="red", min_height=TOUCH,
                              on_click=_action("dismiss", comp["rejected_seq"].to(str)))),
            rx.cond(comp["has_rubric"].to(bool), _rubric(comp)),
            rx.cond(is_working & (comp["activities"].to(list[dict]).length() > 0),
                    _activities(comp)),
            rx.cond(comp["can_add"].to(bool), _evidence_form(comp)),
            spacing="2", width="100%", align="start",
        ),
        id="mc-comp-" + comp["id"].to(str), data_state=state,
        aria_label=comp["code"].to(str) + " " + comp["title"].to(str),
        list_style="none", padding="0.75em 0", border_top=f"1px solid {rx.color('gray', 5)}",
    )


def _badge(item: rx.Var) -> rx.Component:
    """The awarded badge: download it as a file, and where anyone can check it."""
    return rx.vstack(
        rx.hstack(rx.icon("award", size=22, aria_hidden="true", color=rx.color("grass", 11)),
                  rx.text(item["badge_text"].to(str), weight="bold", size="3",
                          color=rx.color("grass", 11)),
                  align="center"),
        rx.el.div(
            rx.button(rx.icon("download", size=16, aria_hidden="true"),
                      t("Download the badge: {name}", name=item["badge_name"]),
                      variant="soft", min_height=TOUCH, high_contrast=True,
                      on_click=_action("downloadBadge", item["badge_href"].to(str),
                                       item["badge_file"].to(str), item["id"].to(str))),
            form_message(),
            id="mc-badge-" + item["id"].to(str),
        ),
        rx.link(t("Check a credential"), href=routes.VERIFY, min_height=TOUCH,
                display="inline-flex", align_items="center"),
        spacing="1", width="100%", padding="0.5em", border_radius="var(--radius-3)",
        background=rx.color("grass", 2), border=f"1px solid {rx.color('grass', 6)}",
    )


def _micro(item: rx.Var) -> rx.Component:
    item_id = item["id"].to(str)
    is_working = item["is_working"].to(bool)
    return rx.el.article(
        rx.card(rx.vstack(
            rx.heading(item["name"].to(str), as_="h2", size="4"),
            rx.cond(item["description"].to(str) != "",
                    rx.text(item["description"].to(str), size="2")),
            rx.cond(item["requirements"].to(str) != "",
                    rx.box(rx.text(t("What the district requires"), size="2", weight="bold"),
                           rx.text(item["requirements"].to(str), size="2",
                                   white_space="pre-line"))),
            rx.cond(item["worth_text"].to(str) != "",
                    rx.text(t("Worth: {worth}", worth=item["worth_text"]), size="2",
                            weight="medium")),
            rx.cond(item["has_badge"].to(bool), _badge(item)),
            rx.el.div(
                rx.cond(is_working,
                        rx.text(item["progress_text"].to(str), size="2", weight="medium"),
                        rx.button(t("Work on this"), min_height=TOUCH, width="100%",
                                  aria_label=t("Work on this: {name}", name=item["name"]),
                                  on_click=_action("workOn", item_id))),
                form_message(),
                id="mc-topic-" + item_id, width="100%",
            ),
            rx.heading(t("Competencies"), as_="h3", size="3"),
            rx.el.ul(rx.foreach(item["competencies"].to(list[dict]),
                                lambda comp: _competency(comp, is_working)),
                     padding="0", margin="0", width="100%"),
            spacing="2", width="100%",
        ), width="100%"),
        aria_label=item["name"].to(str), data_topic=item_id, width="100%",
    )


@page(routes.TEACHER_GROWTH, title="My growth", on_load=TeacherGrowthState.check_access)
def teacher_growth_page() -> rx.Component:
    """The catalog of microcredentials, and the teacher's work on each, from this device."""
    hide_toasts = rx.el.style(
        'section[aria-label^="Notifications"] { display: none !important; }'
        # a form's refusal reads as one, beside the button that was tapped
        ' [data-msg][data-error="1"] { color: var(--red-11) !important; font-weight: 500; }')
    return page_shell(
        t("My growth"),
        hide_toasts,
        rx.text(t("Choose a microcredential, practise it in your classroom, and send evidence "
                  "of each competency with a reflection on how it changed your teaching. An "
                  "assessor reviews it against the rubric."),
                size="2", color=rx.color("gray", 11)),
        sync_strip(),
        rx.cond(
            view["ready"].to(bool),
            rx.cond(
                view["is_empty"].to(bool),
                empty_state(t("No microcredentials yet."),
                            t("The district office adds them under Curriculum (an area for "
                              "educators). Ask them, then open this page again."),
                            icon="award"),
                rx.vstack(rx.foreach(view["items"].to(list[dict]), _micro), spacing="3",
                          width="100%"),
            ),
            rx.text(t("Reading your microcredentials on this phone…"), size="2",
                    color=rx.color("gray", 11), role="status"),
        ),
    )
