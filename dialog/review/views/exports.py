"""The review's exports: exactly the rows the filters show, as CSV or XLSX, streamed."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Response, request, stream_with_context
from werkzeug.wrappers import Response as WerkzeugResponse

from dialog.core.i18n import _
from dialog.goals.queries import FrameworkTree
from dialog.review import queries
from dialog.review.exports import XLSX_TYPE, csv_export, xlsx_export
from dialog.review.forms import review_filters
from dialog.review.queries import Scope
from dialog.review.views import bp
from dialog.review.views.helpers import (
    goal_scope_or_404,
    lines,
    no_store,
    reviewers_required,
    tree_or_404,
)


def _header() -> list[str]:
    return [
        _("Reference"),
        _("Goal"),
        _("Goal title"),
        _("Relation"),
        _("Rationale"),
        _("Kind"),
        _("Status"),
        _("Dialogue"),
        _("Group"),
        _("Received"),
        _("Title"),
        _("Text"),
    ]


def _cells(scope: Scope, tree: FrameworkTree) -> Iterator[list[object]]:
    rows = queries.export_rows(scope, review_filters(request.args))
    for line in lines(rows, scope, tree):
        yield [
            line.reference,
            line.goal_code,
            line.goal_title,
            line.relation_label,
            line.rationale,
            line.kind,
            line.status_label,
            line.dialogue,
            line.group,
            line.sent,
            line.title,
            line.text,
        ]


def _export(scope: Scope, tree: FrameworkTree, fmt: str, name: str) -> WerkzeugResponse:
    cells = _cells(scope, tree)
    if fmt == "xlsx":
        body = xlsx_export(_header(), cells, _("Inputs"))
        response = Response(stream_with_context(body), mimetype=XLSX_TYPE)
    else:
        response = Response(stream_with_context(csv_export(_header(), cells)), mimetype="text/csv")
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return no_store(response)


@bp.route("/review/goals/<int:goal_id>/inputs.<any(csv, xlsx):fmt>")
@reviewers_required
def goal_export(goal_id: int, fmt: str) -> WerkzeugResponse:
    scope, tree = goal_scope_or_404(goal_id)
    return _export(scope, tree, fmt, f"inputs-goal-{goal_id}")


@bp.route("/review/frameworks/<slug>/inputs.<any(csv, xlsx):fmt>")
@reviewers_required
def framework_export(slug: str, fmt: str) -> WerkzeugResponse:
    tree = tree_or_404(slug)
    scope = Scope(tree.framework.id, tree.framework.slug)
    return _export(scope, tree, fmt, f"inputs-{tree.framework.slug}")
