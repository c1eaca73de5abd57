"""Small real JPEGs for the year's photo evidence, stored as the learner's own uploads.

Each picture is drawn from the seed (a few coloured shapes on a background), so the same
seed gives the same bytes and so the same sha256. It is stored through the blob upload
code (`add_file`: cleaned, thumbnailed, and recorded as that learner's upload), because
evidence may cite only a file its learner's side uploaded.
"""

import io
import random

from PIL import Image, ImageDraw

from backend.models import User

SIZE = (96, 72)


def photo_bytes(seed: int, username: str, k: int) -> bytes:
    """A small JPEG, the same for the same (seed, learner, number)."""
    rng = random.Random(f"{seed}:photo:{username}:{k}")
    image = Image.new("RGB", SIZE, tuple(rng.randrange(150, 256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(4):
        x, y = rng.randrange(SIZE[0] - 10), rng.randrange(SIZE[1] - 10)
        box = (x, y, x + rng.randrange(8, 40), y + rng.randrange(8, 30))
        draw.rectangle(box, fill=tuple(rng.randrange(0, 200) for _ in range(3)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def upload_photo(learner: User, data: bytes) -> str:
    """Store `data` as `learner`'s finished upload; returns its sha256 (the caller commits)."""
    from backend.api.blobs.uploads import add_file

    return add_file(learner.id, data)
