"""Evidence photos as data: URIs, fetched in-process with the reader's own token.

Fetched server-side with the reader's access token as a Bearer header (the state's copy,
app/state/base.py), so the photo arrives with the rest of the page's data and works the same
for every screen. The thumbnails are small (≤ 320 px JPEG); the full photo is fetched on
request.
"""

from __future__ import annotations

import asyncio
import base64

from app.api_client import flask_app


def _fetch(path: str, token: str) -> str:
    with flask_app().test_client() as client:
        response = client.get(path, headers={"Authorization": f"Bearer {token}"})
        if response.status_code != 200:
            return ""
        mimetype = response.mimetype or "image/jpeg"
        if not mimetype.startswith("image/"):
            return ""
        return f"data:{mimetype};base64,{base64.b64encode(response.data).decode()}"


async def photo_uri(path: str | None, token: str | None) -> str:
    """The photo at `path` (an /api/blobs/… URL) as a data: URI, or "" when unavailable."""
    if not path or not token:
        return ""
    return await asyncio.to_thread(_fetch, path, token)
