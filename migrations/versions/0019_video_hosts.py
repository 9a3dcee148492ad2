"""video hosts: the sites a contest's video links may lead to

Revision ID: 0019_video_hosts
Revises: 0018_individual_entrants
Create Date: 2026-12-01 16:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0019_video_hosts'
down_revision = '0018_individual_entrants'
branch_labels = None
depends_on = None

DEFAULT = "youtube.com youtu.be instagram.com tiktok.com facebook.com fb.watch"


def upgrade():
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('video_hosts', sa.String(length=500), server_default=DEFAULT, nullable=False))


def downgrade():
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.drop_column('video_hosts')
