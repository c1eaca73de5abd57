"""teacher's day: classes and learner groups carry a pull version

A teacher's device pulls `class` and `group` rows (name, learner ids) so the class lists
and the grid render from its store offline. Existing rows get fresh versions above the
counter (a version of 0 would never be pulled) and the counter moves past them.

Revision ID: 0013
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

TABLES = ("classes", "learner_groups")
VERSION = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", VERSION, nullable=False, server_default="0"))
            batch.create_index(f"ix_{table}_version", ["version"])
    bind = op.get_bind()
    counter = bind.execute(sa.text("SELECT value FROM version_counter WHERE id = 1")).scalar()
    if counter is None:
        bind.execute(sa.text("INSERT INTO version_counter (id, value) VALUES (1, 0)"))
        counter = 0
    base = int(counter)
    for table in TABLES:
        top = bind.execute(sa.text(f"SELECT COALESCE(MAX(id), 0) FROM {table}")).scalar() or 0
        bind.execute(sa.text(f"UPDATE {table} SET version = :base + id"), {"base": base})
        base += int(top)
    bind.execute(sa.text("UPDATE version_counter SET value = :v WHERE id = 1"), {"v": base})


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_version")
            batch.drop_column("version")
