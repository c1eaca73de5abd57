"""The card sign-in page (/card): only where to send someone already signed in. Signing in
itself happens in the page (assets/ui/card_scan.js): the API answers with httpOnly
cookies, which only the browser's own fetch can receive."""

import reflex as rx

from app import routes
from app.state.base import State

ROUTE = routes.CARD_SIGN_IN


class CardSignInState(State):
    """Someone already signed in on this device goes to their own page."""

    @rx.event
    def go_home(self):
        role = self._user().get("role")
        if role and self._has_session():
            return rx.redirect(routes.home_for(role), replace=True)
        return None
