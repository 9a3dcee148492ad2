"""users: consent to processing personal data (time and version), erasure time

Revision ID: 0015_consent_and_erasure
Revises: 0014_user_sessions
Create Date: 2026-12-01 14:10:00

"""
from alembic import op
import sqlalchemy as sa

import smallgrants.core.types


revision = '0015_consent_and_erasure'
down_revision = '0014_user_sessions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('consent_at', smallgrants.core.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('consent_version', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('erased_at', smallgrants.core.types.UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('erased_at')
        batch_op.drop_column('consent_version')
        batch_op.drop_column('consent_at')
