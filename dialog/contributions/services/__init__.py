"""Contribution rules: every kind's storing, linking, hiding and withdrawing (``common``),
what every input a resident sends shares (``submission``), proposals with their supports
(``proposals``) and comments on proposals with their replies (``comments``).

Services flush and never commit; the request (or the command) commits at its edge.
"""

from dialog.contributions.services.comments import (
    MAX_COMMENT_LENGTH,
    CommentInput,
    check_takes_comments,
    submit_comment,
)
from dialog.contributions.services.common import (
    MAX_NOTE_LENGTH,
    MAX_REASON_LENGTH,
    WITHDRAWABLE,
    ContributionError,
    add_workshop_note,
    check_text,
    correct_note,
    hide_contribution,
    link_goal,
    publish_contribution,
    recount_comments,
    restore_contribution,
    suggest_goal,
    unlink_goal,
    withdraw_contribution,
)
from dialog.contributions.services.proposals import (
    MAX_BODY_LENGTH,
    ProposalInput,
    submit_proposal,
    support,
    withdraw_support,
)
from dialog.contributions.services.submission import (
    LIMITS_PER_ACCOUNT,
    LIMITS_PER_ADDRESS,
    Sender,
    SubmissionError,
    Submitted,
    new_submission_token,
    receipt_token_for,
    refused_by_limits,
    valid_submission_token,
)

__all__ = [
    "MAX_NOTE_LENGTH",
    "MAX_REASON_LENGTH",
    "MAX_BODY_LENGTH",
    "MAX_COMMENT_LENGTH",
    "WITHDRAWABLE",
    "LIMITS_PER_ACCOUNT",
    "LIMITS_PER_ADDRESS",
    "ContributionError",
    "SubmissionError",
    "Sender",
    "Submitted",
    "ProposalInput",
    "CommentInput",
    "add_workshop_note",
    "check_text",
    "correct_note",
    "hide_contribution",
    "restore_contribution",
    "publish_contribution",
    "withdraw_contribution",
    "link_goal",
    "suggest_goal",
    "unlink_goal",
    "new_submission_token",
    "valid_submission_token",
    "receipt_token_for",
    "refused_by_limits",
    "submit_proposal",
    "support",
    "withdraw_support",
    "check_takes_comments",
    "recount_comments",
    "submit_comment",
]
