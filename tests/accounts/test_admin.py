"""The administrators' user list, roles and activation; the users command."""

from __future__ import annotations

from sqlalchemy import select

from dialog.accounts.models import Role
from dialog.core.models import AuditEvent
from dialog.extensions import db
from tests.helpers import load_user, make_user, post_form


def test_admin_grants_and_revokes_a_role_with_an_audit_trail(app, client, auth):
    """An admin grants and revokes a role; both land in the audit trail with actor and role."""
    admin = make_user(app, Role.ADMIN)
    resident = make_user(app, name="Rolf Resident")
    auth.login(admin)
    response = post_form(
        client,
        f"/admin/users/{resident.id}/roles",
        {"role": "editor", "action": "grant", "next": "/admin/users?q=rolf"},
        source="/admin/users",
    )
    assert response.status_code == 302
    assert response.location == "/admin/users?q=rolf"
    assert Role.EDITOR in load_user(app, resident.id).role_names
    post_form(
        client,
        f"/admin/users/{resident.id}/roles",
        {"role": "editor", "action": "revoke"},
        source="/admin/users",
    )
    assert Role.EDITOR not in load_user(app, resident.id).role_names
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        actions = [(e.action, e.actor_id, e.subject_id, e.details) for e in events]
    assert ("role_granted", admin.id, resident.id, {"role": "editor"}) in actions
    assert ("role_revoked", admin.id, resident.id, {"role": "editor"}) in actions


def test_the_last_admin_keeps_the_role(app, client, auth):
    """The only administrator cannot revoke their own admin role."""
    admin = make_user(app, Role.ADMIN)
    auth.login(admin)
    post_form(
        client,
        f"/admin/users/{admin.id}/roles",
        {"role": "admin", "action": "revoke"},
        source="/admin/users",
    )
    assert Role.ADMIN in load_user(app, admin.id).role_names


def test_user_list_searches_and_paginates(app, client, auth):
    """The user list counts everyone, pages after 30 rows and finds a person by name."""
    admin = make_user(app, Role.ADMIN, name="Ada Admin")
    for number in range(30):
        make_user(app, name=f"Person {number:02d}")
    auth.login(admin)
    first = client.get("/admin/users").get_data(as_text=True)
    assert "31 " in first or "31<" in first
    assert 'rel="next"' in first
    found = client.get("/admin/users?q=person 07").get_data(as_text=True)
    assert "Person 07" in found
    assert "Person 08" not in found


def test_user_list_query_count_does_not_grow(app, client, auth, count_queries):
    """The user list runs the same few queries with 1 user or 41."""
    admin = make_user(app, Role.ADMIN)
    auth.login(admin)
    with count_queries() as few:
        client.get("/admin/users")
    for _ in range(40):
        make_user(app, Role.EDITOR)
    with count_queries() as many:
        client.get("/admin/users")
    assert len(many) == len(few)
    assert len(few) <= 5


def test_users_create_command(app):
    """`users create` makes an admin once; a taken address (any case) or short password fails."""
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "first@example.se", "--role", "admin", "--password", "x" * 12]
    )
    assert result.exit_code == 0, result.output
    again = runner.invoke(
        args=["users", "create", "FIRST@example.se", "--role", "admin", "--password", "x" * 12]
    )
    assert again.exit_code != 0
    short = runner.invoke(args=["users", "create", "other@example.se", "--password", "short"])
    assert short.exit_code != 0
