"""`flask users …`, `flask organisations …`, `flask programmes …`, `flask demo load`,
`flask outbox …`.

A command is one unit of work: it commits once at its end (the CLI counterpart of the
request's single commit), then sends the e-mail it queued.
"""

from __future__ import annotations

import secrets
import subprocess
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_migrate.cli import db as migrate_db
from sqlalchemy import func, select

from smallgrants import demo, demo_programme
from smallgrants.applications import queries as application_queries
from smallgrants.auth import services as auth_services
from smallgrants.auth.models import GRANTABLE_ROLES, Role
from smallgrants.commission import policies as commission_policies
from smallgrants.commission.models import Commission
from smallgrants.competitions import policies as competition_policies
from smallgrants.competitions.models import Competition
from smallgrants.core import backup, outbox, uploads
from smallgrants.core.models import OutboxMessage, OutboxStatus
from smallgrants.documents import protocols
from smallgrants.documents.registry import build_registry_xlsx
from smallgrants.extensions import db
from smallgrants.grants import policies as grants_policies
from smallgrants.organisations import policies as organisation_policies
from smallgrants.organisations import queries as organisation_queries
from smallgrants.organisations import services as organisation_services
from smallgrants.organisations.models import Programme
from smallgrants.reporting import policies as reporting_policies

ROLE_NAMES = [r.value for r in GRANTABLE_ROLES]


def _user_or_fail(email: str):
    user = auth_services.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"no user with e-mail {email}")
    return user


AS_OPTION = click.option(
    "--as",
    "as_email",
    default=None,
    metavar="EMAIL",
    help="Write it only if this account may download it from its page (the same rule).",
)


def _as_person(email: str | None, allowed) -> None:
    """`--as EMAIL`: an export on someone's behalf is refused unless the rule of its page,
    `allowed(user)`, lets that account download it. Without `--as` the command is the
    server administrator's, who holds the database itself."""
    if email is None:
        return
    user = _user_or_fail(email)
    if not user.active or not allowed(user):
        raise click.ClickException(f"{user.email} may not download this")


def _finish() -> None:
    db.session.commit()
    if current_app.config["MAIL_SEND_ON_COMMIT"]:
        outbox.deliver()


users_cli = AppGroup("users", help="Create users and manage roles.")


@users_cli.command("create")
@click.argument("email")
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice(ROLE_NAMES),
    help="Role to grant (repeatable).",
)
@click.option("--name", "full_name", default="", help="Full name.")
@click.option("--locale", type=click.Choice(["kk", "ru", "en"]), default="kk")
@click.option("--password", default=None, help="Password; generated and printed when omitted.")
def users_create(email, roles, full_name, locale, password):
    """Create a confirmed account."""
    generated = password is None
    password = password or secrets.token_urlsafe(12)
    try:
        user = auth_services.create_user(
            email,
            password,
            full_name=full_name,
            locale=locale,
            confirmed=True,
            roles=tuple(Role(r) for r in roles),
        )
    except auth_services.AccountError as error:
        raise click.ClickException(str(error.message)) from error
    _finish()
    click.echo(f"created {user.email} with roles {', '.join(sorted(user.roles))}")
    if generated:
        click.echo(f"password: {password}")


@users_cli.command("grant")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLE_NAMES))
def users_grant(email, role):
    """Give ROLE to the user with EMAIL."""
    user = _user_or_fail(email)
    changed = auth_services.grant_role(user, Role(role), actor=None)
    _finish()
    click.echo(f"{user.email}: {role} {'granted' if changed else 'already held'}")


@users_cli.command("revoke")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLE_NAMES))
def users_revoke(email, role):
    """Take ROLE from the user with EMAIL."""
    user = _user_or_fail(email)
    try:
        changed = auth_services.revoke_role(user, Role(role), actor=None)
    except auth_services.AccountError as error:
        raise click.ClickException(str(error.message)) from error
    _finish()
    click.echo(f"{user.email}: {role} {'revoked' if changed else 'was not held'}")


@users_cli.command("list")
def users_list():
    """Every account with its roles."""
    for user in auth_services.all_users():
        click.echo(f"{user.id:>5}  {user.email:<32} {', '.join(sorted(user.roles))}")


organisations_cli = AppGroup("organisations", help="Grant holders and their coordinators.")


def _organisation_or_fail(short_name: str):
    organisation = organisation_queries.by_short_name(short_name)
    if organisation is None:
        raise click.ClickException(f"no organisation with short name {short_name}")
    return organisation


@organisations_cli.command("create")
@click.argument("short_name")
@click.argument("name_kk")
@click.option("--name-ru", default="", help="Its name in Russian.")
@click.option("--bin", "bin_", default="", help="Its BIN (checked).")
@click.option("--region", default="", help="Region code, e.g. KZ-33.")
def organisations_create(short_name, name_kk, name_ru, bin_, region):
    """Create an organisation (a grant holder)."""
    try:
        organisation = organisation_services.create_organisation(
            None,
            organisation_services.OrganisationInput(
                short_name=short_name,
                name_kk=name_kk,
                name_ru=name_ru,
                bin=bin_,
                region_code=region,
            ),
        )
    except organisation_services.OrganisationError as error:
        raise click.ClickException(str(error.message)) from error
    _finish()
    click.echo(f"created organisation {organisation.short_name} (id {organisation.id})")


@organisations_cli.command("add-coordinator")
@click.argument("short_name")
@click.argument("email")
def organisations_add_coordinator(short_name, email):
    """The confirmed account EMAIL works for the organisation (and is a coordinator)."""
    organisation = _organisation_or_fail(short_name)
    try:
        user = organisation_services.add_coordinator(None, organisation, email)
    except organisation_services.OrganisationError as error:
        raise click.ClickException(str(error.message)) from error
    _finish()
    click.echo(f"{user.email} works for {organisation.short_name}")


@organisations_cli.command("remove-coordinator")
@click.argument("short_name")
@click.argument("email")
def organisations_remove_coordinator(short_name, email):
    organisation = _organisation_or_fail(short_name)
    user = _user_or_fail(email)
    if not organisation_services.remove_coordinator(None, organisation, user.id):
        raise click.ClickException(f"{email} does not work for {short_name}")
    _finish()
    click.echo(f"{user.email} no longer works for {organisation.short_name}")


@organisations_cli.command("list")
def organisations_list():
    for organisation in organisation_queries.all_organisations():
        people = ", ".join(u.email for u in organisation_queries.coordinators_of(organisation.id))
        click.echo(f"{organisation.short_name}\t{organisation.name_kk}\t{people or '-'}")


programmes_cli = AppGroup("programmes", help="Regranting programmes, their holders, operators.")


def _programme_or_fail(programme_id: int):
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        raise click.ClickException(f"no programme {programme_id}")
    return programme


@programmes_cli.command("create")
@click.argument("name_kk")
@click.argument("starts_year", type=int)
@click.argument("ends_year", type=int)
@click.option("--name-ru", default="", help="Its name in Russian.")
def programmes_create(name_kk, starts_year, ends_year, name_ru):
    """Create a programme (its first and last year)."""
    try:
        programme = organisation_services.create_programme(
            None, organisation_services.ProgrammeInput(name_kk, starts_year, ends_year, name_ru)
        )
    except organisation_services.OrganisationError as error:
        raise click.ClickException(str(error.message)) from error
    _finish()
    click.echo(f"created programme {programme.id}")


@programmes_cli.command("add-holder")
@click.argument("programme_id", type=int)
@click.argument("short_name")
def programmes_add_holder(programme_id, short_name):
    """The organisation SHORT_NAME is a grant holder of the programme."""
    programme = _programme_or_fail(programme_id)
    organisation = _organisation_or_fail(short_name)
    organisation_services.add_holder(None, programme, organisation)
    _finish()
    click.echo(f"{organisation.short_name} is a holder of programme {programme.id}")


@programmes_cli.command("add-operator")
@click.argument("programme_id", type=int)
@click.argument("email")
def programmes_add_operator(programme_id, email):
    """The confirmed account EMAIL reads the programme's roll-up (and is an operator)."""
    programme = _programme_or_fail(programme_id)
    try:
        user = organisation_services.add_operator(None, programme, email)
    except organisation_services.OrganisationError as error:
        raise click.ClickException(str(error.message)) from error
    _finish()
    click.echo(f"{user.email} operates programme {programme.id}")


@programmes_cli.command("remove-operator")
@click.argument("programme_id", type=int)
@click.argument("email")
def programmes_remove_operator(programme_id, email):
    programme = _programme_or_fail(programme_id)
    user = _user_or_fail(email)
    if not organisation_services.remove_operator(None, programme, user.id):
        raise click.ClickException(f"{email} does not operate programme {programme_id}")
    _finish()
    click.echo(f"{user.email} no longer operates programme {programme.id}")


@programmes_cli.command("list")
def programmes_list():
    for programme in organisation_queries.programmes_by_id(None):
        holders = ", ".join(o.short_name for o in organisation_queries.holders_of(programme.id))
        people = ", ".join(u.email for u in organisation_queries.operators_of(programme.id))
        click.echo(
            f"{programme.id}\t{programme.name_kk}\t{programme.starts_year}–{programme.ends_year}"
            f"\t{holders or '-'}\t{people or '-'}"
        )


demo_cli = AppGroup("demo", help="Demonstration data.")


@demo_cli.command("load")
def demo_load():
    """Create the demo accounts (idempotent). Their password is DEMO_PASSWORD."""
    password = current_app.config["DEMO_PASSWORD"]
    # receipts carry links: build them against BASE_URL outside a real request
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        demo.load(password)
        demo_programme.load(password)

    db.session.commit()
    click.echo(f"Demo accounts (password: {password}):")
    for email, full_name, _locale, roles in demo.DEMO_USERS:
        role_text = ", ".join(r.value for r in roles) or "applicant"
        click.echo(f"  {email:<24} {role_text:<18} {full_name}")


outbox_cli = AppGroup("outbox", help="The e-mail outbox.")


@outbox_cli.command("send")
@click.option("--limit", default=500, show_default=True)
def outbox_send(limit):
    """Send pending e-mail; failures stay queued with their error."""
    result = outbox.deliver(limit=limit)
    click.echo(f"sent {result.sent}, failed {result.failed}")
    if result.failed:
        raise SystemExit(1)


@outbox_cli.command("status")
def outbox_status():
    """Count messages per status."""
    rows = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    counts = {status.value: n for status, n in rows}
    for status in OutboxStatus:
        click.echo(f"{status.value:<8} {counts.get(status.value, 0)}")


@outbox_cli.command("retry")
def outbox_retry():
    """Put messages that were given up on back in the queue."""
    n = 0
    for message in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FAILED)
    ):
        outbox.requeue(message)
        n += 1
    db.session.commit()
    click.echo(f"requeued {n}")


@migrate_db.command("backup")
@click.argument("out", type=click.Path(dir_okay=False, writable=True))
def db_backup(out):
    """Copy the database to OUT (SQLite: a database file; PostgreSQL: a pg_dump archive)."""
    try:
        backup.backup(db.engine, Path(out))
    except (backup.BackupError, subprocess.CalledProcessError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"backed up {db.engine.dialect.name} to {out}")


@migrate_db.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="do not ask (the current content is replaced)")
def db_restore(source, yes):
    """Replace the database by the backup SOURCE (stop the app first)."""
    if not yes:
        click.confirm("Replace everything in the database by the backup?", abort=True)
    db.session.remove()
    try:
        backup.restore(db.engine, Path(source))
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"restored {db.engine.dialect.name} from {source}")


uploads_cli = AppGroup("uploads", help="Stored files.")


def referenced_files() -> set[str]:
    """Every stored name a row points to: attachments, grant files, signed protocols and
    competition rules."""
    from smallgrants.applications.models import Attachment
    from smallgrants.commission.models import Meeting, SignedProtocol
    from smallgrants.grants.models import GrantFile

    names: set[str] = set()
    for column in (
        Attachment.stored_name,
        GrantFile.stored_name,
        Meeting.protocol_stored_name,
        SignedProtocol.stored_name,
        Competition.rules_stored_name,
    ):
        names.update(n for n in db.session.scalars(select(column)) if n)
    return names


@uploads_cli.command("prune")
@click.option("--min-age", default=3600, show_default=True, help="seconds a file is kept")
def uploads_prune(min_age):
    """Delete stored files no row points to (run it daily, as the README says)."""
    removed, freed = uploads.prune(referenced_files(), older_than_seconds=min_age)
    click.echo(f"removed {removed} files, {freed} bytes")


export_cli = AppGroup("export", help="Documents from the command line.")


@export_cli.command("registry")
@click.argument("competition_id", type=int)
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="Where to write the .xlsx file.",
)
@click.option("--lang", type=click.Choice(["kk", "ru", "en"]), default="kk", show_default=True)
@AS_OPTION
def export_registry(competition_id, out_path, lang, as_email):
    """The registry of received applications of COMPETITION_ID as XLSX."""
    competition = db.session.get(Competition, competition_id)
    if competition is None:
        raise click.ClickException(f"no competition {competition_id}")
    _as_person(as_email, lambda u: competition_policies.can_manage_competition(u, competition))
    rows = application_queries.registry_rows(competition.id, application_queries.RegistryFilter())
    with open(out_path, "wb") as f:
        f.write(build_registry_xlsx(competition, rows, lang))
    click.echo(f"wrote {len(rows)} applications to {out_path}")


@export_cli.command("protocol")
@click.argument("competition_id", type=int)
@click.option("--kind", type=click.Choice(["approval", "meeting"]), required=True)
@click.option("--lang", type=click.Choice(["kk", "ru"]), default="kk", show_default=True)
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="Where to write the .docx file.",
)
@AS_OPTION
def export_protocol(competition_id, kind, lang, out_path, as_email):
    """The approval protocol or the meeting protocol of COMPETITION_ID as DOCX.

    A signed meeting protocol is written exactly as signed (its language and SHA-256)."""
    commission = db.session.get(Commission, competition_id)
    if commission is None:
        raise click.ClickException(f"competition {competition_id} has no commission")
    _as_person(
        as_email,
        lambda u: commission_policies.can_manage_commission_of(u, commission.competition),
    )
    meeting = commission.meeting
    if kind == "meeting" and meeting is None:
        raise click.ClickException(f"competition {competition_id} has no meeting yet")
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        if kind == "approval":
            data = protocols.build_approval_docx(commission, lang)
        elif meeting.is_signed:
            signed = meeting.signed_protocol(lang)
            if signed is None:
                signed = meeting.signed_protocol(meeting.protocol_locale)
                click.echo(f"the protocol was signed in {signed.locale}; writing that")
            data = uploads.path_of(signed.stored_name).read_bytes()
        else:
            data = protocols.build_meeting_docx(commission, lang)
    with open(out_path, "wb") as f:
        f.write(data)
    click.echo(f"wrote the {kind} protocol to {out_path}")


@export_cli.command("monitoring")
@click.argument("competition_id", type=int)
@click.option(
    "--format", "fmt", type=click.Choice(["docx", "xlsx"]), default="docx", show_default=True
)
@click.option("--lang", type=click.Choice(["kk", "ru"]), default="kk", show_default=True)
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False))
@AS_OPTION
def export_monitoring(competition_id, fmt, lang, out_path, as_email):
    """The monitoring report on the small grants of COMPETITION_ID as DOCX or XLSX."""
    from smallgrants.documents.monitoring import build_monitoring_docx, build_monitoring_xlsx

    competition = db.session.get(Competition, competition_id)
    if competition is None:
        raise click.ClickException(f"no competition {competition_id}")
    _as_person(as_email, lambda u: grants_policies.can_see_monitoring(u, competition))
    build = build_monitoring_docx if fmt == "docx" else build_monitoring_xlsx
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        data = build(competition, lang)
    with open(out_path, "wb") as f:
        f.write(data)
    click.echo(f"wrote the monitoring report ({fmt}, {lang}) to {out_path}")


@export_cli.command("programme")
@click.argument("programme_id", type=int)
@click.option("--lang", type=click.Choice(["kk", "ru"]), default="kk", show_default=True)
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False))
@AS_OPTION
def export_programme(programme_id, lang, out_path, as_email):
    """The roll-up of PROGRAMME_ID (every holder's figures) as XLSX."""
    from smallgrants.documents.programme import build_rollup_xlsx
    from smallgrants.programmes import queries as programme_queries

    programme = _programme_or_fail(programme_id)
    _as_person(as_email, lambda u: organisation_policies.can_see_programme(u, programme.id))
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        data = build_rollup_xlsx(
            programme_queries.rollup(programme, programme_queries.Filter(), lang), lang
        )
    with open(out_path, "wb") as f:
        f.write(data)
    click.echo(f"wrote the roll-up of programme {programme.id} ({lang}) to {out_path}")


@export_cli.command("final-report")
@click.argument("project_id", type=int)
@click.option(
    "--format", "fmt", type=click.Choice(["docx", "xlsx"]), default="docx", show_default=True
)
@click.option("--lang", type=click.Choice(["kk", "ru"]), default="kk", show_default=True)
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False))
@AS_OPTION
def export_final_report(project_id, fmt, lang, out_path, as_email):
    """The final report (Appendix 8) of PROJECT_ID as DOCX or XLSX; failing reconciliation
    checks are listed on its first page and here."""
    from smallgrants.documents.final_report import build_final_report
    from smallgrants.reporting.models import Project

    project = db.session.get(Project, project_id)
    if project is None:
        raise click.ClickException(f"no project {project_id}")
    _as_person(as_email, lambda u: reporting_policies.can_manage_project(u, project))
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        data, failing = build_final_report(project, fmt, lang)
    lines = [f"  {check.title}: {check.detail}" for check in failing]
    with open(out_path, "wb") as f:
        f.write(data)
    click.echo(f"wrote the final report ({fmt}, {lang}) to {out_path}")
    if failing:
        click.echo(f"{len(failing)} reconciliation checks fail:")
        click.echo("\n".join(lines))
    else:
        click.echo("every reconciliation check passes")


grants_cli = AppGroup("grants", help="Grants and monitoring.")


@grants_cli.command("remind")
def grants_remind():
    """E-mail grantees whose reports are due within REPORT_REMINDER_DAYS or overdue (cron)."""
    from flask import g

    from smallgrants.core.outbox import deliver
    from smallgrants.grants import services as grant_services

    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        sent = grant_services.send_reminders()
        db.session.commit()
        ids = g.pop("outbox_ids", [])
        if ids and current_app.config["MAIL_SEND_ON_COMMIT"]:
            deliver(ids)  # a failure stays queued for `flask outbox send`
    click.echo(f"queued {sent} reminders")


def init_app(app: Flask) -> None:

    app.cli.add_command(users_cli)
    app.cli.add_command(organisations_cli)
    app.cli.add_command(programmes_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(export_cli)
    app.cli.add_command(uploads_cli)
    app.cli.add_command(grants_cli)
