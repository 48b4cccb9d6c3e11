"""Template helpers of the moderation pages, and the reason labels every page may show
(a receipt shows the reason of a decision)."""

from __future__ import annotations

from dialog.core.personal_data import marked_text
from dialog.moderation.forms import DECISION_LABELS, KIND_LABELS
from dialog.moderation.reasons import reason_label
from dialog.moderation.views import bp


def kind_label(kind: str) -> str:
    label = KIND_LABELS.get(kind)
    return str(label) if label is not None else kind


def decision_label(action: str) -> str:
    label = DECISION_LABELS.get(action)
    return str(label) if label is not None else action


for helper in (kind_label, decision_label, marked_text, reason_label):
    bp.add_app_template_global(helper)
