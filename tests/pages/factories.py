"""Factories for the content-page and page-comment tests, through the services."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count

from flask import Flask

from dialog.accounts.models import User
from dialog.extensions import db
from dialog.pages import services

_numbers = count(1)


@dataclass(frozen=True)
class PageInfo:
    id: int
    slug: str


def make_page(
    app: Flask,
    editor_id: int | None = None,
    published: bool = True,
    body: str = "<p>Vi arbetar efter <strong>Vägval 2020</strong>.</p>",
    slug: str | None = None,
) -> PageInfo:
    """Create and commit a content page written by the editor (or nobody)."""
    slug = slug or f"sida-{next(_numbers)}"
    with app.test_request_context():
        editor = db.session.get(User, editor_id) if editor_id else None
        data = services.PageInput(title=f"Sidan {slug}", slug=slug, body=body)
        page = services.create_page(data, editor)
        if published:
            services.set_page_published(page, True, editor)
        db.session.commit()
        return PageInfo(page.id, page.slug)


def make_page_comment(
    app: Flask, path: str, email: str | None = "anna@example.se", text: str = "Länken är trasig."
) -> int:
    """Create and commit a page comment on the page at path."""
    with app.test_request_context():
        comment = services.send_page_comment(path, "En sida", text, email, "sv")
        db.session.commit()
        return comment.id
