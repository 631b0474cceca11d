"""Samverka: an interagency cooperation-agreement tracker. `create_app` wires the application together."""
import sqlite3
from pathlib import Path

from flask import Flask, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.pool import ConnectionPoolEntry
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from tracker import (
    bodies,
    changes,
    config,
    cookieless,
    errors,
    health,
    i18n,
    jobs,
    pagecache,
    requestlog,
    security,
    static_files,
    templating,
)
from tracker.accounts import sessions
from tracker.accounts.models import SessionEnd, User
from tracker.api import auth as api_auth
from tracker.clock import utcnow
from tracker.extensions import babel, csrf, db, limiter, login_manager, migrate

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"

# Everything else needs a signed-in user (deny by default).
PUBLIC_ENDPOINTS = {"auth.login", "auth.forgot_password", "auth.reset_requested", "auth.reset_password",
                    "auth.accept_invitation", "static", "favicon", "i18n.set_language",
                    # The secret token in a calendar feed's address is its key: calendar apps cannot sign in.
                    "calendar_feeds.personal", "calendar_feeds.agreement",
                    # The API's documentation holds no data, and every problem an integrator gets links to it.
                    "api_pages.documentation",
                    # A load balancer's health checks: they say whether this process, its database and Redis answer.
                    "health.healthz", "health.readyz"}
# These sign in by a personal API key (tracker/api/auth.py), never by the session cookie.
TOKEN_BLUEPRINTS = {"api"}
# A user with a temporary password may do only these until it is changed.
PASSWORD_CHANGE_ENDPOINTS = {"auth.change_password", "auth.logout", "static", "favicon", "i18n.set_language"}


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    config.load(app, overrides)
    requestlog.init_app(app)  # first: its timing starts before every other before_request function
    cookieless.init_app(app)
    db.init_app(app)
    import tracker.models  # noqa: F401  (the whole schema, for Alembic)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    api_auth.init_app(app)  # before the limiter, which counts per API key
    limiter.init_app(app)
    bodies.init_app(app)
    if app.config["TRUSTED_PROXIES"]:
        # Flask's documented way to add middleware; its stubs type wsgi_app as a method only.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=int(app.config["TRUSTED_PROXIES"]), x_proto=1)
    babel.init_app(app, locale_selector=i18n.select_locale)
    _init_login(app)
    _register_audit_names()
    _register_blueprints(app)
    _register_favicon(app)
    static_files.init_app(app)
    _register_cli(app)
    jobs.init_app(app)
    pagecache.init_app(app)
    changes.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    return app


@event.listens_for(Engine, "connect")
def _sqlite_connection(dbapi_connection: DBAPIConnection, connection_record: ConnectionPoolEntry) -> None:
    # SQLite ignores foreign keys unless asked, per connection, and its lower() folds only A-Z: Å, Ä, Ö and É
    # must compare as PostgreSQL compares them (unique names, search with ilike, ordering).
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)


def _unicode_lower(value: str | bytes | int | float | None) -> str | bytes | int | float | None:
    return value.lower() if isinstance(value, str) else value


def _init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = i18n.lazy("Please sign in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(_load_session_user)

    @app.before_request
    def require_login() -> Response | None:
        endpoint = request.endpoint
        if endpoint is None or endpoint in PUBLIC_ENDPOINTS or request.blueprint in TOKEN_BLUEPRINTS:
            return None
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if current_user.must_change_password and endpoint not in PASSWORD_CHANGE_ENDPOINTS:
            return redirect(url_for("auth.change_password"))
        return None


def _load_session_user(token: str) -> User | None:
    """The user whose live session the cookie's token opens; an idle one ends here (judged on the server)."""
    user_session, now = sessions.session_by_token(token), utcnow()
    if user_session is None:
        return None
    if user_session.last_seen_at < sessions.idle_cutoff(now):
        sessions.end_session(user_session, SessionEnd.IDLE, now=now)
        db.session.commit()
        return None
    if sessions.note_seen(user_session, now=now):
        db.session.commit()  # the first thing a request does: nothing else is pending
    user = user_session.user
    user.current_session = user_session
    return user


def _register_audit_names() -> None:
    """Each feature tells the audit trail how to name its objects, fields and values (the order is the audit log's
    list of kinds)."""
    from tracker.accounts import audit_names as _accounts  # noqa: F401
    from tracker.actions import audit_names as _actions  # noqa: F401
    from tracker.agreements import audit_names as _agreements  # noqa: F401
    from tracker.api import audit_names as _api  # noqa: F401
    from tracker.mail import audit_names as _mail  # noqa: F401
    from tracker.organisations import audit_names as _organisations  # noqa: F401
    from tracker.reminders import audit_names as _reminders  # noqa: F401
    from tracker.reports import audit_names as _reports  # noqa: F401
    from tracker.sheets import audit_names as _sheets  # noqa: F401
    from tracker.steering import audit_names as _steering  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    from tracker.accounts import invitation_views as invitations
    from tracker.accounts import organisation_views  # noqa: F401  (adds its page to the organisations blueprint)
    from tracker.accounts import views as accounts
    from tracker.actions import account_pages as _actions_on_accounts  # noqa: F401  (open actions of a person)
    from tracker.actions import agreement_pages as _actions_on_agreements  # noqa: F401  (panels and a page)
    from tracker.actions import request_views as _requests  # noqa: F401  (pages of the actions blueprint)
    from tracker.actions import views as actions
    from tracker.agreements import views as agreements
    from tracker.api import pages as api_pages
    from tracker.api import views as api
    from tracker.api import writes as _api_writes  # noqa: F401  (endpoints of the api blueprint)
    from tracker.audit import views as audit
    from tracker.auth import link_views as _auth_links  # noqa: F401  (pages of the auth blueprint)
    from tracker.auth import views as auth
    from tracker.calendars import account_pages as _calendars_on_accounts  # noqa: F401  (a section and a route)
    from tracker.calendars import feed_views as calendar_feeds
    from tracker.calendars import views as calendars
    from tracker.dashboard import views as dashboard
    from tracker.mail import views as mail
    from tracker.organisations import views as organisations
    from tracker.reminders import notices as _notices  # noqa: F401  (listens to actions' events)
    from tracker.reminders import views as reminders
    from tracker.reports import agreement_pages as _reports_on_agreements  # noqa: F401  (a panel)
    from tracker.reports import attachments as _report_attachments  # noqa: F401  (reports attached to e-mail)
    from tracker.reports import views as reports
    from tracker.sheets import views as sheets
    from tracker.steering import action_pages as _steering_on_actions  # noqa: F401  (decisions on an action)
    from tracker.steering import views as steering

    app.register_blueprint(health.bp)
    app.register_blueprint(i18n.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(organisations.bp, url_prefix="/admin/organisations")
    app.register_blueprint(accounts.bp, url_prefix="/admin/users")
    app.register_blueprint(invitations.bp, url_prefix="/invite")
    app.register_blueprint(agreements.bp, url_prefix="/agreements")
    app.register_blueprint(actions.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(sheets.bp)
    app.register_blueprint(steering.bp)
    app.register_blueprint(audit.bp, url_prefix="/admin/audit")
    app.register_blueprint(mail.bp, url_prefix="/admin/outbox")
    app.register_blueprint(reminders.bp)
    app.register_blueprint(calendars.bp)
    app.register_blueprint(calendar_feeds.bp)
    app.register_blueprint(api.bp, url_prefix=api.PREFIX)
    app.register_blueprint(api_pages.bp)


def _register_favicon(app: Flask) -> None:
    """Browsers ask for /favicon.ico whether or not a page links an icon: answer with the icon, not a 404."""
    app.add_url_rule("/favicon.ico", "favicon", lambda: app.send_static_file("favicon.ico"))


def _register_cli(app: Flask) -> None:
    from tracker.accounts.cli import create_admin
    from tracker.backups.cli import backup, restore
    from tracker.demo.cli import seed_demo
    from tracker.demo.scale_cli import seed_scale_command
    from tracker.mail.cli import mail
    from tracker.reminders.cli import reminders
    from tracker.reports.cli import reports

    app.cli.add_command(create_admin)
    app.cli.add_command(seed_demo)
    app.cli.add_command(seed_scale_command)
    app.cli.add_command(reports)
    app.cli.add_command(backup)
    app.cli.add_command(restore)
    app.cli.add_command(mail)
    app.cli.add_command(reminders)
