"""The reasons an editor rejects or hides an input, and a resident reports one.

One list for both, configurable with ``DIALOG_MODERATION_REASONS``: the codes in order,
comma-separated. A known code gets its label in the reader's language; a municipality's own
reason is written ``code=Label`` and shown as written.
"""

from __future__ import annotations

from functools import lru_cache

from flask import current_app

from dialog.core.i18n import _l

PERSONAL_DATA = "personal_data"
OFFENSIVE = "offensive"
OFF_TOPIC = "off_topic"
COMMERCIAL = "commercial"
DUPLICATE = "duplicate"
OTHER = "other"
# Not chosen by anyone: an input hidden because enough residents reported it.
REPORTED = "reported"

KNOWN_REASONS = {
    PERSONAL_DATA: _l("Personal data"),
    OFFENSIVE: _l("Offensive or abusive"),
    OFF_TOPIC: _l("Not about the dialogue"),
    COMMERCIAL: _l("Advertising or commercial"),
    DUPLICATE: _l("Duplicate of another input"),
    OTHER: _l("Other reason"),
    REPORTED: _l("Reported by several residents"),
}
DEFAULT_REASONS = (PERSONAL_DATA, OFFENSIVE, OFF_TOPIC, COMMERCIAL, DUPLICATE, OTHER)


@lru_cache(maxsize=8)
def parse_reasons(value: str) -> dict[str, str]:
    """``"personal_data,spam=Reklam"`` as {code: own label or ""}; raises ValueError.

    Empty means the default list. create_app checks the setting, so a mistake stops the start.
    """
    if not value.strip():
        return dict.fromkeys(DEFAULT_REASONS, "")
    reasons: dict[str, str] = {}
    for item in value.split(","):
        code, _sep, label = (part.strip() for part in item.partition("="))
        if not code:
            continue
        if not code.replace("_", "").isalnum() or len(code) > 30:
            raise ValueError(f"{code!r} is not a reason code (letters, digits and _)")
        if code not in KNOWN_REASONS and not label:
            raise ValueError(f"the reason {code!r} needs a label: {code}=Label")
        reasons[code] = label
    if not reasons:
        raise ValueError("no reasons given")
    return reasons


def moderation_reasons() -> list[tuple[str, str]]:
    """The configured reasons as (code, label in the reader's language), in order."""
    configured = parse_reasons(current_app.config["MODERATION_REASONS"])
    return [(code, label or str(KNOWN_REASONS[code])) for code, label in configured.items()]


def reason_label(code: str | None) -> str:
    """The label of a stored reason code, also one no longer configured ("" for none)."""
    if not code:
        return ""
    own = parse_reasons(current_app.config["MODERATION_REASONS"]).get(code)
    if own:
        return str(own)
    known = KNOWN_REASONS.get(code)
    return str(known) if known is not None else code
