"""Fixtures for the interop tests: the district's zips, CASE packages, and variants of them."""

import copy
import io
import json
import zipfile
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
DISTRICT = FIXTURES / "oneroster" / "district"
DELTA = FIXTURES / "oneroster" / "delta"
CASE = FIXTURES / "case"


def zip_folder(folder: Path, replace: dict[str, bytes | None] | None = None,
               prefix: str = "") -> bytes:
    """The folder's CSVs as a zip; `replace` swaps a file's bytes (None leaves it out)."""
    replace = replace or {}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.glob("*.csv")):
            data = replace.get(path.name, path.read_bytes())
            if data is not None:
                archive.writestr(prefix + path.name, data)
        for name, data in replace.items():
            if data is not None and not (folder / name).exists():
                archive.writestr(prefix + name, data)
    return buf.getvalue()


def csv_text(folder: Path, name: str) -> str:
    return (folder / name).read_text(encoding="utf-8")


def case_package(name: str) -> dict:
    return copy.deepcopy(json.loads((CASE / f"{name}.json").read_text(encoding="utf-8")))


def as_bytes(package) -> bytes:
    return json.dumps(package).encode()


@pytest.fixture(scope="session")
def district_zip() -> bytes:
    return zip_folder(DISTRICT)


@pytest.fixture(scope="session")
def delta_zip() -> bytes:
    return zip_folder(DELTA)


def upload(client, path: str, data: bytes, headers: dict, **query):
    """POST a file as the request body (the simplest client), with query flags."""
    qs = "&".join(f"{k}={v}" for k, v in query.items())
    return client.post(f"{path}?{qs}", data=data, headers=headers,
                       content_type="application/octet-stream")
