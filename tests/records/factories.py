"""Factories for the records tests: a resident with everything that can be stored about them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Flask

from dialog.accounts.models import User
from dialog.contributions import services
from dialog.contributions.models import Contribution, Proposal
from dialog.core.mail import queue_mail
from dialog.core.models import utcnow
from dialog.dialogues.models import Registration, RegistrationStatus
from dialog.extensions import db
from dialog.moderation.models import Flag
from tests.contributions.factories import make_consultation, make_proposal
from tests.dialogues.factories import make_dialogue, make_framework
from tests.helpers import UserInfo, make_user


@dataclass(frozen=True)
class Resident:
    """A resident and the ids of what they left: an input, a comment, a sign-up for an
    event in a week."""

    user: UserInfo
    name: str
    proposal_id: int
    comment_id: int
    registration_id: int
    slug: str


def send_proposal(app: Flask, slug: str, **fields: Any) -> int:
    """Send, publish and commit a proposal through the service; return its id."""
    return make_proposal(app, slug, **fields).id


def make_resident(app: Flask, tag: str, *, slug: str | None = None) -> Resident:
    """A resident named after the tag, with a proposal, a comment on it, a support of it,
    a report of it, a sign-up and a mail, all carrying the tag."""
    name = f"Namn {tag}"
    user = make_user(app, name=name, email=f"{tag.lower()}@example.se")
    slug = slug or make_consultation(app).slug
    proposal_id = send_proposal(
        app,
        slug,
        title=f"Förslag {tag}",
        body=f"<p>Text {tag}</p>",
        name=name,
        user_id=user.id,
    )
    event = make_dialogue(app, make_framework(app), registration=True)  # in a week
    with app.test_request_context(method="POST"):
        author = db.session.get_one(User, user.id)
        proposal = db.session.get_one(Proposal, proposal_id)
        comment = services.submit_comment(
            proposal,
            services.CommentInput(
                body=f"Kommentar {tag}",
                submission_token=services.new_submission_token(),
                name=name,
            ),
            services.Sender(author, None),
            None,
        ).contribution
        services.publish_contribution(comment, None)
        services.support(proposal, author)
        db.session.add(Flag(contribution_id=proposal_id, reason="other", reporter_id=user.id))
        registration = Registration(
            dialogue_id=event.id,
            name=name,
            email=user.email,
            needs=f"Behov {tag}",
            status=RegistrationStatus.CONFIRMED.value,
            cancel_token_hash=secrets.token_hex(32),
        )
        db.session.add(registration)
        queue_mail(user.email, f"Ämne {tag}", f"Brev {tag}")
        db.session.commit()
        return Resident(user, name, proposal_id, comment.id, registration.id, slug)


def contribution_count(app: Flask) -> int:
    with app.app_context():
        return db.session.query(Contribution).count()


def days_ago(days: int) -> datetime:
    return utcnow() - timedelta(days=days)
