"""api_tokens: personal access tokens for the read-only API (only their SHA-256 is kept)

Revision ID: 0026_api_tokens
Revises: 0025_programmes
Create Date: 2026-12-02 02:50:49.018918

"""
from alembic import op
import sqlalchemy as sa

import smallgrants.core.types


revision = '0026_api_tokens'
down_revision = '0025_programmes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('created_at', smallgrants.core.types.UTCDateTime(), nullable=False),
    sa.Column('expires_at', smallgrants.core.types.UTCDateTime(), nullable=False),
    sa.Column('revoked_at', smallgrants.core.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
