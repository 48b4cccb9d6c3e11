"""Users, their roles, second factors and password reset tokens."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dialog.core.i18n import _l
from dialog.core.models import MAX_EMAIL_LENGTH, UTCDateTime, utcnow
from dialog.extensions import Model

MAX_DISPLAY_NAME_LENGTH = 100


class Role(enum.StrEnum):
    RESIDENT = "resident"
    FACILITATOR = "facilitator"
    EDITOR = "editor"
    POLITICIAN = "politician"
    ADMIN = "admin"


STAFF_ROLES = frozenset({Role.FACILITATOR, Role.EDITOR, Role.POLITICIAN, Role.ADMIN})

ROLE_LABELS = {
    Role.RESIDENT: _l("Resident"),
    Role.FACILITATOR: _l("Facilitator"),
    Role.EDITOR: _l("Web editor"),
    Role.POLITICIAN: _l("Politician"),
    Role.ADMIN: _l("Administrator"),
}


def role_label(role: Role | str) -> str:
    """The role's name in the reader's language."""
    return str(ROLE_LABELS[Role(role)])


def role_labels() -> dict[Role, str]:
    """Every role's name in the reader's language."""
    return {role: str(label) for role, label in ROLE_LABELS.items()}


class User(Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(MAX_EMAIL_LENGTH), unique=True)
    display_name: Mapped[str] = mapped_column(String(MAX_DISPLAY_NAME_LENGTH))
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str] = mapped_column(String(5), default="sv")
    active: Mapped[bool] = mapped_column(default=True)
    # Part of the login cookie; replacing it ends every session of the user.
    session_token: Mapped[str] = mapped_column(String(64))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_counter: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"

    # Flask-Login's interface.
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def role_names(self) -> frozenset[Role]:
        return frozenset(Role(link.role) for link in self.roles)

    @property
    def mfa_enrolled(self) -> bool:
        return self.totp_secret is not None


@dataclass(frozen=True, slots=True)
class SessionUser:
    """The logged-in user as every request sees it: what the layout, the permissions and the
    language choice read, loaded in one query of a few columns (``user_for_session``).

    Not an ORM object: a service that records who acted gets the ``User`` from
    ``accounts.permissions.current_actor``, loaded only then.
    """

    id: int
    email: str
    display_name: str
    locale: str
    session_token: str
    mfa_enrolled: bool
    role_names: frozenset[Role]

    def __repr__(self) -> str:
        return f"<SessionUser {self.id}>"

    # Flask-Login's interface; only active users are ever loaded as one.
    is_active = True
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"


class UserRole(Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True, index=True)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="roles")

    def __repr__(self) -> str:
        return f"<UserRole {self.user_id} {self.role}>"


class RecoveryCode(Model):
    """A one-time code that stands in for the authenticator app; only its hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<RecoveryCode {self.id} user={self.user_id}>"


class PasswordResetToken(Model):
    """A single-use, expiring password reset; only the token's hash is kept."""

    __tablename__ = "password_reset_tokens"
    __table_args__ = (UniqueConstraint("token_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<PasswordResetToken {self.id} user={self.user_id}>"
