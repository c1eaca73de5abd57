"""duties: family export jobs, learner deletion receipts, retention settings

Adds the learner's `withdrawn_at` and `is_13_or_older` (the only age fact kept), the family
export jobs, deletion receipts, the blob deletions still to retry, the purge tombstones
devices wipe a deleted learner by, and each school's retention setting.

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('is_13_or_older', sa.Boolean(), server_default='0',
                                      nullable=False))

    op.create_table('record_exports',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('requested_by', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=80), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('result_key', sa.String(length=80), nullable=True),
    sa.Column('size', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['learner_id'], ['users.id'], name=op.f('fk_record_exports_learner_id_users')),
    sa.ForeignKeyConstraint(['requested_by'], ['users.id'], name=op.f('fk_record_exports_requested_by_users')),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_record_exports_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record_exports'))
    )
    with op.batch_alter_table('record_exports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_exports_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_record_exports_learner_id'), ['learner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_record_exports_requested_by'), ['requested_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_record_exports_school_id'), ['school_id'], unique=False)

    op.create_table('deletion_receipts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('learner_ref', sa.Integer(), nullable=False),
    sa.Column('initials', sa.String(length=8), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('deleted_by', sa.Integer(), nullable=True),
    sa.Column('deleted_by_name', sa.String(length=120), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('blob_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_deletion_receipts_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deletion_receipts'))
    )
    with op.batch_alter_table('deletion_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deletion_receipts_school_id'), ['school_id'], unique=False)

    op.create_table('blob_deletions',
    sa.Column('id', _BIG_ID, autoincrement=True, nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('variant', sa.String(length=16), nullable=False),
    sa.Column('receipt_id', sa.String(length=36), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['receipt_id'], ['deletion_receipts.id'], name=op.f('fk_blob_deletions_receipt_id_deletion_receipts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blob_deletions'))
    )
    with op.batch_alter_table('blob_deletions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_blob_deletions_receipt_id'), ['receipt_id'], unique=False)

    op.create_table('purged_learners',
    sa.Column('learner_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('version', _BIG_ID, nullable=False),
    sa.Column('purged_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_purged_learners_school_id_schools')),
    sa.PrimaryKeyConstraint('learner_id', name=op.f('pk_purged_learners'))
    )
    with op.batch_alter_table('purged_learners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purged_learners_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_purged_learners_version'), ['version'], unique=False)

    op.create_table('retention_settings',
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('photo_years', sa.Integer(), nullable=True),
    sa.Column('record_years', sa.Integer(), nullable=True),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_retention_settings_school_id_schools')),
    sa.PrimaryKeyConstraint('school_id', name=op.f('pk_retention_settings'))
    )


def downgrade():
    op.drop_table('retention_settings')
    with op.batch_alter_table('purged_learners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purged_learners_version'))
        batch_op.drop_index(batch_op.f('ix_purged_learners_school_id'))
    op.drop_table('purged_learners')
    with op.batch_alter_table('blob_deletions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_blob_deletions_receipt_id'))
    op.drop_table('blob_deletions')
    with op.batch_alter_table('deletion_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deletion_receipts_school_id'))
    op.drop_table('deletion_receipts')
    with op.batch_alter_table('record_exports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_exports_school_id'))
        batch_op.drop_index(batch_op.f('ix_record_exports_requested_by'))
        batch_op.drop_index(batch_op.f('ix_record_exports_learner_id'))
        batch_op.drop_index(batch_op.f('ix_record_exports_expires_at'))
    op.drop_table('record_exports')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('is_13_or_older')
        batch_op.drop_column('withdrawn_at')
