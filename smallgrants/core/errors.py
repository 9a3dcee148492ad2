"""Translated error pages; a 500 rolls the transaction back."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from smallgrants.extensions import db

ERROR_TEXTS = {
    400: (
        _l("Bad request"),
        _l("The request could not be understood. Please go back and try again."),
    ),
    401: (
        _l("Authentication required"),
        _l("Send a valid personal access token: Authorization: Bearer sg_…"),
    ),
    403: (_l("Access denied"), _l("You do not have permission to open this page.")),
    404: (
        _l("Page not found"),
        _l("There is no page at this address. Check the link or start from the home page."),
    ),
    405: (_l("Method not allowed"), _l("This page cannot be used this way.")),
    413: (
        _l("File too large"),
        _l("The upload is larger than allowed. Please choose a smaller file."),
    ),
    429: (
        _l("Too many attempts"),
        _l("Too many attempts in a short time. Please wait a few minutes and try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l(
            "An internal error occurred and nothing was saved. "
            "Please try again; if it happens again, tell the coordinator."
        ),
    ),
}

CSRF_TEXT = _l("The form has expired. Please reload the page and submit it again.")


API_PREFIX = "/api/"
PROBLEM = "application/problem+json"


def problem(code: int, detail=None, errors: list[dict] | None = None, headers=None):
    """An API error as RFC 9457 problem details, translated like the pages."""
    title, message = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    body = {"type": "about:blank", "title": str(title), "status": code}
    body["detail"] = str(detail or message)
    if errors is not None:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = code
    response.mimetype = PROBLEM
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def render_error(code: int, detail=None, headers=None):
    """The error page, or under /api/ the problem document."""
    if request.path.startswith(API_PREFIX):
        return problem(code, detail, headers=headers)
    title, message = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    return render_template(
        "errors/error.html", code=code, title=title, message=detail or message
    ), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(400, CSRF_TEXT)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        if code not in ERROR_TEXTS:
            return error
        headers = dict(error.get_headers())
        kept = {
            k: v for k, v in headers.items() if k in ("Retry-After", "WWW-Authenticate", "Allow")
        }
        return render_error(code, headers=kept)

    @app.errorhandler(InternalServerError)
    def internal_error(error: InternalServerError):
        db.session.rollback()
        return render_error(500)
