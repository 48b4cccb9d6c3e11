"""Page comments: the form residents send the web editors, and the editors' inbox.

The form lives on its own page, /page-comment?page=<path>, linked from the end of every
content, goal, framework and dialogue page. A form on those pages would carry a CSRF
token, which touches the session, and a page that touches the session is never cached; a
plain link keeps them cacheable for visitors.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from dialog.accounts.models import Role
from dialog.accounts.permissions import current_actor, roles_required
from dialog.contributions.models import PageComment
from dialog.core.audit import log_event
from dialog.core.forms import show_rule_error
from dialog.core.i18n import _, _l, current_language
from dialog.core.pagination import requested_page
from dialog.core.throttle import Throttle, client_address
from dialog.core.times import TimeFormat
from dialog.core.urls import IdUrl, absolute_url
from dialog.pages import queries, services
from dialog.pages.forms import AnswerForm, HandledForm, PageCommentForm
from dialog.pages.views import bp

editors_required = roles_required(Role.EDITOR, Role.ADMIN)
COMMENT_THROTTLE = Throttle(
    "page-comment",
    "5/10minutes;20/day",
    _l("Too many comments in a short time. Try again later."),
)


def _page_url(path: str) -> str:
    """The page's absolute address on the canonical base URL, for the answer mail."""
    return absolute_url("pages.home").rstrip("/") + path


@bp.route("/page-comment", methods=["GET", "POST"])
def page_comment() -> str | tuple[str, int] | Response:
    form = PageCommentForm()
    if request.method == "GET":
        form.page.data = request.args.get("page", "")
        form.title.data = request.args.get("title", "")[: services.comments.MAX_PAGE_TITLE_LENGTH]
    path = services.check_page_path(form.page.data)
    if path is None:
        abort(404)
    if form.validate_on_submit():
        if form.website.data:
            # A robot filled in the trap: thank it as if it had worked, and store nothing.
            log_event("page_comment_trapped", page=path)
            flash(_("Thank you. Your comment has been sent to the web editors."), "success")
            return redirect(path)
        if COMMENT_THROTTLE.attempt(form, client_address()):
            return render_template("pages/page_comment.html", form=form, path=path), 429
        try:
            services.send_page_comment(
                path, form.title.data, form.comment.data, form.email.data, current_language()
            )
        except services.PageCommentError as error:
            show_rule_error(form, error)
        else:
            flash(_("Thank you. Your comment has been sent to the web editors."), "success")
            return redirect(path)
    return render_template("pages/page_comment.html", form=form, path=path)


@bp.route("/admin/page-comments")
@editors_required
def admin_page_comments() -> str:
    return render_template(
        "pages/admin/page_comments.html",
        page=queries.page_comments(requested_page()),
        unhandled=queries.unhandled_page_comment_count(),
        comment_url=IdUrl("pages.admin_page_comment", "comment_id"),
        received=TimeFormat("short"),
    )


def _load_comment(comment_id: int) -> PageComment:
    comment = queries.page_comment_by_id(comment_id)
    if comment is None:
        abort(404)
    return comment


@bp.route("/admin/page-comments/<int:comment_id>", methods=["GET", "POST"])
@editors_required
def admin_page_comment(comment_id: int) -> str | Response:
    comment = _load_comment(comment_id)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            services.answer_page_comment(
                comment, form.answer.data, current_actor(), _page_url(comment.page_path or "/")
            )
        except services.PageCommentError as error:
            show_rule_error(form, error)
        else:
            flash(_("The answer is sent and the comment marked as handled."), "success")
            return redirect(url_for("pages.admin_page_comment", comment_id=comment.id))
    return render_template(
        "pages/admin/page_comment.html",
        comment=comment,
        form=form,
        handled_form=HandledForm(),
    )


@bp.route("/admin/page-comments/<int:comment_id>/handled", methods=["POST"])
@editors_required
def admin_page_comment_handled(comment_id: int) -> Response:
    comment = _load_comment(comment_id)
    if not HandledForm().validate_on_submit():
        abort(400)
    services.mark_page_comment_handled(comment, current_actor())
    flash(_("The comment is marked as handled."), "success")
    return redirect(url_for("pages.admin_page_comments"))
