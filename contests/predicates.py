"""django-rules predicates for contests."""

from __future__ import annotations

import rules


@rules.predicate
def manages_contest(user, contest) -> bool:
    """Who may edit the contest page in the Wagtail admin runs it (assignment, results)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return contest.permissions_for_user(user).can_edit()


@rules.predicate
def is_juror_of(user, contest) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and contest.jurors.filter(user=user).exists()
    )


@rules.predicate
def is_contact(user, entry) -> bool:
    return bool(user and user.is_authenticated and entry.contact_id == user.pk)


@rules.predicate
def is_member(user, entry) -> bool:
    """The contact person or a member who accepted the invitation."""
    if not (user and user.is_authenticated):
        return False
    return entry.members.filter(user=user, accepted_at__isnull=False).exists()


@rules.predicate
def is_assigned_juror(user, assignment) -> bool:
    return bool(
        user
        and user.is_authenticated
        and assignment.juror_id == user.pk
        and is_juror_of(user, assignment.entry.contest)
    )
