"""teacher microcredentials (issue 17 part 3): the educator catalog, assessors, terms, awards

Revision ID: 0021
Revises: 0020
"""
import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("content_areas") as batch:
        batch.add_column(sa.Column("audience", sa.String(16), nullable=False,
                                   server_default="learner"))
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("is_assessor", sa.Boolean, nullable=False,
                                   server_default="0"))
    with op.batch_alter_table("evidence") as batch:
        batch.add_column(sa.Column("reflection", sa.Text, nullable=False, server_default=""))
    op.create_table(
        "microcredential_terms",
        sa.Column("topic_id", sa.Integer, sa.ForeignKey("measurement_topics.id"),
                  primary_key=True),
        sa.Column("requirements", sa.Text, nullable=False),
        sa.Column("stipend_cents", sa.Integer),
        sa.Column("recert_hours", sa.Float),
    )
    op.create_table(
        "microcredential_awards",
        sa.Column("credential_id", sa.String(36), sa.ForeignKey("learner_credentials.id"),
                  primary_key=True),
        sa.Column("stipend_cents", sa.Integer),
        sa.Column("recert_hours", sa.Float),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("recorded_by", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade():
    op.drop_table("microcredential_awards")
    op.drop_table("microcredential_terms")
    with op.batch_alter_table("evidence") as batch:
        batch.drop_column("reflection")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("is_assessor")
    with op.batch_alter_table("content_areas") as batch:
        batch.drop_column("audience")
