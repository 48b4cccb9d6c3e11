"""Demo proposals and their comments (``data/contributions/*.toml``, one file per dialogue
they are sent to).

Each proposal is sent the way a resident sends it (with an account or without one, with no
mail), published by the file's actor as a moderator would unless it is still waiting,
supported by the demo users named, commented on (with replies) the same way, and withdrawn
by its author when the file says so. Its dates, and its comments', are then set back the
given number of days. A proposal whose title the dialogue already has is left as it is,
with its comments.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from itertools import count
from typing import Any

from dialog.accounts.models import User
from dialog.contributions import services
from dialog.contributions.models import Comment, Proposal
from dialog.contributions.queries import proposal_titled
from dialog.demo.common import Source
from dialog.demo.past import set_past
from dialog.dialogues.models import Dialogue
from dialog.dialogues.queries import dialogue_by_slug


class DemoStatus(StrEnum):
    PUBLISHED = "published"
    WAITING = "waiting"
    WITHDRAWN = "withdrawn"


REPLY = {
    "body": str,
    "days_ago": int,
    "status?": DemoStatus,
    "name?": str,
    "author?": str,
}
COMMENT = {**REPLY, "replies?": [REPLY]}
PROPOSAL = {
    "title": str,
    "body": str,
    "days_ago": int,
    "status?": DemoStatus,
    "goal?": str,
    "name?": str,
    "author?": str,
    "supporters?": [str],
    "comments?": [COMMENT],
    # The author saw the personal data the guard found and sent it anyway.
    "send_anyway?": bool,
}
SCHEMA = {"actor": str, "dialogue": str, "proposals": [PROPOSAL]}


def load(source: Source, now: datetime) -> list[Proposal]:
    """Send the file's proposals that are missing; return all of them."""
    dialogue = dialogue_by_slug(source.data["dialogue"])
    if dialogue is None:
        raise source.error("dialogue", f"no dialogue {source.data['dialogue']} in dialogues/")
    actor = source.actor()
    proposals = []
    for index, item in enumerate(source.data["proposals"]):
        found = proposal_titled(dialogue.id, item["title"])
        if found is None:
            found = _send(source, f"proposals[{index}]", item, dialogue, actor, now)
        proposals.append(found)
    return proposals


def _goal_id(source: Source, key: str, dialogue: Dialogue, code: str | None) -> int | None:
    if code is None:
        return None
    goals = {goal.code: goal.id for goal in dialogue.framework.goals}
    if code not in goals:
        raise source.error(f"{key}.goal", f"no goal {code} in the dialogue's framework")
    return goals[code]


def _send(
    source: Source,
    key: str,
    item: dict[str, Any],
    dialogue: Dialogue,
    actor: User,
    now: datetime,
) -> Proposal:
    author = source.user(f"{key}.author", item["author"]) if "author" in item else None
    status = DemoStatus(item.get("status", DemoStatus.PUBLISHED))
    data = services.ProposalInput(
        title=item["title"],
        body=item["body"],
        submission_token=services.new_submission_token(),
        goal_id=_goal_id(source, key, dialogue, item.get("goal")),
        name=item.get("name"),
        send_anyway=item.get("send_anyway", False),
    )
    with source.at(key):
        proposal = services.submit_proposal(dialogue, data, services.Sender(author, None), None)
    sent = proposal.contribution
    assert isinstance(sent, Proposal)
    with source.at(key):
        if status != DemoStatus.WAITING:
            services.publish_contribution(sent, actor)
        for email in item.get("supporters", []):
            services.support(sent, source.user(f"{key}.supporters", email))
    _comment(source, key, item, sent, actor, now)
    with source.at(key):
        if status == DemoStatus.WITHDRAWN:
            services.withdraw_contribution(sent, author, "account" if author else "receipt")
    at = now - timedelta(days=item["days_ago"])
    past: dict[str, Any] = {"created_at": at, "updated_at": at}
    if sent.published_at is not None:
        past["published_at"] = at + timedelta(hours=2)
    set_past(actor, dialogue, [(sent, past)])
    return sent


def _comment(
    source: Source,
    key: str,
    item: dict[str, Any],
    proposal: Proposal,
    actor: User,
    now: datetime,
) -> None:
    """Send the proposal's comments and their replies, oldest first, as residents would."""
    order = count(1)  # minutes after the hour, so that the file's order is the page's
    for index, comment in enumerate(item.get("comments", [])):
        at = f"{key}.comments[{index}]"
        top = _send_comment(source, at, comment, proposal, actor, now, None, next(order))
        for number, reply in enumerate(comment.get("replies", [])):
            where = f"{at}.replies[{number}]"
            _send_comment(source, where, reply, proposal, actor, now, top, next(order))


def _send_comment(
    source: Source,
    key: str,
    item: dict[str, Any],
    proposal: Proposal,
    actor: User,
    now: datetime,
    reply_to: Comment | None,
    order: int,
) -> Comment:
    author = source.user(f"{key}.author", item["author"]) if "author" in item else None
    status = DemoStatus(item.get("status", DemoStatus.PUBLISHED))
    data = services.CommentInput(
        body=item["body"],
        submission_token=services.new_submission_token(),
        reply_to_id=reply_to.id if reply_to is not None else None,
        name=item.get("name"),
    )
    with source.at(key):
        submitted = services.submit_comment(proposal, data, services.Sender(author, None), None)
        sent = submitted.contribution
        assert isinstance(sent, Comment)
        if status != DemoStatus.WAITING:
            services.publish_contribution(sent, actor)
        if status == DemoStatus.WITHDRAWN:
            services.withdraw_contribution(sent, author, "account" if author else "receipt")
    # Hours after the proposal was published that day, in the file's order; never later
    # than now.
    at = now - timedelta(days=item["days_ago"]) + timedelta(hours=3, minutes=order)
    at = min(at, now)
    past: dict[str, Any] = {"created_at": at, "updated_at": at}
    if sent.published_at is not None:
        past["published_at"] = at
    if proposal.dialogue is not None:
        set_past(actor, proposal.dialogue, [(sent, past)])
    return sent
