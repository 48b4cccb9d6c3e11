"""Swedish words reduced to one form for the search: every form of a noun meets."""

from __future__ import annotations

import pytest

from dialog.core.words import MAX_SEARCH_WORDS, search_text, search_words, stem

FORMS = [
    "bostad bostäder bostaden bostäderna",
    "cykelbana cykelbanor cykelbanan cykelbanorna",
    "skola skolan skolor skolorna",
    "förskola förskolan förskolor förskolorna",
    "stad staden städer städerna",
    "park parken parker parkerna",
    "väg vägen vägar vägarna",
    "gata gatan gator gatorna",
    "lekplats lekplatsen lekplatser lekplatserna",
    "buss bussen bussar bussarna",
    "cykel cykeln cyklar cyklarna",
    "område området områden",
    "motionsspår motionsspåret motionsspåren",
    "ungdom ungdomar ungdomarna ungdomen",
]


@pytest.mark.parametrize("forms", FORMS)
def test_every_form_of_a_noun_has_one_stem(forms):
    """Singular, plural, definite and the vowel change of a plural all meet."""
    assert len({stem(word) for word in forms.split()}) == 1, forms


def test_the_text_keeps_its_stems_in_order_without_function_words():
    """Lower case, å/ä/ö folded, and och, att, för … left out."""
    assert search_text("Fler BOSTÄDER och", "för cykelbanorna") == "fler bost cykelb"
    assert search_text(None, "") == ""


def test_a_search_gives_each_stem_once_and_at_most_ten():
    """Repeated words count once; a very long search is cut."""
    assert search_words("bostad bostäder Bostaden") == ["bost"]
    assert search_words("och att det") == []
    many = " ".join(f"ord{number}" for number in range(30))
    assert len(search_words(many)) == MAX_SEARCH_WORDS
