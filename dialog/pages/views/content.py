"""Content pages: the public page and list, and the editors' pages to write, publish and
compare versions. Web editors and administrators edit; drafts are theirs alone (404 to others).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from dialog.accounts.models import Role
from dialog.accounts.permissions import current_actor, roles_required
from dialog.core.cache import cached_page
from dialog.core.diff import word_diff
from dialog.core.forms import show_rule_error
from dialog.core.i18n import _, localized
from dialog.core.sanitize import TextLossError
from dialog.goals.models import PUBLIC_STATUSES
from dialog.pages import queries, services
from dialog.pages.forms import PageForm, PublishForm
from dialog.pages.models import Page, PageVersion
from dialog.pages.permissions import can_edit_pages
from dialog.pages.views import bp

editors_required = roles_required(Role.EDITOR, Role.ADMIN)


def _page_form() -> PageForm:
    frameworks = [
        (
            localized(framework, "title") or "",
            [(goal.id, f"{goal.code} {localized(goal, 'title')}") for goal in goals],
        )
        for framework, goals in queries.frameworks_and_goals()
    ]
    dialogues = [(d.id, localized(d, "title") or "") for d in queries.dialogue_choices()]
    return PageForm().setup(frameworks, dialogues)


def _load(page_id: int) -> Page:
    page = queries.page_by_id(page_id)
    if page is None:
        abort(404)
    return page


@bp.route("/pages")
@cached_page
def page_list() -> str:
    return render_template("pages/page_list.html", pages=queries.published_pages())


@bp.route("/pages/<slug>")
@cached_page
def content_page(slug: str) -> str:
    page = queries.page_by_slug(slug)
    if page is None or not (page.is_published or can_edit_pages(current_user)):
        abort(404)
    goals = [goal for goal in page.goals if goal.framework.status in PUBLIC_STATUSES]
    return render_template("pages/content_page.html", page=page, goals=goals)


@bp.route("/admin/pages")
@editors_required
def admin_pages() -> str:
    return render_template("pages/admin/pages.html", pages=queries.all_pages())


@bp.route("/admin/pages/new", methods=["GET", "POST"])
@editors_required
def admin_new_page() -> str | Response:
    form = _page_form()
    if form.validate_on_submit():
        try:
            page = services.create_page(form.to_input(), current_actor())
        except (services.PageError, TextLossError) as error:
            show_rule_error(form, error)
        else:
            flash(_("The page “{title}” is saved as a draft.").format(title=page.title), "success")
            return redirect(url_for("pages.admin_edit_page", page_id=page.id))
    return render_template("pages/admin/page_form.html", form=form, page=None)


@bp.route("/admin/pages/<int:page_id>/edit", methods=["GET", "POST"])
@editors_required
def admin_edit_page(page_id: int) -> str | Response:
    page = _load(page_id)
    form = _page_form()
    if request.method == "GET":
        form.fill(page)
    if form.validate_on_submit():
        try:
            services.update_page(page, form.to_input(), current_actor())
        except (services.PageError, TextLossError) as error:
            show_rule_error(form, error)
        else:
            flash(_("The page “{title}” is saved.").format(title=page.title), "success")
            return redirect(url_for("pages.admin_edit_page", page_id=page.id))
    return render_template(
        "pages/admin/page_form.html", form=form, page=page, publish_form=PublishForm()
    )


@bp.route("/admin/pages/<int:page_id>/status", methods=["POST"])
@editors_required
def admin_set_page_status(page_id: int) -> Response:
    page = _load(page_id)
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    published = form.published.data == "1"
    services.set_page_published(page, published, current_actor())
    if published:
        flash(_("The page “{title}” is published.").format(title=page.title), "success")
    else:
        flash(_("The page “{title}” is a draft again.").format(title=page.title), "success")
    return redirect(url_for("pages.admin_edit_page", page_id=page.id))


def _version(versions: list[PageVersion], number: int | None) -> PageVersion | None:
    return next((version for version in versions if version.number == number), None)


@bp.route("/admin/pages/<int:page_id>/versions")
@editors_required
def admin_page_versions(page_id: int) -> str:
    page = _load(page_id)
    versions = queries.versions_of(page)
    newer = _version(versions, request.args.get("to", type=int)) or versions[0]
    older = _version(versions, request.args.get("from", type=int))
    if older is None:
        older = _version(versions, newer.number - 1) or newer
    diff = {
        name: word_diff(getattr(older, name) or "", getattr(newer, name) or "")
        for name in ("title", "summary", "body_text")
    }
    return render_template(
        "pages/admin/versions.html",
        page=page,
        versions=versions,
        older=older,
        newer=newer,
        diff=diff,
    )


bp.add_app_template_global(can_edit_pages)
