"""generations: a value the database changes with the rows the lists of competitions show

Triggers on competitions (the listed columns only), organisations (their names) and
prize_places write a new random value into generations('listings') in the same
transaction as the change, so a worker's rendered list (core/fragments.py) is used only
while what it shows is unchanged — whichever process, or SQL, made the change.

Revision ID: 0027_generations
Revises: 0026_api_tokens
Create Date: 2026-12-02 17:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0027_generations'
down_revision = '0026_api_tokens'
branch_labels = None
depends_on = None

# what the lists read (competitions.queries.LISTED, Organisation.name, Competition.pool);
# tests/test_fragments.py checks this list against LISTED
SOURCES = {
    'competitions': (
        'status', 'organisation_id', 'title_kk', 'title_ru', 'award_kind', 'region_code',
        'grant_amount', 'grant_count', 'opens_at', 'closes_at',
    ),
    'organisations': ('short_name', 'name_kk', 'name_ru'),
    'prize_places': None,  # every column
}
SQLITE_NEW = "lower(hex(randomblob(16)))"
POSTGRES_NEW = "gen_random_uuid()::text"
UPSERT = (
    "INSERT INTO generations (name, value) VALUES ('listings', {new}) "
    "ON CONFLICT (name) DO UPDATE SET value = excluded.value"
)


def upgrade():
    op.create_table('generations',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=36), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_generations'))
    )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(UPSERT.format(new=POSTGRES_NEW))
        op.execute(
            "CREATE FUNCTION generations_bump_listings() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {UPSERT.format(new=POSTGRES_NEW)}; RETURN NULL; END $$"
        )
        for table, columns in SOURCES.items():
            update = f"UPDATE OF {', '.join(columns)}" if columns else "UPDATE"
            op.execute(
                f"CREATE TRIGGER {table}_listings AFTER INSERT OR DELETE OR {update} ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION generations_bump_listings()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_listings_truncate AFTER TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION generations_bump_listings()"
            )
        return
    op.execute(UPSERT.format(new=SQLITE_NEW))
    for table, columns in SOURCES.items():
        for event in ('INSERT', 'DELETE', 'UPDATE'):
            what = f"UPDATE OF {', '.join(columns)}" if event == 'UPDATE' and columns else event
            op.execute(
                f"CREATE TRIGGER {table}_listings_{event.lower()} AFTER {what} ON {table} "
                f"BEGIN {UPSERT.format(new=SQLITE_NEW)}; END"
            )


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for table in SOURCES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_listings ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_listings_truncate ON {table}")
        op.execute("DROP FUNCTION IF EXISTS generations_bump_listings()")
    else:
        for table in SOURCES:
            for event in ('insert', 'delete', 'update'):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_listings_{event}")
    op.drop_table('generations')
