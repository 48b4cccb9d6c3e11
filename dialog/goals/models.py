"""Goal frameworks: versions of a municipality's goals or strategy, their goal tree,
the Agenda 2030 goals they link to, and the indicators that follow them up.

Translatable content has one column per language: ``<field>_sv`` (required) and
``<field>_en`` (optional); read it with ``dialog.core.i18n.localized``.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dialog.core.i18n import _l
from dialog.core.models import UTCDateTime, utcnow
from dialog.core.slugs import MAX_SLUG_LENGTH
from dialog.extensions import Model

# Column sizes, and the limits of the texts kept in Text columns; forms and services use these.
MAX_FRAMEWORK_TITLE_LENGTH = 200
MAX_VISION_LENGTH = 2_000
MAX_SUMMARY_LENGTH = 10_000
MAX_ADOPTED_BY_LENGTH = 200
MAX_GOAL_CODE_LENGTH = 20
MAX_GOAL_TITLE_LENGTH = 300
MAX_STATEMENT_LENGTH = 5_000
MAX_INDICATOR_NAME_LENGTH = 300
MAX_UNIT_LENGTH = 50
KOLADA_KPI_LENGTH = 6
MUNICIPALITY_CODE_LENGTH = 4


class FrameworkKind(enum.StrEnum):
    PROGRAMME = "programme"
    STRATEGY = "strategy"


class FrameworkStatus(enum.StrEnum):
    DRAFT = "draft"
    CONSULTATION = "consultation"
    ADOPTED = "adopted"
    SUPERSEDED = "superseded"


class DatePrecision(enum.StrEnum):
    """How much of a date is known: the source may name only the month or the year."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class GoalKind(enum.StrEnum):
    AREA = "area"
    SUB_GOAL = "sub_goal"
    PRIORITY_AREA = "priority_area"


class Direction(enum.StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class MeasurementSource(enum.StrEnum):
    KOLADA = "kolada"
    MANUAL = "manual"


# The statuses that may still be edited; adopted and superseded versions are kept as they are.
EDITABLE_STATUSES = frozenset({FrameworkStatus.DRAFT, FrameworkStatus.CONSULTATION})
# The statuses the public sees; drafts are the staff's work in progress.
PUBLIC_STATUSES = frozenset(
    {FrameworkStatus.CONSULTATION, FrameworkStatus.ADOPTED, FrameworkStatus.SUPERSEDED}
)

FRAMEWORK_KIND_LABELS = {
    FrameworkKind.PROGRAMME: _l("Goal programme"),
    FrameworkKind.STRATEGY: _l("Strategy"),
}
FRAMEWORK_STATUS_LABELS = {
    FrameworkStatus.DRAFT: _l("Draft"),
    FrameworkStatus.CONSULTATION: _l("Out for consultation"),
    FrameworkStatus.ADOPTED: _l("Adopted"),
    FrameworkStatus.SUPERSEDED: _l("Superseded"),
}
GOAL_KIND_LABELS = {
    GoalKind.AREA: _l("Goal area"),
    GoalKind.SUB_GOAL: _l("Sub-goal"),
    GoalKind.PRIORITY_AREA: _l("Priority area"),
}
DIRECTION_LABELS = {
    Direction.HIGHER: _l("Higher is better"),
    Direction.LOWER: _l("Lower is better"),
}
SOURCE_LABELS = {
    MeasurementSource.KOLADA: _l("Kolada"),
    MeasurementSource.MANUAL: _l("Entered by the municipality"),
}
PRECISION_LABELS = {
    DatePrecision.DAY: _l("The exact day is known"),
    DatePrecision.MONTH: _l("Only the month is known"),
    DatePrecision.YEAR: _l("Only the year is known"),
}


def new_lineage() -> str:
    return uuid.uuid4().hex


class Sdg(Model):
    """One of the 17 Agenda 2030 goals: reference data, loaded by the migration."""

    __tablename__ = "sdgs"

    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name_sv: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))

    def __repr__(self) -> str:
        return f"<Sdg {self.number}>"


class Framework(Model):
    """One version of a municipality's goals (goal programme) or strategy."""

    __tablename__ = "frameworks"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(MAX_SLUG_LENGTH), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default=FrameworkKind.PROGRAMME.value)
    status: Mapped[str] = mapped_column(String(20), default=FrameworkStatus.DRAFT.value, index=True)
    title_sv: Mapped[str] = mapped_column(String(MAX_FRAMEWORK_TITLE_LENGTH))
    title_en: Mapped[str | None] = mapped_column(String(MAX_FRAMEWORK_TITLE_LENGTH))
    vision_sv: Mapped[str | None] = mapped_column(Text)
    vision_en: Mapped[str | None] = mapped_column(Text)
    summary_sv: Mapped[str | None] = mapped_column(Text)
    summary_en: Mapped[str | None] = mapped_column(Text)
    period_start: Mapped[int]
    period_end: Mapped[int | None]
    adopted_on: Mapped[date | None] = mapped_column(Date)
    adopted_on_precision: Mapped[str] = mapped_column(String(10), default=DatePrecision.DAY.value)
    adopted_by_sv: Mapped[str | None] = mapped_column(String(MAX_ADOPTED_BY_LENGTH))
    adopted_by_en: Mapped[str | None] = mapped_column(String(MAX_ADOPTED_BY_LENGTH))
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("frameworks.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    supersedes: Mapped[Framework | None] = relationship(
        remote_side=[id], back_populates="successors"
    )
    successors: Mapped[list[Framework]] = relationship(back_populates="supersedes")
    goals: Mapped[list[Goal]] = relationship(
        back_populates="framework",
        cascade="all, delete-orphan",
        order_by="Goal.position",
    )

    def __repr__(self) -> str:
        return f"<Framework {self.slug} {self.status}>"

    @property
    def is_draft(self) -> bool:
        return self.status == FrameworkStatus.DRAFT

    @property
    def is_consultation(self) -> bool:
        return self.status == FrameworkStatus.CONSULTATION

    @property
    def is_superseded(self) -> bool:
        return self.status == FrameworkStatus.SUPERSEDED

    @property
    def is_programme(self) -> bool:
        """A programme of goal areas and sub-goals (else a strategy of priority areas)."""
        return self.kind == FrameworkKind.PROGRAMME

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES


class Goal(Model):
    """A node of a framework's goal tree: a goal area, sub-goal or priority area."""

    __tablename__ = "goals"
    __table_args__ = (UniqueConstraint("framework_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(
        ForeignKey("frameworks.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("goals.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(MAX_GOAL_CODE_LENGTH))
    title_sv: Mapped[str] = mapped_column(String(MAX_GOAL_TITLE_LENGTH))
    title_en: Mapped[str | None] = mapped_column(String(MAX_GOAL_TITLE_LENGTH))
    statement_sv: Mapped[str | None] = mapped_column(Text)
    statement_en: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)
    # The same goal across versions keeps its lineage; "new version" copies it.
    lineage: Mapped[str] = mapped_column(String(32), default=new_lineage, index=True)
    copied_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("goals.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    framework: Mapped[Framework] = relationship(back_populates="goals")
    # Used by the services only; pages build the tree from one query (queries.build_tree).
    parent: Mapped[Goal | None] = relationship(remote_side=[id], foreign_keys=[parent_id])
    sdg_links: Mapped[list[GoalSdg]] = relationship(
        back_populates="goal", cascade="all, delete-orphan", order_by="GoalSdg.sdg_number"
    )
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="goal", cascade="all, delete-orphan", order_by="Indicator.position"
    )

    def __repr__(self) -> str:
        return f"<Goal {self.id} {self.code}>"


class GoalSdg(Model):
    """A goal's link to one of the Agenda 2030 goals."""

    __tablename__ = "goal_sdgs"

    goal_id: Mapped[int] = mapped_column(
        ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True
    )
    sdg_number: Mapped[int] = mapped_column(ForeignKey("sdgs.number"), primary_key=True)
    # Demo data the seed texts do not give; shown as example data.
    is_example: Mapped[bool] = mapped_column(default=False)

    goal: Mapped[Goal] = relationship(back_populates="sdg_links")
    sdg: Mapped[Sdg] = relationship()

    def __repr__(self) -> str:
        return f"<GoalSdg {self.goal_id}→{self.sdg_number}>"


class Indicator(Model):
    """A measurable indicator of a goal, with its baseline, target and yearly measurements."""

    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    name_sv: Mapped[str] = mapped_column(String(MAX_INDICATOR_NAME_LENGTH))
    name_en: Mapped[str | None] = mapped_column(String(MAX_INDICATOR_NAME_LENGTH))
    unit_sv: Mapped[str] = mapped_column(String(MAX_UNIT_LENGTH))
    unit_en: Mapped[str | None] = mapped_column(String(MAX_UNIT_LENGTH))
    direction: Mapped[str] = mapped_column(String(10), default=Direction.HIGHER.value)
    baseline_year: Mapped[int | None]
    baseline_value: Mapped[float | None]
    target_year: Mapped[int | None]
    target_value: Mapped[float | None]
    kolada_kpi: Mapped[str | None] = mapped_column(String(KOLADA_KPI_LENGTH), index=True)
    municipality_code: Mapped[str | None] = mapped_column(String(MUNICIPALITY_CODE_LENGTH))
    position: Mapped[int] = mapped_column(default=0)
    is_example: Mapped[bool] = mapped_column(default=False)

    goal: Mapped[Goal] = relationship(back_populates="indicators")
    measurements: Mapped[list[Measurement]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan", order_by="Measurement.year"
    )

    def __repr__(self) -> str:
        return f"<Indicator {self.id} {self.kolada_kpi or ''}>"

    @property
    def has_kolada_values(self) -> bool:
        return any(m.source == MeasurementSource.KOLADA for m in self.measurements)


class Measurement(Model):
    """An indicator's value for one year."""

    __tablename__ = "measurements"
    __table_args__ = (UniqueConstraint("indicator_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicators.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int]
    value: Mapped[float]
    source: Mapped[str] = mapped_column(String(10), default=MeasurementSource.MANUAL.value)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    indicator: Mapped[Indicator] = relationship(back_populates="measurements")

    def __repr__(self) -> str:
        return f"<Measurement {self.indicator_id} {self.year}={self.value}>"
