"""The suggestion model: which goals of a framework an input is most likely about.

A goal's own words are few and formal ("förutsättningar för en förbättrad och jämlik
folkhälsa"); residents write "simhallen" and "fritidsgården". So a goal is described twice:

- its text: title, statement, indicator names and the names of its Agenda 2030 goals,
  widened with the everyday words of the municipal themes its own words name (``themes``:
  "folkhälsa" brings "simhall", "motionsspår", "ensamhet" …);
- the inputs staff have confirmed for it (related or influenced, never merely suggested),
  which bring the residents' own words for it.

Each text is weighed as TF-IDF over two views: the stems of its words with their compound
parts (``analysis``), and character n-grams inside the words, which match word forms and
compounds the stemmer misses ("bostäder" and "bostadsområde"). An input is compared
(cosine) with each goal's text, with the centroid of the goal's confirmed inputs, and
with its nearest confirmed inputs; the score is a weighted sum of the three, the weights
tuned on the labelled inputs' training split (tests/trace). A goal with no confirmed input
yet is ranked on its text alone, scaled to be comparable.

Everything is deterministic: the same goals and inputs give the same model and scores,
and ties go to the goal that comes first in the framework.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.preprocessing import normalize

from dialog.trace.analysis import MIN_PART, char_grams, stem, word_terms, words
from dialog.trace.themes import THEMES

# The weights of the three comparisons and of the two views, and how many nearest
# confirmed inputs count: tuned by leave-one-out on the training split (see tests/trace).
TEXT_WEIGHT = 0.8
CENTROID_WEIGHT = 0.35
NEIGHBOUR_WEIGHT = 0.65
NEIGHBOURS = 3
CHAR_VIEW_WEIGHT = 1.0
SUGGESTIONS = 3


@dataclass(frozen=True)
class GoalDocument:
    """A leaf goal as the model reads it: its id, code, its own text (title, statement,
    indicator names), and what else it is tied to (the names of its Agenda 2030 goals)."""

    goal_id: int
    code: str
    text: str
    context: str = ""

    def described(self) -> str:
        """Everything the model reads for the goal: its texts and its themes' words."""
        return "\n".join(filter(None, [self.text, self.context, theme_words(self.text)]))


@dataclass(frozen=True)
class Example:
    """An input staff confirmed for a goal."""

    goal_id: int
    text: str


@dataclass(frozen=True)
class Suggestion:
    goal_id: int
    code: str
    score: float


# Each theme's trigger stems and its everyday words.
_THEMES = tuple(
    (frozenset(stem(word) for word in words(triggers)), " ".join(everyday.split()))
    for triggers, everyday in THEMES
)


def theme_words(text: str) -> str:
    """The everyday words of every theme the text has a trigger word of (``themes``)."""
    found = {stem(word) for word in words(text)}
    return "\n".join(everyday for triggers, everyday in _THEMES if triggers & found)


def _word_counts(texts: Sequence[Sequence[str]], vocabulary: dict[str, int]) -> sparse.csr_matrix:
    """How often each text uses each word, the words numbered in ``vocabulary`` as met."""
    rows, columns = [], []
    for row, text in enumerate(texts):
        for word in text:
            rows.append(row)
            columns.append(vocabulary.setdefault(word, len(vocabulary)))
    shape = (len(texts), len(vocabulary))
    return sparse.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=shape)


class _View:
    """One way of reading words (their stems and parts, or their character n-grams),
    weighed as TF-IDF over the texts the model was built from."""

    def __init__(self, features: Callable[[str], tuple[str, ...]], weight: float) -> None:
        self.features = features
        self.weight = weight
        self.columns: dict[str, int] = {}
        self.tfidf = TfidfTransformer(sublinear_tf=True)

    def fit(self, counts: sparse.csr_matrix, vocabulary: list[str]) -> bool:
        """Learn the features and their weights from the texts; False if there are none."""
        matrix = self._words(vocabulary, grow=True)
        if not self.columns:
            return False
        self.tfidf.fit(counts @ matrix)
        return True

    def weighed(self, counts: sparse.csr_matrix, vocabulary: list[str]) -> sparse.csr_matrix:
        """The texts' TF-IDF rows (L2-normalised), times the view's weight."""
        weighed: sparse.csr_matrix = self.tfidf.transform(counts @ self._words(vocabulary))
        return weighed * self.weight

    def _words(self, vocabulary: list[str], grow: bool = False) -> sparse.csr_matrix:
        """Each word's features, one row per word; unknown features are left out unless
        the view is still learning them (grow)."""
        rows, columns = [], []
        for row, word in enumerate(vocabulary):
            for feature in self.features(word):
                column = self.columns.get(feature)
                if column is None and grow:
                    column = self.columns[feature] = len(self.columns)
                if column is not None:
                    rows.append(row)
                    columns.append(column)
        shape = (len(vocabulary), len(self.columns))
        return sparse.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=shape)


class SuggestionModel:
    """Rank a framework's leaf goals for a text. Built once, then only read (thread-safe).

    Texts are read word by word, and each distinct word is turned into its features once:
    a text's feature counts are its word counts times the words' features (a sparse
    product), which keeps building fast however many inputs repeat the same words.
    """

    def __init__(self, goals: Sequence[GoalDocument], examples: Sequence[Example]) -> None:
        self.goals = tuple(goals)
        index = {goal.goal_id: i for i, goal in enumerate(self.goals)}
        # Grouped by goal, each goal's in the order given: a goal's inputs are one slice.
        examples = sorted(
            (example for example in examples if example.goal_id in index),
            key=lambda example: index[example.goal_id],
        )
        texts = [goal.described() for goal in self.goals] + [e.text for e in examples]
        vocabulary: dict[str, int] = {}
        counts = _word_counts([words(text) for text in texts], vocabulary)
        self.known = frozenset(s for s in map(stem, vocabulary) if len(s) >= MIN_PART)
        self.views: list[_View] = []
        for features, weight in ((self._word_terms, 1.0), (char_grams, CHAR_VIEW_WEIGHT)):
            view = _View(features, weight)
            if view.fit(counts, list(vocabulary)):
                self.views.append(view)
        vectors = self._vectors(counts, list(vocabulary))
        self.goal_vectors = vectors[: len(self.goals)]
        self.example_vectors = vectors[len(self.goals) :]
        self.example_goals = np.array([index[e.goal_id] for e in examples], dtype=np.int64)
        self.bounds = np.searchsorted(self.example_goals, np.arange(len(self.goals) + 1))
        self.centroids = self._centroids()

    def _word_terms(self, word: str) -> tuple[str, ...]:
        return word_terms(word, self.known)

    def vectors(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """The texts as rows of L2-normalised TF-IDF over both views."""
        vocabulary: dict[str, int] = {}
        counts = _word_counts([words(text) for text in texts], vocabulary)
        return self._vectors(counts, list(vocabulary))

    def _vectors(self, counts: sparse.csr_matrix, vocabulary: list[str]) -> sparse.csr_matrix:
        views = [view.weighed(counts, vocabulary) for view in self.views]
        if not views:
            return sparse.csr_matrix((counts.shape[0], 0))
        return normalize(sparse.hstack(views, format="csr"))

    def _centroids(self) -> sparse.csr_matrix:
        """Each goal's confirmed inputs summed and normalised; a zero row without any."""
        if not len(self.example_goals):
            return sparse.csr_matrix(self.goal_vectors.shape)
        members = sparse.csr_matrix(
            (
                np.ones(len(self.example_goals)),
                (self.example_goals, np.arange(len(self.example_goals))),
            ),
            shape=(len(self.goals), len(self.example_goals)),
        )
        return normalize(members @ self.example_vectors)

    def scores(self, text: str) -> np.ndarray:
        """The text's score for each goal, in the order of ``goals``."""
        # The stored rows times the query's column: no transposing of the stored matrices.
        query = self.vectors([text]).T
        by_text = (self.goal_vectors @ query).toarray().ravel()
        if not len(self.example_goals):
            return by_text
        by_centroid = (self.centroids @ query).toarray().ravel()
        by_neighbours = self._neighbours((self.example_vectors @ query).toarray().ravel())
        has_examples = np.diff(self.bounds) > 0
        learned = (CENTROID_WEIGHT * by_centroid + NEIGHBOUR_WEIGHT * by_neighbours) / (
            CENTROID_WEIGHT + NEIGHBOUR_WEIGHT
        )
        # A goal nobody has confirmed an input for yet counts its text in place of them.
        learned = np.where(has_examples, learned, by_text)
        return TEXT_WEIGHT * by_text + (1 - TEXT_WEIGHT) * learned

    def _neighbours(self, similar: np.ndarray) -> np.ndarray:
        """Per goal, the mean similarity of its NEIGHBOURS most similar confirmed inputs
        (fewer count as zero), from the similarity to each confirmed input."""
        found = np.zeros(len(self.goals))
        for goal in range(len(self.goals)):
            own = similar[self.bounds[goal] : self.bounds[goal + 1]]
            if len(own) > NEIGHBOURS:
                own = np.partition(own, len(own) - NEIGHBOURS)[-NEIGHBOURS:]
            found[goal] = own.sum() / NEIGHBOURS
        return found

    def suggest(self, text: str, limit: int = SUGGESTIONS) -> list[Suggestion]:
        """The limit best goals for the text, best first; ties in the framework's order."""
        if not self.goals:
            return []
        scores = self.scores(text)
        # A stable sort on the negated scores keeps the framework's order among equals.
        order = np.argsort(-scores, kind="stable")[:limit]
        return [
            Suggestion(self.goals[i].goal_id, self.goals[i].code, round(float(scores[i]), 4))
            for i in order
        ]
