"""axe-core in the page at hand: WCAG 2.1 AA violations fail, with a readable report."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
_axe = Axe()


def report(violations: list[dict[str, Any]]) -> str:
    """The violations, one rule a line, each with the elements that break it."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


def assert_accessible(page: Page, name: str) -> None:
    """axe finds no WCAG 2.1 AA violation on the page as it is now."""
    results = _axe.run(page, options=AXE_OPTIONS)
    # Only violations fail the test; "incomplete" results (for a person to review) do not.
    assert results.response["passes"], "axe ran no rules"
    violations = results.response["violations"]
    assert not violations, f"{name} at {page.url}:\n{report(violations)}"
