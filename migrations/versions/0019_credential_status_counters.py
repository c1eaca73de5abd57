"""credentials: a status list index is never given twice (issue 17)

Revision ID: 0019
Revises: 0018
"""
import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "credential_status_counters",
        sa.Column("school_id", sa.Integer, sa.ForeignKey("schools.id"), primary_key=True),
        sa.Column("next_index", sa.Integer, nullable=False),
    )
    # every school that has given indexes carries on after the highest one given
    op.execute(
        "INSERT INTO credential_status_counters (school_id, next_index) "
        "SELECT school_id, MAX(status_index) + 1 FROM learner_credentials GROUP BY school_id"
    )


def downgrade():
    op.drop_table("credential_status_counters")
