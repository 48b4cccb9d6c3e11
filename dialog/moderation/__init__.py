"""Moderation: the editors' queue, residents' reports and every decision on an input."""
