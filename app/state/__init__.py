"""Reflex states: `base.State` holds the session; one `<Page>State(State)` per page."""
