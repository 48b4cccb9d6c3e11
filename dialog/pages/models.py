"""Content pages written by the web editors, with every saved version kept.

A page shows "last updated by NAME on DATE" from its latest version; the versions table
keeps each save (title, summary, body, who and when) so editors can see what changed.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dialog.accounts.models import User
from dialog.core.models import UTCDateTime, utcnow
from dialog.dialogues.models import Dialogue
from dialog.extensions import Model
from dialog.goals.models import Goal

MAX_TITLE_LENGTH = 200
MAX_SUMMARY_LENGTH = 500
from dialog.core.slugs import MAX_SLUG_LENGTH  # noqa: E402 - placed with the other sizes


class PageStatus(enum.StrEnum):
    DRAFT = "draft"  # the editors' work in progress: not public
    PUBLISHED = "published"


page_goals = Table(
    "page_goals",
    Model.metadata,
    Column("page_id", ForeignKey("pages.id", ondelete="CASCADE"), primary_key=True),
    Column("goal_id", ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True),
)
page_dialogues = Table(
    "page_dialogues",
    Model.metadata,
    Column("page_id", ForeignKey("pages.id", ondelete="CASCADE"), primary_key=True),
    Column("dialogue_id", ForeignKey("dialogues.id", ondelete="CASCADE"), primary_key=True),
)


class Page(Model):
    """A content page: its current text, as the latest version left it."""

    __tablename__ = "pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(MAX_SLUG_LENGTH), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=PageStatus.DRAFT.value)
    title: Mapped[str] = mapped_column(String(MAX_TITLE_LENGTH))
    summary: Mapped[str | None] = mapped_column(String(MAX_SUMMARY_LENGTH))
    body_html: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    updated_by: Mapped[User | None] = relationship()
    goals: Mapped[list[Goal]] = relationship(secondary=page_goals, order_by=Goal.id)
    dialogues: Mapped[list[Dialogue]] = relationship(secondary=page_dialogues, order_by=Dialogue.id)
    versions: Mapped[list[PageVersion]] = relationship(
        back_populates="page", cascade="all, delete-orphan", order_by="PageVersion.number"
    )

    def __repr__(self) -> str:
        return f"<Page {self.slug} {self.status}>"

    @property
    def is_published(self) -> bool:
        return self.status == PageStatus.PUBLISHED


class PageVersion(Model):
    """One save of a page: what it said, who saved it and when."""

    __tablename__ = "page_versions"
    __table_args__ = (UniqueConstraint("page_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("pages.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(MAX_TITLE_LENGTH))
    summary: Mapped[str | None] = mapped_column(String(MAX_SUMMARY_LENGTH))
    body_html: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    page: Mapped[Page] = relationship(back_populates="versions")
    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<PageVersion {self.page_id} #{self.number}>"
