"""programmes: a regranting programme groups grant holders; its operators read their roll-up

No rows are moved: an installation has no programme until the site administrator makes one.
The role `operator` is new (an account gets it with its first programme).

Revision ID: 0025_programmes
Revises: 0024_organisations
Create Date: 2026-12-02 01:48:30.634901

"""
from alembic import op
import sqlalchemy as sa

import smallgrants.core.types


revision = '0025_programmes'
down_revision = '0024_organisations'
branch_labels = None
depends_on = None


ROLES_BEFORE = ('applicant', 'commission_member', 'coordinator', 'admin')
ROLES_AFTER = (*ROLES_BEFORE, 'operator')


def _roles_check(roles):
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_roles_role'), type_='check')
        batch_op.create_check_constraint(
            'role', 'role IN (' + ', '.join(f"'{r}'" for r in roles) + ')'
        )


def upgrade():
    _roles_check(ROLES_AFTER)
    op.create_table('programmes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name_kk', sa.String(length=300), nullable=False),
    sa.Column('name_ru', sa.String(length=300), nullable=False),
    sa.Column('starts_year', sa.Integer(), nullable=False),
    sa.Column('ends_year', sa.Integer(), nullable=False),
    sa.Column('created_at', smallgrants.core.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('starts_year BETWEEN 2000 AND 2100 AND ends_year BETWEEN starts_year AND 2100', name=op.f('ck_programmes_years_in_order')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programmes'))
    )
    op.create_table('programme_holders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_programme_holders_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_holders_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_holders')),
    sa.UniqueConstraint('programme_id', 'organisation_id', name=op.f('uq_programme_holders_programme_id_organisation_id'))
    )
    with op.batch_alter_table('programme_holders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_holders_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_holders_programme_id'), ['programme_id'], unique=False)

    op.create_table('programme_operators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('added_at', smallgrants.core.types.UTCDateTime(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_programme_operators_added_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_operators_programme_id_programmes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_programme_operators_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_operators')),
    sa.UniqueConstraint('programme_id', 'user_id', name=op.f('uq_programme_operators_programme_id_user_id'))
    )
    with op.batch_alter_table('programme_operators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_operators_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_operators_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('programme_operators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_operators_user_id'))
        batch_op.drop_index(batch_op.f('ix_programme_operators_programme_id'))

    op.drop_table('programme_operators')
    with op.batch_alter_table('programme_holders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_holders_programme_id'))
        batch_op.drop_index(batch_op.f('ix_programme_holders_organisation_id'))

    op.drop_table('programme_holders')
    op.drop_table('programmes')
    op.execute("DELETE FROM user_roles WHERE role = 'operator'")
    _roles_check(ROLES_BEFORE)
