"""Who may run a live workshop (django-rules).

A workshop hangs off a consultation page or an action page of the Plan. Who may moderate the
page may run workshops on it: for a consultation that is the one moderation predicate,
``consultations.moderate``; action pages have no moderators, so there it is whoever may edit the
page in Wagtail.

``live.create_session`` on a page: facilitators, or whoever may moderate the page.
``live.facilitate_session`` on a session: its facilitator, or staff who may moderate its page.
"""

import rules

from accounts.models import Role
from consultations.models import ConsultationPage


@rules.predicate
def is_active_user(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def is_facilitator_role(user) -> bool:
    return user.has_role(Role.FACILITATOR)


def may_moderate_page(user, page) -> bool:
    """``consultations.moderate`` on a consultation page, Wagtail's edit right on other pages."""
    if page is None:
        return False
    specific_class = page.specific_class
    if specific_class is not None and issubclass(specific_class, ConsultationPage):
        return user.has_perm("consultations.moderate", page.specific_deferred)
    return page.permissions_for_user(user).can_edit()


@rules.predicate
def can_edit_page(user, page) -> bool:
    return may_moderate_page(user, page)


@rules.predicate
def is_session_facilitator(user, session) -> bool:
    return session is not None and session.facilitator_id == user.pk


@rules.predicate
def is_staff_editing_session_page(user, session) -> bool:
    return bool(session is not None and user.is_staff and may_moderate_page(user, session.page))


rules.add_perm("live.create_session", is_active_user & (is_facilitator_role | can_edit_page))
rules.add_perm(
    "live.facilitate_session",
    is_active_user & (is_session_facilitator | is_staff_editing_session_page),
)
