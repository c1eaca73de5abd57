"""the Personal Learner Profile (issue 18): sections, their history, observations

Revision ID: 0015
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_NOW = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "profile_sections",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("student_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("section", sa.String(24), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("hlc", sa.String(64), nullable=True),
        sa.Column("alternatives", sa.JSON(), nullable=False),
        sa.Column("merge_meta", sa.JSON(), nullable=False),
        sa.Column("version", _ID, nullable=False),
        sa.Column("created_at", _NOW, nullable=False),
        sa.Column("updated_at", _NOW, nullable=False),
    )
    op.create_table(
        "profile_entries",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("student_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("section", sa.String(24), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("hlc", sa.String(64), nullable=False),
        sa.Column("version", _ID, nullable=False),
        sa.Column("created_at", _NOW, nullable=False),
    )
    op.create_table(
        "profile_observations",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("student_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("teacher_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("section", sa.String(24), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("response", sa.String(10), nullable=False),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("merge_meta", sa.JSON(), nullable=False),
        sa.Column("version", _ID, nullable=False),
        sa.Column("created_at", _NOW, nullable=False),
        sa.Column("updated_at", _NOW, nullable=False),
    )
    for table in ("profile_sections", "profile_entries", "profile_observations"):
        op.create_index(f"ix_{table}_student_id", table, ["student_id"])
        op.create_index(f"ix_{table}_version", table, ["version"])
        op.create_index(f"ix_{table}_student_version", table, ["student_id", "version"])


def downgrade():
    for table in ("profile_observations", "profile_entries", "profile_sections"):
        op.drop_table(table)
