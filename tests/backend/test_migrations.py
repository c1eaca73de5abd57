"""The one Alembic tree builds the models' schema exactly, on SQLite and on PostgreSQL."""

import logging

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from backend.extensions import db


@pytest.fixture
def keep_logging():
    """migrations/env.py calls fileConfig, which disables every existing logger."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for logger in logging.root.manager.loggerDict.values():
        if isinstance(logger, logging.Logger):
            logger.disabled = False


@pytest.fixture
def blank_app(make_app, fresh_db, keep_logging):
    return make_app(database_url=fresh_db(blank=True))


def _diff(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_upgrade_on_an_empty_database_matches_the_models(blank_app):
    with blank_app.app_context():
        assert inspect(db.engine).get_table_names() == []
        flask_migrate.upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert set(db.metadata.tables) <= tables
        assert db.session.execute(text("SELECT id, value FROM version_counter")).all() == [(1, 0)]
        db.session.remove()
    assert _diff(blank_app) == []


def test_migrated_database_takes_the_demo_seed(blank_app):
    from backend.seed import seed_demo

    with blank_app.app_context():
        flask_migrate.upgrade()
        assert seed_demo()["created"] is True
        assert db.session.execute(text("SELECT value FROM version_counter")).scalar() > 0
        db.session.remove()


def test_downgrade_to_base_and_up_again(blank_app):
    with blank_app.app_context():
        flask_migrate.upgrade()
        flask_migrate.downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        flask_migrate.upgrade()
    assert _diff(blank_app) == []
