"""Factories for the hand-entered counts of the territorial dashboard."""

import factory
from django.utils import timezone

from equity.models import PaperTally, WorkshopHeadcount
from tests.workshops.factories import LiveSessionFactory


class WorkshopHeadcountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkshopHeadcount

    session = factory.SubFactory(LiveSessionFactory)
    count = 10
    entered_by = factory.LazyAttribute(lambda entry: entry.session.facilitator)


class PaperTallyFactory(factory.django.DjangoModelFactory):
    """Needs ``consultation`` (a ConsultationPage, e.g. from ``make_consultation``)."""

    class Meta:
        model = PaperTally

    count = 10
    collected_on = factory.LazyFunction(timezone.localdate)
