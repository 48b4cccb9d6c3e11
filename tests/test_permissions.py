"""Every route against every role, from an expected table built by hand.

A new route without an entry here fails test_every_route_is_in_the_table, so each
capability states who may reach what.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from dialog.accounts.models import Role
from dialog.goals.models import FrameworkStatus
from tests.contributions.factories import make_comment, make_proposal
from tests.dialogues.factories import make_managed_dialogue
from tests.goals.factories import make_framework, sub_goal_ids
from tests.helpers import AuthActions, csrf_token, make_user
from tests.pages.factories import make_page, make_page_comment

ROLES = ("anonymous", "resident", "facilitator", "editor", "politician", "admin")
LOGIN = "login"  # a redirect to the login page


@dataclass(frozen=True)
class Access:
    method: str
    path: str
    expected: dict[str, int | str]
    data: dict[str, str] = field(default_factory=dict)


def everyone(status: int, path: str, method: str = "GET") -> Access:
    return Access(method, path, dict.fromkeys(ROLES, status))


def guests_only(path: str) -> Access:
    return Access("GET", path, {role: 200 if role == "anonymous" else 302 for role in ROLES})


def logged_in(path: str, method: str = "GET", status: int = 200) -> Access:
    return Access(method, path, {role: LOGIN if role == "anonymous" else status for role in ROLES})


def admins_only(path: str, method: str = "GET", status: int = 200, **data: str) -> Access:
    expected: dict[str, int | str] = dict.fromkeys(ROLES, 403)
    expected.update(anonymous=LOGIN, admin=status)
    return Access(method, path, expected, data)


def editors_only(path: str, method: str = "GET", status: int = 200, **data: str) -> Access:
    """Web editors and administrators."""
    expected: dict[str, int | str] = dict.fromkeys(ROLES, 403)
    expected.update(anonymous=LOGIN, editor=status, admin=status)
    return Access(method, path, expected, data)


def facilitators_only(path: str, method: str = "GET", status: int = 200, **data: str) -> Access:
    """Facilitators responsible for the dialogue, and administrators."""
    expected: dict[str, int | str] = dict.fromkeys(ROLES, 403)
    expected.update(anonymous=LOGIN, facilitator=status, admin=status)
    return Access(method, path, expected, data)


def reviewers_only(path: str) -> Access:
    """Politicians, web editors and administrators."""
    expected: dict[str, int | str] = dict.fromkeys(ROLES, 403)
    expected.update(anonymous=LOGIN, politician=200, editor=200, admin=200)
    return Access("GET", path, expected)


def staff_only(path: str) -> Access:
    """Every staff role; residents are refused."""
    expected: dict[str, int | str] = dict.fromkeys(ROLES, 200)
    expected.update(anonymous=LOGIN, resident=403)
    return Access("GET", path, expected)


TARGET = "{target}"  # the id of a resident the admin routes act on
# An open workshop with registration and one note; the logged-in user, whatever their role,
# is listed as responsible for it, so only the role decides.
DIALOGUE, NOTE = "{dialogue}", "{note}"
PROPOSAL = "{proposal}"  # a published proposal to that dialogue, sent without an account
PROPOSAL_COMMENT = "{proposal_comment}"  # a published comment on it, sent without an account
MANAGED = f"/dialogues/{DIALOGUE}"
# Goal frameworks the goal routes act on: an adopted one replacing a superseded one, and a
# draft with its goals, indicators and measurements.
CURRENT, OLD, DRAFT = "{current}", "{old}", "{draft}"
CURRENT_GOAL, GOAL, INDICATOR, MEASUREMENT = (
    "{current_goal}",
    "{goal}",
    "{indicator}",
    "{measurement}",
)
GOAL_TARGETS = (CURRENT, OLD, DRAFT, CURRENT_GOAL, GOAL, INDICATOR, MEASUREMENT)
ADMIN_DRAFT = f"/admin/frameworks/{DRAFT}"
# A published content page and a page comment on it.
PAGE, PAGE_SLUG, COMMENT = "{page}", "{page_slug}", "{comment}"
ADMIN_PAGE = f"/admin/pages/{PAGE}"

EXPECTED: dict[str, Access] = {
    "pages.home": everyone(200, "/"),
    "pages.accessibility": everyone(200, "/accessibility"),
    "pages.privacy": everyone(200, "/privacy"),
    "pages.switch_language": everyone(302, "/language/en"),
    "pages.page_list": everyone(200, "/pages"),
    "pages.content_page": everyone(200, f"/pages/{PAGE_SLUG}"),
    "pages.page_comment": everyone(200, f"/page-comment?page=/pages/{PAGE_SLUG}"),
    "pages.admin_pages": editors_only("/admin/pages"),
    "pages.admin_new_page": editors_only("/admin/pages/new"),
    "pages.admin_edit_page": editors_only(f"{ADMIN_PAGE}/edit"),
    "pages.admin_set_page_status": editors_only(f"{ADMIN_PAGE}/status", "POST", 302, published="0"),
    "pages.admin_page_versions": editors_only(f"{ADMIN_PAGE}/versions"),
    "pages.admin_page_comments": editors_only("/admin/page-comments"),
    "pages.admin_page_comment": editors_only(f"/admin/page-comments/{COMMENT}"),
    "pages.admin_page_comment_handled": editors_only(
        f"/admin/page-comments/{COMMENT}/handled", "POST", 302
    ),
    "accounts.register": guests_only("/register"),
    "accounts.register_sent": everyone(200, "/register/sent"),
    "accounts.finish_registration": Access(
        "GET",
        "/register/not-a-token",
        {role: 404 if role == "anonymous" else 302 for role in ROLES},
    ),
    "accounts.login": everyone(200, "/login"),
    "accounts.two_factor": everyone(302, "/login/two-factor"),
    "accounts.two_factor_setup": everyone(302, "/login/two-factor/setup"),
    "accounts.logout": everyone(302, "/logout", method="POST"),
    "accounts.account": logged_in("/account"),
    "accounts.change_password": logged_in("/account/password"),
    "accounts.recovery_codes": Access(
        "POST",
        "/account/recovery-codes",
        {
            "anonymous": LOGIN,
            "resident": 403,
            "facilitator": 200,
            "editor": 200,
            "politician": 200,
            "admin": 200,
        },
    ),
    "accounts.forgot_password": everyone(200, "/password/forgot"),
    "accounts.reset_password": everyone(404, "/password/reset/not-a-token"),
    "accounts.admin_users": admins_only("/admin/users"),
    "accounts.admin_change_role": admins_only(
        f"/admin/users/{TARGET}/roles", "POST", 302, roles="politician", shown=""
    ),
    "accounts.admin_set_active": admins_only(
        f"/admin/users/{TARGET}/active", "POST", 302, active="0"
    ),
    "outbox.index": admins_only("/admin/mail"),
    "goals.index": everyone(200, "/goals"),
    "goals.framework": everyone(200, f"/goals/{CURRENT}"),
    "goals.goal": everyone(200, f"/goals/{CURRENT}/{CURRENT_GOAL}"),
    "trace.goal_inputs": everyone(200, f"/goals/{CURRENT}/{CURRENT_GOAL}/inputs"),
    "goals.compare": everyone(200, f"/goals/{OLD}/compare/{CURRENT}"),
    "goals.admin_index": admins_only("/admin/frameworks"),
    "goals.admin_new_framework": admins_only("/admin/frameworks/new"),
    "goals.admin_framework": admins_only(ADMIN_DRAFT),
    "goals.admin_edit_framework": admins_only(f"{ADMIN_DRAFT}/edit"),
    "goals.admin_set_status": Access(
        "POST",
        f"{ADMIN_DRAFT}/status",
        admins_only(f"{ADMIN_DRAFT}/status", "POST", 302).expected,
        {"status": "consultation"},
    ),
    "goals.admin_adopt": admins_only(f"{ADMIN_DRAFT}/adopt"),
    "goals.admin_new_version": admins_only(f"/admin/frameworks/{CURRENT}/new-version"),
    "goals.admin_new_goal": admins_only(f"{ADMIN_DRAFT}/goals/new"),
    "goals.admin_edit_goal": admins_only(f"{ADMIN_DRAFT}/goals/{GOAL}"),
    "goals.admin_move_goal": admins_only(
        f"{ADMIN_DRAFT}/goals/{GOAL}/move", "POST", 302, direction="up"
    ),
    "goals.admin_delete_goal": admins_only(f"{ADMIN_DRAFT}/goals/{GOAL}/delete", "POST", 302),
    "goals.admin_goal_sdgs": admins_only(f"{ADMIN_DRAFT}/goals/{GOAL}/sdgs"),
    "goals.admin_new_indicator": admins_only(f"{ADMIN_DRAFT}/goals/{GOAL}/indicators/new"),
    "goals.admin_indicator": admins_only(f"{ADMIN_DRAFT}/indicators/{INDICATOR}"),
    "goals.admin_delete_indicator": admins_only(
        f"{ADMIN_DRAFT}/indicators/{INDICATOR}/delete", "POST", 302
    ),
    "goals.admin_record_measurement": admins_only(
        f"{ADMIN_DRAFT}/indicators/{INDICATOR}/measurements",
        "POST",
        302,
        year="2024",
        value="12,5",
        source="manual",
    ),
    "goals.admin_delete_measurement": admins_only(
        f"{ADMIN_DRAFT}/measurements/{MEASUREMENT}/delete", "POST", 302
    ),
    "goals.admin_import": admins_only(f"{ADMIN_DRAFT}/import"),
    "api.frameworks": everyone(200, "/api/v1/frameworks"),
    "api.framework": everyone(200, f"/api/v1/frameworks/{CURRENT}"),
    "api.not_found": everyone(404, "/api/v1/no-such-thing"),
    "api.dialogues": everyone(200, "/api/v1/dialogues"),
    "api.dialogue": everyone(200, f"/api/v1/dialogues/{DIALOGUE}"),
    "api.contributions": everyone(200, f"/api/v1/contributions?dialogue={DIALOGUE}"),
    "api.openapi_document": everyone(200, "/api/v1/openapi.json"),
    "api.framework_trace": everyone(200, f"/api/v1/frameworks/{CURRENT}/trace"),
    "api.goal_trace": everyone(404, "/api/v1/goals/999999/trace"),
    "dialogues.index": everyone(200, "/dialogues"),
    "dialogues.dialogue": everyone(200, MANAGED),
    "dialogues.inputs": everyone(200, f"{MANAGED}/inputs"),
    "dialogues.register": everyone(200, f"{MANAGED}/register"),
    "dialogues.calendar": everyone(200, f"{MANAGED}/event.ics"),
    "dialogues.cancel": everyone(404, "/dialogues/cancel/not-a-token"),
    "dialogues.manage": facilitators_only("/dialogues/manage"),
    "dialogues.new": facilitators_only("/dialogues/new"),
    "dialogues.edit": facilitators_only(f"{MANAGED}/edit"),
    "dialogues.status": Access(
        "POST",
        f"{MANAGED}/status",
        facilitators_only(f"{MANAGED}/status", "POST", 302).expected,
        {"status": "closed"},
    ),
    "dialogues.registrations": facilitators_only(f"{MANAGED}/registrations"),
    "dialogues.registrations_csv": facilitators_only(f"{MANAGED}/registrations.csv"),
    "dialogues.capture": facilitators_only(f"{MANAGED}/capture"),
    "dialogues.import_notes": facilitators_only(f"{MANAGED}/import"),
    "dialogues.headcount": facilitators_only(f"{MANAGED}/headcount"),
    "dialogues.notes": facilitators_only(f"{MANAGED}/notes"),
    "dialogues.note": facilitators_only(f"{MANAGED}/notes/{NOTE}"),
    "dialogues.hide_note": facilitators_only(
        f"{MANAGED}/notes/{NOTE}/hide", "POST", 302, reason="Personuppgifter"
    ),
    "dialogues.restore_note": facilitators_only(f"{MANAGED}/notes/{NOTE}/restore", "POST", 302),
    "dialogues.report": facilitators_only(f"{MANAGED}/report"),
    "staff.start": staff_only("/staff"),
    "moderation.queue": editors_only("/moderation"),
    "moderation.decide": editors_only("/moderation/decide", "POST", 302, action="publish"),
    "moderation.input_page": editors_only(f"/moderation/inputs/{PROPOSAL_COMMENT}"),
    "moderation.decide_one": editors_only(
        f"/moderation/inputs/{PROPOSAL_COMMENT}/publish", "POST", 302
    ),
    "favicon": everyone(200, "/favicon.ico"),
    "contributions.new_proposal": everyone(200, f"{MANAGED}/proposals/new"),
    "contributions.proposals": everyone(200, f"{MANAGED}/proposals"),
    "contributions.proposal": everyone(200, f"{MANAGED}/proposals/{PROPOSAL}"),
    "contributions.support": logged_in(f"{MANAGED}/proposals/{PROPOSAL}/support", "POST", 302),
    "contributions.unsupport": logged_in(f"{MANAGED}/proposals/{PROPOSAL}/unsupport", "POST", 302),
    # Only the account that sent it; this one was sent without an account.
    "contributions.withdraw": logged_in(f"{MANAGED}/proposals/{PROPOSAL}/withdraw", "POST", 403),
    "contributions.new_comment": everyone(200, f"{MANAGED}/proposals/{PROPOSAL}/comments/new"),
    "contributions.comment": everyone(302, f"/comments/{PROPOSAL_COMMENT}"),
    "contributions.thread": everyone(200, f"/comments/{PROPOSAL_COMMENT}/replies"),
    "contributions.by_reference": everyone(404, "/inputs/DLG-1999-99999"),
    # Only the account that sent it; this one was sent without an account.
    "contributions.withdraw_comment": logged_in(
        f"/comments/{PROPOSAL_COMMENT}/withdraw", "POST", 403
    ),
    "contributions.receipt": everyone(404, "/receipt/not-a-token"),
    "contributions.withdraw_by_receipt": everyone(
        404, "/receipt/not-a-token/withdraw", method="POST"
    ),
    "contributions.my_inputs": logged_in("/my/inputs"),
    "records.my_data": logged_in("/account/data"),
    "records.close_account": logged_in("/account/close"),
    "records.exports": editors_only("/admin/records"),
    "records.registry_csv": editors_only("/admin/records/registry.csv"),
    "records.audit_csv": admins_only("/admin/records/audit.csv"),
    # Anyone may report a published input (here a comment); the form and the thank-you page.
    "moderation.report": everyone(200, f"/inputs/{PROPOSAL_COMMENT}/report"),
    "moderation.report_thanks": everyone(200, f"/inputs/{PROPOSAL_COMMENT}/report/thanks"),
    "moderation.figures": editors_only("/moderation/figures"),
    "review.index": reviewers_only("/review"),
    "review.framework": reviewers_only(f"/review/frameworks/{CURRENT}"),
    "review.framework_export": reviewers_only(f"/review/frameworks/{CURRENT}/inputs.xlsx"),
    "review.goal": reviewers_only(f"/review/goals/{CURRENT_GOAL}"),
    "review.goal_report": reviewers_only(f"/review/goals/{CURRENT_GOAL}/report"),
    "review.goal_export": reviewers_only(f"/review/goals/{CURRENT_GOAL}/inputs.csv"),
}


def _goal_targets(app) -> dict[str, str]:
    """Make the frameworks the goal routes act on; return each placeholder's value."""
    old = make_framework(app, slug="perm-old", status=FrameworkStatus.SUPERSEDED)
    current = make_framework(app, slug="perm-current", supersedes=old.id)
    draft = make_framework(app, slug="perm-draft", status=FrameworkStatus.DRAFT)
    return {
        CURRENT: current.slug,
        OLD: old.slug,
        DRAFT: draft.slug,
        CURRENT_GOAL: str(current.goal_ids[0]),
        GOAL: str(sub_goal_ids(app, draft)[0]),
        INDICATOR: str(draft.indicator_ids[0]),
        MEASUREMENT: str(draft.measurement_ids[0]),
    }


def test_every_route_is_in_the_table(app):
    """Every route the app serves has a row in EXPECTED, and every row is a real route."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    assert endpoints == set(EXPECTED), (
        f"missing: {sorted(endpoints - set(EXPECTED))}, stale: {sorted(set(EXPECTED) - endpoints)}"
    )


def fill_path(app, path: str, responsible: list[int], goals: dict[str, str] | None = None) -> str:
    """Make what the path's placeholders name (the logged-in users are responsible for the
    dialogue); return the path with their ids and slugs.

    goals: the goal frameworks' placeholders, made once by the caller and kept here.
    """
    target = make_user(app)
    path = path.replace(TARGET, str(target.id))
    if DIALOGUE in path or PROPOSAL_COMMENT in path:
        slug, note_id = make_managed_dialogue(app, responsible)
        path = path.replace(DIALOGUE, slug).replace(NOTE, str(note_id))
        if PROPOSAL in path or PROPOSAL_COMMENT in path:
            proposal = make_proposal(app, slug)
            path = path.replace(PROPOSAL, str(proposal.id))
            comment = make_comment(app, proposal.id, published=True)
            path = path.replace(PROPOSAL_COMMENT, str(comment.id))
    if any(placeholder in path for placeholder in GOAL_TARGETS):
        if goals is None:
            goals = {}
        if not goals:
            goals.update(_goal_targets(app))
        for placeholder, value in goals.items():
            path = path.replace(placeholder, value)
    if any(placeholder in path for placeholder in (PAGE, PAGE_SLUG, COMMENT)):
        page = make_page(app)
        comment = make_page_comment(app, f"/pages/{page.slug}")
        path = path.replace(PAGE_SLUG, page.slug).replace(PAGE, str(page.id))
        path = path.replace(COMMENT, str(comment))
    return path


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(EXPECTED))
def test_route_access(app, endpoint, role):
    """Each route answers each role with the status its row expects (login redirect, 403 …)."""
    access = EXPECTED[endpoint]
    client = app.test_client()
    responsible = []
    if role != "anonymous":
        user = make_user(app, Role(role))
        assert AuthActions(client).login(user).status_code == 302
        responsible.append(user.id)
    path = fill_path(app, access.path, responsible)
    if access.method == "POST":
        data = {"csrf_token": csrf_token(client, "/login"), **access.data}
        response = client.post(path, data=data)
    else:
        response = client.get(path)
    expected = access.expected[role]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.location.startswith("/login")
    else:
        assert response.status_code == expected
