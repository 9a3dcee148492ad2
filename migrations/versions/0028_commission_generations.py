"""generations per commission: values changed with the rows a commission's pages read

Triggers on every table the scores, the ranking and the scoring progress are computed
from (not the meeting or its decisions: a decision changes no score) write a new random
value into generations('commission:<competition id>') — the competition the changed row
belongs to, before and after the change — in the same transaction as the change; changes of
the people a built-in conflict is derived from (accounts' e-mails, applicant profiles,
initiative groups' members) write a new value into generations('people'); the meeting and
its decisions, into generations('meeting:<competition id>'). A worker's kept ranking,
progress, member's list or public results (core/fragments.py) is used only while the values
it was read under are unchanged, whichever process, or SQL, made the change. An application counts only while it is, or was
until this change, admissible: drafts being typed touch no commission's value.

Revision ID: 0028_commission_generations
Revises: 0027_generations
Create Date: 2026-12-03 09:20:00

"""

from alembic import op


revision = "0028_commission_generations"
down_revision = "0027_generations"
branch_labels = None
depends_on = None

# table → (the competition of a row `{row}`, a condition on the row or None);
# tests/test_commission_kept.py checks that these are the tables the pages read
_BY_MEMBER = "(SELECT competition_id FROM commission_members WHERE id = {row}.member_id)"
COMMISSION_SOURCES = {
    "competitions": ("{row}.id", None),
    "commissions": ("{row}.competition_id", None),
    "commission_members": ("{row}.competition_id", None),
    "criteria": ("{row}.competition_id", None),
    "applications": ("{row}.competition_id", "{row}.status = 'admissible'"),
    "conflict_declarations": (_BY_MEMBER, None),
    "reviewer_assignments": (_BY_MEMBER, None),
    "score_sheets": (_BY_MEMBER, None),
    "score_points": (
        "(SELECT m.competition_id FROM score_sheets s JOIN commission_members m"
        " ON m.id = s.member_id WHERE s.id = {row}.sheet_id)",
        None,
    ),
    "entry_reactions": (
        "(SELECT competition_id FROM applications WHERE id = {row}.application_id)",
        None,
    ),
}
# what the public results add (the meeting's number and date, its awards): a decision changes
# generations('meeting:<competition id>'), never a commission's scores
MEETING_SOURCES = {
    "meetings": ("{row}.competition_id", None),
    "decisions": ("(SELECT competition_id FROM meetings WHERE id = {row}.meeting_id)", None),
}
KINDS = {"commission": COMMISSION_SOURCES, "meeting": MEETING_SOURCES}
# what a built-in conflict (commission/conflicts.py) and the applicant's name are read from
PEOPLE_SOURCES = {
    "users": ("email",),
    "applicant_profiles": ("name", "kind", "email", "bin", "leader_iin", "owner_id"),
    "group_members": None,  # every column
}
SQLITE_NEW = "lower(hex(randomblob(16)))"
POSTGRES_NEW = "gen_random_uuid()::text"
PEOPLE_UPSERT = (
    "INSERT INTO generations (name, value) VALUES ('people', {new}) "
    "ON CONFLICT (name) DO UPDATE SET value = excluded.value"
)
SQLITE_COMMISSION = (
    "INSERT INTO generations (name, value) "
    "SELECT '{kind}:' || competition, " + SQLITE_NEW + " "
    "FROM (SELECT {competition} AS competition) WHERE competition IS NOT NULL{condition} "
    "ON CONFLICT (name) DO UPDATE SET value = excluded.value;"
)


def _postgresql():
    op.execute(PEOPLE_UPSERT.format(new=POSTGRES_NEW))
    # a TRUNCATE fires no row trigger: every commission's value goes (no value, nothing kept)
    op.execute(
        "CREATE FUNCTION generations_forget_commissions() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN DELETE FROM generations WHERE name LIKE 'commission:%' OR name LIKE 'meeting:%'; "
        "RETURN NULL; END $$"
    )
    # statement triggers over the transition tables: one new value per competition a statement
    # touched, however many rows it wrote (a bulk insert of sheets is one upsert, not one per row)
    for kind, table, (competition, condition) in _sources():
        steps = []
        for rows, events in (
            ("old_rows", "'UPDATE', 'DELETE'"),
            ("new_rows", "'INSERT', 'UPDATE'"),
        ):
            where = f" WHERE {condition.format(row='r')}" if condition else ""
            steps.append(
                f"IF TG_OP IN ({events}) THEN INSERT INTO generations (name, value) "
                f"SELECT '{kind}:' || competition::text, {POSTGRES_NEW} FROM "
                f"(SELECT DISTINCT {competition.format(row='r')} AS competition FROM {rows} r"
                f"{where}) touched WHERE competition IS NOT NULL "
                "ON CONFLICT (name) DO UPDATE SET value = excluded.value; END IF;"
            )
        op.execute(
            f"CREATE FUNCTION generations_{kind}_{table}() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN {' '.join(steps)} RETURN NULL; END $$"
        )
        for event, referencing in (
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        ):
            op.execute(
                f"CREATE TRIGGER {table}_{kind}_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {referencing} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION generations_{kind}_{table}()"
            )
        op.execute(
            f"CREATE TRIGGER {table}_{kind}_truncate AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION generations_forget_commissions()"
        )
    op.execute(
        "CREATE FUNCTION generations_bump_people() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {PEOPLE_UPSERT.format(new=POSTGRES_NEW)}; RETURN NULL; END $$"
    )
    for table, columns in PEOPLE_SOURCES.items():
        update = f"UPDATE OF {', '.join(columns)}" if columns else "UPDATE"
        op.execute(
            f"CREATE TRIGGER {table}_people AFTER INSERT OR DELETE OR {update} ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION generations_bump_people()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_people_truncate AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION generations_bump_people()"
        )


def _sources():
    """(kind, table, (competition, condition)) of every per-competition trigger."""
    return [
        (kind, table, source)
        for kind, sources in KINDS.items()
        for table, source in sources.items()
    ]


def _sqlite():
    op.execute(PEOPLE_UPSERT.format(new=SQLITE_NEW))
    for kind, table, (competition, condition) in _sources():
        for event, rows in (("INSERT", ("NEW",)), ("DELETE", ("OLD",)), ("UPDATE", ("OLD", "NEW"))):
            body = " ".join(
                SQLITE_COMMISSION.format(
                    kind=kind,
                    competition=competition.format(row=row),
                    condition=f" AND {condition.format(row=row)}" if condition else "",
                )
                for row in rows
            )
            op.execute(
                f"CREATE TRIGGER {table}_{kind}_{event.lower()} AFTER {event} ON {table} "
                f"BEGIN {body} END"
            )
    for table, columns in PEOPLE_SOURCES.items():
        for event in ("INSERT", "DELETE", "UPDATE"):
            what = f"UPDATE OF {', '.join(columns)}" if event == "UPDATE" and columns else event
            op.execute(
                f"CREATE TRIGGER {table}_people_{event.lower()} AFTER {what} ON {table} "
                f"BEGIN {PEOPLE_UPSERT.format(new=SQLITE_NEW)}; END"
            )


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        _postgresql()
    else:
        _sqlite()


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for kind, table, _source in _sources():
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{kind}_{event} ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_{kind}_truncate ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS generations_{kind}_{table}()")
        for table in PEOPLE_SOURCES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_people ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_people_truncate ON {table}")
        op.execute("DROP FUNCTION IF EXISTS generations_bump_people()")
        op.execute("DROP FUNCTION IF EXISTS generations_forget_commissions()")
    else:
        for kind, table, _source in _sources():
            for event in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{kind}_{event}")
        for table in PEOPLE_SOURCES:
            for event in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_people_{event}")
    op.execute(
        "DELETE FROM generations WHERE name = 'people' OR name LIKE 'commission:%' "
        "OR name LIKE 'meeting:%'"
    )
