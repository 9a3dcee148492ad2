"""alphabet collations: ICU sg_kk, sg_ru, sg_en for ORDER BY in the reader's language

Revision ID: 0017_alphabet_collations
Revises: 0016_signed_protocols
Create Date: 2026-12-01 16:50:00

PostgreSQL only: SQLite gets the same ICU collators on each connection (core.collation).
"""
from alembic import op


revision = '0017_alphabet_collations'
down_revision = '0016_signed_protocols'
branch_labels = None
depends_on = None

COLLATIONS = {"sg_kk": "kk-KZ", "sg_ru": "ru-RU", "sg_en": "en-US"}


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, locale in COLLATIONS.items():
        op.execute(f"CREATE COLLATION IF NOT EXISTS {name} (provider = icu, locale = '{locale}')")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in COLLATIONS:
        op.execute(f"DROP COLLATION IF EXISTS {name}")
