"""A small server-rendered SVG chart of an indicator's measurements against its target.

The chart is an image with a title and a text description (role="img"); the page shows the
same figures in a table as well, so nothing depends on seeing the chart.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_decimal
from markupsafe import Markup

from dialog.core.cache import in_every_language, reference_data
from dialog.core.i18n import _, current_language, localized
from dialog.goals.models import Goal, Indicator

WIDTH, HEIGHT = 480, 200
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 16, 32
MAX_YEAR_LABELS = 8


@dataclass(frozen=True)
class _Scale:
    first_year: int
    last_year: int
    low: float
    high: float

    def x(self, year: float) -> float:
        span = self.last_year - self.first_year
        return LEFT + (year - self.first_year) / span * (WIDTH - LEFT - RIGHT)

    def y(self, value: float) -> float:
        span = self.high - self.low
        return TOP + (self.high - value) / span * (HEIGHT - TOP - BOTTOM)


def number(value: float | None) -> str:
    """A value in the reader's number format (12,5 in Swedish, 12.5 in English)."""
    if value is None:
        return ""
    return format_decimal(value, format="#,##0.##")


def with_unit(value: float | None, indicator: Indicator) -> str:
    return f"{number(value)} {localized(indicator, 'unit') or ''}".strip()


def _scale(indicator: Indicator) -> _Scale | None:
    points = [(m.year, m.value) for m in indicator.measurements]
    for prefix in ("baseline", "target"):
        year, value = getattr(indicator, f"{prefix}_year"), getattr(indicator, f"{prefix}_value")
        if year is not None and value is not None:
            points.append((year, value))
    if not points:
        return None
    years = [year for year, _value in points]
    values = [value for _year, value in points]
    first, last = min(years), max(years)
    if first == last:
        first, last = first - 1, last + 1
    low, high = min(values), max(values)
    if low >= 0 and low < high / 2:
        low = 0.0
    pad = (high - low) * 0.1 or abs(high) * 0.1 or 1.0
    return _Scale(first, last, low - pad if low != 0 else 0.0, high + pad)


def chart_description(indicator: Indicator) -> str:
    """The chart in words: every measured value, the baseline and the target."""
    parts = []
    if indicator.measurements:
        values = ", ".join(
            _("{year}: {value}").format(year=m.year, value=with_unit(m.value, indicator))
            for m in indicator.measurements
        )
        parts.append(_("Measured values {values}.").format(values=values))
    else:
        parts.append(_("No values measured yet."))
    if indicator.baseline_year is not None:
        parts.append(
            _("Baseline {year}: {value}.").format(
                year=indicator.baseline_year,
                value=with_unit(indicator.baseline_value, indicator),
            )
        )
    if indicator.target_year is not None:
        parts.append(
            _("Target {year}: {value}.").format(
                year=indicator.target_year, value=with_unit(indicator.target_value, indicator)
            )
        )
    return " ".join(parts)


def _year_labels(scale: _Scale) -> list[int]:
    years = list(range(scale.first_year, scale.last_year + 1))
    step = max(1, -(-len(years) // MAX_YEAR_LABELS))
    labels = years[::step]
    if labels[-1] != years[-1]:
        labels.append(years[-1])
    return labels


@dataclass(frozen=True)
class GoalFigures:
    """A goal's indicators as its page shows them in one language: each chart, and each
    value written out with its unit (baselines and targets by indicator id, measurements by
    their own id)."""

    charts: dict[int, Markup]
    baselines: dict[int, str]
    targets: dict[int, str]
    measurements: dict[int, str]


def goal_figures(goal: Goal) -> GoalFigures:
    """Return the charts and the written-out values of the goal's indicators, in the
    reader's language.

    Made once per process and change, in every language (``dialog.core.cache.reference_data``):
    they depend on the indicators and the language only. ``goal`` is a frozen goal of
    ``dialog.goals.queries.framework_tree``, read in this request.
    """
    made = reference_data(
        ("goal-figures", goal.id), lambda: in_every_language(lambda: _figures(goal))
    )
    figures = made.get(current_language())
    return figures if figures is not None else _figures(goal)


def _figures(goal: Goal) -> GoalFigures:
    indicators = goal.indicators
    return GoalFigures(
        charts={i.id: indicator_chart(i, f"chart-{i.id}") for i in indicators},
        baselines={i.id: with_unit(i.baseline_value, i) for i in indicators},
        targets={i.id: with_unit(i.target_value, i) for i in indicators},
        measurements={m.id: with_unit(m.value, i) for i in indicators for m in i.measurements},
    )


def indicator_chart(indicator: Indicator, element_id: str) -> Markup:
    """Return the SVG chart of the indicator, or nothing when there is nothing to draw."""
    scale = _scale(indicator)
    if scale is None:
        return Markup("")
    title_id, desc_id = f"{element_id}-title", f"{element_id}-desc"
    parts = [
        Markup(
            '<svg class="indicator-chart" viewBox="0 0 {w} {h}" role="img" '
            'aria-labelledby="{title_id} {desc_id}">'
            '<title id="{title_id}">{title}</title><desc id="{desc_id}">{desc}</desc>'
        ).format(
            w=WIDTH,
            h=HEIGHT,
            title_id=title_id,
            desc_id=desc_id,
            title=_("{name}: measured values and target").format(name=localized(indicator, "name")),
            desc=chart_description(indicator),
        )
    ]
    parts.extend(_axes(scale))
    parts.extend(_target(indicator, scale))
    parts.extend(_measurements(indicator, scale))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _axes(scale: _Scale) -> list[Markup]:
    bottom, right = HEIGHT - BOTTOM, WIDTH - RIGHT
    parts = [
        Markup(
            '<line class="chart-axis" x1="{x0}" y1="{y1}" x2="{x1}" y2="{y1}"/>'
            '<line class="chart-axis" x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}"/>'
        ).format(x0=LEFT, x1=right, y0=TOP, y1=bottom)
    ]
    for value in (scale.low, (scale.low + scale.high) / 2, scale.high):
        y = round(scale.y(value), 1)
        parts.append(
            Markup(
                '<line class="chart-grid" x1="{x0}" y1="{y}" x2="{x1}" y2="{y}"/>'
                '<text class="chart-label" x="{tx}" y="{ty}" text-anchor="end">{label}</text>'
            ).format(x0=LEFT, x1=right, y=y, tx=LEFT - 6, ty=y + 4, label=number(value))
        )
    for year in _year_labels(scale):
        parts.append(
            Markup(
                '<text class="chart-label" x="{x}" y="{y}" text-anchor="middle">{year}</text>'
            ).format(x=round(scale.x(year), 1), y=HEIGHT - 10, year=year)
        )
    return parts


def _target(indicator: Indicator, scale: _Scale) -> list[Markup]:
    if indicator.target_year is None or indicator.target_value is None:
        return []
    x, y = round(scale.x(indicator.target_year), 1), round(scale.y(indicator.target_value), 1)
    return [
        Markup(
            '<line class="chart-target" x1="{x0}" y1="{y}" x2="{x1}" y2="{y}"/>'
            '<path class="chart-target-point" d="M{x} {top}L{right} {y}L{x} {bottom}L{left} {y}Z"/>'
            '<text class="chart-label chart-target-label" x="{tx}" y="{ty}" '
            'text-anchor="end">{label}</text>'
        ).format(
            x0=LEFT,
            x1=WIDTH - RIGHT,
            x=x,
            y=y,
            top=y - 6,
            bottom=y + 6,
            left=x - 6,
            right=x + 6,
            tx=x - 8,
            ty=y - 8,
            label=_("Target {value}").format(value=number(indicator.target_value)),
        )
    ]


def _measurements(indicator: Indicator, scale: _Scale) -> list[Markup]:
    points = [
        (round(scale.x(m.year), 1), round(scale.y(m.value), 1)) for m in indicator.measurements
    ]
    if not points:
        return []
    parts = []
    if len(points) > 1:
        path = " ".join(f"{x},{y}" for x, y in points)
        parts.append(Markup('<polyline class="chart-line" points="{p}"/>').format(p=path))
    for x, y in points:
        parts.append(
            Markup('<circle class="chart-point" cx="{x}" cy="{y}" r="4"/>').format(x=x, y=y)
        )
    return parts
