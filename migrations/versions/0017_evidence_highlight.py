"""evidence.is_highlight: work the learner starred to show at their conference (issue 18)

Revision ID: 0017
Revises: 0016
"""
import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("evidence") as batch:
        batch.add_column(sa.Column("is_highlight", sa.Boolean, nullable=False,
                                   server_default='0'))


def downgrade():
    with op.batch_alter_table("evidence") as batch:
        batch.drop_column("is_highlight")
