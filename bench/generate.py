"""Fill a Dialog database for the benchmarks: migrations, demo data, many residents,
workshop notes, and an open consultation with many published proposals (some supported)
of which one has many comments.

Usage: python -m bench.generate DATABASE_URL [--users N] [--contributions N] [--proposals N]
       [--comments N]

A SQLite file is recreated on every run; any other database is filled idempotently
(migrations are upgraded, missing demo users and missing bench residents are added).
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import flask_migrate
from flask import Flask
from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import make_url

from dialog import create_app
from dialog.accounts.models import Role, User, UserRole
from dialog.accounts.services import hash_password
from dialog.contributions.models import (
    Contribution,
    ContributionKind,
    ContributionStatus,
    GoalLink,
    GoalRelation,
    ReferenceCounter,
    Support,
)
from dialog.contributions.services.submission import format_reference, local_year
from dialog.core.models import utcnow
from dialog.core.sanitize import clean_rich
from dialog.demo import loader
from dialog.dialogues.models import Dialogue
from dialog.extensions import db
from dialog.goals.models import Framework, Goal
from dialog.moderation.models import Flag

BENCH_SECRET_KEY = "bench-secret-key-not-for-production"
DEFAULT_USERS = 10_000
DEFAULT_CONTRIBUTIONS = 10_000
DEFAULT_PROPOSALS = 10_000
DEFAULT_COMMENTS = 2_000
DEFAULT_WAITING = 5_000
# Of the inputs waiting for an editor: one in REPORTED_EVERY is published and reported,
# one in PERSONAL_DATA_EVERY holds a phone number the personal-data guard found.
REPORTED_EVERY = 100
PERSONAL_DATA_EVERY = 20
BENCH_FRAMEWORK = "koping-2020-2027"
BENCH_DIALOGUE = "koping-centrum-2019"
# The open online consultation of the demo: its proposals are listed and sent to.
PROPOSAL_DIALOGUE = "vagval-2020-samrad"
PROPOSAL_TITLES = (
    "Belysning längs gångvägen vid",
    "Fler bänkar och papperskorgar i",
    "Läxhjälp på biblioteket i",
    "Laddstolpar vid hyreshusen i",
    "Utegym nära parken i",
    "Säkrare övergångsställen vid skolan i",
    "Mötesplats för seniorer i",
    "Tätare busstrafik till",
    "Sommarjobb för unga i",
    "Plantera träd längs huvudgatan i",
)
PROPOSAL_PLACES = ("Östervång", "Centrum", "Borstahusen", "Karlslund", "Dösjebro", "Häljarp")
PROPOSAL_REASONS = (
    "Många går här varje dag och det känns otryggt på kvällarna.",
    "Det skulle göra det lättare för barnfamiljer att bo kvar.",
    "Fler skulle välja att cykla eller gå i stället för att ta bilen.",
    "Det saknas en plats där grannar kan träffas utan att det kostar något.",
)
COMMENT_TEXTS = (
    "Håller med, det här behövs verkligen.",
    "Bra förslag, men vem ska sköta det efteråt?",
    "Vi pratade om samma sak på föreningsmötet i våras.",
    "Tänk också på dem som har rullstol eller rullator.",
    "Kan man börja med ett försök under ett år?",
)
REPLY_EVERY = 5  # every fifth comment answers the comment before it
NOTE_OPENINGS = (
    "Fler cykelbanor mellan",
    "Bättre belysning vid",
    "Mötesplatser för unga i",
    "Tätare bussar till",
    "Fler lägenheter nära",
    "Rensa upp grönområdet vid",
    "Trygga skolvägar i",
    "Lokaler för föreningslivet i",
)
NOTE_PLACES = ("Kolsva", "Munktorp", "Himmeta", "centrum", "Malmön", "Ströbohög", "Karlberg")
NOTE_GROUPS = ("residents", "youth", "seniors", "politicians", "managers", "unions")
BATCH_SIZE = 2_000
RESIDENT_DOMAIN = "bench.example.se"
SEED = 2026

FIRST_NAMES = ("Anna", "Erik", "Maria", "Lars", "Karin", "Hassan", "Fatima", "Jonas", "Sofia")
FIRST_NAMES += ("Oskar", "Alva", "Emil", "Wilma", "Hugo", "Ebba", "Liam", "Amina", "Mehmet")
LAST_NAMES = ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson")
LAST_NAMES += ("Persson", "Svensson", "Lindberg", "Lindqvist", "Berg", "Ali", "Yilmaz")


def bench_environment(database_url: str) -> dict[str, str]:
    """The DIALOG_* settings the generator and the benchmarked server share."""
    return {
        "DIALOG_DATABASE_URL": database_url,
        "DIALOG_SECRET_KEY": BENCH_SECRET_KEY,
        # gunicorn listens on 127.0.0.1 (any port): the one host the server answers to
        "DIALOG_BASE_URL": "http://127.0.0.1",
        "DIALOG_STAFF_MFA": "0",
        "DIALOG_LOG_LEVEL": "WARNING",
        # The sends are measured from one address and one session: no limit may stop them.
        "DIALOG_SUBMISSION_LIMITS_PER_ADDRESS": "1000000/minute",
        "DIALOG_SUBMISSION_LIMITS_PER_ACCOUNT": "1000000/minute",
    }


@contextmanager
def overlay_environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of the block, then restore them."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def bench_app(database_url: str) -> Flask:
    """Build Dialog with the bench settings, pointed at the given database."""
    with overlay_environment(bench_environment(database_url)):
        return create_app()


def reset_sqlite(database_url: str) -> None:
    """Delete a SQLite database file (and its WAL files) so the run starts empty."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return
    path = Path(url.database)
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def migrate_database() -> None:
    """Run Dialog's Alembic migrations up to the newest revision."""
    flask_migrate.upgrade()


def add_demo_users() -> int:
    """Load the demo accounts (one per role) and return how many there are."""
    users = loader.load(areas=("accounts",))["accounts"]
    db.session.commit()
    return len(users)


def resident_email(number: int) -> str:
    """The email address of bench resident number n."""
    return f"resident{number:06d}@{RESIDENT_DOMAIN}"


def count_residents() -> int:
    """Count the bench residents already in the database."""
    query = select(func.count()).select_from(User).where(User.email.like(f"%@{RESIDENT_DOMAIN}"))
    return db.session.scalar(query) or 0


def resident_rows(start: int, stop: int, password_hash: str) -> list[dict[str, Any]]:
    """Rows for the users table, numbered start..stop-1, sharing one password hash."""
    rng = random.Random(SEED + start)
    now = utcnow()
    return [
        {
            "email": resident_email(number),
            "display_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            "password_hash": password_hash,
            "locale": "sv" if rng.random() < 0.9 else "en",
            "active": True,
            "session_token": secrets.token_urlsafe(32),
            "created_at": now,
        }
        for number in range(start, stop)
    ]


def insert_residents(rows: list[dict[str, Any]]) -> None:
    """Bulk-insert users and give each the resident role."""
    statement = insert(User).returning(User.id, sort_by_parameter_order=True)
    user_ids = list(db.session.scalars(statement, rows))
    now = utcnow()
    roles = [{"user_id": uid, "role": Role.RESIDENT.value, "granted_at": now} for uid in user_ids]
    db.session.execute(insert(UserRole), roles)


def add_residents(count: int) -> int:
    """Add bench residents until there are `count` of them; return how many were added."""
    existing = count_residents()
    if existing >= count:
        return 0
    password_hash = hash_password(loader.demo_password())  # hashed once: argon2 is slow on purpose
    for start in range(existing, count, BATCH_SIZE):
        insert_residents(resident_rows(start, min(start + BATCH_SIZE, count), password_hash))
    db.session.commit()
    return count - existing


def add_demo_content() -> int:
    """Load the demo goal frameworks and dialogues; return how many dialogues there are."""
    dialogues = loader.load()["dialogues"]
    db.session.commit()
    return len(dialogues)


def bench_dialogue() -> Dialogue:
    dialogue = db.session.scalar(select(Dialogue).where(Dialogue.slug == BENCH_DIALOGUE))
    if dialogue is None:
        raise RuntimeError(f"the demo dialogue {BENCH_DIALOGUE} is missing")
    return dialogue


def bench_goal_ids() -> list[int]:
    query = select(Goal.id).join(Framework).where(Framework.slug == BENCH_FRAMEWORK)
    return list(db.session.scalars(query.order_by(Goal.id)))


def note_rows(start: int, stop: int, dialogue_id: int) -> list[dict[str, Any]]:
    """Workshop notes numbered start..stop-1, in varied short Swedish."""
    rng = random.Random(SEED + start)
    now = utcnow()
    rows = []
    for number in range(start, stop):
        text = f"{rng.choice(NOTE_OPENINGS)} {rng.choice(NOTE_PLACES)} (anteckning {number})"
        rows.append(
            {
                "kind": ContributionKind.WORKSHOP_NOTE.value,
                "status": ContributionStatus.PUBLISHED.value,
                "dialogue_id": dialogue_id,
                "body_html": f"<p>{text}</p>",
                "body_text": text,
                "language": "sv",
                "participant_group": rng.choice(NOTE_GROUPS),
                "created_at": now,
                "updated_at": now,
                "published_at": now,
            }
        )
    return rows


def add_contributions(count: int) -> int:
    """Add workshop notes to one dialogue, each suggested for a goal, up to `count` of them."""
    dialogue = bench_dialogue()
    existing = db.session.scalar(
        select(func.count())
        .select_from(Contribution)
        .where(Contribution.dialogue_id == dialogue.id)
    )
    goal_ids = bench_goal_ids()
    rng = random.Random(SEED)
    for start in range(existing or 0, count, BATCH_SIZE):
        rows = note_rows(start, min(start + BATCH_SIZE, count), dialogue.id)
        statement = insert(Contribution).returning(Contribution.id, sort_by_parameter_order=True)
        ids = list(db.session.scalars(statement, rows))
        links = [
            {
                "contribution_id": cid,
                "goal_id": rng.choice(goal_ids),
                "relation": GoalRelation.SUGGESTED.value,
                "created_at": utcnow(),
            }
            for cid in ids
        ]
        db.session.execute(insert(GoalLink), links)
    db.session.commit()
    return max(count - (existing or 0), 0)


def proposal_dialogue() -> Dialogue:
    dialogue = db.session.scalar(select(Dialogue).where(Dialogue.slug == PROPOSAL_DIALOGUE))
    if dialogue is None:
        raise RuntimeError(f"the demo dialogue {PROPOSAL_DIALOGUE} is missing")
    return dialogue


def proposal_bodies() -> list[tuple[str, str]]:
    """Every (clean HTML, plain text) body the proposals use, sanitised once each."""
    bodies = []
    for place in PROPOSAL_PLACES:
        for reason in PROPOSAL_REASONS:
            raw = (
                f"<p>{reason} Det gäller särskilt <strong>{place}</strong>.</p>"
                "<ul><li>Börja i liten skala</li><li>Fråga dem som bor där</li></ul>"
            )
            rich = clean_rich(raw)
            bodies.append((rich.html, rich.text))
    return bodies


def take_references(count: int) -> list[str]:
    """count reference numbers of this year, taken from its counter as the services do."""
    year = local_year(utcnow())
    counter = db.session.get(ReferenceCounter, year)
    if counter is None:
        counter = ReferenceCounter(year=year, value=0)
        db.session.add(counter)
    first = counter.value + 1
    counter.value += count
    db.session.flush()
    return [format_reference(year, number) for number in range(first, first + count)]


def proposal_rows(start: int, stop: int, dialogue_id: int) -> list[dict[str, Any]]:
    """Published proposals numbered start..stop-1, sent over the last year, a few supported."""
    rng = random.Random(SEED + start)
    bodies = proposal_bodies()
    now = utcnow()
    rows = []
    for number, reference in zip(range(start, stop), take_references(stop - start), strict=True):
        place = rng.choice(PROPOSAL_PLACES)
        html, text = rng.choice(bodies)
        sent = now - timedelta(minutes=rng.randrange(365 * 24 * 60))
        rows.append(
            {
                "kind": ContributionKind.PROPOSAL.value,
                "status": ContributionStatus.PUBLISHED.value,
                "dialogue_id": dialogue_id,
                "reference": reference,
                "title": f"{rng.choice(PROPOSAL_TITLES)} {place} ({number})",
                "body_html": html,
                "body_text": text,
                "author_name": rng.choice(FIRST_NAMES) if rng.random() < 0.4 else None,
                "receipt_token_hash": secrets.token_hex(32),
                "submission_token_hash": secrets.token_hex(32),
                "language": "sv",
                "created_at": sent,
                "updated_at": sent,
                "published_at": sent,
            }
        )
    return rows


def resident_ids(limit: int) -> list[int]:
    query = select(User.id).where(User.email.like(f"%@{RESIDENT_DOMAIN}")).order_by(User.id)
    return list(db.session.scalars(query.limit(limit)))


def add_supports(proposal_ids: list[int], supporters: list[int], rng: random.Random) -> int:
    """Supports from bench residents for about one proposal in ten, a few for many."""
    rows = []
    for proposal_id in proposal_ids:
        if not supporters or rng.random() >= 0.1:
            continue
        how_many = min(len(supporters), int(rng.paretovariate(1.2)) * 3)
        for user_id in rng.sample(supporters, how_many):
            rows.append(
                {"contribution_id": proposal_id, "user_id": user_id, "created_at": utcnow()}
            )
    if rows:
        db.session.execute(insert(Support), rows)
        counts: dict[int, int] = {}
        for row in rows:
            counts[row["contribution_id"]] = counts.get(row["contribution_id"], 0) + 1
        db.session.execute(
            update(Contribution),
            [{"id": cid, "support_count": count} for cid, count in counts.items()],
        )
    return len(rows)


def count_proposals(dialogue_id: int) -> int:
    query = select(func.count()).select_from(Contribution)
    query = query.where(
        Contribution.dialogue_id == dialogue_id,
        Contribution.kind == ContributionKind.PROPOSAL.value,
    )
    return db.session.scalar(query) or 0


def add_proposals(count: int) -> int:
    """Add published proposals to the open consultation, up to `count` of them, each
    suggested for a goal; about one in ten has supports."""
    dialogue = proposal_dialogue()
    existing = count_proposals(dialogue.id)
    goal_ids = list(
        db.session.scalars(select(Goal.id).where(Goal.framework_id == dialogue.framework_id))
    )
    supporters = resident_ids(1_000)
    rng = random.Random(SEED + 1)
    for start in range(existing, count, BATCH_SIZE):
        rows = proposal_rows(start, min(start + BATCH_SIZE, count), dialogue.id)
        statement = insert(Contribution).returning(Contribution.id, sort_by_parameter_order=True)
        ids = list(db.session.scalars(statement, rows))
        if goal_ids:
            links = [
                {
                    "contribution_id": cid,
                    "goal_id": rng.choice(goal_ids),
                    "relation": GoalRelation.SUGGESTED.value,
                    "created_at": utcnow(),
                }
                for cid in ids
                if rng.random() < 0.6
            ]
            db.session.execute(insert(GoalLink), links)
        add_supports(ids, supporters, rng)
    db.session.commit()
    return max(count - existing, 0)


def commented_proposal_id() -> int | None:
    """The proposal that gets the many comments: the consultation's first bench proposal."""
    dialogue = proposal_dialogue()
    query = select(Contribution.id).where(
        Contribution.dialogue_id == dialogue.id,
        Contribution.kind == ContributionKind.PROPOSAL.value,
        Contribution.status == ContributionStatus.PUBLISHED.value,
    )
    return db.session.scalar(query.order_by(Contribution.id).limit(1))


def comment_rows(proposal: int, dialogue_id: int, start: int, stop: int) -> list[dict[str, Any]]:
    """Published comments on the proposal numbered start..stop-1, oldest first."""
    rng = random.Random(SEED + 2 + start)
    references = take_references(stop - start)
    began = utcnow() - timedelta(days=60)
    rows = []
    for number, reference in zip(range(start, stop), references, strict=True):
        text = f"{rng.choice(COMMENT_TEXTS)} (kommentar {number})"
        sent = began + timedelta(minutes=number)
        rows.append(
            {
                "kind": ContributionKind.COMMENT.value,
                "status": ContributionStatus.PUBLISHED.value,
                "dialogue_id": dialogue_id,
                "parent_id": proposal,
                "reference": reference,
                "body_html": f"<p>{text}</p>",
                "body_text": text,
                "author_name": rng.choice(FIRST_NAMES) if rng.random() < 0.5 else None,
                "receipt_token_hash": secrets.token_hex(32),
                "submission_token_hash": secrets.token_hex(32),
                "language": "sv",
                "created_at": sent,
                "updated_at": sent,
                "published_at": sent,
            }
        )
    return rows


def count_comments(proposal: int) -> int:
    query = select(func.count()).select_from(Contribution)
    return db.session.scalar(query.where(Contribution.parent_id == proposal)) or 0


def add_comments(count: int) -> int:
    """Give one published proposal `count` comments, every fifth one a reply; its comment
    count is kept on the proposal, as the services keep it."""
    proposal = commented_proposal_id()
    if count <= 0 or proposal is None:
        return 0
    existing = count_comments(proposal)
    dialogue_id = proposal_dialogue().id
    for start in range(existing, count, BATCH_SIZE):
        rows = comment_rows(proposal, dialogue_id, start, min(start + BATCH_SIZE, count))
        statement = insert(Contribution).returning(Contribution.id, sort_by_parameter_order=True)
        ids = list(db.session.scalars(statement, rows))
        replies = [
            {"id": cid, "reply_to_id": ids[index - 1]}
            for index, cid in enumerate(ids)
            if index % REPLY_EVERY == REPLY_EVERY - 1
        ]
        db.session.execute(update(Contribution), replies)
    db.session.execute(
        update(Contribution)
        .where(Contribution.id == proposal)
        .values(comment_count=count_comments(proposal))
    )
    db.session.commit()
    return max(count - existing, 0)


def waiting_rows(start: int, stop: int, dialogue_id: int) -> list[dict[str, Any]]:
    """Inputs waiting for an editor, numbered start..stop-1: proposals sent over the last
    month, a few with a phone number found in them, a few published and reported."""
    rng = random.Random(SEED + 3 + start)
    bodies = proposal_bodies()
    now = utcnow()
    rows = []
    for number, reference in zip(range(start, stop), take_references(stop - start), strict=True):
        html, text = rng.choice(bodies)
        findings = None
        if number % PERSONAL_DATA_EVERY == 0:
            phone = "070-123 45 67"
            text = f"{text}\nRing mig på {phone}"
            html = f"{html}<p>Ring mig på {phone}</p>"
            start_at = len(text) - len(phone)
            findings = [{"kind": "phone", "field": "body", "start": start_at, "end": len(text)}]
        reported = number % REPORTED_EVERY == 0
        sent = now - timedelta(minutes=rng.randrange(30 * 24 * 60))
        rows.append(
            {
                "kind": ContributionKind.PROPOSAL.value,
                "status": (
                    ContributionStatus.PUBLISHED.value
                    if reported
                    else ContributionStatus.PENDING.value
                ),
                "dialogue_id": dialogue_id,
                "reference": reference,
                "title": f"{rng.choice(PROPOSAL_TITLES)} {rng.choice(PROPOSAL_PLACES)} (v{number})",
                "body_html": html,
                "body_text": text,
                "author_name": rng.choice(FIRST_NAMES) if rng.random() < 0.4 else None,
                "author_email": f"skribent{number}@example.se" if number % 3 == 0 else None,
                "receipt_token_hash": secrets.token_hex(32),
                "submission_token_hash": secrets.token_hex(32),
                "language": "sv",
                "created_at": sent,
                "updated_at": sent,
                "published_at": sent if reported else None,
                "needs_review": True,
                "report_count": 2 if reported else 0,
                "personal_data_findings": findings,
            }
        )
    return rows


def count_waiting(dialogue_id: int) -> int:
    query = select(func.count()).select_from(Contribution)
    query = query.where(Contribution.dialogue_id == dialogue_id, Contribution.needs_review)
    return db.session.scalar(query) or 0


def add_waiting_inputs(count: int) -> int:
    """Add proposals waiting in the editors' queue to the bench dialogue, up to `count` of
    them; every hundredth is published and reported twice (its flags open)."""
    dialogue_id = bench_dialogue().id
    existing = count_waiting(dialogue_id)
    for start in range(existing, count, BATCH_SIZE):
        rows = waiting_rows(start, min(start + BATCH_SIZE, count), dialogue_id)
        statement = insert(Contribution).returning(Contribution.id, sort_by_parameter_order=True)
        ids = list(db.session.scalars(statement, rows))
        flags = [
            {"contribution_id": cid, "reason": reason, "created_at": utcnow()}
            for cid, row in zip(ids, rows, strict=True)
            if row["report_count"]
            for reason in ("offensive", "personal_data")
        ]
        if flags:
            db.session.execute(insert(Flag), flags)
    db.session.commit()
    return max(count - existing, 0)


def bench_paths(database_url: str) -> dict[str, str]:
    """Values for the placeholders in the bench pages' paths (ids differ between databases)."""
    app = bench_app(database_url)
    with app.app_context():
        goal_ids = bench_goal_ids()
        paths = {
            "framework": BENCH_FRAMEWORK,
            "goal": str(goal_ids[1]),
            "dialogue": BENCH_DIALOGUE,
            "consultation": PROPOSAL_DIALOGUE,
            "proposal": str(commented_proposal_id()),
        }
        db.session.remove()
        db.engine.dispose()
    return paths


def generate(
    database_url: str,
    users: int = DEFAULT_USERS,
    contributions: int = DEFAULT_CONTRIBUTIONS,
    proposals: int = DEFAULT_PROPOSALS,
    comments: int = DEFAULT_COMMENTS,
    waiting: int = DEFAULT_WAITING,
) -> dict[str, int]:
    """Migrate and fill the database; return how many rows of each kind were added."""
    reset_sqlite(database_url)
    app = bench_app(database_url)
    with app.app_context():
        migrate_database()
        counts = {
            "demo_users": add_demo_users(),
            "residents": add_residents(users),
            "dialogues": add_demo_content(),
            "contributions": add_contributions(contributions),
            "proposals": add_proposals(proposals),
            "comments": add_comments(comments),
            "waiting": add_waiting_inputs(waiting),
        }
        gather_statistics()
        db.session.remove()
        db.engine.dispose()
    return counts


def gather_statistics() -> None:
    """On PostgreSQL, gather the planner's statistics of the tables just filled (ANALYZE).

    A server analyses a table by itself (autovacuum) soon after a bulk load; without
    statistics (autovacuum off, or a run started at once) the planner guesses, and chose a
    hash join over every user to find a dialogue's facilitators, milliseconds that no real
    site spends. SQLite keeps no statistics unless asked, as on a site: it is left alone.
    """
    if db.engine.dialect.name == "postgresql":
        db.session.commit()
        with db.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()


def add_data_options(parser: argparse.ArgumentParser) -> None:
    """The options that say how much data to make, shared with bench.run."""
    parser.add_argument(
        "--contributions", type=int, default=DEFAULT_CONTRIBUTIONS, help="workshop notes"
    )
    parser.add_argument(
        "--proposals", type=int, default=DEFAULT_PROPOSALS, help="proposals in one dialogue"
    )
    parser.add_argument(
        "--comments", type=int, default=DEFAULT_COMMENTS, help="comments on one proposal"
    )
    parser.add_argument(
        "--waiting", type=int, default=DEFAULT_WAITING, help="inputs in the moderation queue"
    )


def main(argv: list[str] | None = None) -> None:
    """Command line: fill the database given by URL."""
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    parser.add_argument("database_url", help="e.g. sqlite:////tmp/bench.db")
    parser.add_argument("--users", type=int, default=DEFAULT_USERS, help="bench residents")
    add_data_options(parser)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = generate(
        args.database_url,
        users=args.users,
        contributions=args.contributions,
        proposals=args.proposals,
        comments=args.comments,
        waiting=args.waiting,
    )
    added = ", ".join(f"{name}: {value}" for name, value in counts.items())
    print(f"Generated in {time.perf_counter() - started:.1f} s ({added})")


if __name__ == "__main__":
    main()
