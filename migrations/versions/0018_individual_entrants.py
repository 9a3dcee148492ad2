"""individual entrants: a person may enter a competition as themselves, within an age range

Revision ID: 0018_individual_entrants
Revises: 0017_alphabet_collations
Create Date: 2026-12-01 16:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0018_individual_entrants'
down_revision = '0017_alphabet_collations'
branch_labels = None
depends_on = None

def upgrade():
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accepts_individual', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('min_age', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('max_age', sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f('ck_competitions_accepts_someone'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_competitions_accepts_someone'),
            'accepts_ngo OR accepts_group OR accepts_individual',
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_competitions_age_range'),
            '(min_age IS NULL OR min_age >= 0) AND (max_age IS NULL OR max_age <= 150) AND '
            '(min_age IS NULL OR max_age IS NULL OR min_age <= max_age)',
        )
    with op.batch_alter_table('applicant_profiles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_applicant_profiles_applicant_kind'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_applicant_profiles_identifier_for_kind'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_applicant_profiles_applicant_kind'),
            "kind IN ('ngo', 'group', 'individual')",
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_applicant_profiles_identifier_for_kind'),
            "(kind = 'ngo' AND bin IS NOT NULL) OR "
            "(kind IN ('group', 'individual') AND leader_iin IS NOT NULL)",
        )


def downgrade():
    op.execute("DELETE FROM applicant_profiles WHERE kind = 'individual'")
    with op.batch_alter_table('applicant_profiles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_applicant_profiles_identifier_for_kind'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_applicant_profiles_applicant_kind'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_applicant_profiles_applicant_kind'), "kind IN ('ngo', 'group')"
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_applicant_profiles_identifier_for_kind'),
            "(kind = 'ngo' AND bin IS NOT NULL) OR (kind = 'group' AND leader_iin IS NOT NULL)",
        )
    op.execute("UPDATE competitions SET accepts_group = true WHERE NOT (accepts_ngo OR accepts_group)")
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_competitions_age_range'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_competitions_accepts_someone'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_competitions_accepts_someone'), 'accepts_ngo OR accepts_group'
        )
        batch_op.drop_column('max_age')
        batch_op.drop_column('min_age')
        batch_op.drop_column('accepts_individual')
