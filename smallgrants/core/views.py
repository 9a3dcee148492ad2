"""Home page and health check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template
from sqlalchemy import text

from smallgrants.extensions import csrf, db, limiter

bp = Blueprint("core", __name__)


@bp.get("/")
def index():
    return render_template("core/index.html")


@bp.get("/healthz")
@csrf.exempt
@limiter.exempt
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # report, never raise: this is what operators poll
        current_app.logger.error("health check: database unavailable: %s", exc)
        return jsonify(status="error", database="unavailable"), 503
    storage = current_app.config["RATELIMIT_STORAGE_URI"].split("://", 1)[0]
    return jsonify(
        status="ok",
        database="ok",
        dialect=db.engine.dialect.name,
        # memory: each worker process counts sign-in attempts on its own
        rate_limits="per-process" if storage == "memory" else "shared",
    )
