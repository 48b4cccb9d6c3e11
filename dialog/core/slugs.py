"""Page addresses (slugs): one pattern and one length for every area."""

from __future__ import annotations

import re

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG_LENGTH = 80


def clean_slug(slug: str) -> str | None:
    """The slug stripped and lower-cased, or None when it is not a valid address."""
    slug = slug.strip().lower()
    if len(slug) > MAX_SLUG_LENGTH or not SLUG_PATTERN.match(slug):
        return None
    return slug
