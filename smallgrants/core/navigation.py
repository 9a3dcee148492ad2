"""The navigation bar, rendered once per language, rights and name and kept per worker.

The bar at the top of every page is the same for everyone who reads the same language, may
do the same things (the policy predicates it asks, evaluated for each request as before)
and is called the same; only the form token and the page to come back to after a change of
language differ, and they are put in at each request. Rendering it for every request cost
every page about a millisecond of gettext and url_for calls.
"""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user
from markupsafe import Markup, escape

from smallgrants.core.fragments import CSRF_MARK, Fragments, with_form_token
from smallgrants.core.i18n import current_locale

# what the bar asks of the policies (`can.<name>()` in templates)
RIGHTS = (
    "work_on_commission",
    "manage_competitions",
    "manage_reports",
    "watch_mail",
    "manage_users",
    "view_audit_log",
    "read_programmes",
    "manage_organisations",
)
# NUL never reaches a page from input (core/converters.py strips it), so neither can this
NEXT_MARK = "\x00next\x00"
SIZE = 512


def init_app(app) -> None:
    app.extensions["navigation"] = Fragments(SIZE)  # the same bounded store as the lists
    app.add_template_global(navigation)


def navigation() -> Markup:
    can = current_app.jinja_env.globals["can"]
    rights = tuple(bool(getattr(can, name)()) for name in RIGHTS)
    signed_in = bool(current_user.is_authenticated)
    name = current_user.display_name if signed_in else ""
    key = (current_locale(), request.script_root, signed_in, name, rights)
    bars: Fragments = current_app.extensions["navigation"]
    html = bars.get(key)
    if html is None:
        html = render_template(
            "_navigation.html",
            rights=dict(zip(RIGHTS, rights, strict=True)),
            signed_in=signed_in,
            display_name=name,
            csrf_value=CSRF_MARK,
            next_value=NEXT_MARK,
        )
        bars.put(key, html)
    back = request.full_path if request.query_string else request.path
    return with_form_token(html.replace(NEXT_MARK, str(escape(back))))
