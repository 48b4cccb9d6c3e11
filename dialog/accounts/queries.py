"""Reads of users and roles."""

from __future__ import annotations

import functools
import hmac

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, bindparam, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from dialog.accounts.models import User, UserRole
from dialog.core.pagination import paginate
from dialog.extensions import db


def normalize_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    """Return the user with this email (case-insensitive), or None."""
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def user_by_id(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def users_page(search: str, page: int, per_page: int = 25) -> Pagination:
    """Return one page of users, newest first, matching the search in name or email."""
    query = select(User).options(selectinload(User.roles)).order_by(User.id.desc())
    if search:
        pattern = f"%{search.strip().lower()}%"
        query = query.where(
            or_(func.lower(User.email).like(pattern), func.lower(User.display_name).like(pattern))
        )
    return paginate(query, page, per_page)


def count_active_with_role(role: str) -> int:
    """Count active users that hold the role."""
    query = (
        select(func.count())
        .select_from(UserRole)
        .join(User)
        .where(UserRole.role == role, User.active.is_(True))
    )
    return db.session.scalar(query) or 0


# Built once: it runs on every request of a logged-in user, and making the statement and its
# loader options costs more than running it.
@functools.cache
def _session_user_query() -> Select[User]:
    return select(User).options(joinedload(User.roles)).where(User.id == bindparam("id"))


def user_for_session(session_id: str) -> User | None:
    """Return the active user a login cookie names, if its session token is still current."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = (
        db.session.execute(_session_user_query(), {"id": int(user_id)})
        .unique()
        .scalar_one_or_none()
    )
    if user is None or not user.active or not hmac.compare_digest(user.session_token, token):
        return None
    return user
