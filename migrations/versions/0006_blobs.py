"""trust: blob ownership and upload expiry

Every account's own upload of a file gets a row (blob_uploads): evidence may cite only a
file its learner sent, and a blob is read only through such evidence. Finished blobs keep
their first uploader as an upload; half-sent files restart from byte 0 (each account now
uploads into a partial of its own, named differently in the blob store).

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('blob_uploads',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('length', sa.BigInteger(), nullable=False),
    sa.Column('offset', sa.BigInteger(), nullable=False),
    sa.Column('is_complete', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_blob_uploads_user_id_users')),
    sa.PrimaryKeyConstraint('sha256', 'user_id', name=op.f('pk_blob_uploads'))
    )
    with op.batch_alter_table('blob_uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_blob_uploads_updated_at'), ['updated_at'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_blob_uploads_user_id'), ['user_id'], unique=False)

    op.execute(
        "INSERT INTO blob_uploads (sha256, user_id, length, \"offset\", is_complete, "
        "created_at, updated_at) SELECT sha256, uploader_id, COALESCE(length, 0), "
        "COALESCE(length, 0), is_complete, created_at, created_at FROM blobs "
        "WHERE is_complete")
    op.execute("DELETE FROM blobs WHERE NOT is_complete")


def downgrade():
    with op.batch_alter_table('blob_uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_blob_uploads_user_id'))
        batch_op.drop_index(batch_op.f('ix_blob_uploads_updated_at'))

    op.drop_table('blob_uploads')
