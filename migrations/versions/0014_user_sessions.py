"""user sessions: one row per sign-in, so signing out ends every copy of its cookies

Revision ID: 0014_user_sessions
Revises: 0013_group_member_email
Create Date: 2026-12-01 14:00:00

"""
from alembic import op
import sqlalchemy as sa

import smallgrants.core.types


revision = '0014_user_sessions'
down_revision = '0013_group_member_email'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'user_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', smallgrants.core.types.UTCDateTime(), nullable=False),
        sa.Column('expires_at', smallgrants.core.types.UTCDateTime(), nullable=False),
        sa.Column('remember', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
        sa.UniqueConstraint('key', name=op.f('uq_user_sessions_key')),
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))
    op.drop_table('user_sessions')
