"""Proposals through the real stack: the rules on sending, nothing typed is lost, one
proposal per form, references, receipts, supports, withdrawal and the lists."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from dialog.accounts.models import Role
from dialog.config import from_environment
from dialog.contributions.models import Contribution, Proposal, Support
from dialog.core.models import AuditEvent, OutboxMessage, utcnow
from dialog.dialogues.models import Dialogue
from dialog.extensions import db
from tests.contributions.factories import form_tokens, make_proposal, send_proposal
from tests.dialogues.factories import make_dialogue, make_framework
from tests.helpers import AuthActions, csrf_token, make_user

REFERENCE = re.compile(r"^DLG-\d{4}-\d{5}$")
TEXT = "Gör om parkeringen vid stationen till en park med <strong>träd</strong> och bänkar."


@pytest.fixture
def framework(app):
    return make_framework(app)


@pytest.fixture
def consultation(app, framework):
    """An open online consultation, published at once and checked afterwards."""
    info = make_dialogue(app, framework, format="online_consultation", starts_in=None)
    _set(app, info.id, moderation="after")
    return info


def _set(app, dialogue_id: int, **values) -> None:
    with app.app_context():
        dialogue = db.session.get(Dialogue, dialogue_id)
        for name, value in values.items():
            setattr(dialogue, name, value)
        db.session.commit()


def _proposals(app) -> list[Proposal]:
    with app.app_context():
        found = list(db.session.scalars(select(Proposal).order_by(Proposal.id)))
        db.session.expunge_all()
        return found


def _page(response) -> str:
    return response.get_data(as_text=True)


# Sending ------------------------------------------------------------------------------------


def test_a_proposal_is_published_at_once_with_a_reference_and_a_receipt(
    app, client, framework, consultation
):
    """Sent without an account: stored sanitised, numbered, published, and the receipt shows it."""
    goal = framework.goals["1.1"]
    csrf, token = form_tokens(client, consultation.slug)
    data = {
        "csrf_token": csrf,
        "submission": token,
        "title": "Fler bänkar längs ån",
        "body": TEXT + '<script>alert(1)</script> <a href="https://example.se">läs</a>',
        "goal": str(goal),
        "name": "Anna",
    }
    path = f"/dialogues/{consultation.slug}/proposals/new"
    # The script would be cut: the form shows what would be stored, and sending it again
    # with the confirmation stores it.
    shown = _page(client.post(path, data=data))
    confirmation = re.search(r'name="confirm_cleaning" type="hidden" value="([^"]+)"', shown)
    assert confirmation
    response = client.post(path, data={**data, "confirm_cleaning": confirmation.group(1)})
    assert response.status_code == 302
    assert response.location.startswith("/receipt/")
    [proposal] = _proposals(app)
    assert REFERENCE.match(proposal.reference)
    assert proposal.status == "published"
    assert proposal.published_at is not None
    assert proposal.author_id is None
    assert proposal.author_name == "Anna"
    assert "<script>" not in proposal.body_html
    assert "<strong>träd</strong>" in proposal.body_html
    assert 'rel="nofollow ugc noopener noreferrer"' in proposal.body_html
    assert proposal.body_text.startswith("Gör om parkeringen vid stationen")
    receipt = _page(client.get(response.location))
    assert proposal.reference in receipt
    assert "Vi erbjuder möjligheter att påverka" in receipt
    listed = _page(client.get(f"/dialogues/{consultation.slug}/proposals"))
    assert proposal.reference in listed
    assert "Fler bänkar längs ån" in listed


def test_a_proposal_waits_when_the_dialogue_checks_first(app, client, consultation):
    """Moderation before publication: pending, not listed, and its page is a 404 to others."""
    _set(app, consultation.id, moderation="before")
    response = send_proposal(client, consultation.slug)
    [proposal] = _proposals(app)
    assert proposal.status == "pending"
    assert proposal.published_at is None
    assert "Väntar" in _page(client.get(response.location))
    assert proposal.reference not in _page(client.get(f"/dialogues/{consultation.slug}/proposals"))
    assert client.get(f"/dialogues/{consultation.slug}/proposals/{proposal.id}").status_code == 404


@pytest.mark.parametrize(
    "change",
    [
        {"status": "closed"},
        {"level": "inform"},
        {"closes_at": utcnow() - timedelta(hours=1)},
        {"opens_at": utcnow() + timedelta(days=1)},
    ],
    ids=["closed", "inform-level", "input-window-over", "input-window-not-begun"],
)
def test_a_dialogue_that_takes_no_input_refuses_and_keeps_the_text(
    app, client, consultation, change
):
    """Closed, informing only or outside its window: refused, nothing stored, text kept."""
    csrf, token = form_tokens(client, consultation.slug)
    _set(app, consultation.id, **change)
    response = client.post(
        f"/dialogues/{consultation.slug}/proposals/new",
        data={"csrf_token": csrf, "submission": token, "title": "Min titel", "body": TEXT},
    )
    assert response.status_code == 200
    page = _page(response)
    assert "Min titel" in page
    assert "parkeringen vid stationen" in page
    assert "error-summary" in page
    assert _proposals(app) == []


def test_the_honeypot_refuses_in_the_readers_language_and_keeps_the_text(app, client, consultation):
    """A filled-in trap field: refused with a message, nothing stored, the text given back."""
    response = send_proposal(client, consultation.slug, body=TEXT, website="http://spam.example")
    page = _page(response)
    assert response.status_code == 200
    assert "skräppost" in page
    assert "parkeringen vid stationen" in page
    client.set_cookie("lang", "en")
    page = _page(send_proposal(client, consultation.slug, body=TEXT, website="x"))
    assert "spam programs" in page
    assert _proposals(app) == []


def test_validation_errors_keep_everything_typed(app, client, consultation):
    """A missing title and a bad email come back with the text, name and email as typed."""
    response = send_proposal(
        client, consultation.slug, title="", body=TEXT, name="Anna", email="inte-en-adress"
    )
    page = _page(response)
    assert "parkeringen vid stationen" in page
    assert 'value="Anna"' in page
    assert 'value="inte-en-adress"' in page
    assert _proposals(app) == []


def test_a_goal_of_another_framework_is_refused(app, client, consultation):
    """Only a goal of the dialogue's framework can be suggested."""
    other = make_framework(app)
    response = send_proposal(client, consultation.slug, goal=str(other.goals["1.1"]))
    assert "error-summary" in _page(response)
    assert _proposals(app) == []


def test_the_limits_per_account_and_per_address_refuse_with_429_and_keep_the_text(
    app, client, auth, consultation
):
    """Past the account's limit the form comes back (429) with the text; so past the address's."""
    resident = make_user(app)
    auth.login(resident)
    for number in range(5):
        assert (
            send_proposal(client, consultation.slug, title=f"Förslag {number}").status_code == 302
        )
    refused = send_proposal(client, consultation.slug, title="Ett till", body=TEXT)
    assert refused.status_code == 429
    assert "parkeringen vid stationen" in _page(refused)
    assert "Ett till" in _page(refused)
    assert len(_proposals(app)) == 5
    anonymous = app.test_client()
    for number in range(5):
        assert (
            send_proposal(anonymous, consultation.slug, title=f"Anonymt {number}").status_code
            == 302
        )
    assert send_proposal(anonymous, consultation.slug, body=TEXT).status_code == 429
    assert len(_proposals(app)) == 10


def test_the_site_sets_its_own_limits_for_sending(app, client, consultation, monkeypatch):
    """DIALOG_SUBMISSION_LIMITS_PER_ADDRESS replaces the default: here two sends a minute."""
    monkeypatch.setitem(app.config, "SUBMISSION_LIMITS_PER_ADDRESS", "2/minute")
    assert send_proposal(client, consultation.slug, title="Ett").status_code == 302
    assert send_proposal(client, consultation.slug, title="Två").status_code == 302
    assert send_proposal(client, consultation.slug, title="Tre", body=TEXT).status_code == 429
    assert len(_proposals(app)) == 2


def test_a_limit_that_cannot_be_read_stops_the_start(monkeypatch):
    """A mistyped limit in the environment is an error at start, not a site without limits."""
    monkeypatch.setenv("DIALOG_SUBMISSION_LIMITS_PER_ACCOUNT", "five a minute")
    with pytest.raises(ValueError, match="DIALOG_SUBMISSION_LIMITS_PER_ACCOUNT"):
        from_environment()


def test_a_second_send_of_the_same_form_lands_on_the_same_receipt(app, client, consultation):
    """Two clicks, a reload or two tabs: one proposal, and both sends show its receipt."""
    csrf, token = form_tokens(client, consultation.slug)
    data = {"csrf_token": csrf, "submission": token, "title": "En gång", "body": TEXT}
    first = client.post(f"/dialogues/{consultation.slug}/proposals/new", data=data)
    second = client.post(f"/dialogues/{consultation.slug}/proposals/new", data=data)
    assert first.status_code == second.status_code == 302
    assert first.location == second.location
    assert len(_proposals(app)) == 1


def test_an_expired_session_shows_the_form_again_with_the_text_and_a_fresh_token(app, consultation):
    """The CSRF token expired while typing: no 400 page, the text back, and sending again works."""
    writer = app.test_client()
    _, token = form_tokens(writer, consultation.slug)
    writer.delete_cookie("dialog_session")  # the session ended while they were writing
    data = {"csrf_token": "expired", "submission": token, "title": "Lång text", "body": TEXT}
    response = writer.post(f"/dialogues/{consultation.slug}/proposals/new", data=data)
    assert response.status_code == 200
    page = _page(response)
    assert "Lång text" in page
    assert "parkeringen vid stationen" in page
    assert "Sessionen hade gått ut" in page
    assert _proposals(app) == []
    fresh = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    again = writer.post(
        f"/dialogues/{consultation.slug}/proposals/new", data={**data, "csrf_token": fresh}
    )
    assert again.status_code == 302
    assert len(_proposals(app)) == 1


def test_the_receipt_is_mailed_with_a_link_on_the_sites_address(app, client, consultation):
    """An email given: the outbox holds the reference and a working receipt link."""
    response = send_proposal(client, consultation.slug, email="anna@example.se")
    with app.app_context():
        [message] = db.session.scalars(select(OutboxMessage)).all()
        recipient, body = message.recipient, message.body
    [proposal] = _proposals(app)
    assert recipient == "anna@example.se"
    assert proposal.reference in body
    link = re.search(r"https?://\S+/receipt/[A-Za-z0-9_-]+", body).group(0)
    assert link.endswith(response.location)


def test_references_count_up_per_year_with_the_configured_prefix(app, consultation, monkeypatch):
    """Each proposal takes the next number of the year, after the configured prefix."""
    monkeypatch.setitem(app.config, "REFERENCE_PREFIX", "LKR")
    first = make_proposal(app, consultation.slug)
    second = make_proposal(app, consultation.slug)
    year = utcnow().year
    numbers = [int(ref.rsplit("-", 1)[1]) for ref in (first.reference, second.reference)]
    assert first.reference.startswith(f"LKR-{year}-") or first.reference.startswith(
        f"LKR-{year + 1}-"
    )
    assert numbers[1] == numbers[0] + 1


# Receipts ---------------------------------------------------------------------------------


def test_a_wrong_receipt_token_is_a_404_that_reveals_nothing(app, client, consultation):
    """An unknown or almost-right token gives the site's plain 404 page."""
    proposal = make_proposal(app, consultation.slug)
    unknown = client.get("/receipt/not-a-token")
    # One character changed, whatever the real last character is.
    wrong = "B" if proposal.receipt_token.endswith("A") else "A"
    almost_token = proposal.receipt_token[:-1] + wrong
    almost = client.get(f"/receipt/{almost_token}")
    assert unknown.status_code == almost.status_code == 404
    assert proposal.reference not in _page(almost)

    def plain(response, token: str) -> str:
        # The same page but for the address asked and the request id it gives for support.
        return re.sub(r"<code>[^<]*</code>", "", _page(response).replace(token, ""))

    assert plain(unknown, "not-a-token") == plain(almost, almost_token)


def test_the_receipt_page_is_private(app, client, consultation):
    """No referrer, no index, never stored in a cache."""
    proposal = make_proposal(app, consultation.slug)
    response = client.get(f"/receipt/{proposal.receipt_token}")
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response.headers["X-Robots-Tag"]
    assert response.headers["Cache-Control"] == "no-store"
    assert '<meta name="robots" content="noindex, nofollow">' in _page(response)
    assert client.get("/").headers["Referrer-Policy"] == "same-origin"


def test_the_receipt_holder_withdraws_and_the_proposal_stays_marked_withdrawn(
    app, client, consultation
):
    """Withdrawn by the link: kept, listed as withdrawn, audited; a second time changes nothing."""
    proposal = make_proposal(app, consultation.slug)
    path = f"/receipt/{proposal.receipt_token}"
    token = csrf_token(client, path)
    assert client.post(f"{path}/withdraw", data={"csrf_token": token}).status_code == 302
    assert client.post(f"{path}/withdraw", data={"csrf_token": token}).status_code == 302
    [stored] = _proposals(app)
    assert stored.status == "withdrawn"
    assert stored.withdrawn_at is not None
    listed = _page(client.get(f"/dialogues/{consultation.slug}/proposals?status=withdrawn"))
    assert proposal.reference in listed
    assert "Återkallad" in listed
    assert proposal.reference not in _page(
        client.get(f"/dialogues/{consultation.slug}/proposals?status=published")
    )
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "contribution_withdrawn")
        ).all()
        assert [event.details["by"] for event in events] == ["receipt"]


def test_the_author_withdraws_with_the_account_and_nobody_else_can(app, consultation):
    """The account that sent it withdraws it from its own page; another resident gets 403."""
    author, other = make_user(app), make_user(app)
    proposal = make_proposal(app, consultation.slug, user_id=author.id)
    path = f"/dialogues/{consultation.slug}/proposals/{proposal.id}/withdraw"
    stranger = app.test_client()
    AuthActions(stranger).login(other)
    refused = stranger.post(path, data={"csrf_token": csrf_token(stranger, "/my/inputs")})
    assert refused.status_code == 403
    owner = app.test_client()
    AuthActions(owner).login(author)
    mine = _page(owner.get("/my/inputs"))
    assert proposal.reference in mine
    assert "Publicerad" in mine
    assert owner.post(path, data={"csrf_token": csrf_token(owner, "/my/inputs")}).status_code == 302
    assert "Återkallad av dig" in _page(owner.get("/my/inputs"))
    assert _proposals(app)[0].status == "withdrawn"


# Supports -----------------------------------------------------------------------------------


def test_a_resident_supports_once_and_can_take_it_back(app, consultation):
    """Support counts once per person and goes down when taken back."""
    proposal = make_proposal(app, consultation.slug)
    resident = make_user(app)
    client = app.test_client()
    AuthActions(client).login(resident)
    page = f"/dialogues/{consultation.slug}/proposals/{proposal.id}"
    for _ in range(2):
        client.post(f"{page}/support", data={"csrf_token": csrf_token(client, page)})
    assert _proposals(app)[0].support_count == 1
    assert "Du stöder förslaget" in _page(client.get(page))
    client.post(f"{page}/unsupport", data={"csrf_token": csrf_token(client, page)})
    client.post(f"{page}/unsupport", data={"csrf_token": csrf_token(client, page)})
    assert _proposals(app)[0].support_count == 0
    with app.app_context():
        assert db.session.scalars(select(Support)).all() == []


def test_a_proposal_not_published_cannot_be_supported(app, consultation):
    """Withdrawn: the support is refused and the count stays."""
    proposal = make_proposal(app, consultation.slug)
    with app.app_context():
        db.session.get(Contribution, proposal.id).status = "withdrawn"
        db.session.commit()
    client = app.test_client()
    AuthActions(client).login(make_user(app))
    page = f"/dialogues/{consultation.slug}/proposals/{proposal.id}"
    client.post(f"{page}/support", data={"csrf_token": csrf_token(client, "/my/inputs")})
    assert _proposals(app)[0].support_count == 0


# Lists --------------------------------------------------------------------------------------


def test_the_list_sorts_and_filters(app, client, framework, consultation):
    """Newest, most supported; by goal; each with reference, supports and comments."""
    first = make_proposal(app, consultation.slug, title="Först")
    second = make_proposal(app, consultation.slug, title="Sedan")
    with app.app_context():
        db.session.get(Contribution, first.id).support_count = 7
        db.session.commit()
    base = f"/dialogues/{consultation.slug}/proposals"
    newest = _page(client.get(base))
    assert newest.index("Sedan") < newest.index("Först")
    supported = _page(client.get(f"{base}?sort=supported"))
    assert supported.index("Först") < supported.index("Sedan")
    assert "7 stöd" in supported
    assert "0 kommentarer" in supported
    goal = framework.goals["2.1"]
    with app.app_context():
        from dialog.contributions import services
        from dialog.goals.models import Goal

        services.suggest_goal(
            db.session.get(Contribution, second.id), db.session.get(Goal, goal), None
        )
        db.session.commit()
    filtered = _page(client.get(f"{base}?goal={goal}"))
    assert second.reference in filtered
    assert first.reference not in filtered


def test_the_list_costs_the_same_queries_whatever_its_length(
    app, client, framework, consultation, count_queries
):
    """Ten times the proposals, with goals: the same number of queries for a page."""
    base = f"/dialogues/{consultation.slug}/proposals"

    def queries_for_list() -> int:
        with count_queries() as statements:
            assert client.get(base).status_code == 200
        return len(statements)

    make_proposal(app, consultation.slug)
    few = queries_for_list()
    for number in range(10):
        make_proposal(app, consultation.slug, title=f"Förslag {number}")
    assert queries_for_list() == few


def test_the_dialogue_and_inputs_pages_lead_to_the_proposals(app, client, consultation):
    """The dialogue page counts the proposals and links to them; so does the inputs page."""
    make_proposal(app, consultation.slug)
    page = _page(client.get(f"/dialogues/{consultation.slug}"))
    assert "1 förslag" in page
    assert f"/dialogues/{consultation.slug}/proposals" in page
    assert f"/dialogues/{consultation.slug}/proposals/new" in page
    inputs = _page(client.get(f"/dialogues/{consultation.slug}/inputs"))
    assert f"/dialogues/{consultation.slug}/proposals" in inputs


def test_my_inputs_needs_a_login_and_lists_only_mine(app, consultation):
    """Everything a resident sent with the account, with its status, and nobody else's."""
    author = make_user(app, Role.RESIDENT)
    mine = make_proposal(app, consultation.slug, user_id=author.id, title="Mitt förslag")
    theirs = make_proposal(app, consultation.slug, title="Någon annans")
    client = app.test_client()
    assert client.get("/my/inputs").status_code == 302
    AuthActions(client).login(author)
    page = _page(client.get("/my/inputs"))
    assert mine.reference in page
    assert theirs.reference not in page


def test_text_that_cleaning_would_cut_is_shown_before_it_is_stored(app, client, consultation):
    """A tag outside the allowed ones is shown as it would be stored; sending again stores it."""
    csrf, token = form_tokens(client, consultation.slug)
    data = {
        "csrf_token": csrf,
        "submission": token,
        "title": "Bänkar",
        "body": "Vi vill ha <fler bänkar> vid ån.",
    }
    path = f"/dialogues/{consultation.slug}/proposals/new"
    first = client.post(path, data=data)
    page = _page(first)
    assert first.status_code == 200
    assert "&lt;fler bänkar&gt;" in page
    assert _proposals(app) == []
    confirmation = re.search(r'name="confirm_cleaning" type="hidden" value="([^"]+)"', page)
    assert confirmation
    second = client.post(path, data={**data, "confirm_cleaning": confirmation.group(1)})
    assert second.status_code == 302, re.findall(r"<li>[^<]*<", _page(second))
    [stored] = _proposals(app)
    assert stored.body_text == "Vi vill ha vid ån."
