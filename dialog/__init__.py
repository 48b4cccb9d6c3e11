"""Dialog: citizen dialogue and feedback for Swedish municipalities."""

from __future__ import annotations

from typing import Any

from flask import Flask


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application; config overrides the settings read from the environment."""
    from dialog import config as settings
    from dialog.accounts.cli import users_cli
    from dialog.accounts.queries import user_for_session
    from dialog.accounts.views import bp as accounts_bp
    from dialog.api.views import bp as api_bp
    from dialog.api.views import contributions as _api_contributions  # noqa: F401 - adds routes
    from dialog.api.views import dialogues as _api_dialogues  # noqa: F401 - adds routes to api_bp
    from dialog.api.views import trace as _api_trace  # noqa: F401 - adds routes to api_bp
    from dialog.contributions.views import bp as contributions_bp
    from dialog.core.cache import init_page_cache
    from dialog.core.cli import mail_cli
    from dialog.core.database import init_database
    from dialog.core.errors import register_error_handlers
    from dialog.core.favicon import init_favicon
    from dialog.core.i18n import select_locale
    from dialog.core.logs import init_logging
    from dialog.core.routing import init_routing
    from dialog.core.security import init_security_headers, init_signing
    from dialog.core.templating import SiteEnvironment, init_templating
    from dialog.core.urls import init_urls
    from dialog.demo.cli import demo_cli
    from dialog.dialogues.views import bp as dialogues_bp
    from dialog.extensions import babel, csrf, db, limiter, login_manager, migrate
    from dialog.goals.views import bp as goals_bp
    from dialog.moderation.reasons import parse_reasons
    from dialog.moderation.views import bp as moderation_bp
    from dialog.outbox.views import bp as outbox_bp
    from dialog.pages.views import bp as pages_bp
    from dialog.records.cli import retention_cli
    from dialog.records.views import bp as records_bp
    from dialog.review.views import bp as review_bp
    from dialog.staff.views import bp as staff_bp
    from dialog.trace.cli import trace_cli
    from dialog.trace.views import bp as trace_bp

    root = settings.INSTANCE_DIR.parent
    app = Flask(
        __name__,
        template_folder=str(root / "templates"),
        static_folder=str(root / "static"),
        instance_path=str(settings.INSTANCE_DIR),
    )
    app.jinja_environment = SiteEnvironment  # before anything makes app.jinja_env
    app.config.update(config if config is not None else settings.from_environment())

    try:
        parse_reasons(app.config["MODERATION_REASONS"])
    except ValueError as error:
        raise ValueError(f"DIALOG_MODERATION_REASONS: {error}") from error
    init_logging(app)
    init_urls(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(root / "migrations"))
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(user_for_session)
    login_manager.login_view = "accounts.login"
    login_manager.session_protection = None

    init_database(app)
    init_routing(app)
    init_security_headers(app)
    init_signing(app)
    init_templating(app)
    init_favicon(app)
    init_page_cache(app)
    register_error_handlers(app)

    app.register_blueprint(pages_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(goals_bp)
    app.register_blueprint(dialogues_bp)
    app.register_blueprint(contributions_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(outbox_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(records_bp)
    app.register_blueprint(trace_bp)
    app.register_blueprint(review_bp)
    for group in (mail_cli, users_cli, demo_cli, retention_cli, trace_cli):
        app.cli.add_command(group)
    return app
