"""the family's consent: may a learner's credentials link to their approved evidence

Revision ID: 0022
Revises: 0021
"""
import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "family_sharing",
        sa.Column("learner_id", sa.Integer, sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("credential_evidence", sa.Boolean, nullable=False),
        sa.Column("set_by", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade():
    op.drop_table("family_sharing")
