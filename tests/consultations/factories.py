"""Factories for consultations: pages with phases, facilitators and editors, participation
snapshots. Proposals, comments, votes and reports are in ``tests.proposals.factories``."""

from __future__ import annotations

import datetime
import itertools

from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import GroupPagePermission

from accounts.models import Role
from consultations.models import ConsultationPage, Participation, Phase, age_band_for
from consultations.services import FACILITATION_PERMISSIONS, facilitation_grant
from psm.models import ActionPage, HomePage
from territory.models import TORINO_ISTAT_CODE, Comune
from tests.factories import UserFactory

_counter = itertools.count(1)
DAY = datetime.timedelta(days=1)

#: Phase layouts used by the tests, relative to "now": (kind, start offset, end offset) in days.
LAYOUTS = {
    "information": [("information", -1, 9), ("proposals", 9, 19), ("voting", 19, 29)],
    "proposals": [("information", -11, -1), ("proposals", -1, 9), ("voting", 9, 19)],
    "discussion": [("proposals", -11, -1), ("discussion", -1, 9), ("voting", 9, 19)],
    "voting": [("proposals", -11, -1), ("voting", -1, 9), ("results", 9, 40)],
    "results": [("proposals", -21, -11), ("voting", -11, -1), ("results", -1, 40)],
    "closed": [("proposals", -31, -21), ("voting", -21, -11)],
    "proposals+voting": [("proposals", -1, 9), ("voting", -1, 9)],
    "proposals+voting+conversation": [
        ("proposals", -1, 9),
        ("voting", -1, 9),
        ("conversation", -1, 9),
    ],
}


def _sequence(kinds) -> list[tuple[str, int, int]]:
    """Phases one after the other, 10 days each, the first one running now."""
    return [(kind, -1 + 10 * i, 9 + 10 * i) for i, kind in enumerate(kinds)]


def make_consultation(
    *,
    phase: str | None = None,
    phases: tuple[str, ...] | None = None,
    results_public: bool = False,
    parent=None,
    **fields,
) -> ConsultationPage:
    """A live consultation whose phases put "now" in ``phase`` (see LAYOUTS), or that runs
    ``phases`` one after the other from now (10 days each). ``results_public`` adds a results
    phase that started a month ago."""
    parent = parent or ActionPage.objects.get(locale__language_code="it", code="5.2.1")
    n = next(_counter)
    fields.setdefault("title", f"Consultazione {n}")
    fields.setdefault("slug", f"consultazione-a-{n}-{timezone.now().timestamp():.0f}")
    fields.setdefault("question", "<p>Che cosa cambieresti?</p>")
    eligible_comuni = fields.pop("eligible_comuni", None)
    layout = _sequence(phases) if phases is not None else LAYOUTS[phase or "proposals"]
    if results_public:
        layout = [*layout, ("results", -30, 60)]
    now = timezone.now()
    consultation = ConsultationPage(**fields)
    consultation.phases = [
        Phase(kind=kind, starts_at=now + start * DAY, ends_at=now + end * DAY, sort_order=i)
        for i, (kind, start, end) in enumerate(layout)
    ]
    parent.add_child(instance=consultation)
    if eligible_comuni:
        consultation.eligible_comuni.set(eligible_comuni)
        consultation.save()
    return ConsultationPage.objects.get(pk=consultation.pk)


def make_facilitator(consultation: ConsultationPage, **kwargs):
    """A facilitator of ``consultation`` (and nothing else), made by ``facilitation_grant``."""
    user = UserFactory(**kwargs)
    facilitation_grant(page=consultation, user=user)
    return type(user).objects.get(pk=user.pk)


def make_editor(**kwargs):
    """An editor with edit rights on the whole site tree but no facilitator role."""
    user = UserFactory(roles=[Role.EDITOR], is_staff=True, **kwargs)
    group, _created = Group.objects.get_or_create(name="Redazione: tutto il sito")
    home = HomePage.objects.get(locale__language_code="it")
    for codename in FACILITATION_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=home,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    user.groups.add(group)
    return user


def participation(consultation, *, age=20, gender="", comune_id=TORINO_ISTAT_CODE):
    """A participation snapshot of a new person in ``consultation``."""
    user = UserFactory(gender=gender)
    comune = Comune.objects.filter(pk=comune_id).first() if comune_id else None
    return Participation.objects.create(
        consultation=consultation,
        user=user,
        age_band=age_band_for(age),
        gender=gender,
        comune=comune,
        altimetric_zone=comune.altimetric_zone if comune else None,
    )
