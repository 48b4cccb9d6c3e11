"""Editors' decisions and residents' reports on demo inputs (``data/moderation/*.toml``,
one file per dialogue), so the moderation queue and the receipts show something real.

Each decision names a proposal the contributions files sent to the dialogue (by its title)
and is taken through the moderation services, as an editor takes it in the queue: reject a
waiting one, hide a published one, or redact one (the public then sees the text given). A
proposal already decided on is left as it is. A report names a published proposal, its
reason and note, and the resident who sends it (none: a visitor), and is sent through the
report service as the report form sends it; one already there is not sent again.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from dialog.contributions.models import ContributionStatus, Proposal
from dialog.contributions.queries import proposal_titled
from dialog.demo.common import Source
from dialog.dialogues.queries import dialogue_by_slug
from dialog.moderation import reports, services


class DemoAction(StrEnum):
    REJECT = "reject"
    HIDE = "hide"
    REDACT = "redact"


DECISION = {
    "proposal": str,
    "action": DemoAction,
    "reason?": str,
    "note?": str,
    "title?": str,
    "body?": str,
}
REPORT = {"proposal": str, "reason": str, "note?": str, "reporter?": str}
SCHEMA = {"actor": str, "dialogue": str, "decisions": [DECISION], "reports?": [REPORT]}


def load(source: Source, now: datetime) -> list[Proposal]:
    """Take the file's decisions that are not taken yet; return the proposals decided on."""
    dialogue = dialogue_by_slug(source.data["dialogue"])
    if dialogue is None:
        raise source.error("dialogue", f"no dialogue {source.data['dialogue']} in dialogues/")
    actor = source.actor()
    decided = []
    for index, item in enumerate(source.data["decisions"]):
        key = f"decisions[{index}]"
        proposal = proposal_titled(dialogue.id, item["proposal"])
        if proposal is None:
            raise source.error(f"{key}.proposal", "no proposal of this title in contributions/")
        if not _decided(proposal, item):
            with source.at(key):
                _decide(proposal, item, actor)
        decided.append(proposal)
    for index, item in enumerate(source.data.get("reports", [])):
        _report(source, f"reports[{index}]", dialogue.id, item)
    return decided


def _report(source: Source, key: str, dialogue_id: int, item: dict[str, Any]) -> None:
    proposal = proposal_titled(dialogue_id, item["proposal"])
    if proposal is None:
        raise source.error(f"{key}.proposal", "no proposal of this title in contributions/")
    reporter = source.user(f"{key}.reporter", item["reporter"]) if "reporter" in item else None
    note = item.get("note")
    if reports.report_of(proposal.id, item["reason"], note, reporter) is None:
        with source.at(key):
            reports.report_contribution(proposal, item["reason"], note, reporter)


def _decided(proposal: Proposal, item: dict[str, Any]) -> bool:
    action = DemoAction(item["action"])
    if action == DemoAction.REDACT:
        return proposal.is_redacted
    wanted = (
        ContributionStatus.REJECTED if action == DemoAction.REJECT else ContributionStatus.HIDDEN
    )
    return proposal.status == wanted


def _decide(proposal: Proposal, item: dict[str, Any], actor: Any) -> None:
    action = DemoAction(item["action"])
    if action == DemoAction.REJECT:
        services.reject(proposal, item.get("reason"), item.get("note"), actor)
    elif action == DemoAction.HIDE:
        services.hide(proposal, item.get("reason"), item.get("note"), actor)
    else:
        services.redact(proposal, item.get("title", proposal.title), item.get("body", ""), actor)
