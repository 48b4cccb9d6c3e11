"""Account rules: registration, passwords, sessions, second factor, roles.

Services flush and never commit; the request (or the command) commits at its edge.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import timedelta

import pyotp
import segno
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import force_locale
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from dialog.accounts.models import PasswordResetToken, RecoveryCode, Role, User, UserRole
from dialog.accounts.queries import count_active_with_role, normalize_email, user_by_email
from dialog.core import audit
from dialog.core.i18n import _
from dialog.core.mail import queue_mail
from dialog.core.models import utcnow
from dialog.core.rules import RuleError
from dialog.extensions import db

MIN_PASSWORD_LENGTH = 12
REGISTRATION_LINK_HOURS = 24
RECOVERY_CODE_COUNT = 10
TOTP_ISSUER = "Dialog"

_HASHERS = {
    # OWASP's argon2id minimum: 19 MiB, 2 iterations, 1 lane.
    "owasp": PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1),
    # The test suite only: the same algorithm, as cheap as argon2 allows.
    "fast": PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
}


class AccountError(RuleError):
    """A rule of accounts was broken."""


def _hasher() -> PasswordHasher:
    return _HASHERS[current_app.config["ARGON2_PROFILE"]]


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def _digest(secret: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, secret.encode(), hashlib.sha256).hexdigest()


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def create_user(
    email: str, display_name: str, password: str, locale: str = "sv", roles: tuple[Role, ...] = ()
) -> User:
    """Create a user with the given roles; raise AccountError when the email is taken."""
    email = normalize_email(email)
    if user_by_email(email) is not None:
        raise AccountError(_("An account with that email address already exists."))
    user = User(
        email=email,
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        locale=locale,
        session_token=new_session_token(),
        roles=[UserRole(role=role.value) for role in roles or (Role.RESIDENT,)],
    )
    db.session.add(user)
    db.session.flush()
    return user


@dataclass(frozen=True)
class RegistrationLinks:
    """The absolute links a registration mail carries (built by the caller)."""

    finish: Callable[[str], str]  # called with the token: the page that creates the account
    login: str
    forgot_password: str


def _registration_signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="dialog-registration")


def request_registration(email: str, links: RegistrationLinks) -> None:
    """Start a registration: mail a link that finishes it, or tell the owner of the address.

    The caller answers the same either way, so the form never reveals whether an address
    has an account. Nothing is stored but the mail: the link carries the signed address.
    """
    email = normalize_email(email)
    user = user_by_email(email)
    if user is not None:
        if user.active:
            _tell_owner(user, links)
        audit.log_event("registration_for_existing_account", user_id=user.id)
        return
    token = _registration_signer().dumps(email)
    queue_mail(
        email,
        _("Finish creating your account"),
        _(
            "Hello,\n\nSomeone, probably you, wants to create an account with this email "
            "address. To choose your name and password, open this link within {hours} "
            "hours:\n\n{link}\n\nIf it was not you, ignore this message; no account is "
            "created."
        ).format(hours=REGISTRATION_LINK_HOURS, link=links.finish(token)),
    )
    audit.log_event("registration_requested")


def _tell_owner(user: User, links: RegistrationLinks) -> None:
    with force_locale(user.locale):
        queue_mail(
            user.email,
            _("Someone tried to create an account with your address"),
            _(
                "Hello {name},\n\nSomeone tried to create a new account with your email "
                "address, which already has an account. If it was you, log in:\n\n{login}"
                "\n\nIf you have forgotten your password, choose a new one here:\n\n"
                "{forgot}\n\nIf it was not you, ignore this message; nothing has changed."
            ).format(name=user.display_name, login=links.login, forgot=links.forgot_password),
        )


def registration_email(token: str) -> str | None:
    """Return the address a registration link was sent to, while the link is valid and
    the address has no account yet; else None."""
    try:
        email = _registration_signer().loads(token, max_age=REGISTRATION_LINK_HOURS * 3600)
    except BadData:
        return None
    if not isinstance(email, str) or user_by_email(email) is not None:
        return None
    return email


def register_resident(token: str, display_name: str, password: str, locale: str) -> User:
    """Create the resident account a registration link was sent for."""
    email = registration_email(token)
    if email is None:
        raise AccountError(_("The link has expired or the account already exists."))
    try:
        # Two sends of the same link at once: the second finds the address taken.
        with db.session.begin_nested():
            user = create_user(email, display_name, password, locale)
    except IntegrityError:
        raise AccountError(_("The link has expired or the account already exists.")) from None
    audit.log_event("user_registered", user_id=user.id)
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the active user whose password matches, else None (in about the same time)."""
    user = user_by_email(email)
    if user is None or not user.active:
        # Hash anyway so the answer takes as long as for a real account.
        hash_password(password)
        return None
    try:
        _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def record_login(user: User) -> None:
    user.last_login_at = utcnow()
    audit.log_event("login", user_id=user.id)


def end_all_sessions(user: User) -> None:
    """Make every login cookie of the user stop working."""
    user.session_token = new_session_token()
    db.session.flush()


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change the password after checking the current one; ends all other sessions."""
    try:
        _hasher().verify(user.password_hash, current_password)
    except (VerificationError, InvalidHashError) as error:
        raise AccountError(_("The current password is wrong.")) from error
    user.password_hash = hash_password(new_password)
    end_all_sessions(user)
    audit.record("password_changed", user, user)


def update_profile(user: User, display_name: str, locale: str) -> None:
    user.display_name = display_name.strip()
    user.locale = locale
    db.session.flush()


def request_password_reset(email: str, reset_url_for: Callable[[str], str]) -> None:
    """Queue a reset link when the email belongs to an active user; say nothing otherwise.

    reset_url_for is called with the token and returns the absolute link.
    """
    user = user_by_email(email)
    if user is None or not user.active:
        audit.log_event("password_reset_unknown")
        return
    token = secrets.token_urlsafe(32)
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    db.session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=_digest(token),
            expires_at=utcnow() + timedelta(hours=hours),
        )
    )
    link = reset_url_for(token)
    queue_mail(
        user.email,
        _("Reset your password"),
        _(
            "Hello {name},\n\nSomeone asked to reset the password of your account. "
            "If it was you, open this link within {hours} hours:\n\n{link}\n\n"
            "The link works once. If you did not ask for it, ignore this message; "
            "your password stays the same."
        ).format(name=user.display_name, hours=hours, link=link),
    )
    audit.log_event("password_reset_requested", user_id=user.id)


def valid_reset_token(token: str) -> PasswordResetToken | None:
    """Return the unused, unexpired reset for this token, or None."""
    reset = db.session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == _digest(token))
    )
    if reset is None or reset.used_at is not None or reset.expires_at < utcnow():
        return None
    return reset


def reset_password(token: str, new_password: str) -> User:
    """Set a new password through a reset token, once; ends every session."""
    reset = valid_reset_token(token)
    if reset is None:
        raise AccountError(_("The link has expired or has already been used. Ask for a new one."))
    # Use up every outstanding reset of the user, not just this one.
    db.session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == reset.user_id, PasswordResetToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
    user = db.session.get_one(User, reset.user_id)
    user.password_hash = hash_password(new_password)
    end_all_sessions(user)
    audit.record("password_reset", user, user)
    return user


# Second factor ---------------------------------------------------------------


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)


def totp_qr_svg(uri: str) -> str:
    """Return the QR code of the enrolment URI as inline SVG markup."""
    return segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff")


def _totp_counter(secret: str, code: str) -> int | None:
    """Return the time step a code belongs to (now, or one step either side), else None."""
    code = code.strip().replace(" ", "")
    totp = pyotp.TOTP(secret)
    now = utcnow()
    for drift in (0, -1, 1):
        moment = now + timedelta(seconds=drift * totp.interval)
        if hmac.compare_digest(totp.at(moment), code):
            return totp.timecode(moment)
    return None


def enable_totp(user: User, secret: str, code: str) -> list[str]:
    """Turn on the second factor when the code matches; return fresh recovery codes."""
    counter = _totp_counter(secret, code)
    if counter is None:
        raise AccountError(_("The code is wrong. Check the time on your phone and try again."))
    user.totp_secret = secret
    user.totp_last_counter = counter
    audit.record("mfa_enabled", user, user)
    return new_recovery_codes(user)


def verify_second_factor(user: User, code: str) -> bool:
    """Accept a current TOTP code (each only once) or an unused recovery code."""
    if user.totp_secret is None:
        return False
    counter = _totp_counter(user.totp_secret, code)
    if counter is not None and (user.totp_last_counter is None or counter > user.totp_last_counter):
        user.totp_last_counter = counter
        return True
    return use_recovery_code(user, code)


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with new ones; return them to show once."""
    db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
    )
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_digest(code)) for code in codes)
    db.session.flush()
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    normalized = code.strip().lower().replace(" ", "")
    recovery = db.session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _digest(normalized),
            RecoveryCode.used_at.is_(None),
        )
    )
    if recovery is None:
        return False
    recovery.used_at = utcnow()
    audit.record("recovery_code_used", user, user)
    return True


def remaining_recovery_codes(user: User) -> int:
    query = select(func.count()).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
    )
    return db.session.scalar(query) or 0


# Administration --------------------------------------------------------------


def grant_role(user: User, role: Role, actor: User) -> None:
    """Give the user a role (nothing happens when they hold it already)."""
    if role in user.role_names:
        return
    user.roles.append(UserRole(role=role.value))
    audit.record("role_granted", actor, user, role=role.value)


def revoke_role(user: User, role: Role, actor: User) -> None:
    """Take a role away; the last active administrator keeps theirs."""
    if role not in user.role_names:
        return
    if role is Role.ADMIN and user.active and count_active_with_role(Role.ADMIN) <= 1:
        raise AccountError(_("The last administrator cannot lose the administrator role."))
    user.roles = [link for link in user.roles if link.role != role.value]
    audit.record("role_revoked", actor, user, role=role.value)


def change_roles(
    user: User, ticked: Collection[Role], shown: Collection[Role], actor: User
) -> None:
    """Grant the roles ticked that a page showed the user without, and revoke those it showed
    held and are no longer ticked, each audited: a page opened before another change undoes
    nothing. When the last active administrator would lose theirs, nothing changes."""
    # The one change that may be refused comes first, so a refusal leaves every role as it was.
    for role in sorted(Role, key=lambda role: role is not Role.ADMIN):
        if role in ticked and role not in shown:
            grant_role(user, role, actor)
        elif role in shown and role not in ticked:
            revoke_role(user, role, actor)


def set_active(user: User, active: bool, actor: User) -> None:
    """Activate or deactivate an account; deactivating ends its sessions."""
    if user.active == active:
        return
    if not active and Role.ADMIN in user.role_names and count_active_with_role(Role.ADMIN) <= 1:
        raise AccountError(_("The last administrator cannot be deactivated."))
    user.active = active
    if not active:
        end_all_sessions(user)
    audit.record("user_activated" if active else "user_deactivated", actor, user)
