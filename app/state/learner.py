"""The learner's pages (/learner/…) render from the device's store, not from this state.

All the server does for them is the access check when the socket is up: a visitor without
a session goes to sign-in, another role to their own home. Offline the check simply waits
(Reflex queues it) while the page renders from IndexedDB.
"""

import reflex as rx

from app.state.base import State


class LearnerState(State):
    """Access check for the learner's offline-first pages."""

    @rx.event
    def check_access(self):
        """Send visitors who are not signed-in learners to their own page."""
        return self._guard("student")
