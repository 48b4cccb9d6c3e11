"""Swedish words reduced to a common form, so that a search finds every form of a word.

Snowball's Swedish stemmer alone leaves "bostad" (bost) and "bostäder" (bostad) apart, and
"skolan" apart from "skola": it strips one suffix, once, and knows nothing of the vowel
change of a plural. So a word is lower-cased, its å, ä and ö folded to a and o (städer and
stad, bänkar and bank), and then stemmed again and again until it stops changing, with two
endings Snowball leaves removed on the way: the definite "-an" (skolan, gatan) and the "e"
of "-el" that a plural drops (cykel, cyklar). Every form of the common nouns of resident
input then meets in one stem (tests/core/test_words.py lists them). The stems are not words
anyone reads: they are what the search index holds and what a search is compared with.

The common Swedish function words (och, att, det …) are left out, in the text and in a
search alike, so both databases index the same words (PostgreSQL's Swedish configuration
leaves them out too).
"""

from __future__ import annotations

import functools
import re

import snowballstemmer

# Words a search never needs: Snowball's Swedish stop list.
_STOP_LIST = """
alla allt att av blev bli blir blivit de dem den denna deras dess dessa det detta dig din
dina ditt du där då efter ej eller en er era ert ett från för ha hade han hans har henne
hennes hon honom hur här i icke ingen inom inte jag ju kan kunde man med mellan men mig
min mina mitt mot mycket ni nu när någon något några och om oss på samma sedan sig sin
sina sitta själv skulle som så sådan sådana sådant till under upp ut utan vad var vara
varför varit varje vars vart vem vi vid vilka vilkas vilken vilket vår våra vårt än är
åt över
"""
STOP_WORDS = frozenset(_STOP_LIST.split())
_WORD = re.compile(r"\w+")
_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})
# At most this many words of a search count (each is a condition on the index).
MAX_SEARCH_WORDS = 10
_stemmer = snowballstemmer.stemmer("swedish")


def _endings(word: str) -> str:
    if len(word) >= 5 and word.endswith("an"):
        word = word[:-2]
    if word.endswith("eln"):
        return word[:-3] + "l"
    if len(word) >= 4 and word.endswith("el"):
        return word[:-2] + "l"
    return word


@functools.lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """The common form of one lower-case word (kept: a text repeats its words)."""
    word = word.translate(_FOLD)
    for _step in range(10):  # a handful of steps at most; the bound is only a guard
        shorter = _endings(_stemmer.stemWord(word))
        if shorter == word:
            break
        word = shorter
    return word


def _words(text: str) -> list[str]:
    return [word for word in _WORD.findall(text.lower()) if word not in STOP_WORDS]


def search_text(*texts: str | None) -> str:
    """The stems of the texts' words, in order, separated by spaces: what the index holds."""
    return " ".join(stem(word) for text in texts if text for word in _words(text))


def search_words(query: str) -> list[str]:
    """The stems of a search's words, each once, in order (at most MAX_SEARCH_WORDS)."""
    found: list[str] = []
    for word in _words(query):
        stemmed = stem(word)
        if stemmed not in found:
            found.append(stemmed)
    return found[:MAX_SEARCH_WORDS]
