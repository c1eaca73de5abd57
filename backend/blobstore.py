"""Where evidence files live: a small interface, with a local-folder implementation.

Keys are sha256 hex strings. Partial uploads and finished files are kept apart so a
half-sent photo is never served.
"""

import os
from pathlib import Path
from typing import Protocol
from urllib.parse import urlparse


class BlobStore(Protocol):
    def partial_size(self, key: str) -> int: ...
    def append_partial(self, key: str, data: bytes) -> int: ...
    def read_partial(self, key: str) -> bytes: ...
    def drop_partial(self, key: str) -> None: ...
    def put(self, key: str, data: bytes, variant: str = "original") -> None: ...
    def get(self, key: str, variant: str = "original") -> bytes | None: ...


class LocalFolderStore:
    """Files under one folder: partial/<sha>, <variant>/<sha[:2]>/<sha>."""

    def __init__(self, root: Path):
        self.root = Path(root)
        (self.root / "partial").mkdir(parents=True, exist_ok=True)

    def _partial(self, key: str) -> Path:
        return self.root / "partial" / key

    def _final(self, key: str, variant: str) -> Path:
        return self.root / variant / key[:2] / key

    def partial_size(self, key: str) -> int:
        path = self._partial(key)
        return path.stat().st_size if path.exists() else 0

    def append_partial(self, key: str, data: bytes) -> int:
        with open(self._partial(key), "ab") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())  # an acknowledged offset must survive a crash
        return self.partial_size(key)

    def read_partial(self, key: str) -> bytes:
        return self._partial(key).read_bytes()

    def drop_partial(self, key: str) -> None:
        self._partial(key).unlink(missing_ok=True)

    def put(self, key: str, data: bytes, variant: str = "original") -> None:
        path = self._final(key, variant)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)  # atomic: readers see the old file or the whole new one

    def get(self, key: str, variant: str = "original") -> bytes | None:
        path = self._final(key, variant)
        return path.read_bytes() if path.exists() else None


def store_from_url(url: str) -> BlobStore:
    """`file:///path` → a local folder. S3-compatible stores arrive with district scale."""
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return LocalFolderStore(Path(parsed.path))
    raise ValueError(f"Unsupported BLOB_STORE_URL scheme: {parsed.scheme!r}")
