"""Demo content pages and page comments (``data/pages/*.toml``, one file per page).

A page is written by the file's actor, saved once per entry of ``versions`` (so the
editors' diff has something to show), published, and then receives its page comments; a
comment with an ``answer`` is answered and handled. The made-up commenters get no email.
A page whose slug exists is left as it is, with its comments.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dialog.demo.common import Source
from dialog.dialogues.queries import dialogue_by_slug
from dialog.goals.queries import framework_with_goals
from dialog.pages import services
from dialog.pages.models import Page
from dialog.pages.queries import page_by_slug

COMMENT = {"page": str, "title": str, "text": str, "email?": str, "answer?": str}
SCHEMA = {
    "actor": str,
    "slug": str,
    "title": str,
    "summary?": str,
    "framework?": str,
    "goals?": [str],
    "dialogues?": [str],
    "versions": [{"body": str}],
    "comments?": [COMMENT],
}


def load(source: Source, now: datetime) -> Page:
    """Create the file's page and its comments, unless a page has its slug."""
    data = source.data
    page = page_by_slug(data["slug"])
    if page is not None:
        return page
    actor = source.actor()
    goal_ids, dialogue_ids = _goal_ids(source), _dialogue_ids(source)
    for index, version in enumerate(data["versions"]):
        page_input = services.PageInput(
            title=data["title"],
            slug=data["slug"],
            body=version["body"],
            summary=data.get("summary"),
            goal_ids=goal_ids,
            dialogue_ids=dialogue_ids,
        )
        with source.at(f"versions[{index}]"):
            if page is None:
                page = services.create_page(page_input, actor)
            else:
                services.update_page(page, page_input, actor)
    if page is None:
        raise source.error("versions", "give at least one version")
    services.set_page_published(page, True, actor)
    for index, item in enumerate(data.get("comments", [])):
        _comment(source, f"comments[{index}]", item)
    return page


def _comment(source: Source, key: str, item: dict[str, Any]) -> None:
    with source.at(key):
        comment = services.send_page_comment(
            item["page"], item["title"], item["text"], item.get("email"), "sv"
        )
        if "answer" in item:
            # No page_url: the made-up commenter gets no email; the answer is kept.
            services.answer_page_comment(comment, item["answer"], source.actor(), None)


def _goal_ids(source: Source) -> list[int]:
    codes = source.data.get("goals", [])
    if not codes:
        return []
    slug = source.data.get("framework", "")
    framework = framework_with_goals(slug)
    if framework is None:
        raise source.error("framework", f"no framework {slug} in goals/")
    goals = {goal.code: goal.id for goal in framework.goals}
    missing = [code for code in codes if code not in goals]
    if missing:
        raise source.error("goals", f"no goal {missing[0]} in {slug}")
    return [goals[code] for code in codes]


def _dialogue_ids(source: Source) -> list[int]:
    ids = []
    for slug in source.data.get("dialogues", []):
        dialogue = dialogue_by_slug(slug)
        if dialogue is None:
            raise source.error("dialogues", f"no dialogue {slug} in dialogues/")
        ids.append(dialogue.id)
    return ids
