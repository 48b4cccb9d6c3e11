"""Reads of users and roles."""

from __future__ import annotations

import functools
import hmac
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, func, or_, select

from dialog.accounts.models import Role, SessionUser, User, UserRole
from dialog.core.pagination import FrozenPage, paginate
from dialog.extensions import db


def normalize_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    """Return the user with this email (case-insensitive), or None."""
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def user_by_id(user_id: int) -> User | None:
    return db.session.get(User, user_id)


@dataclass(frozen=True, slots=True)
class UserRow:
    """A user as the administrators' list shows them."""

    id: int
    email: str
    display_name: str
    active: bool
    role_names: frozenset[Role]


# Built once (see _session_user_query below); a search narrows it.
@functools.cache
def _users_query() -> Select[Any]:
    roles = (
        select(func.aggregate_strings(UserRole.role, " "))
        .where(UserRole.user_id == User.id)
        .scalar_subquery()
    )
    return select(User.id, User.email, User.display_name, User.active, roles).order_by(
        User.id.desc()
    )


def users_page(search: str, page: int, per_page: int = 25) -> FrozenPage[UserRow]:
    """Return one page of users, newest first, matching the search in name or email: the
    columns the list shows and the roles, not whole users (one query, the count kept)."""
    query = _users_query()
    if search:
        pattern = f"%{search.strip().lower()}%"
        query = query.where(
            or_(func.lower(User.email).like(pattern), func.lower(User.display_name).like(pattern))
        )
    result = paginate(query, page, per_page, rows=True)
    rows = (
        UserRow(id_, email, name, active, frozenset(map(Role, (held or "").split())))
        for id_, email, name, active, held in result.items
    )
    return FrozenPage.of(result, rows)


def count_active_with_role(role: str) -> int:
    """Count active users that hold the role."""
    query = (
        select(func.count())
        .select_from(UserRole)
        .join(User)
        .where(UserRole.role == role, User.active.is_(True))
    )
    return db.session.scalar(query) or 0


# Built once: it runs on every request of a logged-in user, and making the statement costs
# more than running it. Core columns, not the ORM entity: a request needs these few values,
# not a User in the session with its roles (which costs several times the query itself).
@functools.cache
def _session_user_query() -> Select[Any]:
    users, roles = User.__table__.c, UserRole.__table__.c
    return (
        select(
            users.id,
            users.email,
            users.display_name,
            users.locale,
            users.active,
            users.session_token,
            users.totp_secret.is_not(None),
            roles.role,
        )
        .select_from(User.__table__.outerjoin(UserRole.__table__))
        .where(users.id == bindparam("id"))
    )


def user_for_session(session_id: str) -> SessionUser | None:
    """Return the active user a login cookie names, if its session token is still current
    (one query)."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    rows = db.session.connection().execute(_session_user_query(), {"id": int(user_id)}).all()
    if not rows:
        return None
    id_, email, name, locale, active, session_token, mfa, _role = rows[0]
    if not active or not hmac.compare_digest(session_token, token):
        return None
    roles = frozenset(Role(row[7]) for row in rows if row[7] is not None)
    return SessionUser(id_, email, name, locale, session_token, bool(mfa), roles)
