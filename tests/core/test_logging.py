"""Security events are logged as structured lines, with no secret in them."""

from __future__ import annotations

import json

from dialog.accounts.models import Role
from tests.helpers import make_user, post_form


def _log_lines(capfd) -> list[dict]:
    return [
        json.loads(line) for line in capfd.readouterr().err.splitlines() if line.startswith("{")
    ]


def test_logins_failures_refusals_and_role_changes_are_logged_without_secrets(app, capfd):
    """Security events are JSON lines with actor and request id, and no password or cookie."""
    admin = make_user(app, Role.ADMIN)
    resident = make_user(app)
    client = app.test_client()
    post_form(client, "/login", {"email": resident.email, "password": "wrong guess here"})
    post_form(client, "/login", {"email": resident.email, "password": resident.password})
    client.get("/admin/users")
    admin_client = app.test_client()
    from tests.helpers import AuthActions

    AuthActions(admin_client).login(admin)
    post_form(
        admin_client,
        f"/admin/users/{resident.id}/roles",
        {"roles": ["resident", "politician"], "shown": "resident"},
        source="/admin/users",
    )
    output = capfd.readouterr().err
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    events = {line.get("event") for line in lines}
    assert {"login_failed", "login", "permission_refused", "role_granted"} <= events
    refused = next(line for line in lines if line.get("event") == "permission_refused")
    assert refused["actor_id"] == resident.id
    granted = next(line for line in lines if line.get("event") == "role_granted")
    assert granted["actor_id"] == admin.id
    assert granted["role"] == "politician"
    cookie = admin_client.get_cookie("dialog_session").value
    for secret in (resident.password, "wrong guess here", admin.totp_secret, cookie):
        assert secret not in output
    assert all("request_id" in line for line in lines if line.get("event"))
