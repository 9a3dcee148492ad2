"""prizes: a competition awards grants or prizes; prizes may differ by place

Revision ID: 0020_prizes
Revises: 0019_video_hosts
Create Date: 2026-12-01 16:55:00

"""
from alembic import op
import sqlalchemy as sa

import smallgrants.core.types


revision = '0020_prizes'
down_revision = '0019_video_hosts'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('award_kind', sa.Enum('grant', 'prize', name='award_kind', native_enum=False, create_constraint=True, length=32), server_default='grant', nullable=False))
    # video contests so far spoke of a prize ("The prize is …"): they award prizes
    op.execute("UPDATE competitions SET award_kind = 'prize' WHERE entry_kind = 'video'")
    op.create_table(
        'prize_places',
        sa.Column('competition_id', sa.Integer(), nullable=False),
        sa.Column('place', sa.Integer(), nullable=False),
        sa.Column('amount', sa.Integer(), nullable=False),
        sa.CheckConstraint('place > 0', name=op.f('ck_prize_places_place_positive')),
        sa.CheckConstraint('amount > 0', name=op.f('ck_prize_places_amount_positive')),
        sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_prize_places_competition_id_competitions'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('competition_id', 'place', name=op.f('pk_prize_places')),
    )


    op.create_table(
        'prize_payments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('decision_id', sa.Integer(), nullable=False),
        sa.Column('amount', sa.Integer(), nullable=False),
        sa.Column('paid_on', sa.Date(), nullable=False),
        sa.Column('document_number', sa.String(length=64), nullable=False),
        sa.Column('recorded_at', smallgrants.core.types.UTCDateTime(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('amount > 0', name=op.f('ck_prize_payments_amount_positive')),
        sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_prize_payments_decision_id_decisions'), ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_prize_payments_recorded_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_prize_payments')),
        sa.UniqueConstraint('decision_id', name=op.f('uq_prize_payments_decision_id')),
    )


def downgrade():
    op.drop_table('prize_payments')
    op.drop_table('prize_places')
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_competitions_award_kind'), type_='check')
        batch_op.drop_column('award_kind')
