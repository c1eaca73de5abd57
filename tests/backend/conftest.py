"""A school year for API tests: `year_app`, `year_client`, `year_headers`.

`flask seed-year --size ci --seed 1` takes ~30 s, so its database (and its photo files) is
built once and kept under `.cache/year/`, named by seed, size, the year's first day and a
hash of the code that shapes it (models, the generator, the merge rules): any change to
those rebuilds it. Each test gets its own copy of the database file (a few ms); the photo
files are shared read-only. Always SQLite: the year is test DATA, whichever database the
suite runs on.
"""

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select, text

from backend.extensions import db
from tests.conftest import _app_for, _dispose, build_schema

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "year"
YEAR_SEED, YEAR_SIZE = 1, "ci"
_SHAPERS = ("backend/models", "backend/seed.py", "backend/seed_data.py", "backend/seed_year",
            "backend/sync_", "sync/", "backend/api/blobs/uploads.py",
            "backend/services/images.py")


def _code_hash() -> str:
    h = hashlib.sha256()
    for path in sorted(ROOT.glob("backend/**/*.py")) + sorted(ROOT.glob("sync/**/*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(_SHAPERS):
            h.update(rel.encode() + path.read_bytes())
    return h.hexdigest()[:16]


def _build(folder: Path, seed: int, size: str) -> None:
    """Seed a year into `folder` (year.db and blobs/) through a temporary name."""
    from backend.seed_year import seed_year

    building = folder.with_name(f"{folder.name}.building-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    app = _app_for(f"sqlite:///{building / 'year.db'}",
                   BLOB_STORE_URL=f"file://{building / 'blobs'}")
    try:
        build_schema(app, seeded=False)
        with app.app_context():
            result = seed_year(seed=seed, size=size, progress=lambda _m: None)
            assert result["created"] and not result.get("rejected"), result
            db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            db.session.remove()
    finally:
        _dispose(app)
    if folder.exists():  # another session finished first: keep theirs
        shutil.rmtree(building, ignore_errors=True)
    else:
        building.rename(folder)


@pytest.fixture(scope="session")
def year_cache() -> Path:
    """The folder holding the seeded ci year (built on first use, then reused)."""
    from backend.seed_year import default_start

    # the default year ends last week: a new week is a new year (see default_start)
    folder = CACHE / f"{YEAR_SIZE}-seed{YEAR_SEED}-{default_start()}-{_code_hash()}"
    if not (folder / "year.db").exists():
        _build(folder, YEAR_SEED, YEAR_SIZE)
    return folder


@pytest.fixture
def year_app(year_cache, tmp_path):
    """An app on this test's own copy of the ci school year."""
    path = tmp_path / "year.db"
    shutil.copyfile(year_cache / "year.db", path)
    app = _app_for(f"sqlite:///{path}", BLOB_STORE_URL=f"file://{year_cache / 'blobs'}")
    yield app
    _dispose(app)


@pytest.fixture
def year_client(year_app):
    return year_app.test_client()


@pytest.fixture
def year_headers(year_app):
    """year_headers("year-teacher1") -> a bearer header, minted (no argon2)."""
    from flask_jwt_extended import create_access_token

    from backend.models import User

    def _headers(username: str) -> dict:
        with year_app.app_context():
            user = db.session.scalar(select(User).where(User.username == username))
            assert user is not None, f"no year user {username!r}"
            token = create_access_token(user, additional_claims={
                "role": user.role, "school_id": user.school_id})
            db.session.remove()
        return {"Authorization": f"Bearer {token}"}

    return _headers
