"""Publishing a record: the timeline, the announcements and the notifications (exactly once,
only for what went live, only to people who may see the proposals)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accountability.models import RecordStatus, RecordUpdate, StatusChange, UpdateAnnouncement
from accountability.selectors import record_followers
from accountability.services import record_published
from accountability.tasks import announce_status_change, announce_update
from consultations.models import Follow
from notifications.models import EmailDelivery, Notification, NotificationKind
from proposals.models import Visibility
from psm.page_cache import bump_after_commit
from tests.accountability.factories import ImplementationRecordFactory, publish
from tests.factories import UserFactory
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db


def _notified(user):
    return list(Notification.objects.filter(user=user, kind=NotificationKind.IMPLEMENTATION))


def test_first_publication_starts_the_timeline_and_tells_the_author_once(
    proposal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = ImplementationRecordFactory(proposals=[proposal])
    changes = list(record.status_changes.all())
    assert [(c.status, c.progress) for c in changes] == [(RecordStatus.PLANNED, 0)]
    notes = _notified(proposal.author)
    assert len(notes) == 1
    assert record.title in notes[0].title
    assert notes[0].url == record.get_absolute_url()
    assert EmailDelivery.objects.filter(user=proposal.author).count() == 1
    # The task run again (a retry) writes and sends nothing more.
    assert announce_status_change(changes[0].pk) == 0
    assert len(_notified(proposal.author)) == 1
    assert EmailDelivery.objects.filter(user=proposal.author).count() == 1


def test_status_change_adds_one_row_with_its_note_and_notifies(
    proposal, django_capture_on_commit_callbacks
):
    record = ImplementationRecordFactory(proposals=[proposal], status_note="Accolta.")
    record.status, record.progress, record.status_note = "in_progress", 30, "Lavori iniziati."
    with django_capture_on_commit_callbacks(execute=True):
        record = publish(record)
    assert [(c.status, c.progress, c.note) for c in record.status_changes.all()] == [
        ("planned", 0, "Accolta."),
        ("in_progress", 30, "Lavori iniziati."),
    ]
    assert len(_notified(proposal.author)) == 1  # the first publication ran no callbacks


def test_publishing_again_without_a_new_status_adds_nothing(
    proposal, django_capture_on_commit_callbacks
):
    record = ImplementationRecordFactory(proposals=[proposal], status_note="Accolta.")
    record.description = "Testo corretto."
    record.progress = 0
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        publish(record)
    assert record.status_changes.count() == 1
    assert [c for c in callbacks if c is not bump_after_commit] == []  # no task
    assert _notified(proposal.author) == []


def test_a_stale_note_is_not_repeated_on_the_next_change(proposal):
    record = ImplementationRecordFactory(proposals=[proposal], status_note="Accolta.")
    record.status, record.progress = "in_progress", 10
    publish(record)
    record.status = "suspended"
    publish(record)
    assert [c.note for c in record.status_changes.all()] == ["Accolta.", "", ""]


def test_a_draft_changes_nothing_and_tells_nobody(proposal, django_capture_on_commit_callbacks):
    record = ImplementationRecordFactory(proposals=[proposal])
    record.status, record.progress = "in_progress", 30
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        record.save_revision()
    assert [c for c in callbacks if c is not bump_after_commit] == []  # no task
    assert record.status_changes.count() == 1
    assert _notified(proposal.author) == []


def test_a_publication_scheduled_for_later_changes_nothing(proposal):
    record = ImplementationRecordFactory(proposals=[proposal], publish=False)
    record.go_live_at = timezone.now() + datetime.timedelta(days=3)
    publish(record)
    record.refresh_from_db()
    assert not record.live
    assert record.status_changes.count() == 0
    assert record_published(record=record) == (None, [])


def test_an_update_is_announced_once_when_it_goes_live(
    proposal, django_capture_on_commit_callbacks
):
    record = ImplementationRecordFactory(proposals=[proposal])
    record.updates.add(RecordUpdate(date=datetime.date(2026, 11, 1), title="Cantiere", text="Ok"))
    record.save_revision()  # a draft: not announced
    assert UpdateAnnouncement.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        record = publish(record)
    update = record.updates.get()
    assert UpdateAnnouncement.objects.filter(update=update).exists()
    notes = _notified(proposal.author)
    assert [n.title for n in notes] == [f"Novità su «{record.title}»: Cantiere"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        publish(record)
    assert [c for c in callbacks if c is not bump_after_commit] == []  # no task
    assert announce_update(update.pk) == 0
    assert len(_notified(proposal.author)) == 1


def test_followers_are_authors_and_consultation_followers_who_may_see(consultation, proposal):
    follower = UserFactory()
    Follow.objects.create(consultation=consultation, user=follower)
    stranger = UserFactory()
    hidden = ProposalFactory(consultation=consultation, visibility=Visibility.HIDDEN)
    record = ImplementationRecordFactory(proposals=[proposal, hidden])
    followers = record_followers(record)
    assert proposal.author in followers
    assert follower in followers
    assert hidden.author in followers  # authors see their own hidden proposal
    assert stranger not in followers


def test_nobody_hears_about_proposals_they_may_no_longer_see(
    consultation, proposal, django_capture_on_commit_callbacks
):
    follower = UserFactory()
    Follow.objects.create(consultation=consultation, user=follower)
    proposal.visibility = Visibility.HIDDEN
    proposal.save()
    with django_capture_on_commit_callbacks(execute=True):
        ImplementationRecordFactory(proposals=[proposal])
    assert _notified(follower) == []


def test_an_unpublished_record_sends_nothing(proposal):
    record = ImplementationRecordFactory(proposals=[proposal])
    change = StatusChange.objects.get(record=record)
    record.unpublish()
    assert announce_status_change(change.pk) == 0
    assert _notified(proposal.author) == []


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"progress": 101}, "progress"),
        ({"status": "completed", "progress": 60}, "progress"),
        ({"status": "planned", "progress": 10}, "progress"),
        (
            {"start_date": datetime.date(2026, 5, 1), "end_date": datetime.date(2026, 4, 1)},
            "end_date",
        ),
        ({"budget": -1}, "budget"),
    ],
)
def test_validation(plan, fields, field):
    record = ImplementationRecordFactory.build(
        **{"status": "in_progress", "progress": 50, **fields}
    )
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert field in error.value.message_dict


def test_workshop_idea_authors_hear_and_the_record_page_quotes_approved_ideas(
    plan, client, django_capture_on_commit_callbacks
):
    from tests.workshops.factories import ActivityFactory
    from workshops.models import Activity, Idea

    activity = ActivityFactory(kind=Activity.Kind.IDEAS, options=[])
    author = UserFactory()
    idea = Idea.objects.create(
        activity=activity,
        text="Un'aula studio aperta la sera",
        approved=True,
        participant_key=f"u{author.pk}",
        user=author,
    )
    with django_capture_on_commit_callbacks(execute=True):
        record = ImplementationRecordFactory(ideas=[idea])
    assert len(_notified(author)) == 1
    assert (
        "Un&#x27;aula studio aperta la sera"
        in client.get(record.get_absolute_url()).content.decode()
    )
