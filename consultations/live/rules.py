"""Who may run a live workshop (django-rules).

``live.create_session`` on a page: facilitators, or whoever may edit the page in Wagtail.
``live.facilitate_session`` on a session: its facilitator, or staff with edit rights on its page.
"""

import rules

from accounts.models import Role


@rules.predicate
def is_active_user(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


@rules.predicate
def is_facilitator_role(user) -> bool:
    return user.has_role(Role.FACILITATOR)


@rules.predicate
def can_edit_page(user, page) -> bool:
    return page is not None and page.permissions_for_user(user).can_edit()


@rules.predicate
def is_session_facilitator(user, session) -> bool:
    return session is not None and session.facilitator_id == user.pk


@rules.predicate
def is_staff_editing_session_page(user, session) -> bool:
    return bool(
        session is not None and user.is_staff and session.page.permissions_for_user(user).can_edit()
    )


rules.add_perm("live.create_session", is_active_user & (is_facilitator_role | can_edit_page))
rules.add_perm(
    "live.facilitate_session",
    is_active_user & (is_session_facilitator | is_staff_editing_session_page),
)
