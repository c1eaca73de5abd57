"""/teacher/sign-in-help: learners who must wait before signing in, each with "Let in"."""

import reflex as rx

from app import routes
from app.components.admin_form import notice
from app.components.empty_state import empty_state, error_state, loading_state
from app.components.shell import TOUCH, page_shell
from app.i18n import t, tn
from app.routes import page
from app.state.teacher_sign_in_help import LockedLearner, TeacherSignInHelpState

S = TeacherSignInHelpState

def _wait(p: rx.Var[LockedLearner]) -> rx.Var:
    """"alex7 · Can try again by themself in 3 minutes.", one sentence per plural form."""
    return rx.cond(
        p.wait_seconds < 60,
        tn("{username} · Can try again by themself in {n} second.",
           "{username} · Can try again by themself in {n} seconds.", p.wait_seconds,
           username=p.username),
        tn("{username} · Can try again by themself in {n} minute.",
           "{username} · Can try again by themself in {n} minutes.", p.wait_minutes,
           username=p.username))


def _learner(p: rx.Var[LockedLearner]) -> rx.Component:
    return rx.el.li(
        rx.flex(
            rx.vstack(
                rx.text(p.name, weight="bold"),
                rx.text(_wait(p), size="1", color=rx.color("gray", 11)),
                spacing="0", flex="1", min_width="0",
            ),
            rx.button(t("Let in"), size="3", min_height=TOUCH, min_width=TOUCH,
                      on_click=S.let_in(p.id), aria_label=t("Let in {name}", name=p.name)),
            gap="0.5em", align="center",
        ),
        list_style="none", padding_y="0.5em", border_top=f"1px solid {rx.color('gray', 4)}",
    )


@page(routes.TEACHER_SIGN_IN_HELP, title="Sign-in help",
      on_load=TeacherSignInHelpState.load_lockouts)
def teacher_sign_in_help_page() -> rx.Component:
    """Who is locked out now; the teacher lets them in."""
    return page_shell(
        t("Sign-in help"),
        rx.text(t("After ten wrong passwords for a username, Waypoint makes that username "
                  "wait before it can try again, so nobody can guess a password. If the "
                  "learner is in front of you, let them in and they can sign in right away."),
                size="2", color=rx.color("gray", 11)),
        notice(rx.cond(S.let_in_name != "",
                       t("{name} can sign in again now.", name=S.let_in_name), ""), False),
        rx.cond(
            S.is_loaded,
            rx.fragment(
                rx.cond(S.error != "", error_state(S.error)),
                rx.cond(
                    S.locked.length() > 0,
                    rx.card(rx.el.ul(rx.foreach(S.locked, _learner), padding="0", margin="0"),
                            width="100%"),
                    rx.cond(S.error == "", empty_state(
                        t("None of your learners is locked out."),
                        t("If a learner cannot sign in, check the username with them first. "
                          "Anyone who must wait after wrong passwords shows up here."),
                        icon="key_round")),
                ),
                rx.button(t("Check again"), size="3", variant="soft", color_scheme="gray",
                          min_height=TOUCH, on_click=S.load_lockouts),
            ),
            loading_state(t("Loading the learners who are locked out…")),
        ),
    )
