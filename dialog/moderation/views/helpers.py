"""Template helpers of the moderation pages, and the reason labels every page may show
(a receipt shows the reason of a decision)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from dialog.core.i18n import _
from dialog.moderation.forms import DECISION_LABELS, KIND_LABELS
from dialog.moderation.reasons import reason_label
from dialog.moderation.views import bp


def kind_label(kind: str) -> str:
    label = KIND_LABELS.get(kind)
    return str(label) if label is not None else kind


def decision_label(action: str) -> str:
    label = DECISION_LABELS.get(action)
    return str(label) if label is not None else action


def finding_label(kind: str) -> str:
    """What the personal-data guard found, in the reader's language."""
    labels = {
        "personal_number": _("Personal identity number"),
        "coordination_number": _("Coordination number"),
        "phone": _("Phone number"),
        "email": _("Email address"),
    }
    return labels.get(kind, kind)


def _spans(findings: Any, field: str, length: int) -> list[tuple[int, int, str]]:
    """The findings' spans in one field, in order, inside the text and not overlapping."""
    spans: list[tuple[int, int, str]] = []
    for finding in findings or ():
        if not isinstance(finding, dict) or finding.get("field", "body") != field:
            continue
        start, end = finding.get("start"), finding.get("end")
        if not isinstance(start, int) or not isinstance(end, int):
            continue
        if 0 <= start < end <= length:
            spans.append((start, end, str(finding.get("kind", ""))))
    spans.sort()
    kept: list[tuple[int, int, str]] = []
    for span in spans:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def highlighted(text: str | None, findings: Any, field: str = "body") -> Markup:
    """The plain text, escaped, with the personal-data guard's findings marked (<mark>)."""
    text = text or ""
    spans = _spans(findings, field, len(text))
    if not spans:
        return escape(text)
    out: list[str] = []
    position = 0
    for start, end, kind in spans:
        out.append(escape(text[position:start]))
        out.append(f'<mark title="{escape(finding_label(kind))}">{escape(text[start:end])}</mark>')
        position = end
    out.append(escape(text[position:]))
    # Every part is escaped above; only the <mark> tags are markup.
    return Markup("".join(out))  # noqa: S704


for helper in (kind_label, decision_label, finding_label, highlighted, reason_label):
    bp.add_app_template_global(helper)
