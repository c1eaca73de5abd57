"""Check that an uploaded file is what it claims, strip its metadata, make a thumbnail.

A decompression bomb is a few hundred KB that decodes to gigabytes: its size is read from
the header alone (no pixel is decoded) and refused above the cap, before Pillow decodes
anything; Pillow's own bomb check then stands behind it as an error, not a warning.
"""

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from backend.errors import AppError
from backend.i18n import N_, gettext

IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
THUMB_PX = 320
# A 24-megapixel phone photo is about 6000×4000; 40 MP leaves room for any phone camera.
MAX_PIXELS = 40_000_000

# user-facing words, in one place for the translation catalogs
NOT_AN_IMAGE = N_("That file is not a photo we can read (JPEG, PNG or WebP) or a PDF.")
WRONG_FORMAT = N_("{fmt} images are not accepted; use JPEG, PNG or WebP.")
TOO_LARGE = N_("This photo is too large to process: {mp} megapixels; the most is {cap}.")
TOO_MANY_FRAMES = N_("This image is too large to process: {frames} frames of {mp} megapixels "
                   "make {total} megapixels; the most is {cap}.")
TOO_LARGE_UNMEASURED = N_("This photo is too large to process; the most is {cap} megapixels.")
def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.1f}".removesuffix(".0")


def _refuse(message: str, status: int = 415, code: str = "not_an_image") -> AppError:
    return AppError(message, status=status, code=code)


def _header(data: bytes) -> tuple[str, tuple[int, int], int]:
    """(format, size, frames) of an accepted image, read from its header: nothing decoded.

    The format's own reader is called directly: `Image.open` would run Pillow's bomb check
    first and refuse without telling us the size.
    """
    Image.init()
    for fmt in IMAGE_FORMATS:
        factory, accept = Image.OPEN[fmt]
        if accept is not None and not accept(data[:16]):
            continue
        # some readers (WebP) run Pillow's bomb check while reading the header: off for
        # this read only, so the size can be told; nothing is decoded here
        limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
        try:
            image = factory(io.BytesIO(data))
            return fmt, image.size, max(1, int(getattr(image, "n_frames", 1) or 1))
        except Image.DecompressionBombError as err:
            raise _refuse(gettext(TOO_LARGE_UNMEASURED, cap=_megapixels(limit or MAX_PIXELS)),
                          413, "image_too_large") from err
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError,
                TypeError, KeyError, IndexError) as err:
            raise _refuse(NOT_AN_IMAGE) from err
        finally:
            Image.MAX_IMAGE_PIXELS = limit
    raise _refuse(_other_format(data))


def _other_format(data: bytes) -> str:
    """Words for a file that is not JPEG, PNG or WebP (a GIF, a TIFF…, or not an image)."""
    for fmt, (_factory, accept) in Image.OPEN.items():
        if accept is not None and fmt not in IMAGE_FORMATS:
            try:
                if accept(data[:16]):
                    return gettext(WRONG_FORMAT, fmt=fmt)
            except Exception:  # noqa: BLE001 - a plugin's sniffer choking means "not it"
                continue
    return NOT_AN_IMAGE


def check_pixels(data: bytes, max_pixels: int = MAX_PIXELS) -> tuple[str, tuple[int, int]]:
    """Refuse (413) an image whose frames hold more than `max_pixels`, before decoding it."""
    fmt, (width, height), frames = _header(data)
    pixels = width * height
    cap = _megapixels(max_pixels)
    if pixels > max_pixels:
        raise _refuse(gettext(TOO_LARGE, mp=_megapixels(pixels), cap=cap), 413,
                      "image_too_large")
    if pixels * frames > max_pixels:
        raise _refuse(gettext(TOO_MANY_FRAMES, frames=frames, mp=_megapixels(pixels),
                                             total=_megapixels(pixels * frames), cap=cap),
                      413, "image_too_large")
    return fmt, (width, height)


def clean_upload(data: bytes, max_pixels: int = MAX_PIXELS) -> tuple[bytes, bytes | None, dict]:
    """Return (stored bytes, thumbnail or None, metadata). Raises AppError for a fake file."""
    if data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:]:
        return data, None, {"content_type": "application/pdf"}
    fmt, _size = check_pixels(data, max_pixels)
    Image.MAX_IMAGE_PIXELS = max_pixels  # Pillow's own check, behind ours
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=[fmt]) as probe:
                probe.verify()  # catches truncated and forged files
            image = Image.open(io.BytesIO(data), formats=[fmt])
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
            raise _refuse(gettext(TOO_LARGE_UNMEASURED, cap=_megapixels(max_pixels)), 413,
                          "image_too_large") from err
        # IndexError: Pillow's PNG verify on a file with no image data chunk (hypothesis)
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, IndexError) as err:
            raise _refuse(NOT_AN_IMAGE) from err
        try:
            return _re_encode(image, fmt)
        except (OSError, ValueError) as err:  # e.g. a WebP header wider than WebP allows
            raise _refuse(NOT_AN_IMAGE) from err


def _re_encode(image: Image.Image, fmt: str) -> tuple[bytes, bytes, dict]:
    """Turn the photo upright, then re-encode from pixels only: EXIF (GPS!), XMP and
    comments are not copied."""
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
