"""Where evidence files live: a small interface, a local folder and an S3-compatible bucket.

Keys are sha256 hex strings. Partial uploads and finished files are kept apart so a
half-sent photo is never served: a finished file is written whole in one step (a rename,
or one PUT of a whole object), and only after that does the database call it complete.
"""

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import urlparse

# every finished form of a file: a purge removes all of them
VARIANTS = ("original", "thumb")


class BlobStore(Protocol):
    def partial_size(self, key: str) -> int: ...
    def append_partial(self, key: str, data: bytes, at: int | None = None) -> int: ...
    def read_partial(self, key: str, length: int | None = None) -> bytes: ...
    def drop_partial(self, key: str) -> None: ...
    def put(self, key: str, data: bytes, variant: str = "original") -> None: ...
    def get(self, key: str, variant: str = "original") -> bytes | None: ...
    def delete(self, key: str, variant: str | None = None) -> None: ...
    def partials(self) -> Iterator[tuple[str, datetime]]: ...
    def check(self) -> None: ...


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

    def append_partial(self, key: str, data: bytes, at: int | None = None) -> int:
        """Write `data` at offset `at` (default: the end), dropping anything stored past it.

        `at` is the offset the database acknowledged: bytes a killed worker wrote after it
        but never committed are cut off instead of doubled.
        """
        path = self._partial(key)
        with open(path, "r+b" if path.exists() else "w+b") as fh:
            if at is not None:
                fh.truncate(at)
            fh.seek(0, os.SEEK_END)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())  # an acknowledged offset must survive a crash
        return self.partial_size(key)

    def read_partial(self, key: str, length: int | None = None) -> bytes:
        data = self._partial(key).read_bytes()
        return data if length is None else data[:length]

    def drop_partial(self, key: str) -> None:
        self._partial(key).unlink(missing_ok=True)

    def put(self, key: str, data: bytes, variant: str = "original") -> None:
        path = self._final(key, variant)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)  # atomic: readers see the old file or the whole new one

    def get(self, key: str, variant: str = "original") -> bytes | None:
        path = self._final(key, variant)
        return path.read_bytes() if path.exists() else None

    def delete(self, key: str, variant: str | None = None) -> None:
        """Remove one finished `variant` of `key`; with none named, purge file `key` (a
        sha256): every variant and every account's partial of it. Gone already is fine."""
        if variant is not None:
            self._final(key, variant).unlink(missing_ok=True)
            return
        for each in VARIANTS:
            self._final(key, each).unlink(missing_ok=True)
        for path in (self.root / "partial").glob(f"{key}*"):  # <sha> and <sha>.<account>
            path.unlink(missing_ok=True)

    def partials(self) -> Iterator[tuple[str, datetime]]:
        """(name, last written) of every partial upload, for the expiry sweep."""
        for path in (self.root / "partial").iterdir():
            if not path.name.startswith("."):
                yield path.name, datetime.fromtimestamp(path.stat().st_mtime, UTC)

    def check(self) -> None:
        """Raise OSError unless the folder can be written."""
        probe = self.root / "partial" / f".probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()


class S3Store:
    """Objects in an S3-compatible bucket: <prefix>partial/<sha>/<offset>, <prefix><variant>/…

    A partial upload is a chain of chunk objects, each named by the offset it starts at
    (zero-padded, so they list in order). A retried chunk lands on the same name and
    replaces the first try, so a worker killed after its PUT but before its commit leaves
    nothing that could be counted twice. On completion the chain is read back, verified,
    cleaned and written as ONE object (a PUT is atomic in S3: readers get the old object,
    none, or the whole new one). Multipart upload would not fit: its parts must be ≥ 5 MB,
    and a tablet's chunks are smaller.
    """

    def __init__(self, bucket: str, prefix: str = "", *, endpoint_url: str | None = None,
                 region: str | None = None, client=None):
        self.bucket = bucket
        self.prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
        if client is None:
            import boto3
            from botocore.config import Config as BotoConfig

            client = boto3.client(
                "s3", endpoint_url=endpoint_url, region_name=region,
                config=BotoConfig(connect_timeout=3, read_timeout=30,
                                  retries={"max_attempts": 3, "mode": "standard"},
                                  s3={"addressing_style": "path"}))
        self.client = client

    def _chunk_prefix(self, key: str) -> str:
        return f"{self.prefix}partial/{key}/"

    def _final(self, key: str, variant: str) -> str:
        return f"{self.prefix}{variant}/{key[:2]}/{key}"

    def _chunks(self, key: str) -> dict[int, int]:
        """{offset: size} of every stored chunk of a partial upload."""
        chunks: dict[int, int] = {}
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self._chunk_prefix(key)):
            for obj in page.get("Contents", []):
                chunks[int(obj["Key"].rsplit("/", 1)[1])] = obj["Size"]
        return chunks

    @staticmethod
    def _chain(chunks: dict[int, int], length: int | None = None) -> list[int]:
        """Offsets of the contiguous run of chunks from 0 (up to `length` when given)."""
        chain, offset = [], 0
        while offset in chunks and chunks[offset] > 0 and (length is None or offset < length):
            chain.append(offset)
            offset += chunks[offset]
        return chain

    def partial_size(self, key: str) -> int:
        chunks = self._chunks(key)
        chain = self._chain(chunks)
        return chain[-1] + chunks[chain[-1]] if chain else 0

    def append_partial(self, key: str, data: bytes, at: int | None = None) -> int:
        offset = self.partial_size(key) if at is None else at
        if data:
            name = f"{self._chunk_prefix(key)}{offset:015d}"
            self.client.put_object(Bucket=self.bucket, Key=name, Body=data)
        return offset + len(data)

    def read_partial(self, key: str, length: int | None = None) -> bytes:
        chunks = self._chunks(key)
        parts = [self.client.get_object(
            Bucket=self.bucket, Key=f"{self._chunk_prefix(key)}{offset:015d}")["Body"].read()
            for offset in self._chain(chunks, length)]
        data = b"".join(parts)
        return data if length is None else data[:length]

    def drop_partial(self, key: str) -> None:
        self._delete_keys([f"{self._chunk_prefix(key)}{offset:015d}"
                           for offset in self._chunks(key)])

    def put(self, key: str, data: bytes, variant: str = "original") -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._final(key, variant), Body=data)

    def get(self, key: str, variant: str = "original") -> bytes | None:
        try:
            return self.client.get_object(Bucket=self.bucket,
                                          Key=self._final(key, variant))["Body"].read()
        except self.client.exceptions.NoSuchKey:
            return None

    def _delete_keys(self, names: list[str]) -> None:
        for start in range(0, len(names), 1000):  # DeleteObjects takes 1,000 at most
            self.client.delete_objects(Bucket=self.bucket, Delete={
                "Objects": [{"Key": name} for name in names[start:start + 1000]],
                "Quiet": True})

    def delete(self, key: str, variant: str | None = None) -> None:
        """Remove one finished `variant` of `key`; with none named, purge file `key` (a
        sha256): every variant and every account's partial of it. S3 answers a missing key
        with success, so retries are safe."""
        if variant is not None:
            self.client.delete_object(Bucket=self.bucket, Key=self._final(key, variant))
            return
        names = [self._final(key, each) for each in VARIANTS]
        paginator = self.client.get_paginator("list_objects_v2")
        # no trailing slash: <sha>/ (one shared partial, before 0006) and <sha>.<account>/
        for page in paginator.paginate(Bucket=self.bucket, Prefix=f"{self.prefix}partial/{key}"):
            names += [obj["Key"] for obj in page.get("Contents", [])]
        self._delete_keys(names)

    def partials(self) -> Iterator[tuple[str, datetime]]:
        """(name, last chunk written) of every partial upload, for the expiry sweep."""
        newest: dict[str, datetime] = {}
        start = f"{self.prefix}partial/"
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=start):
            for obj in page.get("Contents", []):
                name = obj["Key"][len(start):].split("/", 1)[0]
                if name not in newest or obj["LastModified"] > newest[name]:
                    newest[name] = obj["LastModified"]
        yield from newest.items()

    def check(self) -> None:
        """Raise botocore's error unless the bucket exists and these credentials can use it."""
        self.client.head_bucket(Bucket=self.bucket)


def store_from_url(url: str, *, endpoint_url: str | None = None,
                   region: str | None = None) -> BlobStore:
    """`file:///path` → a local folder; `s3://bucket[/prefix]` → an S3-compatible bucket."""
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return LocalFolderStore(Path(parsed.path))
    if parsed.scheme == "s3":
        if not parsed.netloc:
            raise ValueError("an s3:// URL names a bucket: s3://bucket or s3://bucket/prefix")
        return S3Store(parsed.netloc, parsed.path, endpoint_url=endpoint_url, region=region)
    raise ValueError(f"unsupported scheme {parsed.scheme!r}: use file:///folder or s3://bucket")


def blob_store() -> BlobStore:
    """The app's store (BLOB_STORE_URL), made once per app. Domain code (services, reports,
    jobs) reaches the files through this, never through the blobs API module."""
    from flask import current_app

    store = current_app.extensions.get("waypoint_blobs")
    if store is None:
        cfg = current_app.config
        store = store_from_url(cfg["BLOB_STORE_URL"], endpoint_url=cfg.get("S3_ENDPOINT_URL"),
                               region=cfg.get("S3_REGION"))
        current_app.extensions["waypoint_blobs"] = store
    return store
