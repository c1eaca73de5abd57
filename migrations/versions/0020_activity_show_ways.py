"""activities.show_ways: the ways an activity lets a learner show mastery (issue 18)

Revision ID: 0020
Revises: 0019
"""
import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("activities") as batch:
        batch.add_column(sa.Column("show_ways", sa.JSON, nullable=False,
                                   server_default='[]'))


def downgrade():
    with op.batch_alter_table("activities") as batch:
        batch.drop_column("show_ways")
