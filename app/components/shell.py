"""The frame of every page: header with the role's navigation and sign-out, then content."""

import reflex as rx

from app import routes
from app.components.language import language_picker, locale_direction
from app.components.session import sign_out_action, sign_out_view
from app.components.sync_store import hook_var
from app.components.tab_title import tab_title
from app.i18n import t
from app.state.base import State
from backend.i18n import N_

# 44 px: the smallest comfortable touch target on a phone.
TOUCH = "44px"
CONTENT_WIDTH = "44rem"

_NAV_BY_ROLE = {
    "student": [(N_("My binder"), routes.LEARNER)],
    "teacher": [(N_("Review"), routes.TEACHER_REVIEW), (N_("Classes"), routes.TEACHER),
                (N_("Grid"), routes.TEACHER_GRID), (N_("Ready"), routes.TEACHER_READY),
                (N_("Conflicts"), routes.TEACHER_CONFLICTS),
                (N_("Reports"), routes.TEACHER_REPORTS),
                (N_("Sign-in help"), routes.TEACHER_SIGN_IN_HELP),
                (N_("Cards"), routes.TEACHER_CARDS),  # QR sign-in cards
                (N_("My growth"), routes.TEACHER_GROWTH)],  # microcredentials
    "guardian": [(N_("My family"), routes.FAMILY)],
    "admin": [(N_("School"), routes.ADMIN), (N_("Curriculum"), routes.ADMIN_CURRICULUM),
              (N_("People"), routes.ADMIN_PEOPLE), (N_("Settings"), routes.ADMIN_SETTINGS),
              (N_("Sync"), routes.ADMIN_SYNC), (N_("Classes"), routes.TEACHER),
              (N_("Imports"), routes.ADMIN_IMPORTS), (N_("Logs"), routes.ADMIN_ACCESS_LOG),
              (N_("Growth"), routes.ADMIN_GROWTH)],
}


# who is signed in on THIS device (localStorage "waypoint.session", assets/ui/device_nav.js):
# the header's links and name need no socket, so they stay after an offline reload (QA F18)
DEVICE_NAV = hook_var("wpDeviceNav", "useDeviceNav()", "$/public/ui/device_nav.js",
                      "useDeviceNav", dict, typed=True)
DEVICE_ROLE = DEVICE_NAV["role"].to(str)
DEVICE_PATH = DEVICE_NAV["path"].to(str)

# open conflicts in this device's store (assets/ui/teacher_screens.js): true after a
# settle, a sync and a reload, online or not
OPEN_CONFLICTS = hook_var("wpConflictCount", "useConflictCount()",
                          "$/public/ui/teacher_screens.js", "useConflictCount", int, typed=True)


def _conflict_badge() -> rx.Component:
    """The number of open conflicts, read out with the link's name."""
    return rx.cond(
        OPEN_CONFLICTS > 0,
        rx.badge(OPEN_CONFLICTS, color_scheme="red", variant="solid",
                 radius="full", margin_inline_start="0.35em",
                 aria_label=t("{n} open", n=OPEN_CONFLICTS)),
    )


def nav_link(label, href: str, is_here, icon: str | None = None) -> rx.Component:
    """One link of a navigation: `is_here` (a bool, or a Var on pages that know their path
    from the server) marks the current page. The learner's offline shell uses it too."""
    is_conflicts = href == routes.TEACHER_CONFLICTS
    return rx.link(
        *([rx.icon(icon, size=18, aria_hidden="true")] if icon else []),
        label,
        *([_conflict_badge()] if is_conflicts else []),
        href=href,
        aria_current=rx.cond(is_here, "page", "false"),
        display="inline-flex",
        align_items="center",
        gap="0.35em",
        min_height=TOUCH,
        padding_x="0.75em" if icon is None else "0.6em",
        border_radius="var(--radius-3)",
        weight="medium",
        underline="none",
        color=rx.color("accent", 12),  # accent 11 is 4.1–4.45:1 on these grounds
        background=rx.cond(is_here, rx.color("accent", 3), "transparent"),
    )


def _nav_link(label: str, href: str) -> rx.Component:
    # the msgids are marked N_ in _NAV_BY_ROLE
    return nav_link(t(label), href, href == DEVICE_PATH)


def _nav_for(role: str) -> rx.Component:
    return rx.flex(*[_nav_link(label, href) for label, href in _NAV_BY_ROLE[role]],
                   gap="0.25em", wrap="wrap")


def header_frame(name, on_sign_out, nav: rx.Component, name_width: str = "10em",
                 padding: str = "0.75em 1em") -> rx.Component:
    """Brand, who is signed in, Sign out, then the navigation: the top of every page.

    `on_sign_out` None: the page's own sign-out (assets/ui/session.js), which sends what the
    sync core holds, revokes both tokens, clears the session cookies and opens /login.
    """
    signing_out = sign_out_view().to(dict)["busy"].to(bool)
    return rx.el.header(
        rx.hstack(
            rx.hstack(
                rx.icon("compass", size=22, color=rx.color("accent", 10), aria_hidden="true"),
                rx.text(t("Waypoint"), weight="bold", size="4"),
                align="center",
                spacing="2",
            ),
            rx.spacer(),
            rx.text(name, size="2", color=rx.color("gray", 11), text_align="end",
                    max_width=name_width),
            rx.button(
                rx.icon("log_out", size=16, aria_hidden="true"),
                t("Sign out"),
                on_click=sign_out_action() if on_sign_out is None else on_sign_out,
                loading=signing_out,
                variant="soft",
                color_scheme="gray",
                min_height=TOUCH,
                size="2",
            ),
            align="center",
            width="100%",
        ),
        rx.el.nav(nav, aria_label="Main", margin_top="0.25em"),
        max_width=CONTENT_WIDTH,
        margin_x="auto",
        padding=padding,
    )


def page_frame(header: rx.Component, title, *children: rx.Component, subtitle=None,
               above_main: tuple = ()) -> rx.Component:
    """The page body: the header band, anything above the main area, one h1, content; in
    the reader's direction for Radix's own components (locale_direction)."""
    return locale_direction(rx.box(
        tab_title(title),
        *above_main[:1],
        rx.box(header, border_bottom=f"1px solid {rx.color('gray', 5)}",
               background=rx.color("gray", 1)),
        *above_main[1:],
        rx.el.main(
            rx.vstack(
                rx.heading(title, as_="h1", size="6"),
                (rx.text(subtitle, color=rx.color("gray", 11)) if subtitle is not None
                 else rx.fragment()),
                *children,
                spacing="4",
                width="100%",
            ),
            max_width=CONTENT_WIDTH,
            margin_x="auto",
            padding="1em",
        ),
        page_footer(),
        min_height="100vh",
        background=rx.color("gray", 2),
    ))


def page_footer() -> rx.Component:
    """The foot of every page: the privacy notice, one tap away (it needs no sign-in), and
    the language picker (app/components/language.py)."""
    return rx.el.footer(
        rx.link(t("Privacy"), href=routes.PRIVACY, display="inline-flex", align_items="center",
                min_height=TOUCH, padding_x="0.25em", size="2", color=rx.color("gray", 12)),
        language_picker(),
        display="flex", flex_wrap="wrap", align_items="center", gap="0.5em 1.5em",
        max_width=CONTENT_WIDTH, margin_x="auto", padding="0 1em 1em",
        border_top=f"1px solid {rx.color('gray', 5)}",
    )


def _header() -> rx.Component:
    # the device's session first (offline-capable pages: no socket after an offline reload);
    # the server's state only when this device keeps nobody (pages that need the network)
    on_device = DEVICE_ROLE != ""
    role = rx.cond(on_device, DEVICE_ROLE, State.user_role)
    name = rx.cond(on_device, DEVICE_NAV["name"].to(str), State.user_display_name)
    nav = rx.match(role, *[(r, _nav_for(r)) for r in _NAV_BY_ROLE], rx.fragment())
    return header_frame(name, None, nav)


def page_shell(title: rx.Var[str] | str, *children: rx.Component,
               subtitle: rx.Var[str] | str | None = None) -> rx.Component:
    """A signed-in page: header, a single h1, then the page's own content."""
    return page_frame(_header(), title, *children, subtitle=subtitle)
