"""The one place the demo writes to models itself: the past that no service can reach."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from dialog.accounts.models import User
from dialog.core import audit
from dialog.dialogues.models import Dialogue
from dialog.goals.models import Framework


def set_past(
    actor: User, subject: Framework | Dialogue, changes: Sequence[tuple[Any, dict[str, Any]]]
) -> None:
    """Give objects the services have just created the past they had; audit it once.

    Services act now, as staff do: a report is published at this moment, a note is taken
    down at this moment, and adopt_framework asks for the date and the body that adopted a
    version. The demo tells a story that happened years ago and that the sources tell only
    in part: Köping's 2019 workshops, their notes and reports, and versions known to have
    been adopted without the day or the body. So after the services have created each
    object (with every rule checked and audited), this sets the fields that describe the
    past, for ``subject`` (the framework or dialogue they belong to): one ``demo_past_set``
    event in the audit trail, by the demo actor, names the fields.

    ``changes`` pairs each object with the values to set on it.
    """
    fields: set[str] = set()
    for obj, values in changes:
        for name, value in values.items():
            setattr(obj, name, value)
        fields.update(values)
    if not fields:
        return
    # audit.record flushes, so the values are written with the event.
    audit.record(
        "demo_past_set",
        actor,
        subject,
        objects=len(changes),
        fields=sorted(fields),
        # The values themselves when there is one object (a framework, a report).
        after={name: _shown(value) for name, value in changes[0][1].items()}
        if len(changes) == 1
        else None,
    )


def _shown(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value
