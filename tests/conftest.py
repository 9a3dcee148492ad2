"""Fixtures: one app per session on SQLite (or TEST_DATABASE_URL), migrated once per worker
with Alembic; every test inside one transaction that is rolled back (or, marked
`real_commits`, committing for real and emptied afterwards); a real SMTP server on loopback;
factories; a sign-in helper; a statement counter."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import shutil
import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, event, make_url, select, text

from smallgrants import create_app
from smallgrants.auth import services as auth_services
from smallgrants.auth.models import Role
from smallgrants.core.models import OutboxMessage
from smallgrants.extensions import db, limiter
from smallgrants.organisations.models import OrganisationMember

PASSWORD = "correct-horse-battery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- SMTP -------------------------------------------------------------------------------


@dataclass
class Mailbox:
    """What the loopback SMTP server received, parsed."""

    messages: list[EmailMessage] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    delay: float = 0.0  # seconds each message takes, for tests of slow servers
    # hold the first `gate` messages until that many are being delivered at once (proof
    # that several senders really overlap); 0: no gate
    gate: int = 0
    _arrived: int = 0
    _gate_open: asyncio.Event | None = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        if self.gate:
            self._gate_open = self._gate_open or asyncio.Event()
            self._arrived += 1
            if self._arrived >= self.gate:
                self._gate_open.set()
            with contextlib.suppress(TimeoutError):  # the test's assertions say what went wrong
                await asyncio.wait_for(self._gate_open.wait(), 30)
        if self.delay:
            await asyncio.sleep(self.delay)
        msg = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(msg)
        return "250 OK"

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()
        self.delay, self.gate, self._arrived, self._gate_open = 0.0, 0, 0, None

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if address in m["To"]]

    def wait_for(self, address: str, count: int = 1, timeout: float = 10) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.to(address)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"no e-mail to {address} within {timeout}s")


def body_text(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def body_html(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


@pytest.fixture(scope="session")
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def mailbox(smtp_server) -> Mailbox:
    box: Mailbox = smtp_server.handler
    box.clear()
    return box


# --- databases --------------------------------------------------------------------------
#
# Each pytest-xdist worker has databases of its own: on SQLite, files in its own temporary
# folder; on PostgreSQL (TEST_DATABASE_URL), schemas named after the worker in that one
# database, reached through `search_path`. The schema is built only by the Alembic
# migrations, once per worker; a "world" (a set of objects several tests share, see
# `world_app`) gets a database of its own, copied or migrated the same way.

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


def _schema_url(base: str, schema: str) -> str:
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


class TestDatabases:
    """Migrated databases for one worker, made on first use."""

    def __init__(self, folder):
        self.folder = folder
        self.base = os.environ.get("TEST_DATABASE_URL")
        self._template: str | None = None

    @property
    def dialect(self) -> str:
        return "postgresql" if self.base else "sqlite"

    def scratch_url(self, name: str, folder) -> str:
        """An address for a script that makes its own database (drops and creates it) on the
        suite's database server: a PostgreSQL database named after the worker, else a SQLite
        file in `folder`."""
        if self.base:
            url = make_url(self.base).set(database=f"{name}_{WORKER}".lower())
            return url.render_as_string(hide_password=False)
        return f"sqlite:///{folder / f'{name}.sqlite'}"

    def url(self, name: str) -> str:
        if self.base:
            schema = f"sg_{WORKER}_{name}".lower()
            engine = create_engine(self.base)
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            engine.dispose()
            url = _schema_url(self.base, schema)
            _migrate(url)
            return url
        if self._template is None:  # migrate once, then copy the file
            self._template = str(self.folder / "template.sqlite")
            _migrate(f"sqlite:///{self._template}")
        path = self.folder / f"{name}.sqlite"
        shutil.copyfile(self._template, path)
        return f"sqlite:///{path}"


def _migrate(url: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory) -> TestDatabases:
    return TestDatabases(tmp_path_factory.mktemp("db"))


@pytest.fixture(scope="session")
def database_url(databases) -> str:
    return databases.url("main")


@pytest.fixture(scope="session")
def _migrated(database_url):  # the name older tests know
    return database_url


def empty_all_tables(app) -> None:
    """For the tests that commit for real: DELETE on SQLite, TRUNCATE on PostgreSQL."""
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            if db.engine.dialect.name == "postgresql":
                conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                for name in tables:
                    conn.execute(text(f"DELETE FROM {name}"))  # noqa: S608 - our own names


def base_config(database_url: str, smtp_port: int, uploads) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MAIL_PORT": smtp_port,
        "UPLOAD_DIR": str(uploads),
    }


# --- one transaction per test ----------------------------------------------------------


@contextmanager
def rolled_back(app):
    """Run the block inside one outer transaction that is rolled back at its end.

    The app's engine is replaced by a single connection in a transaction, and sessions join
    it with `join_transaction_mode="create_savepoint"`: a request's `commit()` releases a
    SAVEPOINT, its `rollback()` returns to it, and nothing outlives the block. (On SQLite the
    app itself emits BEGIN — see `smallgrants.core.db` — so SAVEPOINTs nest there too.)
    """
    engines = db._app_engines[app]  # Flask-SQLAlchemy's engines of this app, by bind key
    engine = engines[None]
    connection = engine.connect()
    outer = connection.begin()
    engines[None] = connection
    try:
        yield connection
    finally:
        with app.app_context():
            db.session.remove()
        engines[None] = engine
        outer.rollback()
        connection.close()


@contextmanager
def isolated(app, request, uploads=None):
    """One test on a shared app: its configuration, mail settings and rate limits restored
    afterwards; its data rolled back, or — for tests marked `real_commits` — committed for
    real and the tables emptied afterwards."""
    config = dict(app.config)
    mail_state = dict(vars(app.extensions["mail"]))
    if uploads is not None:
        app.config["UPLOAD_DIR"] = str(uploads)
        os.makedirs(uploads, exist_ok=True)
    limiter.reset()
    try:
        if request.node.get_closest_marker("real_commits"):
            try:
                yield app
            finally:
                empty_all_tables(app)
        else:
            with rolled_back(app):
                yield app
    finally:
        app.config.clear()
        app.config.update(config)
        vars(app.extensions["mail"]).clear()
        vars(app.extensions["mail"]).update(mail_state)
        limiter.reset()


class ClosingClient(FlaskClient):
    """A test client that reads each response whole and closes it, as every WSGI server does
    once the response is sent — which is when a request's e-mail goes out."""

    def open(self, *args, buffered=True, **kwargs):
        return super().open(*args, buffered=buffered, **kwargs)


def new_app(database_url: str, smtp_port: int, uploads):
    """An app for a session of tests (sessions join the test's transaction: see
    `rolled_back`)."""
    app = create_app(base_config(database_url, smtp_port, uploads))
    app.test_client_class = ClosingClient
    db.session.session_factory.configure(join_transaction_mode="create_savepoint")
    return app


@pytest.fixture(scope="session")
def base_app(database_url, smtp_server, tmp_path_factory):
    """One app for the whole session (building one per test cost more than most tests)."""
    app = new_app(database_url, smtp_server.port, tmp_path_factory.mktemp("uploads"))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app_config(_migrated, smtp_server, tmp_path):
    """The configuration of `app`, for a test that builds an app of its own."""
    return base_config(_migrated, smtp_server.port, tmp_path / "uploads")


@pytest.fixture
def app(request, base_app, tmp_path):
    """The session's app, isolated for this test (see `isolated`). No app context stays
    pushed: each request gets its own, as in production."""
    with isolated(base_app, request, uploads=tmp_path / "uploads"):
        yield base_app


@pytest.fixture
def fresh_app(request, database_url, smtp_server, tmp_path):
    """A new app of this test's own, for a test that changes the app itself (adds a route:
    Flask refuses that once an app has served a request); isolated like `app`."""
    app = new_app(database_url, smtp_server.port, tmp_path / "uploads")
    with isolated(app, request):
        yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@contextmanager
def counting_statements(app):
    """`with counting_statements(app) as statements: client.get(...)` — the SQL statements
    the block sent, without the transaction bookkeeping (BEGIN, SAVEPOINT, RELEASE, …)."""
    with app.app_context():
        target = db.engine  # in a rolled-back test, the test's one connection
    statements: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(BOOKKEEPING):
            statements.append(statement)

    event.listen(target, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(target, "before_cursor_execute", listener)


@pytest.fixture
def count_queries(app):
    """`with count_queries() as statements: client.get(...)` on this test's app."""
    return lambda: counting_statements(app)


BOOKKEEPING = ("SAVEPOINT", "RELEASE", "ROLLBACK TO", "BEGIN", "COMMIT", "ROLLBACK")


def detached(obj):
    """A loaded copy that outlives its app context (read its columns, not lazy relations)."""
    db.session.refresh(obj)
    db.session.expunge(obj)
    return obj


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice, which the document tests convert with: a required tool of the suite
    (`.ci/run` installs it), so its absence fails them rather than skipping them."""
    found = shutil.which("soffice")
    if found is None:
        pytest.fail(
            "LibreOffice is not installed: apt-get install -y libreoffice-writer-nogui "
            "libreoffice-calc-nogui"
        )
    return found


# --- factories --------------------------------------------------------------------------


DEFAULT_HOLDER = "test-holder"


def default_organisation_id() -> int:
    """The suite's grant holder (made on first use in each database state): every
    coordinator a factory makes works for it and every competition a factory makes is its,
    unless a test names another."""
    from smallgrants.organisations.models import Organisation

    found = db.session.scalar(
        select(Organisation.id).where(Organisation.short_name == DEFAULT_HOLDER)
    )
    if found is None:
        organisation = Organisation(
            short_name=DEFAULT_HOLDER,
            name_kk="«Тест» қоғамдық бірлестігі",
            name_ru="Общественное объединение «Тест»",
            region_code="KZ-33",
        )
        db.session.add(organisation)
        db.session.flush()
        found = organisation.id
    return found


def user_factory(app):
    """`create_user(email=..., roles=(Role.ADMIN,), confirmed=True, locale='kk')`, committed."""
    counter = iter(range(1, 10_000))

    def factory(
        email: str | None = None,
        *,
        password: str = PASSWORD,
        roles: tuple[Role, ...] = (),
        confirmed: bool = True,
        locale: str = "kk",
        full_name: str = "Test User",
        organisation: int | bool | None = None,
    ):
        """A coordinator works for `organisation` (an id), by default for the suite's one
        grant holder (`default_organisation_id`); `organisation=False`: for none."""
        email = email or f"user{next(counter)}@example.kz"
        with app.app_context():
            user = auth_services.create_user(
                email,
                password,
                full_name=full_name,
                locale=locale,
                confirmed=confirmed,
                roles=roles,
            )
            if Role.COORDINATOR in roles and organisation is not False:
                db.session.add(
                    OrganisationMember(
                        organisation_id=organisation or default_organisation_id(),
                        user_id=user.id,
                    )
                )
            db.session.commit()
            return detached(user)

    return factory


ROLE_USERS = {
    "applicant": (),
    "member": (Role.COMMISSION_MEMBER,),
    "coordinator": (Role.COORDINATOR,),
    "admin": (Role.ADMIN,),
}


@pytest.fixture
def users(create_user):
    """One signed-up user per role, keyed 'applicant', 'member', 'coordinator', 'admin'."""
    return {
        name: create_user(f"{name}@example.kz", roles=roles, full_name=name.title())
        for name, roles in ROLE_USERS.items()
    }


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = PASSWORD, **kwargs):
        return self._client.post(
            "/auth/login", data={"email": email, "password": password}, **kwargs
        )

    def logout(self):
        return self._client.post("/auth/logout")

    def as_user(self, user) -> None:
        """Sign in without the form (for permission tests): a sign-in row of its own, as
        `auth.session.sign_in` makes, and its key in the session cookie."""
        from smallgrants.auth import services as auth_services
        from smallgrants.auth.models import User

        app = self._client.application
        with app.app_context():
            key = auth_services.start_session(db.session.get(User, user.id), remember=False)
            db.session.commit()
        with self._client.session_transaction() as session:
            session["_user_id"] = f"{user.id}:{key}"
            session["_fresh"] = True


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


def competition_factory(app, create_user):
    """`create_competition(published=True, opens_in_days=-1, closes_in_days=30, **fields)`.

    Defaults follow the seed: 10 × 300 000 ₸, Zhetisu, two criteria. The window is relative
    to now so that `published=True` gives an open competition.
    """
    from datetime import timedelta

    from smallgrants.competitions import services as competition_services
    from smallgrants.competitions.models import CompetitionStatus
    from smallgrants.core.timeutil import utcnow

    owner = {}

    def factory(
        *, published: bool = True, opens_in_days: float = -1, closes_in_days: float = 30, **fields
    ):
        if "actor" not in owner:
            owner["actor"] = create_user("owner-coordinator@example.kz", roles=(Role.COORDINATOR,))
        now = utcnow().replace(second=0, microsecond=0)  # people type minutes
        data = competition_services.CompetitionInput(
            **{
                "title_kk": "Жастар арасында синтетикалық есірткінің алдын алу",
                "title_ru": "Профилактика синтетических наркотиков среди молодёжи",
                "description_kk": "Шағын гранттар байқауы",
                "description_ru": "Конкурс малых грантов",
                "direction_kk": "",
                "direction_ru": "",
                "region_code": "KZ-33",
                "district_codes": ["aksu", "karatal"],
                "grant_amount": 300_000,
                "grant_count": 10,
                "accepts_ngo": True,
                "accepts_group": True,
                "min_group_members": 3,
                "opens_at": now + timedelta(days=opens_in_days),
                "closes_at": now + timedelta(days=closes_in_days, seconds=59),
                "rules_kk": "Ереже",
                "rules_ru": "Правила",
                "number_prefix": "SG",
                "criteria": [
                    competition_services.CriterionInput("Өзектілігі", "Актуальность", "", 10, 2),
                    competition_services.CriterionInput("Бюджет", "Бюджет", "", 5, 1),
                ],
                "checklist": [competition_services.ChecklistInput("Жарғы", "Устав", True)],
                **fields,
            }
        )
        with app.test_request_context():
            actor = db.session.get(type(owner["actor"]), owner["actor"].id)

            competition = competition_services.create_competition(actor, data)
            if published:
                # set directly: transition() refuses a window that has already closed
                competition.status = CompetitionStatus.PUBLISHED
                competition.published_at = now
            db.session.commit()
            return detached(competition)

    return factory


TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
IIN_VALID = "791028302728"  # the glossary's worked example
BIN_VALID = "940140000385"


def profile_factory(app):
    """`create_profile(owner, kind="group", members=3, leader_iin=..., bin=...)`, committed."""
    from smallgrants.applications import services as application_services
    from smallgrants.applications.models import ApplicantKind
    from smallgrants.auth.models import User

    def factory(
        owner,
        *,
        kind: str = "group",
        members: int = 3,
        name: str | None = None,
        leader_iin: str = IIN_VALID,
        bin: str = BIN_VALID,
    ):
        data = application_services.ProfileInput(
            kind=ApplicantKind(kind),
            name=name or ("«Жастар үні» бастамашыл тобы" if kind == "group" else "«Жарқын» ҚБ"),
            bin=bin if kind == "ngo" else None,
            leader_iin=leader_iin if kind in ("group", "individual") else None,
            head_name="Асқар Бекұлы",
            legal_address="Талдықорған қ., Абай к-сі 1",
            phone="+77012345678",
            email="group@example.kz",
            members=[
                application_services.MemberInput(f"Мүше {i}", None) for i in range(1, members + 1)
            ]
            if kind == "group"
            else [],
        )
        with app.app_context():
            profile = application_services.save_profile(db.session.get(User, owner.id), data)
            db.session.commit()
            return detached(profile)

    return factory


def complete_application_input(budget_total: int = 300_000):
    from smallgrants.applications import services as s

    return s.ApplicationInput(
        title="Синтетикалық есірткіге қарсы жастар акциясы",
        district_code="aksu",
        settlement="Жансүгіров ауылы",
        problem="Жастар арасында синтетикалық есірткі таралып барады.",
        goal="Жастардың хабардарлығын арттыру.",
        tasks="1. Тренинг. 2. Акция.",
        target_group="14–29 жастағы жастар",
        planned_participants=500,
        sustainability="Волонтерлер клубы жұмысын жалғастырады.",
        team="Үш волонтер.",
        activities=[s.ActivityInput("Тренинг", "2023 қыркүйек", "Жансүгіров", 100)],
        budget=[
            s.BudgetInput("Баннер", "дана", 2, 50_000),
            s.BudgetInput("Кофе-брейк", "адам", 100, (budget_total - 100_000) // 100),
        ],
        results=[s.ResultInput("Жастар хабардар", "қатысушылар", "500")],
    )


def application_factory(app):
    """`create_application(owner, competition, profile, complete=True, submit=False)`."""
    from smallgrants.applications import services as application_services
    from smallgrants.applications.models import ApplicantProfile, Application
    from smallgrants.auth.models import User
    from smallgrants.competitions.models import Competition

    def factory(
        owner,
        competition,
        profile,
        *,
        complete: bool = True,
        submit: bool = False,
        budget_total: int = 300_000,
    ):
        with app.test_request_context():
            user = db.session.get(User, owner.id)
            application = application_services.start_application(
                user,
                db.session.get(Competition, competition.id),
                db.session.get(ApplicantProfile, profile.id),
            )
            if complete:
                data = complete_application_input(budget_total)
                if application.competition.entry_kind.value == "video":  # an entry's link
                    host = application.competition.video_host_list[0]
                    data.video_url = f"https://www.{host}/reel/entry{application.id}/"
                application_services.save_draft(user, application, data)
                for item in application.competition.checklist:
                    if item.required:
                        application_services.add_attachment(
                            user, application, io.BytesIO(TINY_PDF), "doc.pdf", item.id
                        )
            if submit:
                application_services.submit(user, application)
            db.session.commit()
            return detached(db.session.get(Application, application.id))

    return factory


@dataclass
class CommissionCase:
    """Ids of a competition whose window has closed, its admitted applications (one applicant
    user each) and its approved commission: chair, secretary, member (all voting)."""

    competition_id: int
    application_ids: list[int]
    applicant_ids: list[int]
    chair: object
    secretary: object
    member: object
    coordinator: object
    member_ids: dict[str, int] = field(default_factory=dict)  # role name → seat id


def commission_case_factory(
    app, create_user, create_competition, create_profile, create_application
):
    """`create_commission_case(n=3, locales=("kk", "ru", ...), approved=True, competition=None,
    applicant_kind="group", iins=None, people="", **competition)`: n submitted and admitted
    applications (to the given competition, or to a new one), the window closed, the
    commission seated. `people` tags every account's e-mail, so a test can make two cases."""
    from datetime import timedelta

    from smallgrants.applications import services as application_services
    from smallgrants.applications.models import Application
    from smallgrants.auth.models import User
    from smallgrants.commission import services as commission_services
    from smallgrants.commission.models import CommissionRole, TieBreakRule
    from smallgrants.competitions.models import Competition
    from smallgrants.core.timeutil import utcnow
    from smallgrants.demo import demo_iin

    def factory(
        n: int = 3,
        *,
        locales=(),
        approved: bool = True,
        competition=None,
        applicant_kind: str = "group",
        iins: list[str] | None = None,
        people: str = "",
        **competition_fields,
    ):
        if competition is None:
            competition = create_competition(published=True, **competition_fields)
        applicant_ids, application_ids = [], []
        for i in range(n):
            locale = locales[i] if i < len(locales) else "kk"
            owner = create_user(
                f"applicant{i + 1}{people}@example.kz", locale=locale, full_name=f"App {i}"
            )
            iin = iins[i] if iins else demo_iin(i + 1)
            profile = create_profile(
                owner, kind=applicant_kind, leader_iin=iin, name=f"Топ {i + 1}"
            )
            application = create_application(owner, competition, profile, submit=True)
            applicant_ids.append(owner.id)
            application_ids.append(application.id)
        coordinator = create_user(
            f"coord{people}@example.kz", roles=(Role.COORDINATOR,), full_name="Coord"
        )
        seats = {
            "chair": create_user(f"chair{people}@example.kz", full_name="Айгүл Төраға"),
            "secretary": create_user(f"secretary{people}@example.kz", full_name="Бауыржан Хатшы"),
            "member": create_user(f"member1{people}@example.kz", full_name="Сәуле Мүше"),
        }
        member_ids = {}
        with app.test_request_context():
            actor = db.session.get(User, coordinator.id)
            c = db.session.get(Competition, competition.id)
            c.closes_at = utcnow() - timedelta(minutes=1)
            c.opens_at = utcnow() - timedelta(days=10)
            for application_id in application_ids:
                application_services.screen(
                    actor, db.session.get(Application, application_id), True
                )
            commission = commission_services.commission_of(c)
            for role, user in seats.items():
                seat = commission_services.add_member(
                    actor,
                    commission,
                    email=user.email,
                    full_name=user.full_name,
                    job_title=f"{role} position",
                    role=CommissionRole(role),
                    voting=True,
                )
                member_ids[role] = seat.id
            if approved:
                commission_services.save_settings(
                    actor,
                    commission,
                    commission_services.SettingsInput(
                        approval_number="1",
                        approval_date=utcnow().date(),
                        approval_place="Талдықорған",
                        quorum_numerator=2,
                        quorum_denominator=3,
                        tie_break_rule=TieBreakRule.VOTE,
                        dispute_threshold=25,
                        show_score_in_results=False,
                    ),
                )
            db.session.query(OutboxMessage).delete()  # set-up mail is not what tests read
            db.session.commit()
        return CommissionCase(
            competition.id,
            application_ids,
            applicant_ids,
            seats["chair"],
            seats["secretary"],
            seats["member"],
            coordinator,
            member_ids,
        )

    return factory


@dataclass
class GrantCase:
    """A competition carried through a signed protocol to grants: `grant_ids` in the order of
    the applications, `grantee_ids` their owners, `reports[grant_id]` the report ids by period
    position, and the commission case behind it."""

    competition_id: int
    grant_ids: list[int]
    grantee_ids: list[int]
    reports: dict[int, list[int]]
    period_ids: list[int]
    coordinator: object
    commission: CommissionCase


def grant_case_factory(app, create_commission_case):
    """`create_grant_case(n=2, awards=None, periods=("interim", "final"), tranches=None,
    locales=(), until="grants")`: every application scored, all (or `awards`) awarded the
    grant amount, the protocol signed, the grants made; reports due 10 and 40 days from now.
    `until="meeting"` stops at the open meeting and returns the commission case."""
    from datetime import timedelta

    from smallgrants.applications.models import Application
    from smallgrants.auth.models import User
    from smallgrants.commission import queries as cq
    from smallgrants.commission import services as cs
    from smallgrants.commission.models import AttendanceMode, CommissionMember, Outcome
    from smallgrants.competitions.models import Competition
    from smallgrants.core.timeutil import utcnow
    from smallgrants.grants import services as gs
    from smallgrants.grants.models import PeriodKind, TrancheCondition

    def factory(
        n: int = 2,
        *,
        awards: int | None = None,
        periods=("interim", "final"),
        tranches=None,
        locales=(),
        until: str = "grants",
        **competition_fields,
    ) -> GrantCase | CommissionCase:
        case = create_commission_case(n, locales=locales, **competition_fields)
        awards = n if awards is None else awards
        with app.test_request_context():
            coordinator = db.session.get(User, case.coordinator.id)
            competition = db.session.get(Competition, case.competition_id)
            commission = cs.commission_of(competition)
            seats = db.session.scalars(
                select(CommissionMember).where(CommissionMember.competition_id == competition.id)
            ).all()
            for application_id in case.application_ids:
                application = db.session.get(Application, application_id)
                for seat in seats:
                    user = db.session.get(User, seat.user_id)
                    cs.declare(user, seat, application, conflict=False)
                    points = {
                        c.id: c.max_points - (application_id % 3) for c in competition.criteria
                    }
                    cs.save_sheet(user, seat, application, points, "", submit=True)
            cs.close_scoring(coordinator, commission)
            cs.save_meeting(
                coordinator,
                commission,
                cs.MeetingInput(
                    number="2",
                    held_at=utcnow() - timedelta(hours=1),
                    place="Талдықорған",
                    online_link="",
                    attendance={s.id: AttendanceMode.IN_PERSON for s in seats},
                ),
            )
            if until == "meeting":  # scored, scoring closed, the meeting open for decisions
                db.session.query(OutboxMessage).delete()
                db.session.commit()
                return case
            winners = set(case.application_ids[:awards])
            for row in cq.ranking(commission):
                award = row.application.id in winners
                cs.decide(
                    coordinator,
                    commission,
                    db.session.get(Application, row.application.id),
                    cs.DecisionInput(
                        outcome=Outcome.AWARD if award else Outcome.REJECT,
                        amount=competition.grant_amount if award else None,
                        votes_for=None,
                        votes_against=None,
                        votes_abstain=None,
                        rationale="",
                        tie_break="тең балл: дауыс беру" if row.tied else "",
                    ),
                )
            cs.sign(coordinator, cs.commission_of(competition), "kk")
            terms = gs.terms_of(competition)
            if tranches:
                gs.save_tranches(
                    coordinator, terms, [(p, TrancheCondition(c)) for p, c in tranches]
                )
            period_ids = []
            for i, kind in enumerate(periods):
                period = gs.add_period(
                    coordinator, terms, PeriodKind(kind), utcnow() + timedelta(days=10 + 30 * i)
                )
                period_ids.append(period.id)
            grants = gs.create_grants(coordinator, competition)
            from smallgrants.grants import queries as gq

            reports = {g.id: [r.id for r in gq.reports_of(g.id)] for g in grants}
            grant_ids = [g.id for g in grants]
            grantee_ids = [g.application.applicant_id for g in grants]
            db.session.query(OutboxMessage).delete()
            db.session.commit()
        return GrantCase(
            case.competition_id,
            grant_ids,
            grantee_ids,
            reports,
            period_ids,
            case.coordinator,
            case,
        )

    return factory


# --- the final report -----------------------------------------------------------------


def counts(total, gender, social, age) -> dict[str, int]:
    """Participant columns: a total and its three breakdowns (the rest 0)."""
    from smallgrants.grants.breakdowns import ALL_COLUMNS

    values = dict.fromkeys(ALL_COLUMNS, 0)
    values["total"] = total
    values.update(gender)
    values.update(social)
    values.update(age)
    return values


# grantee events: 100 + 50 = 150 participants
EVENTS = [
    counts(100, {"men": 40, "women": 60}, {"s_youth": 100}, {"a_17_22": 70, "a_23_27": 30}),
    counts(
        50,
        {"men": 20, "women": 25, "gender_unspecified": 5},
        {"s_youth": 45, "s_other": 5},
        {"a_13_16": 50},
    ),
]
# the project's own counted activities: 30 + 2 = 32 participants
TRAINING = counts(30, {"men": 10, "women": 20}, {"s_youth": 30}, {"a_17_22": 30})
APPLICANTS = counts(2, {"men": 1, "women": 1}, {"s_ngo": 2}, {"a_23_27": 2})


@dataclass
class ReportCase:
    project_id: int
    competition_id: int
    grant_ids: list[int]
    training_id: int
    competition_activity_id: int
    reach_id: int
    coordinator_id: int


def build_report_case(app, create_grant_case, n: int = 2) -> ReportCase:
    """Two grants with accepted final reports (one event each) and paid in full; a project
    with a training (30), the competition attached to task 2 (its own 2 applicants), a media
    campaign not counted (5 000), the effect table and one partner."""
    from datetime import date

    from smallgrants.auth.models import User
    from smallgrants.grants import services as gs
    from smallgrants.grants.models import EventFormat, Grant, Report
    from smallgrants.reporting import services
    from smallgrants.reporting.models import EffectKey, TaskKind

    case = create_grant_case(n, periods=("final",), grant_count=n)
    events = [EVENTS[i % len(EVENTS)] for i in range(n)]
    with app.test_request_context():
        coordinator = db.session.get(User, case.coordinator.id)
        for grant_id, grantee_id, event in zip(
            case.grant_ids, case.grantee_ids, events, strict=True
        ):
            grant = db.session.get(Grant, grant_id)
            grantee = db.session.get(User, grantee_id)
            report = db.session.get(Report, case.reports[grant_id][0])
            gs.save_event(
                grantee,
                report,
                gs.EventInput(
                    "Тренинг", date(2023, 10, 5), "aksu", "", EventFormat.OFFLINE, "", event
                ),
            )
            gs.save_narrative(grantee, report, "Өтті", "", "")
            gs.submit_report(grantee, report)
            gs.review_report(coordinator, report, True, "")
            gs.record_payment(
                coordinator, grant, gs.PaymentInput(1, date(2023, 9, 20), grant.amount, "ПП-1")
            )
        competition = db.session.get(Grant, case.grant_ids[0]).competition
        project = services.create_project(
            coordinator,
            services.ProjectInput(
                organisation="«Жастар» ҚБ",
                title="«Таза өмір» жобасы",
                head_name="Әлиева Әсел",
                legal_address="Талдықорған қ.",
                phone="+7 701 000 00 00",
                direction="Жастар саясаты",
                agreement_number="7",
                agreement_date=date(2023, 7, 24),
                starts_on=date(2023, 8, 1),
                ends_on=date(2023, 11, 30),
                grant_sum=7_000_000,
            ),
        )
        task1 = services.add_task(coordinator, project, "Жастарды ақпараттандыру")
        training = services.save_activity(
            coordinator,
            task1,
            services.ActivityInput(
                "Колледждегі тренинг",
                date(2023, 11, 10),
                date(2023, 11, 11),
                "Талдықорған",
                "студент білім алды.",
                "Тренинг өтті.",
                "Жақсы",
                counts=TRAINING,
            ),
        )
        services.save_indicator(
            coordinator, training, services.IndicatorInput("Посттар", 10, True, 12)
        )
        task2 = services.add_task(coordinator, project, "Шағын гранттар")
        attached = services.attach_competition(coordinator, task2, competition, "")
        services.save_activity(
            coordinator,
            task2,
            services.ActivityInput(
                attached.title,
                participants_note="өтінім берушілер үйренді.",
                counts=APPLICANTS,
            ),
            attached,
        )
        block = services.add_task(coordinator, project, "Ақпараттық жұмыс", TaskKind.CONTRACTUAL)
        reach = services.save_activity(
            coordinator,
            block,
            services.ActivityInput("БАҚ", counted=False, counts={"total": 5000}),
        )
        services.save_effects(
            coordinator,
            project,
            {
                EffectKey.DIRECT: (20, 32, ""),
                EffectKey.INDIRECT: (4000, 5000, ""),
                EffectKey.PAYROLL: (2_000_000, 2_000_000, ""),
                EffectKey.PARTNERS: (1, None, ""),
            },
        )
        services.save_list_row(
            coordinator, project, "partners", {"name": "Жастар орталығы", "role": "Қолдау"}
        )
        db.session.commit()
        return ReportCase(
            project.id,
            case.competition_id,
            case.grant_ids,
            training.id,
            attached.id,
            reach.id,
            coordinator.id,
        )


# --- the factories, bound to an app --------------------------------------------------------


class Factories:
    """Every factory above bound to one app: per test (the fixtures below) or for a world
    several tests share (`world_app`)."""

    def __init__(self, app):
        self.app = app
        self.user = user_factory(app)
        self.competition = competition_factory(app, self.user)
        self.profile = profile_factory(app)
        self.application = application_factory(app)
        self.commission_case = commission_case_factory(
            app, self.user, self.competition, self.profile, self.application
        )
        self.grant_case = grant_case_factory(app, self.commission_case)

    def report_case(self, n: int = 2) -> ReportCase:
        return build_report_case(self.app, self.grant_case, n)


@pytest.fixture(scope="session")
def world_app(databases, smtp_server, tmp_path_factory):
    """`world_app(name, build)` → (app, world): an app on a database of its own holding what
    `build(Factories(app))` made and committed, built once per worker. Tests on it isolate
    themselves with `isolated(app, request)`, so each one's changes are rolled back."""
    made: dict[str, tuple] = {}

    def get(name: str, build):
        if name not in made:
            app = new_app(
                databases.url(f"world_{name}"),
                smtp_server.port,
                tmp_path_factory.mktemp(f"uploads-{name}"),
            )
            made[name] = (app, build(Factories(app)))
        return made[name]

    yield get
    for app, _world in made.values():
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def matrix_world(world_app):
    """(app, World) of the authorization matrix (`tests/test_authorization.build_world`),
    shared by the matrix and the fuzz tests."""
    from tests.test_authorization import build_world

    return world_app("authorization", build_world)


@pytest.fixture
def matrix_app(request, matrix_world):
    """The matrix world's app, this test in a transaction rolled back afterwards."""
    app, _world = matrix_world
    with isolated(app, request):
        yield app


@pytest.fixture
def factories(app) -> Factories:
    return Factories(app)


@pytest.fixture
def create_user(factories):
    return factories.user


@pytest.fixture
def create_competition(factories):
    return factories.competition


@pytest.fixture
def create_profile(factories):
    return factories.profile


@pytest.fixture
def create_application(factories):
    return factories.application


@pytest.fixture
def create_commission_case(factories):
    return factories.commission_case


@pytest.fixture
def create_grant_case(factories):
    return factories.grant_case


@pytest.fixture
def report_case(factories) -> ReportCase:
    return factories.report_case()
