"""Swedish text analysis for the goal suggestions: words, their stems and compound parts.

Residents write "cykelbanor" where a goal says "cykel" and "äldreboendet" where staff
confirmed "boende för äldre". So each word is lower-cased, stripped of the commonest
function words and stemmed (Snowball's Swedish stemmer, in pure Python: no model, nothing
downloaded), and a long word is also split into known parts ("cykelbanor" → "cykel",
"ban"), the parts being the stems of the other words the model has seen.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection

import snowballstemmer

from dialog.core.words import STOP_WORDS

# Letters only: numbers, codes and punctuation say nothing about which goal is meant.
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# The character n-grams taken inside each word (with a space on either side).
CHAR_GRAMS = (3, 5)
# The shortest part a compound is split into, and the shortest word that is split.
MIN_PART = 3
MIN_COMPOUND = 7
# Function words (Snowball's Swedish list, as the search leaves out) and the words every
# input uses: every input asks the "kommun" for "fler".
_EVERYDAY = """
    också bara även mer mera fler flera kommun kommunen kommunens borde måste ska
    skall vill behöver behövs finns få får gör göra tack typ nåt så väl redan
    """
STOPWORDS = STOP_WORDS | frozenset(_EVERYDAY.split())

_STEMMER = snowballstemmer.stemmer("swedish")


@functools.lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """The Swedish stem of a lower-cased word (kept: the same words come back all the time)."""
    stemmed: str = _STEMMER.stemWord(word)
    return stemmed


def words(text: str) -> list[str]:
    """The text's words, lower-cased, without function words."""
    return [word for word in WORD.findall(text.lower()) if word not in STOPWORDS]


def compound_parts(word: str, known: Collection[str]) -> tuple[str, ...]:
    """Two known stems a long word is made of ("cykelbanor" → ("cykel", "ban")), else ().

    The longest known head is taken, with or without a linking "s" ("bostadsområde"), and
    the rest must be known once stemmed. Only the first split point is looked for: Swedish
    compounds of three parts still share their head or their tail with the goal's words.
    """
    if len(word) < MIN_COMPOUND:
        return ()
    for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head, tail = word[:cut], word[cut:]
        if tail.startswith("s") and len(tail) > MIN_PART and head in known:
            tail = tail[1:]
        if head not in known and stem(head) not in known:
            continue
        tail_stem = stem(tail)
        if tail_stem in known and len(tail_stem) >= MIN_PART:
            return stem(head), tail_stem
    return ()


def word_terms(word: str, known: Collection[str]) -> tuple[str, ...]:
    """A word's stem, then its compound parts."""
    return (stem(word), *compound_parts(word, known))


@functools.lru_cache(maxsize=65_536)
def char_grams(word: str) -> tuple[str, ...]:
    """The character n-grams of the word with a space either side (" cyk", "ykel", …)."""
    padded = f" {word} "
    low, high = CHAR_GRAMS
    return tuple(
        padded[start : start + size]
        for size in range(low, high + 1)
        for start in range(len(padded) - size + 1)
    )
