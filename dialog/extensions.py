"""Flask extensions: created here, bound to the app in the factory."""

from functools import partial
from typing import TYPE_CHECKING, Any

from flask import Flask
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints so Alembic can drop and alter them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

# Flask-SQLAlchemy makes db.Model at run time; type checkers see the declarative base.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()


class ThrottleStorage(Limiter):
    """Flask-Limiter as the counter store of the throttles (``dialog.core.throttle``) only.

    No route declares a Flask-Limiter limit: the views check their throttles themselves, so
    that a refused form is shown again filled in. The extension's request hooks found nothing
    to check while costing about a twentieth of a page's time on every request, so they are
    taken out again; ``limiter``, ``reset()`` and the configuration work as before.
    """

    def init_app(self, app: Flask) -> None:
        super().init_app(app)
        hooks: list[tuple[dict[Any, list[Any]], object]] = [
            (app.before_request_funcs, self._check_request_limit),
            (app.after_request_funcs, getattr(self, "_Limiter__inject_headers", None)),
            (app.teardown_request_funcs, getattr(self, "_Limiter__release_context", None)),
        ]
        for registry, hook in hooks:
            registry[None] = [func for func in registry[None] if not _same_hook(func, hook)]


def _same_hook(func: object, hook: object) -> bool:
    if isinstance(func, partial):  # the after_request hook is partial(method, limiter)
        return bool(func.args) and getattr(hook, "__func__", None) is func.func
    return func == hook


limiter = ThrottleStorage(key_func=get_remote_address, default_limits=[])
