"""Factories for the facilitator-side tests: consultations with phases, facilitators with
Wagtail page permissions, proposals, comments, reports, participation snapshots."""

import datetime
import itertools

import factory
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import GroupPagePermission

from accounts.models import Role
from consultations.models import ConsultationPage, Participation, Phase, age_band_for
from proposals.models import Comment, Proposal, Report, Visibility, Vote
from psm.models import ActionPage
from territory.models import TORINO_ISTAT_CODE
from tests.factories import UserFactory

_counter = itertools.count(1)


def make_consultation(*, parent=None, phases=("proposals",), results_public=False, **fields):
    """A live consultation under the first action, with phases running now (each 10 days)."""
    parent = parent or ActionPage.objects.order_by("path").first()
    n = next(_counter)
    fields.setdefault("title", f"Consultazione di prova {n}")
    fields.setdefault("slug", f"consultazione-prova-{n}-{timezone.now().timestamp():.0f}")
    fields.setdefault("question", "<p>Che cosa proponi?</p>")
    consultation = ConsultationPage(**fields)
    parent.add_child(instance=consultation)
    now = timezone.now()
    for index, kind in enumerate(phases):
        Phase.objects.create(
            page=consultation,
            kind=kind,
            starts_at=now - datetime.timedelta(days=1) + datetime.timedelta(days=10 * index),
            ends_at=now + datetime.timedelta(days=9) + datetime.timedelta(days=10 * index),
            sort_order=index,
        )
    if results_public:
        Phase.objects.create(
            page=consultation,
            kind="results",
            starts_at=now - datetime.timedelta(days=30),
            ends_at=now + datetime.timedelta(days=60),
            sort_order=99,
        )
    return ConsultationPage.objects.get(pk=consultation.pk)


def grant_edit(page, group_name: str) -> Group:
    group, _created = Group.objects.get_or_create(name=group_name)
    for permission_type in ("add", "change", "publish"):
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=page,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=f"{permission_type}_page"
            ),
        )
    return group


def make_facilitator(consultation, **kwargs):
    """A facilitator whose group may edit ``consultation`` (and nothing else)."""
    user = UserFactory(roles=[Role.FACILITATOR], is_staff=True, **kwargs)
    user.groups.add(grant_edit(consultation, f"Facilitazione {consultation.pk}"))
    return user


def make_editor(**kwargs):
    """An editor with edit rights on the whole site tree but no facilitator role."""
    from psm.models import HomePage

    user = UserFactory(roles=[Role.EDITOR], is_staff=True, **kwargs)
    user.groups.add(grant_edit(HomePage.objects.get(), "Redazione: tutto il sito"))
    return user


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    consultation = None
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Proposta {n}")
    body = "Una pista ciclabile sicura tra la stazione e la scuola."
    visibility = Visibility.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    proposal = factory.SubFactory(ProposalFactory)
    author = factory.SubFactory(UserFactory)
    body = "Sono d'accordo."


def report(*, proposal=None, comment=None, reporter=None, reason="offensive"):
    return Report.objects.create(
        proposal=proposal, comment=comment, reporter=reporter or UserFactory(), reason=reason
    )


def vote(proposal, voter=None):
    return Vote.objects.create(proposal=proposal, voter=voter or UserFactory())


def participation(consultation, *, age=20, gender="", comune_id=TORINO_ISTAT_CODE):
    from territory.models import Comune

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
