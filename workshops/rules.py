"""Who may run a live workshop (django-rules).

A workshop hangs off a consultation page or an action page of the Plan. Who may moderate the
page may run workshops on it: for a consultation that is the one moderation predicate,
``consultations.moderate``; action pages have no moderators, so there it is whoever may edit the
page in Wagtail.

``live.create_session`` on a page: on a consultation, whoever may moderate it (the Facilitator
role alone is not enough: ideas would become proposals in a consultation they don't moderate);
on other pages, facilitators or whoever may edit the page.
``live.facilitate_session`` on a session: its facilitator, or staff who may moderate its page;
on a consultation, only while they may moderate it (a withdrawn grant ends the conduct too).
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


def _consultation(page) -> ConsultationPage | None:
    specific_class = page.specific_class if page is not None else None
    if specific_class is not None and issubclass(specific_class, ConsultationPage):
        return page.specific_deferred
    return None


def may_moderate_page(user, page) -> bool:
    """``consultations.moderate`` on a consultation page, Wagtail's edit right on other pages."""
    if page is None:
        return False
    consultation = _consultation(page)
    if consultation is not None:
        return user.has_perm("consultations.moderate", consultation)
    return page.permissions_for_user(user).can_edit()


@rules.predicate
def moderates_if_consultation(user, page) -> bool:
    """On a consultation page, ``consultations.moderate``; on other pages, no extra condition."""
    consultation = _consultation(page)
    return consultation is None or user.has_perm("consultations.moderate", consultation)


@rules.predicate
def moderates_session_consultation(user, session) -> bool:
    return session is not None and moderates_if_consultation(user, session.page)


@rules.predicate
def can_edit_page(user, page) -> bool:
    return may_moderate_page(user, page)


@rules.predicate
def is_session_facilitator(user, session) -> bool:
    return session is not None and session.facilitator_id == user.pk


@rules.predicate
def is_staff_editing_session_page(user, session) -> bool:
    return bool(session is not None and user.is_staff and may_moderate_page(user, session.page))


rules.add_perm(
    "live.create_session",
    is_active_user & moderates_if_consultation & (is_facilitator_role | can_edit_page),
)
rules.add_perm(
    "live.facilitate_session",
    is_active_user
    & moderates_session_consultation
    & (is_session_facilitator | is_staff_editing_session_page),
)
