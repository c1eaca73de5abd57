"""Decompression bombs: what an upload's image check costs, measured side by side.

Run: `.venv/bin/python bench/image_bomb_bench.py [--repeat 5] [--decode]`. Times
`backend.services.images.clean_upload` (the whole check: header, pixel cap, decode,
re-encode, thumbnail) on an ordinary 12 MP phone photo and on small-byte bombs that the cap
refuses from the header: the issue's 99.8 MP PNG (about 100 KB here; 398 KB in the report)
and a JPEG whose header claims 60,000 × 60,000. With `--decode`, also the 99.8 MP PNG
through the same check with no cap (decoded, re-encoded, thumbnailed: the server before).
Each row runs in a fresh process, so its peak RSS growth (MB) is its own. Prints median
ms, peak RSS growth and the outcome. Not a test: nothing here passes or fails.
"""

import argparse
import io
import multiprocessing
import resource
import statistics
import struct
import sys
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image  # noqa: E402

from backend.errors import AppError  # noqa: E402
from backend.services.images import clean_upload  # noqa: E402


def png_bomb(width: int, height: int) -> bytes:
    row = b"\x00" * (width + 1)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height,
                                                               8, 0, 0, 0, 0))
            + chunk(b"IDAT", body) + chunk(b"IEND", b""))


def jpeg_claiming(width: int, height: int) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(buf, "JPEG")
    data = bytearray(buf.getvalue())
    sof = data.find(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def phone_photo() -> bytes:
    image = Image.effect_noise((4000, 3000), 40).convert("RGB")
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run(fn_name: str, data: bytes, repeat: int) -> tuple[float, float, str]:
    """In a fresh process: (median ms, peak RSS growth MB, outcome)."""
    fn = {"clean_upload": clean_upload, "uncapped": uncapped}[fn_name]
    times, outcome = [], ""
    before = _rss_mb()
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            fn(data)
            outcome = "accepted"
        except AppError as err:
            outcome = f"refused {err.status}"
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), _rss_mb() - before, outcome


def measure(name: str, data: bytes, fn_name: str, repeat: int) -> tuple:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        ms, rss, outcome = pool.apply(_run, (fn_name, data, repeat))
    return name, len(data) // 1024, ms, rss, outcome


def uncapped(data: bytes) -> None:
    """The same check with the cap far above the bomb: what the server did before it."""
    clean_upload(data, max_pixels=1_000_000_000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--decode", action="store_true",
                        help="also run the 99.8 MP PNG with no cap (slow, ~GB)")
    args = parser.parse_args()
    bomb = png_bomb(10_000, 9_980)
    rows = [measure("12 MP phone photo (JPEG)", phone_photo(), "clean_upload", args.repeat),
            measure("99.8 MP PNG bomb", bomb, "clean_upload", args.repeat),
            measure("JPEG header claiming 3600 MP", jpeg_claiming(60_000, 60_000),
                    "clean_upload", args.repeat)]
    if args.decode:
        rows.append(measure("99.8 MP PNG bomb with no cap (as before the fix)", bomb,
                            "uncapped", 1))
    print(f"{'input':52} {'KB':>6} {'median ms':>10} {'+RSS MB':>8}  outcome")
    for name, kb, ms, rss, outcome in rows:
        print(f"{name:52} {kb:>6} {ms:>10.1f} {rss:>8.0f}  {outcome}")


if __name__ == "__main__":
    main()
