"""Reading numbers as people type them, in Swedish or in English."""

from __future__ import annotations

import math


def parse_number(text: str) -> float:
    """Read a number written the Swedish or the English way ("12,5", "1 234.5", "−3").

    :raise ValueError: when the text is not a finite number.
    """
    cleaned = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    cleaned = cleaned.replace("\u2212", "-")
    if "," in cleaned and "." in cleaned:
        raise ValueError(text)
    value = float(cleaned.replace(",", "."))
    if not math.isfinite(value):
        raise ValueError(text)
    return value
