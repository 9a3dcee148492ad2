"""smallgrants: small-grants competitions end to end."""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, errors, CLI. The
    garbage collector waits meanwhile: importing the models, forms and views makes many
    objects and few cycles, and its passes were ~0.15 s of a command's 1.1 s start."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _create_app(test_config)
    finally:
        if collecting:
            gc.enable()


def _create_app(test_config: dict[str, Any] | None) -> Flask:
    from config import TestingConfig, config_from_env

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=str(ROOT / "instance"),
    )
    config_class = TestingConfig if test_config is not None else config_from_env()
    config_class.validate()
    app.config.from_object(config_class)
    if test_config:
        app.config.update(test_config)
    app.config["MAIL_SUPPRESS_SEND"] = False  # the outbox decides; MAIL_BACKEND=console prints
    from smallgrants.core.security import TrustedProxies

    app.wsgi_app = TrustedProxies(app)  # behind a reverse proxy: the client's own address
    os.makedirs(app.instance_path, exist_ok=True)
    if app.config.get("UPLOAD_DIR"):
        os.makedirs(app.config["UPLOAD_DIR"], exist_ok=True)

    import smallgrants.models  # noqa: F401 - every table on the metadata
    from smallgrants.core import converters

    converters.init_app(app)
    _init_extensions(app)
    _register_blueprints(app)

    from smallgrants import cli
    from smallgrants.core import db as core_db
    from smallgrants.core import errors, fragments, navigation, security
    from smallgrants.core.i18n import register_template_helpers
    from smallgrants.core.phone import format_phone

    core_db.init_app(app)
    fragments.init_app(app)
    navigation.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    register_template_helpers(app)
    _register_policies(app)
    app.add_template_filter(format_phone, "phone")
    cli.init_app(app)
    if app.config["GC_FREEZE"]:
        gc.collect()
        gc.freeze()  # what lives as long as the app is never scanned again (see config.py)
    return app


def _register_policies(app: Flask) -> None:
    """`can.<predicate>(obj)` in every template (`core.access.Can`)."""
    from smallgrants.applications import policies as applications_policies
    from smallgrants.auth import policies as auth_policies
    from smallgrants.commission import policies as commission_policies
    from smallgrants.competitions import policies as competitions_policies
    from smallgrants.core.access import Can
    from smallgrants.grants import policies as grants_policies
    from smallgrants.mail import policies as mail_policies
    from smallgrants.organisations import policies as organisations_policies
    from smallgrants.reporting import policies as reporting_policies

    app.jinja_env.globals["can"] = Can(
        auth_policies,
        competitions_policies,
        applications_policies,
        commission_policies,
        grants_policies,
        reporting_policies,
        mail_policies,
        organisations_policies,
    )


def _init_extensions(app: Flask) -> None:
    from smallgrants.auth.session import init_login
    from smallgrants.core.i18n import select_locale, select_timezone
    from smallgrants.extensions import babel, csrf, db, limiter, login_manager, mail, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    init_login(app)
    csrf.init_app(app)
    mail.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    limiter.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from smallgrants.admin.views import bp as admin_bp
    from smallgrants.api.views import bp as api_bp
    from smallgrants.applications.views import bp as applications_bp
    from smallgrants.auth.views import bp as auth_bp
    from smallgrants.commission.views import bp as commission_bp
    from smallgrants.competitions.views import bp as competitions_bp
    from smallgrants.core.views import bp as core_bp
    from smallgrants.grants.views import bp as grants_bp
    from smallgrants.mail.views import bp as mail_bp
    from smallgrants.organisations.views import bp as organisations_bp
    from smallgrants.programmes.views import bp as programmes_bp
    from smallgrants.reporting.views import bp as reporting_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(mail_bp)
    app.register_blueprint(organisations_bp)
    app.register_blueprint(competitions_bp)
    app.register_blueprint(applications_bp)
    app.register_blueprint(commission_bp)
    app.register_blueprint(grants_bp)
    app.register_blueprint(reporting_bp)
    app.register_blueprint(programmes_bp)
    app.register_blueprint(api_bp)
