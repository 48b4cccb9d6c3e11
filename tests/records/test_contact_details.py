"""Politicians are never shown who sent an input: no name, no address, on any page."""

from __future__ import annotations

import io
import zipfile

import pytest

from dialog.accounts.models import Role
from dialog.contributions import services
from dialog.contributions.models import Proposal
from dialog.extensions import db
from tests.contributions.factories import make_consultation
from tests.dialogues.factories import make_note
from tests.helpers import AuthActions, make_user
from tests.pages.factories import make_page, make_page_comment
from tests.records.factories import send_proposal
from tests.test_permissions import (
    COMMENT,
    DIALOGUE,
    EXPECTED,
    NOTE,
    PAGE,
    PAGE_SLUG,
    PROPOSAL,
    PROPOSAL_COMMENT,
    fill_path,
)

NAME, EMAIL = "Hemlig Namnsson", "hemlig.namnsson@example.se"
COMMENTER, COMMENTER_EMAIL = "Kerstin Kommentar", "kerstin.k@example.se"


def _known_inputs(app) -> dict:
    """A dialogue with a proposal and a comment carrying names and addresses, a note, and a
    page comment with an address; each placeholder's value."""
    dialogue = make_consultation(app)
    proposal_id = send_proposal(
        app,
        dialogue.slug,
        title="Bänkar vid ån",
        body="<p>Fler bänkar.</p>",
        name=NAME,
        email=EMAIL,
    )
    with app.test_request_context(method="POST"):
        proposal = db.session.get_one(Proposal, proposal_id)
        comment = services.submit_comment(
            proposal,
            services.CommentInput(
                body="Instämmer.",
                submission_token=services.new_submission_token(),
                name=COMMENTER,
                email=COMMENTER_EMAIL,
            ),
            services.Sender(None, None),
            None,
        ).contribution
        services.publish_contribution(comment, None)
        db.session.commit()
        comment_id = comment.id
    page = make_page(app)
    return {
        DIALOGUE: dialogue.slug,
        NOTE: str(make_note(app, dialogue)),
        PROPOSAL_COMMENT: str(comment_id),
        PROPOSAL: str(proposal_id),
        PAGE_SLUG: page.slug,
        PAGE: str(page.id),
        COMMENT: str(make_page_comment(app, f"/pages/{page.slug}", email=EMAIL)),
    }


def _fill(app, path: str, known: dict, responsible: list[int]) -> str:
    for placeholder, value in known.items():
        if isinstance(value, str):
            path = path.replace(placeholder, value)
    return fill_path(app, path, responsible, known.setdefault("goals", {}))


def _get_routes(role: str) -> list[str]:
    return sorted(
        endpoint
        for endpoint, access in EXPECTED.items()
        if access.method == "GET" and access.expected[role] == 200
    )


def test_the_public_sees_the_name_an_author_chose_to_show(app, client):
    """The name given with a proposal is shown to the public (the check below is real)."""
    known = _known_inputs(app)
    page = client.get(f"/dialogues/{known[DIALOGUE]}/proposals/{known[PROPOSAL]}")
    assert NAME in page.get_data(as_text=True)


def _text_of(response) -> str:  # noqa: ANN001
    """The response's text; of a workbook (an XLSX export), the text of every part."""
    if response.mimetype.startswith("application/vnd.openxmlformats"):
        with zipfile.ZipFile(io.BytesIO(response.data)) as workbook:
            return "\n".join(workbook.read(name).decode("utf-8") for name in workbook.namelist())
    return response.get_data(as_text=True)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_no_page_a_politician_opens_shows_who_sent_an_input(app, language):
    """Every GET route a politician may open, with inputs that carry names and addresses,
    shows neither; inputs are shown as from a resident."""
    politician = make_user(app, Role.POLITICIAN)
    client = app.test_client()
    assert AuthActions(client).login(politician).status_code == 302
    client.get(f"/language/{language}")
    known = _known_inputs(app)
    opened = []
    for endpoint in _get_routes("politician"):
        path = _fill(app, EXPECTED[endpoint].path, known, [politician.id])
        response = client.get(path)
        assert response.status_code < 500, endpoint
        text = _text_of(response)
        for secret in (NAME, EMAIL, COMMENTER, COMMENTER_EMAIL, "hemlig", "kerstin"):
            assert secret.lower() not in text.lower(), (endpoint, secret)
        opened.append(endpoint)
    assert {"staff.start", "contributions.proposal", "contributions.thread"} <= set(opened)
    page = client.get(f"/dialogues/{known[DIALOGUE]}/proposals/{known[PROPOSAL]}")
    assert ("En invånare" if language == "sv" else "A resident") in page.get_data(as_text=True)


def test_editors_see_the_contact_details_they_moderate(app):
    """A web editor sees the name with the proposal and the page comment's address."""
    editor = make_user(app, Role.EDITOR)
    client = app.test_client()
    AuthActions(client).login(editor)
    known = _known_inputs(app)
    page = client.get(f"/dialogues/{known[DIALOGUE]}/proposals/{known[PROPOSAL]}")
    assert NAME in page.get_data(as_text=True)
    page = client.get(f"/admin/page-comments/{known[COMMENT]}")
    assert EMAIL in page.get_data(as_text=True)


def test_facilitators_see_no_address_of_an_input(app):
    """A facilitator responsible for the dialogue sees no input's address on any page they
    may open (their own events' sign-up lists are theirs to run, and hold no input)."""
    facilitator = make_user(app, Role.FACILITATOR)
    client = app.test_client()
    AuthActions(client).login(facilitator)
    known = _known_inputs(app)
    for endpoint in _get_routes("facilitator"):
        path = _fill(app, EXPECTED[endpoint].path, known, [facilitator.id])
        text = client.get(path).get_data(as_text=True)
        assert EMAIL not in text, endpoint
        assert COMMENTER_EMAIL not in text, endpoint
