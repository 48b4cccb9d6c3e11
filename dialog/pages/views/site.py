"""The site's own pages: start page, accessibility statement, privacy, language switch."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from dialog.core.cache import cached_page
from dialog.core.i18n import _, _l, remember_language
from dialog.core.security import safe_next_url
from dialog.core.throttle import Throttle, client_address
from dialog.pages.forms import MAX_PAGE_LENGTH, AccessibilityReportForm
from dialog.pages.services import report_accessibility_problem
from dialog.pages.views import bp

REPORT_THROTTLE = Throttle(
    "accessibility-report", "5/hour", _l("Too many reports in a short time. Try again later.")
)


@bp.route("/")
@cached_page
def home() -> str:
    return render_template("pages/home.html")


@bp.route("/accessibility", methods=["GET", "POST"])
def accessibility() -> str | tuple[str, int] | Response:
    form = AccessibilityReportForm()
    if request.method == "GET":
        form.page.data = request.args.get("page", "")[:MAX_PAGE_LENGTH]
    if form.validate_on_submit():
        if REPORT_THROTTLE.attempt(form, client_address()):
            return render_template("pages/accessibility.html", form=form), 429
        report_accessibility_problem(
            form.page.data or "", form.description.data, form.email.data or ""
        )
        flash(_("Thank you. Your report has been sent to the web editors."), "success")
        return redirect(url_for("pages.accessibility"))
    return render_template("pages/accessibility.html", form=form)


@bp.route("/privacy")
@cached_page
def privacy() -> str:
    return render_template("pages/privacy.html")


@bp.route("/language/<code>")
def switch_language(code: str) -> Response:
    """Remember the chosen language in this browser's cookie, and go back.

    A GET changes nothing stored: a crawler, a prefetch or an image elsewhere cannot change
    an account. The account's own language is set on the account page.
    """
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    response = redirect(safe_next_url(request.args.get("next"), url_for("pages.home")))
    return remember_language(response, code)
