"""Celery tasks of the consultations app (periodic; idempotent)."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.language import in_language_of
from consultations.models import Follow, Phase
from consultations.visibility import consultation_visible


@shared_task(name="consultations.tasks.announce_started_phases")
def announce_started_phases() -> int:
    """Tell followers that a consultation entered a new phase. Runs every few minutes.

    A phase is claimed with a conditional UPDATE (``announced_at IS NULL``): of two workers
    running at once only one gets the row, so each phase is announced once.
    """
    now = timezone.now()
    started = Phase.objects.filter(
        announced_at__isnull=True, starts_at__lte=now, ends_at__gt=now, page__live=True
    ).values_list("pk", flat=True)
    announced = 0
    for phase_id in list(started):
        with transaction.atomic():
            announced += _announce(phase_id=phase_id, now=now)
    return announced


def _announce(*, phase_id: int, now) -> int:
    """Claim and announce one phase inside the caller's transaction: a crash rolls the
    claim back, and a retry's notifications are deduplicated by their keys."""
    from notifications.models import NotificationKind
    from notifications.services import notify

    claimed = Phase.objects.filter(pk=phase_id, announced_at__isnull=True).update(announced_at=now)
    if not claimed:
        return 0
    phase = Phase.objects.select_related("page").get(pk=phase_id)
    consultation = phase.page
    followers = Follow.objects.filter(consultation=consultation, user__is_active=True)
    for follow in followers.select_related("user"):
        if not consultation_visible(follow.user, consultation):
            continue  # restricted meanwhile (groups, password): nothing about what one can't see
        with in_language_of(follow.user):
            title = _("«%(title)s»: è iniziata la fase «%(phase)s»") % {
                "title": consultation.title,
                "phase": phase.get_kind_display(),
            }
            body = _("La fase dura fino al %(day)s.") % {
                "day": timezone.localtime(phase.ends_at).strftime("%d/%m/%Y %H:%M")
            }
            notify(
                user=follow.user,
                key=f"phase:{phase.pk}:{follow.user_id}",
                kind=NotificationKind.PHASE_STARTED,
                title=title,
                body=body,
                url=consultation.url or "",
            )
    return 1
