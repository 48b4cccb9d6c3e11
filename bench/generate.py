"""Fill a Dialog database for the benchmarks: migrations, demo data and many residents.

Usage: python -m bench.generate DATABASE_URL [--users N]

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
from pathlib import Path
from typing import Any

import flask_migrate
from flask import Flask
from sqlalchemy import func, insert, select
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
)
from dialog.core.models import utcnow
from dialog.demo import loader
from dialog.dialogues.models import Dialogue
from dialog.extensions import db
from dialog.goals.models import Framework, Goal

BENCH_SECRET_KEY = "bench-secret-key-not-for-production"
DEFAULT_USERS = 10_000
DEFAULT_CONTRIBUTIONS = 10_000
BENCH_FRAMEWORK = "koping-2020-2027"
BENCH_DIALOGUE = "koping-centrum-2019"
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


def bench_paths(database_url: str) -> dict[str, str]:
    """Values for the placeholders in the bench pages' paths (ids differ between databases)."""
    app = bench_app(database_url)
    with app.app_context():
        goal_ids = bench_goal_ids()
        paths = {
            "framework": BENCH_FRAMEWORK,
            "goal": str(goal_ids[1]),
            "dialogue": BENCH_DIALOGUE,
        }
        db.session.remove()
        db.engine.dispose()
    return paths


def generate(
    database_url: str, users: int = DEFAULT_USERS, contributions: int = DEFAULT_CONTRIBUTIONS
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
        }
        db.session.remove()
        db.engine.dispose()
    return counts


def main(argv: list[str] | None = None) -> None:
    """Command line: fill the database given by URL."""
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    parser.add_argument("database_url", help="e.g. sqlite:////tmp/bench.db")
    parser.add_argument("--users", type=int, default=DEFAULT_USERS, help="bench residents")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = generate(args.database_url, users=args.users)
    added = ", ".join(f"{name}: {value}" for name, value in counts.items())
    print(f"Generated in {time.perf_counter() - started:.1f} s ({added})")


if __name__ == "__main__":
    main()
