"""The teacher's review queue (/teacher/review).

Online, the queue comes from GET /api/review-queue (photos as data: URIs). Reviews are
written only through the sync core (window.waypoint → outbox → /api/sync/push); the page
marks a card done from the device's own store, so a teacher can clear the loaded queue
with no connection and it syncs later.
"""

import reflex as rx

from app.state import paging
from app.state.base import SignedOut, State
from app.state.binder_photos import photo_uri
from app.state.paging import PAGE_SIZE, Words, focus_item_script
from app.state.views import ReviewItem, review_item

LIST_ID = "review-queue"

WAITING = Words("piece waiting for review", "pieces waiting for review")


class TeacherReviewState(State):
    """Evidence waiting for review, newest or oldest first, 20 cards at a time."""

    items: list[ReviewItem] = []
    total: int = 0
    order: str = "newest"
    is_loaded: bool = False
    error: str = ""

    async def _page(self, offset: int) -> list[ReviewItem] | None:
        """One page of the queue from `offset` (None after an error, which is then shown)."""
        response = await self._api(
            "GET", f"/api/review-queue?order={self.order}&limit={PAGE_SIZE}&offset={offset}")
        if not response.is_ok:
            self.error = response.message
            return None
        self.total = int(response.body.get("total", 0))
        token = self._access_token()
        return [review_item(row, await photo_uri(row.get("thumb_url"), token))
                for row in response.body.get("items", [])]

    @rx.event
    async def load_queue(self):
        """Fetch the first page (teachers: their learners; admins: the school)."""
        if (leave := self._guard("teacher", "admin")) is not None:
            return leave
        self.error = ""
        try:
            items = await self._page(0)
        except SignedOut:
            return self._to_login()
        self.items = items or []
        self.is_loaded = True
        return None

    @rx.var
    def count_text(self) -> str:
        """"Showing 20 of 143 pieces waiting for review"."""
        return paging.count_text(len(self.items), self.total, WAITING)

    @rx.var
    def more_text(self) -> str:
        """"Show 20 more pieces waiting for review", or "" when all are shown."""
        return paging.more_text(len(self.items), self.total, WAITING)

    @rx.event
    async def show_more(self):
        """The next page; focus moves to its first card.

        Pieces reviewed since the first page leave the server's queue, so an offset can
        step over a few; those come back on the next visit, and a piece is never shown twice.
        """
        shown = len(self.items)
        try:
            more = await self._page(shown)
        except SignedOut:
            return self._to_login()
        seen = {item.id for item in self.items}
        self.items = self.items + [item for item in more or [] if item.id not in seen]
        return rx.call_script(focus_item_script(LIST_ID, shown))

    @rx.event
    async def set_order(self, order: str):
        """Newest or oldest first."""
        self.order = "oldest" if order == "oldest" else "newest"
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
