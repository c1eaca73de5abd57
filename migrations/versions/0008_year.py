"""school year: bounded jobs (heartbeats, deadlines), year-scale indexes

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    # a job beats while it runs; one whose beat is stale (a restarted server) is failed
    # with a reason, and a report batch keeps its per-learner failures and what a re-run needs
    with op.batch_alter_table('interop_jobs') as batch:
        batch.add_column(sa.Column('runner', sa.String(length=80), nullable=True))
        batch.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('params', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('failures', sa.JSON(), nullable=True))
        batch.create_index('ix_interop_jobs_status', ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('interop_jobs') as batch:
        batch.drop_index('ix_interop_jobs_status')
        batch.drop_column('failures')
        batch.drop_column('params')
        batch.drop_column('deadline_at')
        batch.drop_column('heartbeat_at')
        batch.drop_column('runner')
