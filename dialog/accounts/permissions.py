"""Who may do what: named predicates for views and templates, and the view decorator."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user
from sqlalchemy.orm import joinedload

from dialog.accounts.models import STAFF_ROLES, Role, User
from dialog.core.i18n import _
from dialog.extensions import db

logger = logging.getLogger("dialog.audit")

F = TypeVar("F", bound=Callable[..., Any])

MFA_SESSION_KEY = "mfa"


def current_actor() -> User:
    """The logged-in user as the model object services record as the actor.

    Requests carry a ``SessionUser`` (a few columns); the ``User`` is loaded here, by its
    primary key, only by the views that need it (once a request: the session keeps it).
    """
    user = current_user._get_current_object()
    if isinstance(user, User):  # the request that logged in
        return user
    found = db.session.get(User, user.id, options=[joinedload(User.roles)])
    if found is None:  # removed since the request began
        abort(403)
    return found


def has_role(user: Any, role: Role) -> bool:
    """Tell whether a logged-in, active user holds the role."""
    return bool(getattr(user, "is_authenticated", False)) and role in user.role_names


def is_staff(user: Any) -> bool:
    """Tell whether the user holds any staff role."""
    return bool(getattr(user, "is_authenticated", False)) and bool(user.role_names & STAFF_ROLES)


def can_manage_users(user: Any) -> bool:
    """Only administrators list users and grant or revoke roles."""
    return has_role(user, Role.ADMIN)


def needs_second_factor(user: User) -> bool:
    """Staff log in with a second factor unless the installation turned it off."""
    return bool(current_app.config["STAFF_MFA"]) and bool(user.role_names & STAFF_ROLES)


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Let the view run only for a logged-in user holding one of the roles.

    Anonymous users are sent to the login page; users without the role get 403;
    staff who logged in without their second factor log in again with it.
    """

    def decorator(view: F) -> F:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
            if not any(role in current_user.role_names for role in roles):
                logger.info(
                    "permission_refused",
                    extra={
                        "event": "permission_refused",
                        "actor_id": current_user.id,
                        "path": request.path,
                    },
                )
                abort(403)
            if needs_second_factor(current_user) and not session.get(MFA_SESSION_KEY):
                logout_user()
                session.clear()
                flash(_("This page needs a login with two-factor authentication."), "info")
                return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def login_required(view: F) -> F:
    """Let the view run only for a logged-in user."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]
