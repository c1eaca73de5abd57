"""Check that an uploaded file is what it claims, strip its metadata, make a thumbnail."""

import io

from PIL import Image, ImageOps, UnidentifiedImageError

from backend.errors import AppError

IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
THUMB_PX = 320
# A 24-megapixel phone photo is about 6000×4000; anything far larger is a decompression bomb.
MAX_PIXELS = 50_000_000


def clean_upload(data: bytes) -> tuple[bytes, bytes | None, dict]:
    """Return (stored bytes, thumbnail or None, metadata). Raises AppError for a fake file."""
    if data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:]:
        return data, None, {"content_type": "application/pdf"}
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()  # catches truncated and forged files
        image = Image.open(io.BytesIO(data))
        fmt = image.format
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as err:
        raise AppError("That file is not a photo we can read (JPEG, PNG or WebP) or a PDF.",
                       status=415, code="not_an_image") from err
    if fmt not in IMAGE_FORMATS:
        raise AppError(f"{fmt} images are not accepted; use JPEG, PNG or WebP.", status=415,
                       code="not_an_image")
    # Turn the photo upright, then re-encode from pixels only: EXIF (GPS!), XMP and
    # comments are not copied.
    upright = ImageOps.exif_transpose(image)
    if upright.mode not in ("RGB", "RGBA", "L", "LA"):
        upright = upright.convert("RGBA" if "transparency" in upright.info else "RGB")
    clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    out = io.BytesIO()
    save_kwargs = {"quality": 88, "optimize": True} if fmt == "JPEG" else {}
    if fmt == "JPEG" and clean.mode not in ("RGB", "L"):
        clean = clean.convert("RGB")
    clean.save(out, format=fmt, **save_kwargs)
    thumb = clean.copy()
    thumb.thumbnail((THUMB_PX, THUMB_PX))
    if thumb.mode not in ("RGB", "L"):
        thumb = thumb.convert("RGB")
    thumb_out = io.BytesIO()
    thumb.save(thumb_out, format="JPEG", quality=80)
    meta = {"content_type": IMAGE_FORMATS[fmt], "width": clean.width, "height": clean.height}
    return out.getvalue(), thumb_out.getvalue(), meta
