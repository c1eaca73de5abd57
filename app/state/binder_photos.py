"""Evidence photos as data: URIs, fetched in-process with the reader's own token.

Why not an <img src="/api/blobs/…">: the API takes the token only from the Authorization
header (never a cookie or the query string, so it never lands in logs), and an <img> cannot
send one. The thumbnails are small (≤ 320 px JPEG); the full photo is fetched on request.
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
