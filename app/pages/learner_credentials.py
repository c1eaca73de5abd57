"""/learner/credentials: a learner's own Open Badges 3.0 credentials and their CLR, to
download (linked from their binder, /learner). Online only: credentials are issued and
signed on the server."""

import reflex as rx

from app import routes
from app.components.credentials import credentials_panel
from app.components.shell import page_shell
from app.i18n import t
from app.routes import page
from app.state.credentials import CredentialsState
from backend.i18n import N_

TITLE = N_("My credentials")


@page(routes.LEARNER_CREDENTIALS, title="My credentials", on_load=CredentialsState.check_learner)
def learner_credentials_page() -> rx.Component:
    return page_shell(t(TITLE), credentials_panel())
