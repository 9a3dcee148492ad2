"""organisations: grant holders own competitions and projects; coordinators work for them

Today's rows go to one organisation: named after the first project's grant holder when there
is one (its head, address and phone too), else «Грант ұстаушы» with the short name `holder`;
every account with the coordinator role works for it.

Revision ID: 0024_organisations
Revises: 0023_status_index
Create Date: 2026-12-01 22:40:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

import smallgrants.core.types
from smallgrants.core.phone import normalize_phone


revision = '0024_organisations'
down_revision = '0023_status_index'
branch_labels = None
depends_on = None


def upgrade():
    organisations = op.create_table(
        'organisations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('short_name', sa.String(length=40), nullable=False),
        sa.Column('name_kk', sa.String(length=300), nullable=False),
        sa.Column('name_ru', sa.String(length=300), nullable=False),
        sa.Column('bin', sa.String(length=12), nullable=False),
        sa.Column('head_name', sa.String(length=200), nullable=False),
        sa.Column('address', sa.String(length=500), nullable=False),
        sa.Column('phone', sa.String(length=32), nullable=False),
        sa.Column('region_code', sa.String(length=8), nullable=False),
        sa.Column('created_at', smallgrants.core.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint('short_name = lower(short_name)', name=op.f('ck_organisations_short_name_lowercase')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations')),
        sa.UniqueConstraint('short_name', name=op.f('uq_organisations_short_name')),
    )
    op.create_table(
        'organisation_members',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('added_at', smallgrants.core.types.UTCDateTime(), nullable=False),
        sa.Column('added_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_organisation_members_added_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_members_organisation_id_organisations'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_organisation_members_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_members')),
        sa.UniqueConstraint('organisation_id', 'user_id', name=op.f('uq_organisation_members_organisation_id_user_id')),
    )
    with op.batch_alter_table('organisation_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_members_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisation_members_user_id'), ['user_id'], unique=False)

    bind = op.get_bind()
    now = datetime.now(timezone.utc)
    holder = bind.execute(
        sa.text('SELECT organisation, head_name, legal_address, phone FROM projects ORDER BY id LIMIT 1')
    ).first()
    has_rows = holder is not None or bind.execute(sa.text('SELECT 1 FROM competitions LIMIT 1')).first()
    default_id = None
    if has_rows:
        op.bulk_insert(
            organisations,
            [
                {
                    'id': 1,
                    'short_name': 'holder',
                    'name_kk': (holder[0] if holder else '') or 'Грант ұстаушы',
                    'name_ru': '',
                    'bin': '',
                    'head_name': holder[1] if holder else '',
                    'address': holder[2] if holder else '',
                    'phone': (normalize_phone(holder[3]) or '') if holder else '',
                    'region_code': '',
                    'created_at': now,
                }
            ],
        )
        default_id = 1
        if bind.dialect.name == 'postgresql':
            bind.execute(sa.text("SELECT setval('organisations_id_seq', 1)"))
        bind.execute(
            sa.text(
                "INSERT INTO organisation_members (organisation_id, user_id, added_at) "
                "SELECT 1, user_id, :now FROM user_roles WHERE role = 'coordinator'"
            ),
            {'now': smallgrants.core.types.UTCDateTime().process_bind_param(now, bind.dialect)},
        )

    for table in ('competitions', 'projects'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        if default_id is not None:
            bind.execute(sa.text(f'UPDATE {table} SET organisation_id = :id'), {'id': default_id})
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('organisation_id', existing_type=sa.Integer(), nullable=False)
            batch_op.create_index(batch_op.f(f'ix_{table}_organisation_id'), ['organisation_id'], unique=False)
            batch_op.create_foreign_key(
                batch_op.f(f'fk_{table}_organisation_id_organisations'),
                'organisations', ['organisation_id'], ['id'], ondelete='RESTRICT',
            )


    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_outbox_messages_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_messages_organisation_id_organisations"),
            "organisations",
            ["organisation_id"],
            ["id"],
            ondelete="SET NULL",
        )
    if default_id is not None:  # a competition's messages were the holder's; an account's stay its own
        bind.execute(
            sa.text(
                "UPDATE outbox_messages SET organisation_id = :id WHERE template NOT IN "
                "('account_exists', 'confirm_email', 'reset_password')"
            ),
            {"id": default_id},
        )


def downgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_outbox_messages_organisation_id_organisations"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_outbox_messages_organisation_id"))
        batch_op.drop_column("organisation_id")
    for table in ('projects', 'competitions'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_organisation_id_organisations'), type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_organisation_id'))
            batch_op.drop_column('organisation_id')
    with op.batch_alter_table('organisation_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_members_user_id'))
        batch_op.drop_index(batch_op.f('ix_organisation_members_organisation_id'))
    op.drop_table('organisation_members')
    op.drop_table('organisations')
