"""What a consultation page shows of the signed-in person, read once and kept (issue 14).

Three facts of one person in one consultation, besides their supports (the proposals app keeps
those, ``proposals.list_cache``): whether a facilitator has suspended them here, whether they
follow the consultation, and how many of their notifications are unread (the header's badge).
They are read in one query and kept in one cache entry under the same key scheme as the page's
fragments (``psm.page_cache.fragment_key``: the content and page versions, which any save or
delete replaces, so a block, a follow or a new notification shows at once), the consultation and
the person; an entry lives at most ``psm.page_cache.MAX_AGE`` seconds. The writes that bypass
Django's signals bump a version themselves (lifting a block,
``proposals.moderation.services.participant_unblock``, the content version; marking
notifications read, through ``notifications.services.notifications_read``, connected in
``consultations.apps``, the tallies version, which the fragments' key holds too).

Only what the page *shows* comes from here: every write checks the block again in its service
(``consultations.rules``), from the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from consultations.models.participation import Follow, ParticipantBlock
from notifications.models import Notification
from psm import page_cache


@dataclass(frozen=True)
class PersonFacts:
    blocked: bool = False
    following: bool = False
    unread_notifications: int = 0


def person_facts(*, request, consultation) -> PersonFacts:
    """The signed-in person's facts in ``consultation`` (nothing for an anonymous visitor)."""
    user = request.user
    if not user.is_authenticated:
        return PersonFacts()
    key = page_cache.fragment_key(request, "consultation-person", consultation.pk, user.pk)
    return page_cache.fragment_value(
        key, lambda: read_person_facts(consultation=consultation, user=user)
    )


def read_person_facts(*, consultation, user) -> PersonFacts:
    """The facts from the database, in one query."""
    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            blocked=Exists(
                ParticipantBlock.objects.filter(
                    consultation=consultation, user=OuterRef("pk"), lifted_at__isnull=True
                )
            ),
            following=Exists(Follow.objects.filter(consultation=consultation, user=OuterRef("pk"))),
            unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)),
        )
        .values_list("blocked", "following", "unread")
        .first()
    )
    if row is None:  # the account went away during the request
        return PersonFacts()
    blocked, following, unread = row
    return PersonFacts(blocked=blocked, following=following, unread_notifications=unread)
