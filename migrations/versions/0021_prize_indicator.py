"""prize indicator: a contest's row in the final report counts the prizes paid

Revision ID: 0021_prize_indicator
Revises: 0020_prizes
Create Date: 2026-12-01 17:15:00

"""
from alembic import op


revision = '0021_prize_indicator'
down_revision = '0020_prizes'
branch_labels = None
depends_on = None

OLD = ('rules', 'announcement', 'outreach', 'applications', 'approval_protocol', 'members',
       'meeting_protocol', 'grantees', 'monitoring_report')
NEW = OLD + ('prizes',)


def _check(values):
    return "source IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade():
    with op.batch_alter_table('project_indicators', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_project_indicators_indicator_source'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_project_indicators_indicator_source'), _check(NEW))


def downgrade():
    op.execute("DELETE FROM project_indicators WHERE source = 'prizes'")
    with op.batch_alter_table('project_indicators', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_project_indicators_indicator_source'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_project_indicators_indicator_source'), _check(OLD))
