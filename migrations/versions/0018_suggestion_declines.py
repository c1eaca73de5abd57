""""not for me": a learner's answer to a suggested activity (issue 18 item 3)

Revision ID: 0018
Revises: 0017
"""
import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_NOW = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "suggestion_declines",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("student_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("activity_id", sa.Integer(), sa.ForeignKey("activities.id"), nullable=False),
        sa.Column("declined", sa.Boolean(), nullable=False),
        sa.Column("hlc", sa.String(64), nullable=False),
        sa.Column("version", _ID, nullable=False),
        sa.Column("created_at", _NOW, nullable=False),
        sa.Column("updated_at", _NOW, nullable=False),
    )
    op.create_index("ix_suggestion_declines_student_id", "suggestion_declines", ["student_id"])
    op.create_index("ix_suggestion_declines_version", "suggestion_declines", ["version"])
    op.create_index("ix_suggestion_declines_student_version", "suggestion_declines",
                    ["student_id", "version"])


def downgrade():
    op.drop_table("suggestion_declines")
