"""Account pages: register, log in (with a second factor for staff), passwords, profile."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from dialog.accounts import services
from dialog.accounts.forms import (
    ActiveForm,
    ChangePasswordForm,
    EnrolForm,
    FinishRegistrationForm,
    ForgotPasswordForm,
    LoginForm,
    LogoutForm,
    ProfileForm,
    RecoveryCodesForm,
    RegisterForm,
    ResetPasswordForm,
    RolesForm,
    SecondFactorForm,
    UserSearchForm,
)
from dialog.accounts.models import Role, User, role_label, role_labels
from dialog.accounts.permissions import (
    MFA_SESSION_KEY,
    can_manage_users,
    current_actor,
    is_staff,
    login_required,
    needs_second_factor,
    roles_required,
)
from dialog.accounts.queries import normalize_email, user_by_id, users_page
from dialog.core.audit import log_event
from dialog.core.i18n import _, _l, current_language, remember_language
from dialog.core.pagination import requested_page
from dialog.core.security import safe_next_url
from dialog.core.throttle import Throttle, client_address
from dialog.core.urls import IdUrl, absolute_url

bp = Blueprint("accounts", __name__)

TOO_MANY_LOGINS = _l("Too many login attempts. Wait a few minutes and try again.")
LOGIN_BY_ADDRESS = Throttle("login-ip", "30/minute;300/hour", TOO_MANY_LOGINS)
# Keyed on account and address together, so an attacker elsewhere cannot lock a user out.
LOGIN_BY_ACCOUNT = Throttle("login-account", "5/minute;30/hour", TOO_MANY_LOGINS)
SECOND_FACTOR_THROTTLE = Throttle(
    "second-factor", "5/minute;20/hour", _l("Too many attempts. Wait a few minutes and try again.")
)
RESET_THROTTLE = Throttle("reset", "5/hour", _l("Too many attempts. Wait a while and try again."))
# Registration sends a mail: limited per client address, and per email address so that
# nobody's inbox can be flooded with links.
TOO_MANY_REGISTRATIONS = _l("Too many attempts. Wait a while and try again.")
REGISTER_BY_ADDRESS = Throttle("register-ip", "10/minute;30/hour", TOO_MANY_REGISTRATIONS)
REGISTER_BY_EMAIL = Throttle("register-email", "3/hour;10/day", TOO_MANY_REGISTRATIONS)
PENDING_LOGIN_SECONDS = 600


def _home() -> str:
    return url_for("pages.home")


# The pages of logging in itself: a link to the login page from one of them passes on its
# own next instead of pointing back at itself, so next never nests.
LOGIN_PAGES = frozenset(
    {
        "accounts.login",
        "accounts.register",
        "accounts.register_sent",
        "accounts.finish_registration",
        "accounts.forgot_password",
        "accounts.reset_password",
        "accounts.two_factor",
        "accounts.two_factor_setup",
    }
)


def login_next(target: str | None) -> str | None:
    """The page to return to after logging in: a safe path, never the login page itself."""
    login_path = url_for("accounts.login")
    for _depth in range(5):
        target = safe_next_url(target, "") or None
        if target is None or urlsplit(target).path != login_path:
            return target
        # A link to the login page that carries a next of its own: return there instead.
        inner = parse_qs(urlsplit(target).query).get("next")
        target = inner[0] if inner else None
    return None


def login_url() -> str:
    """The login page with next=<this page>; from the login pages, with their own next."""
    if request.endpoint in LOGIN_PAGES:
        return url_for("accounts.login", next=login_next(request.args.get("next")))
    return url_for("accounts.login", next=login_next(request.full_path.rstrip("?")))


def page_address() -> str:
    """This page's address, for links that come back to it (the language switch); a login
    page's own next made flat first."""
    if request.endpoint in LOGIN_PAGES:
        return url_for(
            request.endpoint,
            **(request.view_args or {}),
            next=login_next(request.args.get("next")),
        )
    return request.full_path.rstrip("?")


def _complete_login(user: User, next_url: str | None, second_factor: bool) -> Response:
    session.clear()
    login_user(user)
    session[MFA_SESSION_KEY] = second_factor
    services.record_login(user)
    flash(_("You are logged in."), "success")
    # The account's language follows its owner to this browser.
    return remember_language(redirect(login_next(next_url) or _home()), user.locale)


def _pending_user() -> User | None:
    """Return the user who has given a password and still owes the second factor."""
    pending = session.get("pending_login")
    if not pending or time.time() - pending["at"] > PENDING_LOGIN_SECONDS:
        return None
    user_id, _, token = pending["user"].partition(":")
    user = user_by_id(int(user_id))
    if user is None or not user.active or user.session_token != token:
        return None
    return user


def _registration_links() -> services.RegistrationLinks:
    return services.RegistrationLinks(
        finish=lambda token: absolute_url("accounts.finish_registration", token=token),
        login=absolute_url("accounts.login"),
        forgot_password=absolute_url("accounts.forgot_password"),
    )


@bp.route("/register", methods=["GET", "POST"])
def register() -> str | tuple[str, int] | Response:
    """Ask for the address only, and answer the same whether it has an account or not."""
    if current_user.is_authenticated:
        return redirect(_home())
    form = RegisterForm()
    if form.validate_on_submit():
        address = client_address()
        email = normalize_email(form.email.data)
        if REGISTER_BY_ADDRESS.refuses(form, address) or REGISTER_BY_EMAIL.refuses(form, email):
            log_event("registration_throttled", ip=address)
            return render_template("accounts/register.html", form=form), 429
        REGISTER_BY_ADDRESS.count(address)
        REGISTER_BY_EMAIL.count(email)
        services.request_registration(email, _registration_links())
        return redirect(url_for("accounts.register_sent"))
    return render_template("accounts/register.html", form=form)


@bp.route("/register/sent")
def register_sent() -> str:
    return render_template("accounts/register_sent.html", hours=services.REGISTRATION_LINK_HOURS)


@bp.route("/register/<token>", methods=["GET", "POST"])
def finish_registration(token: str) -> str | tuple[str, int] | Response:
    """The emailed link: choose a name and a password, and the account is made."""
    if current_user.is_authenticated:
        return redirect(_home())
    email = services.registration_email(token)
    if email is None:
        return render_template("accounts/register_invalid.html"), 404
    form = FinishRegistrationForm(email=email)
    if request.method == "GET":
        form.locale.data = current_language()
    if form.validate_on_submit():
        try:
            user = services.register_resident(
                token, form.display_name.data, form.password.data, form.locale.data
            )
        except services.AccountError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("Your account is created."), "success")
            return _complete_login(user, None, second_factor=False)
    return render_template("accounts/register_finish.html", form=form, email=email)


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | tuple[str, int] | Response:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = login_next(request.args.get("next")) or ""
    if form.validate_on_submit():
        address = client_address()
        account_key = f"{normalize_email(form.email.data)}|{address}"
        if LOGIN_BY_ADDRESS.refuses(form, address) or LOGIN_BY_ACCOUNT.refuses(form, account_key):
            log_event("login_throttled", ip=address)
            return render_template("accounts/login.html", form=form), 429
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            LOGIN_BY_ADDRESS.count(address)
            LOGIN_BY_ACCOUNT.count(account_key)
            log_event("login_failed", ip=address)
            form.form_errors.append(_("The email address or the password is wrong."))
        elif needs_second_factor(user):
            session.clear()
            session["pending_login"] = {
                "user": user.get_id(),
                "next": form.next.data,
                "at": time.time(),
            }
            target = "two_factor" if user.mfa_enrolled else "two_factor_setup"
            return redirect(url_for(f"accounts.{target}"))
        else:
            return _complete_login(user, form.next.data, second_factor=False)
    return render_template("accounts/login.html", form=form)


@bp.route("/login/two-factor", methods=["GET", "POST"])
def two_factor() -> str | tuple[str, int] | Response:
    user = _pending_user()
    if user is None or not user.mfa_enrolled:
        flash(_("Log in again to continue."), "info")
        return redirect(url_for("accounts.login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        key = str(user.id)
        if SECOND_FACTOR_THROTTLE.refuses(form, key):
            return render_template("accounts/two_factor.html", form=form), 429
        if services.verify_second_factor(user, form.code.data):
            return _complete_login(user, session["pending_login"]["next"], second_factor=True)
        SECOND_FACTOR_THROTTLE.count(key)
        log_event("second_factor_failed", user_id=user.id)
        form.code.errors.append(_("The code is wrong or has already been used."))
    return render_template("accounts/two_factor.html", form=form)


@bp.route("/login/two-factor/setup", methods=["GET", "POST"])
def two_factor_setup() -> str | tuple[str, int] | Response:
    user = _pending_user()
    if user is None or user.mfa_enrolled:
        flash(_("Log in again to continue."), "info")
        return redirect(url_for("accounts.login"))
    secret = session.setdefault("pending_totp_secret", services.new_totp_secret())
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            codes = services.enable_totp(user, secret, form.code.data)
        except services.AccountError as error:
            form.code.errors.append(str(error))
        else:
            next_url = session["pending_login"]["next"]
            _complete_login(user, next_url, second_factor=True)
            page = render_template(
                "accounts/recovery_codes.html",
                codes=codes,
                next_url=login_next(next_url) or _home(),
            )
            return remember_language(make_response(page), user.locale)
    uri = services.totp_uri(user, secret)
    return render_template(
        "accounts/two_factor_setup.html", form=form, secret=secret, qr_svg=services.totp_qr_svg(uri)
    )


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    if LogoutForm().validate_on_submit() and current_user.is_authenticated:
        user = current_actor()
        services.end_all_sessions(user)
        log_event("logout", user_id=user.id)
        logout_user()
    session.clear()
    flash(_("You are logged out."), "success")
    return redirect(_home())


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> str | tuple[str, int] | Response:
    user = current_actor()
    form = ProfileForm(obj=user)
    if form.validate_on_submit():
        services.update_profile(user, form.display_name.data, form.locale.data)
        flash(_("Your settings are saved."), "success")
        # The account's language is this browser's language from now on, too.
        return remember_language(redirect(url_for("accounts.account")), user.locale)
    return render_template(
        "accounts/account.html",
        form=form,
        codes_form=RecoveryCodesForm(),
        remaining_codes=services.remaining_recovery_codes(user) if user.mfa_enrolled else 0,
    )


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> str | tuple[str, int] | Response:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_actor()
        try:
            services.change_password(user, form.current_password.data, form.password.data)
        except services.AccountError as error:
            form.current_password.errors.append(str(error))
        else:
            # Keep this browser logged in under the new session token.
            second_factor = session.get(MFA_SESSION_KEY, False)
            session.clear()
            login_user(user)
            session[MFA_SESSION_KEY] = second_factor
            flash(_("Your password is changed. Other devices have been logged out."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/account/recovery-codes", methods=["POST"])
@login_required
def recovery_codes() -> str | tuple[str, int] | Response:
    user = current_actor()
    if not user.mfa_enrolled or not session.get(MFA_SESSION_KEY):
        abort(403)
    if not RecoveryCodesForm().validate_on_submit():
        abort(400)
    codes = services.new_recovery_codes(user)
    return render_template(
        "accounts/recovery_codes.html", codes=codes, next_url=url_for("accounts.account")
    )


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password() -> str | tuple[str, int] | Response:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        if RESET_THROTTLE.attempt(form, client_address()):
            return render_template("accounts/forgot_password.html", form=form), 429
        services.request_password_reset(
            form.email.data,
            lambda token: absolute_url("accounts.reset_password", token=token),
        )
        flash(
            _(
                "If the address belongs to an account, a link to choose a new password "
                "is on its way. Check your inbox."
            ),
            "success",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | tuple[str, int] | Response:
    if services.valid_reset_token(token) is None:
        return render_template("accounts/reset_invalid.html"), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except services.AccountError as error:
            flash(str(error), "error")
            return redirect(url_for("accounts.forgot_password"))
        session.clear()
        logout_user()
        flash(_("Your password is changed. Log in with the new password."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


# Administration --------------------------------------------------------------


@bp.route("/admin/users")
@roles_required(Role.ADMIN)
def admin_users() -> str:
    search = UserSearchForm(request.args)
    labels = role_labels()
    return render_template(
        "accounts/admin_users.html",
        search=search,
        page=users_page(search.q.data or "", requested_page()),
        roles=[(role, labels[role]) for role in Role],
        roles_url=IdUrl("accounts.admin_change_role", "user_id"),
        active_url=IdUrl("accounts.admin_set_active", "user_id"),
    )


def user_or_404(user_id: int) -> User:
    user = user_by_id(user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/admin/users/<int:user_id>/roles", methods=["POST"])
@roles_required(Role.ADMIN)
def admin_change_role(user_id: int) -> Response:
    user = user_or_404(user_id)
    form = RolesForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.change_roles(user, *form.changes(), current_actor())
    except services.AccountError as error:
        flash(str(error), "error")
    else:
        flash(_("The roles of {name} are updated.").format(name=user.display_name), "success")
    return redirect(safe_next_url(request.form.get("next"), url_for("accounts.admin_users")))


@bp.route("/admin/users/<int:user_id>/active", methods=["POST"])
@roles_required(Role.ADMIN)
def admin_set_active(user_id: int) -> Response:
    user = user_or_404(user_id)
    form = ActiveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.set_active(user, form.active.data == "1", current_actor())
    except services.AccountError as error:
        flash(str(error), "error")
    else:
        flash(_("The account of {name} is updated.").format(name=user.display_name), "success")
    return redirect(safe_next_url(request.form.get("next"), url_for("accounts.admin_users")))


# Permissions, for templates too.
bp.add_app_template_global(is_staff)
bp.add_app_template_global(can_manage_users)
bp.add_app_template_global(role_label)
bp.add_app_template_global(login_url)
bp.add_app_template_global(page_address)
