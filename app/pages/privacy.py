"""/privacy: what Waypoint collects about children, why, how long it is kept, who can see
it and what families may ask for, in plain words. Public: no sign-in needed."""

import reflex as rx

from app import routes
from app.components.shell import TOUCH, page_frame
from app.i18n import t
from app.routes import page
from app.state.privacy import PrivacyState
from backend.i18n import N_

# user-facing words, kept together for the translation catalogs: (heading, paragraphs)
SECTIONS = [
    (N_("What Waypoint keeps"), [
        N_("Waypoint is your school's assessment binder. It keeps only what the school needs "
           "to show where each learner is and what they can do next:"),
        N_("• names and usernames the school gives, and who is in which class;"),
        N_("• for each learner: levels on learning targets, the ratings and self-assessments "
           "behind them, goals and reflections, the activities they picked, and their evidence "
           "(photos, files, links and text) with teachers' reviews;"),
        N_("• when each device last synced, so teachers can see that work arrived."),
        N_("It keeps no birth date, no home address and no profile photo of anyone."),
    ]),
    (N_("Why"), [
        N_("To teach: so learners, teachers and families can see progress and plan the next "
           "step. Nothing else."),
        N_("There are no advertisements. Nothing is sold, rented or shared for marketing, and "
           "there are no advertising or tracking cookies. The only cookies keep you signed in."),
    ]),
    (N_("Photos"), [
        N_("Before a photo is stored, Waypoint removes its hidden data (EXIF), which can include "
           "where and when it was taken and the device that took it."),
    ]),
    (N_("Who can see a learner's record"), [
        N_("The learner; their teachers (only learners in their own classes); their guardians "
           "(only their own children); and the school's admins."),
        N_("Every time someone reads a learner's record — their binder, evidence, reports or "
           "exports, or a device copies it — Waypoint writes down who, when and why. Families "
           "see this on their page under \"Who has looked at …'s record\"."),
        N_("Every change an admin makes (accounts, settings, imports, deletions) is written in "
           "an audit log. Neither log can be edited or deleted."),
    ]),
]
RIGHTS = (N_("What families can do"), [
    N_("See the record at any time on the family page."),
    N_("Download the whole record (binder, levels and how they were worked out, goals, evidence "
       "photos) as one file: a guardian from the family page, or a learner aged 13 or over "
       "from their own binder."),
    N_("Ask the school to correct something that is wrong."),
    N_("Ask the school to delete a learner's record once they have left. Everything is deleted, "
       "photos included, and devices that held it wipe it on their next sync. The access log of "
       "a deleted record goes with it."),
    N_("For any of these, contact your school office."),
])
KEPT_HEADING = N_("How long it is kept")
SIGN_IN = N_("Sign in")


def _section(heading: str, paragraphs: list[str]) -> rx.Component:
    return rx.el.section(
        rx.heading(t(heading), as_="h2", size="4", margin_bottom="0.4em"),
        *[rx.text(t(p), size="3", margin_bottom="0.5em") for p in paragraphs],
        width="100%",
    )


def _header() -> rx.Component:
    return rx.el.header(
        rx.hstack(
            rx.link(
                rx.hstack(
                    rx.icon("compass", size=22, color=rx.color("accent", 10),
                            aria_hidden="true"),
                    rx.text(t("Waypoint"), weight="bold", size="4"),
                    align="center", spacing="2",
                ),
                href="/", underline="none", color=rx.color("gray", 12),
                min_height=TOUCH, display="inline-flex", align_items="center",
            ),
            rx.spacer(),
            rx.link(t(SIGN_IN), href=routes.LOGIN, min_height=TOUCH, display="inline-flex",
                    align_items="center", padding_x="0.75em", weight="medium",
                    color=rx.color("accent", 12)),
            align="center", width="100%",
        ),
        max_width="44rem", margin_x="auto", padding="0.75em 1em",
    )


@page(routes.PRIVACY, title="Privacy", on_load=PrivacyState.load)
def privacy_page() -> rx.Component:
    """The privacy notice, readable by anyone."""
    return page_frame(
        _header(),
        t("Privacy: how Waypoint looks after children's records"),
        *[_section(heading, paragraphs) for heading, paragraphs in SECTIONS],
        rx.el.section(
            rx.heading(t(KEPT_HEADING), as_="h2", size="4", margin_bottom="0.4em"),
            rx.cond(
                PrivacyState.is_loaded,
                rx.foreach(PrivacyState.retention,
                           lambda line: rx.text(line, size="3", margin_bottom="0.5em")),
                rx.text(t("Loading…"), size="3", role="status"),
            ),
            width="100%",
        ),
        _section(*RIGHTS),
    )
