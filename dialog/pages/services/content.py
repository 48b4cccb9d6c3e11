"""Content pages: write, change and publish them; every save is kept as a version.

The body is rich text, sanitised once here on write (the clean HTML and its plain text are
stored); the pages are never sanitised again when shown. When cleaning would cut text the
editor typed, they see what would be stored and confirm it first (``TextLossError``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from dialog.accounts.models import User
from dialog.core import audit
from dialog.core.i18n import _
from dialog.core.models import utcnow
from dialog.core.rules import RuleError
from dialog.core.sanitize import clean_rich_fields, optional_text
from dialog.core.slugs import clean_slug
from dialog.dialogues.models import Dialogue
from dialog.extensions import db
from dialog.goals.models import Goal
from dialog.pages.models import (
    MAX_SUMMARY_LENGTH,
    MAX_TITLE_LENGTH,
    Page,
    PageStatus,
    PageVersion,
)

MAX_BODY_LENGTH = 100_000
# What a version keeps and the audit trail compares.
_VERSIONED = ("title", "summary", "body_html")


class PageError(RuleError):
    """A content page rule was broken; the message is translated and safe to show."""


@dataclass
class PageInput:
    """What an editor typed: the body as rich text, before it is sanitised."""

    title: str
    slug: str
    body: str
    summary: str | None = None
    goal_ids: list[int] = field(default_factory=list)
    dialogue_ids: list[int] = field(default_factory=list)
    # The fingerprint of a body whose cleaning the editor saw and accepted (TextLossError).
    confirm_cleaning: str | None = None


@dataclass(frozen=True)
class _Checked:
    title: str
    slug: str
    summary: str | None
    body_html: str
    body_text: str
    goals: list[Goal]
    dialogues: list[Dialogue]


def _check(data: PageInput, page: Page | None) -> _Checked:
    title = optional_text(data.title)
    if title is None:
        raise PageError(_("Give the page a title."), "title")
    if len(title) > MAX_TITLE_LENGTH:
        raise PageError(
            _("The title can be at most {limit} characters long.").format(limit=MAX_TITLE_LENGTH),
            "title",
        )
    slug = clean_slug(data.slug)
    if slug is None:
        raise PageError(
            _("Use lower-case letters a–z, digits and hyphens, like “var-vision”."), "slug"
        )
    taken = db.session.scalar(select(Page.id).where(Page.slug == slug))
    if taken is not None and (page is None or taken != page.id):
        raise PageError(_("Another page already has this address."), "slug")
    summary = optional_text(data.summary)
    if summary is not None and len(summary) > MAX_SUMMARY_LENGTH:
        raise PageError(
            _("The summary can be at most {limit} characters long.").format(
                limit=MAX_SUMMARY_LENGTH
            ),
            "summary",
        )
    if len(data.body) > MAX_BODY_LENGTH:
        raise PageError(
            _("The text can be at most {limit} characters long.").format(limit=MAX_BODY_LENGTH),
            "body",
        )
    # Raises TextLossError when cleaning would cut typed text the editor has not yet seen.
    body = clean_rich_fields({"body": data.body}, data.confirm_cleaning)["body"]
    if body is None or not body.text:
        raise PageError(_("Write the text of the page."), "body")
    body_html, body_text = body.html, body.text
    goals = list(db.session.scalars(select(Goal).where(Goal.id.in_(data.goal_ids))))
    dialogues = list(db.session.scalars(select(Dialogue).where(Dialogue.id.in_(data.dialogue_ids))))
    return _Checked(title, slug, summary, body_html, body_text, goals, dialogues)


def _state(page: Page) -> dict[str, Any]:
    return {
        "slug": page.slug,
        **{name: getattr(page, name) for name in _VERSIONED},
        "goal_ids": sorted(goal.id for goal in page.goals),
        "dialogue_ids": sorted(dialogue.id for dialogue in page.dialogues),
    }


def _save_version(page: Page, actor: User | None) -> PageVersion:
    """Keep what the page says now as its next version, with who saved it and when."""
    now = utcnow()
    number = (page.versions[-1].number if page.versions else 0) + 1
    version = PageVersion(
        number=number,
        title=page.title,
        summary=page.summary,
        body_html=page.body_html,
        body_text=page.body_text,
        created_at=now,
        created_by_id=audit.actor_id(actor),
    )
    page.versions.append(version)
    page.updated_at = now
    page.updated_by_id = audit.actor_id(actor)
    return version


def _apply(page: Page, checked: _Checked) -> None:
    page.title, page.slug, page.summary = checked.title, checked.slug, checked.summary
    page.body_html, page.body_text = checked.body_html, checked.body_text
    page.goals, page.dialogues = checked.goals, checked.dialogues


def create_page(data: PageInput, actor: User | None) -> Page:
    """Write a new page as a draft; its first version is kept."""
    checked = _check(data, None)
    page = Page(status=PageStatus.DRAFT.value, versions=[], goals=[], dialogues=[])
    _apply(page, checked)
    db.session.add(page)
    _save_version(page, actor)
    audit.record("page_created", actor, page, after=_state(page))
    return page


def update_page(page: Page, data: PageInput, actor: User | None) -> Page:
    """Change a page; a change of its text is kept as a new version, earlier ones stay."""
    checked = _check(data, page)
    before = _state(page)
    _apply(page, checked)
    after = _state(page)
    if any(before[name] != after[name] for name in _VERSIONED):
        _save_version(page, actor)
    elif after != before:
        page.updated_at = utcnow()
        page.updated_by_id = audit.actor_id(actor)
    audit.record_change("page_changed", actor, page, before, after)
    return page


def set_page_published(page: Page, published: bool, actor: User | None) -> None:
    """Publish the page (it becomes public at /pages/<slug>) or take it back to a draft."""
    status = PageStatus.PUBLISHED if published else PageStatus.DRAFT
    if page.status == status:
        return
    page.status = status.value
    if published:
        page.published_at = utcnow()
    audit.record("page_published" if published else "page_unpublished", actor, page)
