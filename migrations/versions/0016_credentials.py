"""credentials (issue 17): issuer keys, learner credentials, imported credentials

Revision ID: 0016
Revises: 0015
"""
import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "credential_keys",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("school_id", sa.Integer, sa.ForeignKey("schools.id"), nullable=False),
        sa.Column("public_jwk", sa.JSON, nullable=False),
        sa.Column("private_pem", sa.Text, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("retired_at", WHEN),
    )
    op.create_index("ix_credential_keys_school_id", "credential_keys", ["school_id"])
    op.create_table(
        "learner_credentials",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("school_id", sa.Integer, sa.ForeignKey("schools.id"), nullable=False),
        sa.Column("learner_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("topic_id", sa.Integer, sa.ForeignKey("measurement_topics.id"),
                  nullable=False),
        sa.Column("active_key", sa.String(40), unique=True),
        sa.Column("status_index", sa.Integer, nullable=False),
        sa.Column("key_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("jwt", sa.Text, nullable=False),
        sa.Column("issued_at", WHEN, nullable=False),
        sa.Column("revoked_at", WHEN),
        sa.Column("revoked_by", sa.Integer, sa.ForeignKey("users.id")),
        sa.Column("revoke_reason", sa.Text, nullable=False),
        sa.UniqueConstraint("school_id", "status_index"),
    )
    for col in ("school_id", "learner_id", "topic_id"):
        op.create_index(f"ix_learner_credentials_{col}", "learner_credentials", [col])
    op.create_table(
        "imported_credentials",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("school_id", sa.Integer, sa.ForeignKey("schools.id"), nullable=False),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("uploaded_by", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("raw", sa.Text, nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("issuer_name", sa.String(300), nullable=False),
        sa.Column("verdict", sa.String(24), nullable=False),
        sa.Column("result", sa.JSON, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
    )
    for col in ("school_id", "owner_id"):
        op.create_index(f"ix_imported_credentials_{col}", "imported_credentials", [col])


def downgrade():
    op.drop_table("imported_credentials")
    op.drop_table("learner_credentials")
    op.drop_table("credential_keys")
