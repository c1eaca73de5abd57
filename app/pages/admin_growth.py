"""/admin/growth: the district's talent view (issue 17 part 3).

Who works on which microcredential and where it stands (working, waiting for an assessor,
returned, awarded), twenty at a time; the stipend paid and recertification hours recorded for
each awarded credential; and each microcredential's requirements, stipend and hours. Online
(the admin API); the logic is in assets/ui/growth_admin.js.
"""

import reflex as rx

from app import routes
from app.components.empty_state import empty_state
from app.components.offline_shell import INPUT_STYLE, field_label, form_message
from app.components.shell import TOUCH, page_shell
from app.components.sync_store import hook_var, js_action
from app.i18n import t
from app.routes import page
from app.state.admin_growth import AdminGrowthState

ADMIN_UI = "$/public/ui/growth_admin.js"
view = hook_var("wpAdminGrowth", "useAdminGrowth()", ADMIN_UI, "useAdminGrowth", dict,
                typed=True)


def _action(method: str, *args) -> rx.Var:
    return js_action(f"waypointAdminGrowth.{method}", *args)


def _input(name: str, label, value: rx.Var, form_id: rx.Var, hint=None,
           mode: str = "decimal") -> rx.Component:
    return field_label(label, rx.el.input(name=name, id=form_id + "-" + name,
                                          default_value=value, input_mode=mode,
                                          style=INPUT_STYLE), hint=hint)


def _award_form(row: rx.Var) -> rx.Component:
    form_id = row["form_id"].to(str)
    return rx.el.div(
        rx.text(row["award_text"].to(str), size="2", color=rx.color("gray", 11)),
        rx.flex(
            _input("stipend", t("Stipend paid ($)"), row["stipend"].to(str), form_id),
            _input("hours", t("Recertification hours"), row["hours"].to(str), form_id),
            gap="0.5em", width="100%",
        ),
        field_label(t("Note"), rx.el.input(name="note", id=form_id + "-note",
                                           default_value=row["note"].to(str),
                                           style=INPUT_STYLE)),
        rx.button(t("Record"), min_height=TOUCH,
                  aria_label=t("Record the stipend and hours for {name}: {topic}",
                               name=row["educator_name"], topic=row["topic_name"]),
                  on_click=_action("recordAward", row["credential_id"].to(str))),
        form_message(),
        id=form_id, role="form", width="100%",
        style={"display": "flex", "flex_direction": "column", "gap": "0.4em"},
    )


def _talent_row(row: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.card(rx.vstack(
            rx.text(rx.text.strong(row["educator_name"].to(str)), " · ",
                    row["topic_name"].to(str), size="3"),
            rx.badge(row["status_text"].to(str),
                     color_scheme=rx.match(row["status"].to(str), ("awarded", "grass"),
                                           ("returned", "tomato"), ("submitted", "indigo"),
                                           "gray")),
            rx.text(row["progress_text"].to(str), size="2"),
            rx.text(row["last_text"].to(str), size="1", color=rx.color("gray", 11)),
            rx.cond(row["can_record"].to(bool), _award_form(row)),
            spacing="1", width="100%", align="start",
        ), width="100%"),
        key=row["key"].to(str), list_style="none",
        aria_label=t("{name}: {topic}", name=row["educator_name"], topic=row["topic_name"]),
    )


def _terms(item: rx.Var) -> rx.Component:
    form_id = item["form_id"].to(str)
    return rx.el.li(
        rx.card(rx.el.div(
            rx.heading(item["name"].to(str), as_="h3", size="3"),
            rx.text(item["competencies_text"].to(str), size="1", color=rx.color("gray", 11)),
            field_label(t("What the district requires"),
                        rx.el.textarea(name="requirements", id=form_id + "-requirements",
                                       rows="3", default_value=item["requirements"].to(str),
                                       max_length=4000, style=INPUT_STYLE),
                        hint=t("Teachers read this before they start.")),
            rx.flex(
                _input("stipend", t("Stipend ($)"), item["stipend"].to(str), form_id),
                _input("hours", t("Recertification hours"), item["hours"].to(str), form_id),
                gap="0.5em", width="100%",
            ),
            rx.button(t("Save"), min_height=TOUCH,
                      aria_label=t("Save {name}", name=item["name"]),
                      on_click=_action("saveTerms", item["id"].to(str))),
            form_message(),
            id=form_id, role="form", aria_label=item["name"].to(str),
            style={"display": "flex", "flex_direction": "column", "gap": "0.4em",
                   "width": "100%"},
        ), width="100%"),
        key=item["id"].to(str), list_style="none",
    )


@page(routes.ADMIN_GROWTH, title="Growth", on_load=AdminGrowthState.check_access)
def admin_growth_page() -> rx.Component:
    """The talent view, awards, and the microcredentials' terms."""
    items = view["items"].to(list[dict])
    return page_shell(
        t("Educator growth"),
        # a form's refusal reads as one, beside the button that was tapped
        rx.el.style('[data-msg][data-error="1"] { color: var(--red-11) !important; '
                    'font-weight: 500; }'),
        rx.cond(view["error"].to(str) != "",
                rx.text(view["error"].to(str), role="alert", color=rx.color("red", 11))),
        rx.heading(t("Who works on what"), as_="h2", size="5"),
        rx.cond(
            view["ready"].to(bool),
            rx.cond(
                view["is_empty"].to(bool),
                empty_state(t("No teacher works on a microcredential yet."),
                            t("Teachers choose one under My growth. Check the requirements "
                              "below so they know what to do."), icon="users"),
                rx.vstack(
                    rx.text(view["page_text"].to(str), size="2", role="status"),
                    rx.el.ul(rx.foreach(items, _talent_row), padding="0", margin="0",
                             width="100%", display="flex", flex_direction="column",
                             gap="0.5em"),
                    rx.hstack(
                        rx.button(t("Previous page"), variant="soft", min_height=TOUCH,
                                  disabled=~view["has_prev"].to(bool),
                                  on_click=_action("prev")),
                        rx.button(t("Next page"), variant="soft", min_height=TOUCH,
                                  disabled=~view["has_next"].to(bool),
                                  on_click=_action("next")),
                    ),
                    spacing="2", width="100%",
                ),
            ),
            rx.text(t("Loading…"), size="2", role="status"),
        ),
        rx.heading(t("Microcredentials"), as_="h2", size="5"),
        rx.el.ul(rx.foreach(view["micro"].to(list[dict]), _terms), padding="0", margin="0",
                 width="100%", display="flex", flex_direction="column", gap="0.5em"),
        subtitle=t("What each teacher is working on, the stipends and hours recorded for "
                   "awarded microcredentials, and what each one requires."),
    )
