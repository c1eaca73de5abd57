"""trust: the access log (FERPA record of disclosures), the audit log of admin writes, and
the purge markers that let a deleted learner's log rows go with their record

All three tables are append-only in the database itself: the triggers come from
`backend.models.audit.trigger_sql`, the one list `create_all` also runs, so a database
built by the migrations and one built from the models refuse the same edits.

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

from backend.models.audit import drop_sql, trigger_sql


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade():
    op.create_table('access_log',
    sa.Column('id', _BIG_ID, nullable=False),
    sa.Column('period', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reader_id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('relation', sa.String(length=16), nullable=False),
    sa.Column('detail', sa.String(length=200), nullable=False),
    sa.Column('first_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('times', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_log')),
    sa.UniqueConstraint('reader_id', 'learner_id', 'kind', 'period',
                        name='uq_access_log_reader_learner_kind_period')
    )
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.create_index('ix_access_log_learner_last', ['learner_id', 'last_at'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_access_log_reader_id'), ['reader_id'],
                              unique=False)
        batch_op.create_index('ix_access_log_school_last', ['school_id', 'last_at'],
                              unique=False)

    op.create_table('audit_log',
    sa.Column('id', _BIG_ID, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('target_type', sa.String(length=24), nullable=False),
    sa.Column('target_id', sa.String(length=64), nullable=False),
    sa.Column('change', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index('ix_audit_log_school_at', ['school_id', 'at'], unique=False)

    op.create_table('access_log_purges',
    sa.Column('id', _BIG_ID, nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('purged_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('purged_by', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_log_purges'))
    )
    with op.batch_alter_table('access_log_purges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_log_purges_learner_id'), ['learner_id'],
                              unique=False)

    for statement in trigger_sql(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade():
    op.drop_table('access_log_purges')
    op.drop_table('audit_log')
    op.drop_table('access_log')
    for statement in drop_sql(op.get_bind().dialect.name):
        op.execute(statement)
