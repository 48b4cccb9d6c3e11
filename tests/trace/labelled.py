"""The labelled inputs of tests/trace/data and the helpers that measure suggestions on them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sqlalchemy import select

from dialog.contributions.models import GoalRelation
from dialog.contributions.services.common import add_workshop_note, link_goal
from dialog.demo import loader
from dialog.dialogues.models import Dialogue
from dialog.extensions import db
from dialog.goals.models import Goal
from dialog.trace import queries
from dialog.trace.services import goal_document

DATA = Path(__file__).parent / "data"
FRAMEWORKS = ("koping-2020-2027", "landskrona-vagval-2020")


@dataclass(frozen=True)
class Labelled:
    """A resident's input and the leaf goals it is about (either one is right)."""

    split: str
    codes: tuple[str, ...]
    text: str


def labelled(slug: str, split: str | None = None) -> list[Labelled]:
    """The labelled inputs of the framework, of one split ("train" or "test") or both."""
    rows = []
    for line in (DATA / f"{slug}.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("split\t"):
            continue
        row_split, codes, text = line.split("\t")
        rows.append(Labelled(row_split, tuple(codes.split(",")), text))
    return [row for row in rows if split is None or row.split == split]


def load_demo_goals() -> None:
    """Load the demo's frameworks and dialogues through the services (in an app context)."""
    loader.load(areas={"accounts", "goals", "dialogues"})
    db.session.commit()


def confirm(framework_id: int, rows: Iterable[Labelled]) -> int:
    """Store each row as a workshop note of one of the framework's dialogues, confirmed by
    staff (related) for its goals; returns how many links were made."""
    dialogue_id = db.session.scalar(
        select(Dialogue.id).where(Dialogue.framework_id == framework_id).order_by(Dialogue.id)
    )
    goals = {
        goal.code: goal
        for goal in db.session.scalars(select(Goal).where(Goal.framework_id == framework_id))
    }
    links = 0
    for row in rows:
        note = add_workshop_note(dialogue_id, row.text, "residents", None, None)
        for code in row.codes:
            link_goal(note, goals[code], GoalRelation.RELATED, None)
            links += 1
    db.session.commit()
    return links


def accuracy(rank: Callable[[str], list[str]], rows: list[Labelled]) -> tuple[float, float]:
    """Top-1 and top-3 accuracy: the first, or one of the first three, is one of the row's."""
    first = sum(rank(row.text)[0] in row.codes for row in rows)
    three = sum(any(code in row.codes for code in rank(row.text)[:3]) for row in rows)
    return first / len(rows), three / len(rows)


def plain_tfidf(framework_id: int) -> Callable[[str], list[str]]:
    """The baseline: scikit-learn's TF-IDF as it comes, over the leaf goals' texts only
    (title, statement, indicators, Agenda 2030 names)."""
    documents = [goal_document(goal) for goal in queries.leaf_goals(framework_id)]
    texts = [f"{document.text}\n{document.context}" for document in documents]
    vectorizer = TfidfVectorizer().fit(texts)
    goals = vectorizer.transform(texts)

    def rank(text: str) -> list[str]:
        scores = (vectorizer.transform([text]) @ goals.T).toarray().ravel()
        return [documents[i].code for i in np.argsort(-scores, kind="stable")]

    return rank
