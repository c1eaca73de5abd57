"""/admin/growth (the talent view): only who may open it; the page reads and writes the admin
API from the browser (assets/ui/growth_admin.js)."""

import reflex as rx

from app.state.base import State


class AdminGrowthState(State):
    """Admins only."""

    @rx.event
    async def check_access(self):
        """The page's guard."""
        return self._guard("admin")
