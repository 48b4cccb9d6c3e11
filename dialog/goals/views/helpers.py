"""What the goal views share: loading with 404, the admin check, the locked check."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from werkzeug.wrappers import Response

from dialog.accounts.models import Role
from dialog.accounts.permissions import roles_required
from dialog.goals import services
from dialog.goals.models import Framework, Goal, Indicator
from dialog.goals.queries import (
    framework_by_slug,
    goal_in,
    indicator_in,
)

admin_required = roles_required(Role.ADMIN)


def framework_or_404(slug: str) -> Framework:
    framework = framework_by_slug(slug)
    if framework is None:
        abort(404)
    return framework


def goal_or_404(framework: Framework, goal_id: int) -> Goal:
    goal = goal_in(framework, goal_id)
    if goal is None:
        abort(404)
    return goal


def indicator_or_404(framework: Framework, indicator_id: int) -> Indicator:
    indicator = indicator_in(framework, indicator_id)
    if indicator is None:
        abort(404)
    return indicator


def overview(framework: Framework) -> Response:
    return redirect(url_for("goals.admin_framework", slug=framework.slug))


def refuse_if_locked(framework: Framework) -> Response | None:
    """Send the reader back to the overview with the reason when the version is locked."""
    try:
        services.require_editable(framework)
    except services.GoalsError as error:
        flash(str(error), "error")
        return overview(framework)
    return None
