"""signed protocols: one stored file per language, every language signed at once

Revision ID: 0016_signed_protocols
Revises: 0015_consent_and_erasure
Create Date: 2026-12-01 15:05:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0016_signed_protocols'
down_revision = '0015_consent_and_erasure'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'signed_protocols',
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('locale', sa.String(length=5), nullable=False),
        sa.Column('stored_name', sa.String(length=64), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_signed_protocols_meeting_id_meetings'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('meeting_id', 'locale', name=op.f('pk_signed_protocols')),
    )
    # protocols signed before: the one language they were signed in
    op.execute(
        "INSERT INTO signed_protocols (meeting_id, locale, stored_name, sha256) "
        "SELECT id, protocol_locale, protocol_stored_name, protocol_sha256 FROM meetings "
        "WHERE protocol_stored_name IS NOT NULL AND protocol_locale IS NOT NULL"
    )


def downgrade():
    op.drop_table('signed_protocols')
