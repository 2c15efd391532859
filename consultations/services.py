"""Writes about taking part in a consultation (the snapshot, follows)."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import GroupPagePermission

from accounts.models import Role, role_group
from consultations.models import ConsultationPage, Follow, Participation


def refuse_if(error: str | None) -> None:
    """Raise ``PermissionDenied`` with the reason a ``*_error`` rule gave (None: allowed)."""
    if error:
        raise PermissionDenied(error)


def participation_record(*, consultation: ConsultationPage, user) -> Participation:
    """The person's first-participation snapshot (age band, gender, comune, zone), once."""
    now = timezone.now()
    participation, _created = Participation.objects.get_or_create(
        consultation=consultation,
        user=user,
        defaults={
            **Participation.snapshot_fields(user, timezone.localdate(now)),
            "first_at": now,
        },
    )
    return participation


@transaction.atomic
def consultation_follow(*, consultation: ConsultationPage, user, follow: bool = True) -> bool:
    """Start (or stop) following a consultation's news; returns whether the person follows it."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Per seguire una consultazione accedi o registrati."))
    if follow:
        Follow.objects.get_or_create(consultation=consultation, user=user)
        return True
    Follow.objects.filter(consultation=consultation, user=user).delete()
    return False


FACILITATION_PERMISSIONS = ("add_page", "change_page", "publish_page")


@transaction.atomic
def facilitation_grant(*, page, user):
    """Make ``user`` a facilitator of ``page`` and everything under it.

    A Wagtail group per subtree ("Facilitazione: <title> [#pk]") holds the page permissions
    (GroupPagePermission); the person joins it and the Facilitator role group.
    """
    group, _created = Group.objects.get_or_create(
        name=f"Facilitazione: {page.title[:100]} [#{page.pk}]"
    )
    for codename in FACILITATION_PERMISSIONS:
        permission = Permission.objects.get(
            content_type__app_label="wagtailcore", codename=codename
        )
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
    user.groups.add(group, role_group(Role.FACILITATOR))
    return group
