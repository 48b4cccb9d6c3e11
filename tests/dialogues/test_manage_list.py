"""The list of dialogues a facilitator runs (every dialogue for administrators): what each
line shows, and its cost whatever the number of dialogues, facilitators and sign-ups."""

from __future__ import annotations

from dialog.accounts.models import Role
from dialog.dialogues.models import Registration
from dialog.extensions import db
from tests.dialogues.factories import make_dialogue, make_framework
from tests.helpers import make_user


def _sign_ups(app, dialogue_id: int, **statuses: int) -> None:
    with app.app_context():
        for status, number in statuses.items():
            for n in range(number):
                db.session.add(
                    Registration(
                        dialogue_id=dialogue_id,
                        name=f"Deltagare {status} {n}",
                        email=f"{status}{n}@example.se",
                        status=status,
                        cancel_token_hash=f"{dialogue_id}-{status}-{n}",
                    )
                )
        db.session.commit()


def _row(html: str, slug: str) -> str:
    start = html.index(f'href="/dialogues/{slug}"')
    return html[start : html.index("</tr>", start)]


def test_the_list_shows_places_and_facilitators_of_the_dialogues_i_run(app, client, auth):
    """A facilitator sees the dialogues they run, each with its places, waiting list and
    facilitators by name; an administrator sees every dialogue."""
    framework = make_framework(app)
    facilitator = make_user(app, Role.FACILITATOR, name="Örjan Ö", locale="en")
    colleague = make_user(app, Role.FACILITATOR, name="Anna <A>")
    mine = make_dialogue(
        app, framework, facilitators=[facilitator.id, colleague.id], registration=True
    )
    _sign_ups(app, mine.id, confirmed=2, waiting=1, cancelled=4)
    unplanned = make_dialogue(app, framework, starts_in=None)
    auth.login(facilitator)
    html = client.get("/dialogues/manage").get_data(as_text=True)
    row = _row(html, mine.slug)
    assert "Workshop " + mine.slug in row
    assert f'<a href="/dialogues/{mine.slug}/registrations">2 with a place, 1 waiting</a>' in row
    assert "Anna &lt;A&gt;, Örjan Ö" in row
    assert f"/dialogues/{unplanned.slug}" not in html
    auth.logout()
    auth.login(make_user(app, Role.ADMIN, locale="en"))
    html = client.get("/dialogues/manage").get_data(as_text=True)
    assert "Anna &lt;A&gt;, Örjan Ö" in _row(html, mine.slug)
    assert _row(html, unplanned.slug).count("<td>–</td>") == 3  # no time, sign-up or facilitator


def test_the_list_costs_the_same_queries_for_many_dialogues(app, client, auth, count_queries):
    """One dialogue or six, with several facilitators and sign-ups each: the same queries."""
    framework = make_framework(app)
    facilitator = make_user(app, Role.FACILITATOR)
    first = make_dialogue(app, framework, facilitators=[facilitator.id], registration=True)
    _sign_ups(app, first.id, confirmed=1)
    auth.login(facilitator)
    with count_queries() as few:
        assert client.get("/dialogues/manage").status_code == 200
    others = [make_user(app, Role.FACILITATOR).id for _ in range(3)]
    for _ in range(5):
        dialogue = make_dialogue(
            app, framework, facilitators=[facilitator.id, *others], registration=True
        )
        _sign_ups(app, dialogue.id, confirmed=3, waiting=2)
    with count_queries() as many:
        assert client.get("/dialogues/manage").status_code == 200
    assert len(many) == len(few) == 2
