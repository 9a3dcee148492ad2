"""One commit per request, in one place (a refusal rolls it back: `ServiceError`); e-mail goes
out only after it succeeded, once the response is sent."""

from __future__ import annotations

import logging

from flask import Flask, Response, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from smallgrants.core.collation import register_sqlite
from smallgrants.core.outbox import deliver
from smallgrants.extensions import db

log = logging.getLogger(__name__)


SQLITE_BUSY_TIMEOUT_MS = 15_000  # a writer waits this long for the one before it
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


@event.listens_for(Engine, "connect")
def _sqlite_connection_setup(dbapi_connection, connection_record):
    """SQLite: enforce foreign keys, make lower() fold Kazakh and Russian letters too, sort
    by the Kazakh and Russian alphabets (`core.collation`), wait
    for a busy database instead of failing, let readers run beside the writer (WAL), and
    leave BEGIN to SQLAlchemy (below): pysqlite's own transaction handling would begin late
    and as DEFERRED."""
    if not _is_sqlite(dbapi_connection):
        return
    dbapi_connection.isolation_level = None
    dbapi_connection.create_function(
        "lower", 1, lambda s: s.lower() if isinstance(s, str) else s, deterministic=True
    )
    register_sqlite(dbapi_connection)  # the alphabets' collations, as on PostgreSQL
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _read_only_request() -> bool:
    return has_request_context() and request.method in READ_ONLY_METHODS


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn) -> None:
    """SQLite: every transaction that may write begins with BEGIN IMMEDIATE, which takes the
    database's one write lock first, so each check-then-write (pool and count, registration
    numbers, payments, outbox claims) runs alone, as under row locks on PostgreSQL
    (SQLAlchemy's documented pysqlite recipe). Page loads (GET, HEAD) only read: they begin
    DEFERRED and never wait for a writer."""
    if conn.dialect.name != "sqlite":
        return
    conn.exec_driver_sql("BEGIN DEFERRED" if _read_only_request() else "BEGIN IMMEDIATE")


def _deliver_later(app: Flask, ids: list[int]):
    def send() -> None:
        with app.app_context():
            try:
                deliver(ids)
            except Exception:  # the messages stay queued; `flask outbox send` retries
                log.exception("sending e-mail after the response failed")
                db.session.rollback()

    return send


def init_app(app: Flask) -> None:

    @app.after_request
    def commit_request(response: Response) -> Response:
        """Commit when the request succeeded (status < 400), else roll back.

        A failing commit raises here, so the client gets the 500 page, not a false success.
        """
        # a ServiceError raised in this request (a refusal) marks it to be rolled back,
        # even when the view answers with a page that shows the refusal
        if response.status_code >= 400 or g.pop("abandon_transaction", False):
            db.session.rollback()
            return response
        db.session.commit()
        outbox_ids = g.pop("outbox_ids", None)
        if outbox_ids and app.config["MAIL_SEND_ON_COMMIT"]:
            # after the response has gone out: the person never waits for SMTP
            response.call_on_close(_deliver_later(app, outbox_ids))
        return response
