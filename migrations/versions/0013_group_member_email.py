"""group members: an optional e-mail (a member seated on a commission is conflicted)

Revision ID: 0013_group_member_email
Revises: 0012_outbox_claims
Create Date: 2026-12-01 13:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0013_group_member_email'
down_revision = '0012_outbox_claims'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('group_members') as batch_op:
        batch_op.add_column(
            sa.Column('email', sa.String(length=254), nullable=False, server_default='')
        )


def downgrade():
    with op.batch_alter_table('group_members') as batch_op:
        batch_op.drop_column('email')
