"""How often the suggestions are right, on labelled inputs the model never learned from.

The held-out split is ranked through the service before anything is confirmed (the goals'
texts and themes alone), then the training split is confirmed for its goals (as staff
would) and the held-out split ranked again, with and without the themes. The floors are
set one input under what the model reaches, well above chance (a fifth top-1 and three
fifths top-3 for five leaf goals) and above plain TF-IDF over the goals' texts. Run with
``-s`` to see the figures.

The themes (dialog/trace/themes.py) were written after these inputs, by their author: the
figures with themes are likely better than on inputs nobody had read. The figure without
them (learned from the confirmed inputs only) is printed too.
"""

from __future__ import annotations

import pytest

from dialog.trace import model as model_module
from dialog.trace import queries, services
from tests.trace.labelled import (
    accuracy,
    confirm,
    labelled,
    load_demo_goals,
    plain_tfidf,
)

# Per framework: the least top-1 and top-3 accuracy on the held-out inputs.
FLOORS = {
    "koping-2020-2027": (0.85, 0.975),
    "landskrona-vagval-2020": (0.875, 0.975),
}
# How much better than plain TF-IDF the model must be, top-1.
MARGIN = 0.10


@pytest.mark.parametrize("slug", sorted(FLOORS))
def test_the_suggestions_are_right_on_held_out_inputs(app, slug, monkeypatch):
    """Top-1 and top-3 accuracy on the held-out split clear the floors and the baseline."""
    train, test = labelled(slug, "train"), labelled(slug, "test")
    assert len(train) + len(test) >= 50
    assert len(test) >= 30
    assert not {row.text for row in train} & {row.text for row in test}
    with app.app_context():
        load_demo_goals()
        framework_id = queries.framework_id_for(slug)
        assert framework_id is not None
        baseline = accuracy(plain_tfidf(framework_id), test)

        def rank(text: str) -> list[str]:
            return [found.code for found in services.suggest_for_text(framework_id, text)]

        cold = accuracy(rank, test)
        confirm(framework_id, train)
        learned = {text for _, text in queries.confirmed_inputs(framework_id, 1000)}
        assert learned == {row.text for row in train}  # nothing held out was learned
        model = accuracy(rank, test)
        app.extensions.pop("trace_models", None)
        monkeypatch.setattr(model_module, "_THEMES", ())
        unthemed = accuracy(rank, test)
        app.extensions.pop("trace_models", None)
    print(
        f"\n{slug}: {len(test)} held out, {len(train)} learned; top-1 / top-3:"
        f" plain TF-IDF {baseline[0]:.0%} / {baseline[1]:.0%};"
        f" nothing confirmed yet {cold[0]:.0%} / {cold[1]:.0%};"
        f" model without themes {unthemed[0]:.0%} / {unthemed[1]:.0%};"
        f" model {model[0]:.0%} / {model[1]:.0%}"
    )
    floor_first, floor_three = FLOORS[slug]
    assert model[0] >= floor_first
    assert model[1] >= floor_three
    assert model[0] >= baseline[0] + MARGIN
    assert unthemed[0] >= baseline[0] + MARGIN
