"""Migration 0006 on a database with files in it: every finished file keeps its first
sender as an upload (so their evidence still opens); half-sent files are forgotten (the
device restarts them into a partial of its own)."""

import flask_migrate
import pytest
from sqlalchemy import text

from backend.extensions import db

NOW = "2026-11-01 10:00:00"


@pytest.fixture
def blank_app(make_app, fresh_db):
    import logging

    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield make_app(database_url=fresh_db(blank=True))
    root.handlers[:] = handlers  # migrations/env.py's fileConfig resets logging
    root.setLevel(level)
    for logger in logging.root.manager.loggerDict.values():
        if isinstance(logger, logging.Logger):
            logger.disabled = False


def test_0006_keeps_finished_files_with_their_sender_and_drops_partials(blank_app):
    with blank_app.app_context():
        flask_migrate.upgrade(revision="0005")
        run = db.session.execute
        run(text("INSERT INTO schools (id, name, settings, created_at, updated_at) "
                 "VALUES (1, 'S', '{}', :t, :t)"), {"t": NOW})
        for user_id in (7, 8):
            run(text("INSERT INTO users (id, school_id, username, password_hash, role, "
                     "display_name, is_active, created_at, updated_at, version) VALUES "
                     "(:id, 1, :name, '!', 'student', :name, true, :t, :t, 0)"),
                {"id": user_id, "name": f"learner{user_id}", "t": NOW})
        for sha, uploader, length, offset, done in (("a" * 64, 7, 100, 100, True),
                                                    ("b" * 64, 8, 100, 40, False)):
            run(text('INSERT INTO blobs (sha256, uploader_id, length, "offset", is_complete, '
                     "meta, created_at) VALUES (:sha, :u, :len, :off, :done, '{}', :t)"),
                {"sha": sha, "u": uploader, "len": length, "off": offset, "done": done,
                 "t": NOW})
        db.session.commit()
        flask_migrate.upgrade(revision="0006")
        uploads = db.session.execute(text(
            'SELECT sha256, user_id, length, "offset", is_complete FROM blob_uploads')).all()
        assert [tuple(row) for row in uploads] == [("a" * 64, 7, 100, 100, True)]
        assert db.session.execute(text("SELECT sha256 FROM blobs")).scalars().all() == ["a" * 64]
        db.session.remove()
