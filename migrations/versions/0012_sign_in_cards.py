"""QR sign-in cards and shared devices

Revision ID: 0012
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sign_in_cards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('invalidated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('invalidated_by', sa.Integer(), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_sign_in_cards_school_id_schools')),
    sa.ForeignKeyConstraint(['student_id'], ['users.id'], name=op.f('fk_sign_in_cards_student_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_cards')),
    sa.UniqueConstraint('secret_hash', name=op.f('uq_sign_in_cards_secret_hash')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_sign_in_cards_code_hash'))
    )
    with op.batch_alter_table('sign_in_cards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_cards_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_in_cards_student_id'), ['student_id'], unique=False)

    op.create_table('shared_devices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_shared_devices_school_id_schools')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shared_devices')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_shared_devices_token_hash'))
    )
    with op.batch_alter_table('shared_devices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shared_devices_school_id'), ['school_id'], unique=False)


def downgrade():
    with op.batch_alter_table('shared_devices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shared_devices_school_id'))
    op.drop_table('shared_devices')
    with op.batch_alter_table('sign_in_cards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_cards_student_id'))
        batch_op.drop_index(batch_op.f('ix_sign_in_cards_school_id'))
    op.drop_table('sign_in_cards')
