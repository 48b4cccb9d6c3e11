"""Rules of the pages area: the accessibility report, content pages and page comments.

Services flush and never commit; every edit goes to the audit trail.
"""

from dialog.pages.services.comments import (
    COMMENTABLE_ENDPOINTS,
    PageCommentError,
    answer_page_comment,
    check_page_path,
    mark_page_comment_handled,
    send_page_comment,
)
from dialog.pages.services.content import (
    PageError,
    PageInput,
    create_page,
    set_page_published,
    update_page,
)
from dialog.pages.services.site import report_accessibility_problem

__all__ = [
    "COMMENTABLE_ENDPOINTS",
    "PageCommentError",
    "PageError",
    "PageInput",
    "answer_page_comment",
    "check_page_path",
    "create_page",
    "mark_page_comment_handled",
    "report_accessibility_problem",
    "send_page_comment",
    "set_page_published",
    "update_page",
]
