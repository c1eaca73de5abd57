"""/admin/settings (how levels are worked out) and /admin/sync (devices, conflicts)."""

import reflex as rx

from app import routes
from app.components.admin_form import FIELD, notice
from app.components.empty_state import empty_state, error_state, loading_state
from app.components.retention_form import retention_card
from app.components.shell import TOUCH, page_shell
from app.i18n import t
from app.routes import page
from app.state.admin_settings import SOURCE_WORDS, AdminSettingsState, AdminSyncState, DeviceRow

S = AdminSettingsState


@page(routes.ADMIN_SETTINGS, title="Settings", on_load=AdminSettingsState.load_settings)
def admin_settings_page() -> rx.Component:
    """The school's calculation method and which assessments count."""
    return page_shell(
        t("Settings"),
        rx.text(t("How each learner's level on a target is worked out from their assessments. "
                  "Families see the method on every target."), size="2",
                color=rx.color("gray", 11)),
        notice(S.message, S.is_error),
        rx.cond(
            S.is_loaded,
            rx.card(
                rx.form(
                    rx.vstack(
                        rx.text(t("Now: {method}", method=S.method_label), size="2",
                                weight="medium"),
                        rx.vstack(
                            rx.el.label(t("Calculation method"), html_for="settings-method",
                                        font_weight="500", font_size="0.9em"),
                            rx.el.select(
                                rx.foreach(S.methods, lambda o: rx.el.option(
                                    o.label, value=o.value)),
                                id="settings-method", name="method", default_value=S.method,
                                key=S.method, style=FIELD),
                            spacing="1", width="100%",
                        ),
                        rx.el.fieldset(
                            rx.el.legend(t("Assessments that count"), font_weight="500"),
                            *[rx.el.label(
                                rx.el.input(type="checkbox", name=f"source_{key}",
                                            default_checked=S.sources.contains(key),
                                            key=S.method + key),
                                t(words), display="flex", gap="0.5em", align_items="center",
                                min_height=TOUCH) for key, words in SOURCE_WORDS.items()],
                            border="none", padding="0", margin="0",
                        ),
                        rx.text(t("Credit rule: {rule}", rule=S.credit_text), size="1",
                                color=rx.color("gray", 11)),
                        rx.button(t("Save settings"), type="submit", size="3", min_height=TOUCH,
                                  width="100%"),
                        spacing="3", width="100%",
                    ),
                    on_submit=S.save, reset_on_submit=False,
                ),
                width="100%",
            ),
            loading_state(t("Loading settings…")),
        ),
        retention_card(),
    )


def _device(d: rx.Var[DeviceRow]) -> rx.Component:
    return rx.el.li(
        rx.text(d.who, size="2", weight="medium"),
        rx.text(d.device, size="1", color=rx.color("gray", 11)),
        rx.text(t("Last sent: {sent} · last received: {received}", sent=d.last_push,
                  received=d.last_pull), size="1",
                color=rx.cond(d.is_stale, rx.color("amber", 11), rx.color("gray", 11))),
        list_style="none", padding_y="0.4em", border_top=f"1px solid {rx.color('gray', 4)}",
    )


@page(routes.ADMIN_SYNC, title="Sync health", on_load=AdminSyncState.load_health)
def admin_sync_page() -> rx.Component:
    """Devices, when each last synced, and open conflicts."""
    return page_shell(
        t("Sync health"),
        rx.cond(
            AdminSyncState.is_loaded,
            rx.cond(
                AdminSyncState.error != "",
                error_state(AdminSyncState.error),
                rx.vstack(
                    rx.card(
                        rx.text(AdminSyncState.open_conflicts, size="7", weight="bold"),
                        rx.text(t("open conflicts between teachers' ratings"), size="2"),
                        rx.el.ul(rx.foreach(AdminSyncState.conflict_lines,
                                            lambda line: rx.el.li(rx.text(line, size="1"))),
                                 padding_inline_start="1.1em"),
                        width="100%", role="group", aria_label=t("Open conflicts"),
                    ),
                    rx.heading(t("Devices"), as_="h2", size="5"),
                    rx.cond(AdminSyncState.devices.length() > 0,
                            rx.card(rx.el.ul(rx.foreach(AdminSyncState.devices, _device),
                                             padding="0", margin="0"), width="100%"),
                            empty_state(t("No device has synced yet."),
                                        t("Devices appear here after a learner or teacher "
                                          "signs in and their first changes are sent."),
                                        icon="tablet")),
                    width="100%", spacing="3",
                ),
            ),
            loading_state(t("Loading sync health…")),
        ),
    )
