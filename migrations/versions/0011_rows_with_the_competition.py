"""every competition has its commission and grant terms (no page load makes them any more)

Revision ID: 0011_rows_with_competition
Revises: cfc4e52ad216
Create Date: 2026-12-01 11:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011_rows_with_competition'
down_revision = 'cfc4e52ad216'
branch_labels = None
depends_on = None


def upgrade():
    # The defaults the models give a new row (smallgrants.commission.models.Commission,
    # smallgrants.grants.models.GrantTerms and Tranche), for competitions made before
    # these rows came with the competition.
    op.execute(
        "INSERT INTO commissions (competition_id, approval_number, approval_place, "
        "quorum_numerator, quorum_denominator, tie_break_rule, dispute_threshold, "
        "show_score_in_results) "
        "SELECT id, '', '', 2, 3, 'vote', 25, false FROM competitions "
        "WHERE id NOT IN (SELECT competition_id FROM commissions)"
    )
    op.execute(
        "INSERT INTO tranches (competition_id, position, percent, condition) "
        "SELECT id, 1, 100, 'on_agreement' FROM competitions "
        "WHERE id NOT IN (SELECT competition_id FROM grant_terms) "
        "AND id NOT IN (SELECT competition_id FROM tranches)"
    )
    op.execute(
        "INSERT INTO grant_terms (competition_id, grantor_name, grantor_head, grantor_bin, "
        "grantor_address, signing_place, agreement_prefix, duties_kk, duties_ru) "
        "SELECT id, '', '', '', '', '', 'ШГ', '', '' FROM competitions "
        "WHERE id NOT IN (SELECT competition_id FROM grant_terms)"
    )


def downgrade():
    pass  # the rows stay: they are what a first page load used to make
