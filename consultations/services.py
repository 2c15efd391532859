"""Writes about taking part in a consultation (the snapshot, follows) and about who
facilitates it (assignments, audited)."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import GroupPagePermission

from accounts.models import Role, role_group
from consultations.models import (
    ConsultationPage,
    Facilitation,
    FacilitationLog,
    FacilitationLogVerb,
    Follow,
    Participation,
)
from psm.models import ActionPage


def refuse_if(error: str | None) -> None:
    """Raise ``PermissionDenied`` with the reason a ``*_error`` rule gave (None: allowed)."""
    if error:
        raise PermissionDenied(error)


def participation_record(*, consultation: ConsultationPage, user) -> Participation:
    """The person's first-participation snapshot (age band, gender, comune, zone), once."""
    existing = Participation.objects.filter(consultation=consultation, user=user).first()
    if existing is not None:  # the usual case: no snapshot to compute (it reads the comune)
        return existing
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


def _subtree_group(page) -> Group:
    """The Wagtail group holding the page permissions of ``page``'s subtree (one per page,
    shared by its facilitators), found by the facilitations that use it or by the page id at
    the end of its name; created with the permissions if missing."""
    existing = Facilitation.objects.filter(page=page).select_related("group").first()
    group = existing.group if existing else None
    if group is None:
        group = Group.objects.filter(name__endswith=f"[#{page.pk}]").order_by("pk").first()
    if group is None:
        group = Group.objects.create(name=f"Facilitazione: {page.title[:100]} [#{page.pk}]")
    for codename in FACILITATION_PERMISSIONS:
        permission = Permission.objects.get(
            content_type__app_label="wagtailcore", codename=codename
        )
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
    return group


def _require_assigner(actor) -> None:
    if actor is not None and not actor.has_perm("consultations.assign_facilitators"):
        raise PermissionDenied(
            _("Solo la redazione e il coordinamento assegnano chi facilita le consultazioni.")
        )


@transaction.atomic
def facilitation_grant(*, page, user, actor=None) -> Facilitation:
    """Make ``user`` a facilitator of ``page`` (an action of the plan or a consultation) and of
    everything under it: they join the subtree's group, which holds Wagtail's add, change and
    publish permissions there (on an action page these reach its consultations, not the
    action's own text: ``psm.permissions``), and the Facilitator role group. Logged with
    ``actor`` (None only for the demo data and set-up commands). Granting twice changes
    nothing."""
    _require_assigner(actor)
    page = page.specific
    if not isinstance(page, ActionPage | ConsultationPage):
        raise ValidationError(_("Si facilita un'azione del piano o una consultazione."))
    if not user.is_active or user.is_removed:
        raise ValidationError(_("Questo account non è attivo."))
    group = _subtree_group(page)
    user.groups.add(group, role_group(Role.FACILITATOR))
    facilitation, created = Facilitation.objects.get_or_create(
        page=page, user=user, defaults={"group": group, "granted_by": actor}
    )
    if created:
        FacilitationLog.objects.create(
            verb=FacilitationLogVerb.GRANT, page=page, page_title=page.title, user=user, actor=actor
        )
    return facilitation


@transaction.atomic
def facilitation_revoke(*, facilitation: Facilitation, actor) -> None:
    """Take ``facilitation`` away: the person leaves the subtree's group (the role stays, for
    their other consultations), and the log says who did it and when."""
    _require_assigner(actor)
    facilitation = (
        Facilitation.objects.select_for_update()
        .select_related("page", "user")
        .get(pk=facilitation.pk)
    )
    facilitation.user.groups.remove(facilitation.group_id)
    FacilitationLog.objects.create(
        verb=FacilitationLogVerb.REVOKE,
        page=facilitation.page,
        page_title=facilitation.page.title,
        user=facilitation.user,
        actor=actor,
    )
    facilitation.delete()
