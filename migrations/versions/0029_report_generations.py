"""generations per final report, monitoring and registry: values changed with their rows

Triggers on every table a final report's figures, checks and sections are read from write a
new random value, in the same transaction as the change, into
generations('report:<competition id>') for a competition's facts (its announcement, its
applications once submitted, its commission and meeting, the awards, the grants, their
payments, reports, events, expenses, publications and approved budgets, its prizes: what
the final report, the monitoring page and the events behind its figures show) and into
generations('project:<project id>') for the project's own rows (its header and texts,
tasks, activities, indicators, effects, partners, proposals, recommendations) — before and
after the change. What a grant's kind and grantee's name are read from (the applicant's
profile) changes generations('people') (migration 0028). A competition's registry of
applications is kept under generations('intake:<competition id>'): the competition, its
received applications and their budget lines. A worker's kept page (core/fragments.py) is
used only while the values it was read under are unchanged, whichever process, or SQL, made
the change. Every competition and project already there gets its values, so kept pages
start at once.

Revision ID: 0029_report_generations
Revises: 0028_commission_generations
Create Date: 2026-12-03 13:40:00

"""

from alembic import op


revision = "0029_report_generations"
down_revision = "0028_commission_generations"
branch_labels = None
depends_on = None

_BY_GRANT = "(SELECT competition_id FROM grants WHERE id = {row}.grant_id)"
_BY_MEETING = "(SELECT competition_id FROM meetings WHERE id = {row}.meeting_id)"
_BY_REPORT = (
    "(SELECT wg.competition_id FROM grant_reports wr JOIN grants wg ON wg.id = wr.grant_id"
    " WHERE wr.id = {row}.report_id)"
)
# an application counts once submitted: drafts being typed touch no report or registry
_SUBMITTED = "{row}.status <> 'draft'"
_SUBMITTED_LINE = (
    "(SELECT competition_id FROM applications WHERE id = {row}.application_id"
    " AND " + _SUBMITTED.format(row="applications") + ")"
)
# table → (the competition, or project, of a row `{row}`; a condition on the row or None);
# a subquery's own aliases start with w (the PostgreSQL triggers call the row r)
# tests/test_report_kept.py checks that these are the tables the report pages read
REPORT_SOURCES = {
    "competitions": ("{row}.id", None),
    "prize_places": ("{row}.competition_id", None),
    "commissions": ("{row}.competition_id", None),
    "commission_members": ("{row}.competition_id", None),
    "meetings": ("{row}.competition_id", None),
    "decisions": (_BY_MEETING, None),
    "applications": ("{row}.competition_id", _SUBMITTED),
    "questions": ("{row}.competition_id", None),
    "grants": ("{row}.competition_id", None),
    "grant_payments": (_BY_GRANT, None),
    "grant_reports": (_BY_GRANT, None),
    "report_periods": ("{row}.competition_id", None),
    "grant_events": (_BY_REPORT, None),
    "grant_expenses": (_BY_REPORT, None),
    "grant_publications": (_BY_REPORT, None),
    # a grant's approved budget: its application's lines (never a draft's being typed)
    "budget_lines": (_SUBMITTED_LINE, None),
    "prize_payments": (
        "(SELECT wm.competition_id FROM decisions wd JOIN meetings wm ON wm.id = wd.meeting_id"
        " WHERE wd.id = {row}.decision_id)",
        None,
    ),
}
_BY_TASK = "(SELECT project_id FROM project_tasks WHERE id = {row}.task_id)"
PROJECT_SOURCES = {
    "projects": ("{row}.id", None),
    "project_tasks": ("{row}.project_id", None),
    "project_activities": (_BY_TASK, None),
    "project_indicators": (
        "(SELECT wt.project_id FROM project_activities wa"
        " JOIN project_tasks wt ON wt.id = wa.task_id WHERE wa.id = {row}.activity_id)",
        None,
    ),
    "project_effects": ("{row}.project_id", None),
    "project_partners": ("{row}.project_id", None),
    "project_proposals": ("{row}.project_id", None),
    "project_recommendations": ("{row}.project_id", None),
}
# what a competition's registry of applications shows: the received applications (never a
# draft being typed), their budgets' totals; the applicants' kinds and names change
# generations('people')
INTAKE_SOURCES = {
    "competitions": ("{row}.id", None),
    "applications": ("{row}.competition_id", _SUBMITTED),
    "budget_lines": (_SUBMITTED_LINE, None),
}
KINDS = {"report": REPORT_SOURCES, "project": PROJECT_SOURCES, "intake": INTAKE_SOURCES}
# the kinds keyed by a competition, or a project, and the table whose rows each starts with
SEEDED = (("report", "competitions"), ("project", "projects"), ("intake", "competitions"))
SQLITE_NEW = "lower(hex(randomblob(16)))"
POSTGRES_NEW = "gen_random_uuid()::text"
SQLITE_BUMP = (
    "INSERT INTO generations (name, value) "
    "SELECT '{kind}:' || owner, " + SQLITE_NEW + " "
    "FROM (SELECT {owner} AS owner) WHERE owner IS NOT NULL{condition} "
    "ON CONFLICT (name) DO UPDATE SET value = excluded.value;"
)
SEED = (
    "INSERT INTO generations (name, value) SELECT '{kind}:' || id, {new} FROM {table} WHERE true "
    "ON CONFLICT (name) DO NOTHING"
)


def _sources():
    """(kind, table, (owner, condition)) of every trigger."""
    return [
        (kind, table, source) for kind, sources in KINDS.items() for table, source in sources.items()
    ]


def _postgresql():
    # a TRUNCATE fires no row trigger: every report's value goes (no value, nothing kept)
    op.execute(
        "CREATE FUNCTION generations_forget_reports() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN DELETE FROM generations WHERE name LIKE 'report:%' OR name LIKE 'project:%' "
        "OR name LIKE 'intake:%'; "
        "RETURN NULL; END $$"
    )
    # statement triggers over the transition tables: one new value per competition or project
    # a statement touched, however many rows it wrote
    for kind, table, (owner, condition) in _sources():
        steps = []
        for rows, events in (
            ("old_rows", "'UPDATE', 'DELETE'"),
            ("new_rows", "'INSERT', 'UPDATE'"),
        ):
            where = f" WHERE {condition.format(row='r')}" if condition else ""
            steps.append(
                f"IF TG_OP IN ({events}) THEN INSERT INTO generations (name, value) "
                f"SELECT '{kind}:' || owner::text, {POSTGRES_NEW} FROM "
                f"(SELECT DISTINCT {owner.format(row='r')} AS owner FROM {rows} r"
                f"{where}) touched WHERE owner IS NOT NULL "
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
            "FOR EACH STATEMENT EXECUTE FUNCTION generations_forget_reports()"
        )
    for kind, table in SEEDED:
        op.execute(SEED.format(kind=kind, new=POSTGRES_NEW, table=table))


def _sqlite():
    for kind, table, (owner, condition) in _sources():
        for event, rows in (("INSERT", ("NEW",)), ("DELETE", ("OLD",)), ("UPDATE", ("OLD", "NEW"))):
            body = " ".join(
                SQLITE_BUMP.format(
                    kind=kind,
                    owner=owner.format(row=row),
                    condition=f" AND {condition.format(row=row)}" if condition else "",
                )
                for row in rows
            )
            op.execute(
                f"CREATE TRIGGER {table}_{kind}_{event.lower()} AFTER {event} ON {table} "
                f"BEGIN {body} END"
            )
    for kind, table in SEEDED:
        op.execute(SEED.format(kind=kind, new=SQLITE_NEW, table=table))


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        _postgresql()
    else:
        _sqlite()


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for kind, table, _source in _sources():
        for event in ("insert", "update", "delete", "truncate"):
            if postgresql:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{kind}_{event} ON {table}")
            elif event != "truncate":
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{kind}_{event}")
        if postgresql:
            op.execute(f"DROP FUNCTION IF EXISTS generations_{kind}_{table}()")
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS generations_forget_reports()")
    op.execute(
        "DELETE FROM generations WHERE name LIKE 'report:%' OR name LIKE 'project:%' "
        "OR name LIKE 'intake:%'"
    )
