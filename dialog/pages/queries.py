"""Reading content pages, their versions and the page comments."""

from __future__ import annotations

import functools
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from dialog.contributions.models import PageComment
from dialog.core.cache import remembered_count
from dialog.core.pagination import paginate
from dialog.dialogues.models import Dialogue
from dialog.extensions import db
from dialog.goals.models import Framework, Goal
from dialog.goals.queries import build_tree, flatten
from dialog.pages.models import Page, PageStatus, PageVersion


def page_by_slug(slug: str) -> Page | None:
    """Return the page with this address, its goals, dialogues and last editor loaded."""
    query = (
        select(Page)
        .where(Page.slug == slug)
        .options(
            selectinload(Page.goals).selectinload(Goal.framework),
            selectinload(Page.dialogues),
            selectinload(Page.updated_by),
        )
    )
    return db.session.scalar(query)


def page_by_id(page_id: int) -> Page | None:
    """Return the page with this id, or None."""
    return db.session.get(Page, page_id)


def all_pages() -> list[Page]:
    """Return every page, drafts included, the latest changed first (the editors' list)."""
    query = select(Page).options(selectinload(Page.updated_by)).order_by(Page.updated_at.desc())
    return list(db.session.scalars(query))


def published_pages() -> list[Page]:
    """Return the published pages, by title."""
    query = select(Page).where(Page.status == PageStatus.PUBLISHED).order_by(Page.title)
    return list(db.session.scalars(query))


def versions_of(page: Page) -> list[PageVersion]:
    """Return the page's saved versions, newest first, with who saved each."""
    query = (
        select(PageVersion)
        .where(PageVersion.page_id == page.id)
        .options(selectinload(PageVersion.created_by))
        .order_by(PageVersion.number.desc())
    )
    return list(db.session.scalars(query))


# The inbox shows the start of each comment (Jinja's truncate(140) keeps up to 145 characters
# whole): no more of a long text is read.
INBOX_TEXT_LENGTH = 146


# Built once: making the statement cost more than running it.
@functools.cache
def _page_comments_query() -> Select[Any]:
    return select(
        PageComment.id,
        PageComment.page_path,
        PageComment.title,
        func.substr(PageComment.body_text, 1, INBOX_TEXT_LENGTH).label("body_text"),
        PageComment.language,
        PageComment.created_at,
        PageComment.handled_at,
        PageComment.answered_at,
    ).order_by(
        PageComment.handled_at.is_not(None), PageComment.created_at.desc(), PageComment.id.desc()
    )


@functools.cache
def _unhandled_page_comments_query() -> Select[Any]:
    return select(PageComment.id).where(PageComment.handled_at.is_(None))


def page_comments(page: int, per_page: int = 20) -> Pagination:
    """Return a page of the page comments, unhandled first, then the newest: rows of the
    columns the editors' inbox shows, not whole comments."""
    return paginate(_page_comments_query(), page, per_page, rows=True)


def page_comment_by_id(comment_id: int) -> PageComment | None:
    """Return the page comment with this id, or None."""
    return db.session.get(PageComment, comment_id)


def unhandled_page_comment_count() -> int:
    """Count the page comments the editors have not handled yet, once per change
    (the inbox and the staff start page)."""
    return remembered_count(_unhandled_page_comments_query())


def frameworks_and_goals() -> list[tuple[Framework, list[Goal]]]:
    """Return every framework with its goals in reading order (the page form's choices)."""
    query = (
        select(Framework)
        .options(selectinload(Framework.goals))
        .order_by(Framework.period_start.desc(), Framework.title_sv)
    )
    return [
        (framework, [node.goal for node in flatten(build_tree(framework.goals))])
        for framework in db.session.scalars(query)
    ]


def dialogue_choices() -> list[Dialogue]:
    """Return every dialogue, newest first (the page form's choices)."""
    return list(db.session.scalars(select(Dialogue).order_by(Dialogue.id.desc())))
