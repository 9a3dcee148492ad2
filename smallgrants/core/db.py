"""One commit per request, in one place; e-mail goes out only after it succeeded."""

from __future__ import annotations

import logging

from flask import Flask, Response, g
from sqlalchemy import event
from sqlalchemy.engine import Engine

from smallgrants.core.outbox import deliver
from smallgrants.extensions import db

log = logging.getLogger(__name__)


@event.listens_for(Engine, "connect")
def _sqlite_connection_setup(dbapi_connection, connection_record):
    """SQLite: enforce foreign keys, and make lower() fold Kazakh and Russian letters too."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    dbapi_connection.create_function(
        "lower", 1, lambda s: s.lower() if isinstance(s, str) else s, deterministic=True
    )
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def abandon() -> None:
    """Roll this request back even though it answers with a page, not an error status:
    for a view that shows a service's refusal after that service had already flushed."""
    g.abandon_transaction = True


def init_app(app: Flask) -> None:

    @app.after_request
    def commit_request(response: Response) -> Response:
        """Commit when the request succeeded (status < 400), else roll back.

        A failing commit raises here, so the client gets the 500 page, not a false success.
        """
        if response.status_code >= 400 or g.pop("abandon_transaction", False):
            db.session.rollback()
            return response
        db.session.commit()
        outbox_ids = g.pop("outbox_ids", None)
        if outbox_ids and app.config["MAIL_SEND_ON_COMMIT"]:
            try:
                deliver(outbox_ids)
            except Exception:  # the message stays queued; `flask outbox send` retries
                log.exception("sending e-mail after commit failed")
                db.session.rollback()
        return response
