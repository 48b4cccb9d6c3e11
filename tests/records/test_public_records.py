"""No path deletes an input: the ORM refuses it, and no route of the app takes one away."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from dialog.accounts.models import Role
from dialog.contributions.models import Comment, Contribution, ContributionDeletionError
from dialog.extensions import db
from tests.helpers import AuthActions, csrf_token, make_user
from tests.records.factories import contribution_count, make_resident
from tests.test_permissions import EXPECTED, fill_path


def test_session_delete_of_an_input_is_refused(app):
    """session.delete() of any kind of input raises and the row stays."""
    resident = make_resident(app, "Alfa")
    with app.app_context():
        comment = db.session.get_one(Comment, resident.comment_id)
        db.session.delete(comment)
        with pytest.raises(ContributionDeletionError):
            db.session.flush()
        db.session.rollback()
    assert contribution_count(app) == 2


@pytest.mark.parametrize("model", [Contribution, Comment])
def test_bulk_delete_of_inputs_is_refused(app, model):
    """A bulk DELETE of inputs through the ORM raises before it reaches the database."""
    make_resident(app, "Beta")
    with app.app_context():
        with pytest.raises(ContributionDeletionError):
            db.session.execute(delete(model).where(model.id > 0))
        db.session.rollback()
    assert contribution_count(app) == 2


def test_no_route_answers_delete(app):
    """No route of the app takes the DELETE method."""
    assert not [rule for rule in app.url_map.iter_rules() if "DELETE" in (rule.methods or ())]


def _post_routes(app) -> list[str]:
    endpoints = {
        rule.endpoint for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())
    }
    # Logging out last: the other routes are sent logged in.
    return sorted(endpoints, key=lambda endpoint: (endpoint == "accounts.logout", endpoint))


def test_no_post_route_lowers_the_number_of_inputs(app):
    """Every POST route, sent by an administrator with its usual form data, leaves every input
    in place (hiding, rejecting and withdrawing keep the record)."""
    admin = make_user(app, Role.ADMIN, Role.EDITOR, Role.FACILITATOR)
    client = app.test_client()
    assert AuthActions(client).login(admin).status_code == 302
    make_resident(app, "Gamma")
    sent, goals = [], {}
    for endpoint in _post_routes(app):
        access = EXPECTED[endpoint]
        path = fill_path(app, access.path, [admin.id], goals)
        data = {"csrf_token": csrf_token(client, "/account"), **access.data}
        before = contribution_count(app)
        response = client.post(path, data=data)
        assert response.status_code < 500, endpoint
        assert contribution_count(app) >= before, endpoint
        sent.append(endpoint)
    assert "dialogues.hide_note" in sent
    assert "contributions.withdraw_by_receipt" in sent
