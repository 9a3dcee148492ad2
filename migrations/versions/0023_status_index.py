"""status index: applications by status and competition (a national database's start page)

Revision ID: 0023_status_index
Revises: 0022_reactions
Create Date: 2026-12-01 20:05:00

"""
from alembic import op


revision = '0023_status_index'
down_revision = '0022_reactions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_applications_status_competition_id',
        'applications',
        ['status', 'competition_id'],
        unique=False,
    )


def downgrade():
    op.drop_index('ix_applications_status_competition_id', table_name='applications')
