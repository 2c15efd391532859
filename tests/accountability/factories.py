"""Factories for implementation records, their updates, timeline rows and announcements.

``ImplementationRecordFactory`` saves a draft (``live=False``) and, unless ``publish=False``,
publishes it through Wagtail's own publish action (as the admin does), so the service runs."""

from __future__ import annotations

import datetime

import factory
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from accountability.models import (
    ImplementationRecord,
    RecordStatus,
    RecordUpdate,
    StatusChange,
    UpdateAnnouncement,
)
from psm.models import ActionPage


def publish(record: ImplementationRecord, user=None) -> ImplementationRecord:
    """Publish the record's current state as a new revision (the admin's "Pubblica")."""
    record.save_revision(user=user).publish(user=user)
    return ImplementationRecord.objects.get(pk=record.pk)


class ImplementationRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImplementationRecord
        skip_postgeneration_save = True

    action = factory.LazyFunction(
        lambda: ActionPage.objects.get(locale__language_code="it", code="5.2.1")
    )
    title = factory.Sequence(lambda n: f"Intervento numero {n}")
    description = "Che cosa si fa, dove e con chi."
    status = RecordStatus.PLANNED
    progress = 0
    live = False

    class Params:
        in_progress = factory.Trait(status=RecordStatus.IN_PROGRESS, progress=50)
        completed = factory.Trait(status=RecordStatus.COMPLETED, progress=100)

    @factory.post_generation
    def proposals(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.proposals.set(extracted)
            obj.save()

    @factory.post_generation
    def ideas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.ideas.set(extracted)
            obj.save()

    @factory.post_generation
    def comuni(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.comuni.set(extracted)
            obj.save()

    @factory.post_generation
    def publish(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            publish(obj)
            obj.refresh_from_db()


class RecordUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecordUpdate

    record = None
    date = factory.LazyFunction(lambda: datetime.date(2026, 10, 1))
    title = factory.Sequence(lambda n: f"Aggiornamento {n}")
    text = "Che cosa è successo."


class StatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusChange

    record = None
    status = RecordStatus.PLANNED
    progress = 0


class UpdateAnnouncementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UpdateAnnouncement

    update = None


def make_image(title="Foto del cantiere"):
    return get_image_model().objects.create(
        title=title, file=get_test_image_file(filename="cantiere.png")
    )


def with_first_stone(record: ImplementationRecord, alt_text: str) -> ImplementationRecord:
    """The record under way (45 %, «Cantiere aperto.») with one update and its photo."""
    record.status, record.progress, record.status_note = "in_progress", 45, "Cantiere aperto."
    record.updates.add(
        RecordUpdate(
            date=datetime.date(2026, 11, 2),
            title="Posa della prima pietra",
            text="Una giornata con le scuole.",
            photos=[{"type": "photo", "value": {"image": make_image().pk, "alt_text": alt_text}}],
        )
    )
    return record
