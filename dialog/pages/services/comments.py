"""Page comments: a resident's private note to the web editors about a page, and their answer.

A page comment is a ``Contribution`` that is never published (status private). Its text is
plain text, stored exactly as typed and escaped when shown. An answer is sent by email
through the outbox and kept with the comment.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException

from dialog.accounts.models import User
from dialog.contributions.models import (
    MAX_PAGE_PATH_LENGTH,
    ContributionStatus,
    PageComment,
)
from dialog.core import audit
from dialog.core.i18n import _
from dialog.core.mail import queue_mail
from dialog.core.models import utcnow
from dialog.core.rules import RuleError
from dialog.core.sanitize import optional_text
from dialog.extensions import db

MAX_COMMENT_LENGTH = 5000
MAX_ANSWER_LENGTH = 10_000
MAX_PAGE_TITLE_LENGTH = 200
# The pages that end with "Comment on this page to the web editors".
COMMENTABLE_ENDPOINTS = frozenset(
    {"pages.content_page", "goals.goal", "goals.framework", "dialogues.dialogue"}
)


class PageCommentError(RuleError):
    """A page comment rule was broken; the message is translated and safe to show."""


def check_page_path(path: str | None) -> str | None:
    """Return the path when it is one of the site's commentable pages, else None.

    Only a local path that the site's own routes match is kept, so an inbox link to it can
    never lead elsewhere.
    """
    if not path or len(path) > MAX_PAGE_PATH_LENGTH or not path.startswith("/"):
        return None
    if path.startswith("//") or "\\" in path or any(ord(c) < 32 or ord(c) == 127 for c in path):
        return None
    adapter = current_app.url_map.bind("localhost")
    try:
        endpoint, _args = adapter.match(path.split("?", 1)[0], method="GET")
    except HTTPException:
        return None
    return path if endpoint in COMMENTABLE_ENDPOINTS else None


def _typed(text: str | None) -> str:
    """Plain text as typed: line breaks as LF, each line's ends trimmed."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def _as_html(text: str) -> str:
    return str(Markup("<br>\n").join(escape(line) for line in text.split("\n")))


def send_page_comment(
    path: str, page_title: str | None, text: str, email: str | None, language: str
) -> PageComment:
    """Store a comment on a page for the web editors, private and unhandled."""
    checked_path = check_page_path(path)
    if checked_path is None:
        raise PageCommentError(_("This page cannot be commented on."))
    body = _typed(text)
    if not body:
        raise PageCommentError(_("Write your comment."), "comment")
    if len(body) > MAX_COMMENT_LENGTH:
        raise PageCommentError(
            _("A comment can be at most {limit} characters long.").format(limit=MAX_COMMENT_LENGTH),
            "comment",
        )
    title = (optional_text(page_title) or checked_path)[:MAX_PAGE_TITLE_LENGTH]
    comment = PageComment(
        status=ContributionStatus.PRIVATE.value,
        page_path=checked_path,
        title=title,
        body_text=body,
        body_html=_as_html(body),
        author_email=optional_text(email),
        language=language,
        goal_links=[],
    )
    db.session.add(comment)
    audit.record("page_comment_received", None, comment, page=checked_path)
    return comment


def mark_page_comment_handled(comment: PageComment, actor: User | None) -> None:
    """Mark the comment handled by the actor; a handled comment stays as it is."""
    if comment.handled_at is not None:
        return
    comment.handled_at = utcnow()
    comment.handled_by_id = audit.actor_id(actor)
    audit.record("page_comment_handled", actor, comment)


def answer_page_comment(
    comment: PageComment, answer: str, actor: User | None, page_url: str | None
) -> None:
    """Send the editors' answer to the commenter's email (outbox), keep it, mark it handled.

    page_url is the page's absolute address on the site's canonical base URL; without it
    no mail is sent (the demo's made-up commenters), the answer is only kept.
    """
    if not comment.author_email:
        raise PageCommentError(_("The comment has no email address to answer to."))
    if comment.answer_text is not None:
        raise PageCommentError(_("This comment has already been answered."))
    text = _typed(answer)
    if not text:
        raise PageCommentError(_("Write the answer."), "answer")
    if len(text) > MAX_ANSWER_LENGTH:
        raise PageCommentError(
            _("The answer can be at most {limit} characters long.").format(limit=MAX_ANSWER_LENGTH),
            "answer",
        )
    if page_url is not None:
        _mail_answer(comment, text, page_url)
    comment.answer_text = text
    comment.answered_at = utcnow()
    comment.answered_by_id = audit.actor_id(actor)
    audit.record("page_comment_answered", actor, comment, answer=text)
    mark_page_comment_handled(comment, actor)


def _mail_answer(comment: PageComment, text: str, page_url: str) -> None:
    municipality = current_app.config["MUNICIPALITY_NAME"]
    with force_locale(comment.language):
        subject = _("Answer from the web editors of {municipality}").format(
            municipality=municipality
        )
        body = _(
            "You commented on the page “{title}” ({url}):\n\n{comment}\n\n"
            "The web editors answer:\n\n{answer}\n"
        ).format(title=comment.title, url=page_url, comment=comment.body_text, answer=text)
    queue_mail(comment.author_email or "", subject, body)
