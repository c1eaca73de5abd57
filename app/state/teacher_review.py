"""The teacher's review queue (/teacher/review).

Online, the queue comes from GET /api/review-queue (photos as data: URIs). Reviews are
written only through the sync core (window.waypoint → outbox → /api/sync/push); the page
marks a card done from the device's own store, so a teacher can clear the loaded queue
with no connection and it syncs later.
"""

import reflex as rx

from app.state.base import SignedOut, State
from app.state.binder_photos import photo_uri
from app.state.teacher_views import ReviewItem, review_item

PAGE = 10  # cards at a time: each may carry a photo, and phones are small


class TeacherReviewState(State):
    """Evidence waiting for review, newest or oldest first."""

    items: list[ReviewItem] = []
    shown: int = PAGE
    order: str = "newest"
    is_loaded: bool = False
    error: str = ""

    @rx.event
    async def load_queue(self):
        """Fetch the queue (teachers: their learners; admins: the school)."""
        if (leave := self._guard("teacher", "admin")) is not None:
            return leave
        self.error = ""
        try:
            response = await self._api("GET", f"/api/review-queue?order={self.order}")
        except SignedOut:
            return self._to_login()
        if not response.is_ok:
            self.error = response.message
            self.is_loaded = True
            return None
        token = self._access_token()
        self.items = [review_item(row, await photo_uri(row.get("thumb_url"), token))
                      for row in response.body]
        self.is_loaded = True
        return None

    @rx.var
    def shown_items(self) -> list[ReviewItem]:
        return self.items[: self.shown]

    @rx.var
    def more_text(self) -> str:
        """"Show 10 more (of 34 waiting)", or "" when all are shown."""
        left = len(self.items) - self.shown
        return "" if left <= 0 else f"Show {min(PAGE, left)} more ({left} not shown)"

    @rx.event
    def show_more(self):
        self.shown += PAGE

    @rx.event
    async def set_order(self, order: str):
        """Newest or oldest first."""
        self.order = "oldest" if order == "oldest" else "newest"
        self.shown = PAGE
        return TeacherReviewState.load_queue

    @rx.event
    async def show_full_photo(self, evidence_id: str):
        """Swap a card's thumbnail for the full photo."""
        token = self._access_token()
        for item in self.items:
            if item.id == evidence_id and item.photo_path and not item.is_full_photo:
                full = await photo_uri(item.photo_path, token)
                if full:
                    item.photo, item.is_full_photo = full, True
        self.items = list(self.items)
