"""reactions: a contest may count its entries' likes, recorded by date, weighted in the score

Revision ID: 0022_reactions
Revises: 0021_prize_indicator
Create Date: 2026-12-01 17:45:00

"""
from alembic import op
import sqlalchemy as sa

import smallgrants.core.types


revision = '0022_reactions'
down_revision = '0021_prize_indicator'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('counts_reactions', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('reaction_weight', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_check_constraint(
            batch_op.f('ck_competitions_reaction_weight_range'), 'reaction_weight BETWEEN 0 AND 100'
        )
    op.create_table(
        'entry_reactions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('counted_on', sa.Date(), nullable=False),
        sa.Column('likes', sa.Integer(), nullable=False),
        sa.Column('recorded_at', smallgrants.core.types.UTCDateTime(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('likes >= 0', name=op.f('ck_entry_reactions_likes_not_negative')),
        sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_entry_reactions_application_id_applications'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_entry_reactions_recorded_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_entry_reactions')),
        sa.UniqueConstraint('application_id', 'counted_on', name=op.f('uq_entry_reactions_application_id_counted_on')),
    )
    with op.batch_alter_table('entry_reactions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entry_reactions_application_id'), ['application_id'], unique=False)


def downgrade():
    with op.batch_alter_table('entry_reactions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entry_reactions_application_id'))
    op.drop_table('entry_reactions')
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_competitions_reaction_weight_range'), type_='check')
        batch_op.drop_column('reaction_weight')
        batch_op.drop_column('counts_reactions')
