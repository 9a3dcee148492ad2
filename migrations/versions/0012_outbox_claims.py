"""outbox: atomic claims (status sending, claim token and time) and back-off

Revision ID: 0012_outbox_claims
Revises: 0011_rows_with_competition
Create Date: 2026-12-01 11:40:00

"""
from alembic import op
import sqlalchemy as sa

import smallgrants.core.types


revision = '0012_outbox_claims'
down_revision = '0011_rows_with_competition'
branch_labels = None
depends_on = None

OLD = ('pending', 'sent', 'failed')
NEW = ('pending', 'sending', 'sent', 'failed')


def _status(values):
    return sa.Enum(*values, name='outbox_status', native_enum=False, create_constraint=True,
                   length=32)


def _change_status(old, new):
    if op.get_bind().dialect.name == 'postgresql':
        # the CHECK of a non-native enum is not altered with its column: replace it
        op.drop_constraint(op.f('ck_outbox_messages_outbox_status'), 'outbox_messages',
                           type_='check')
        listed = ", ".join(f"'{v}'" for v in new)
        op.create_check_constraint(
            'outbox_status', 'outbox_messages', sa.text(f"status IN ({listed})")
        )
    else:  # SQLite: the batch copy of the table carries the new CHECK
        with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
            batch_op.alter_column('status', existing_type=_status(old), type_=_status(new),
                                  existing_nullable=False)


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', smallgrants.core.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('claim_token', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', smallgrants.core.types.UTCDateTime(timezone=True), nullable=True))
    _change_status(OLD, NEW)


def downgrade():
    op.execute("UPDATE outbox_messages SET status = 'pending' WHERE status = 'sending'")
    _change_status(NEW, OLD)
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('claim_token')
        batch_op.drop_column('next_attempt_at')
