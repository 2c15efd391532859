"""Notices for reviewers (assignment, reminder before the review deadline, exactly once) and
the conflict-of-interest declaration's confirmation step."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from leadership import tasks
from leadership.models import CallPage, ConflictOfInterest, Review
from leadership.services.reviews import review_assign, review_submit, reviews_assign_automatically
from notifications.models import EmailDelivery
from tests.leadership import factories


@pytest.fixture
def applications(call):
    return [factories.submitted_application(call) for _ in range(2)]


def _assigned_to(reviewer):
    return EmailDelivery.objects.filter(
        user=reviewer, idempotency_key__startswith="leadership:assigned:"
    )


def test_reviewers_are_told_of_each_assignment_once(
    call, applications, reviewers, coordinator, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reviews_assign_automatically(call=call, actor=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        reviews_assign_automatically(call=call, actor=coordinator)  # nothing new to assign
    assert len(mail.outbox) == 4  # 2 applications × 2 reviewers
    review = Review.objects.filter(application=applications[0]).first()
    message = next(m for m in mail.outbox if m.to == [review.reviewer.email])
    assert applications[0].anonymous_label in message.subject + message.body
    assert reverse("leadership:review_detail", args=[review.pk]) in message.body
    for application in applications:  # the review stays blind
        assert application.applicant.public_name not in message.body
        assert application.applicant.email not in message.body


def test_a_manual_assignment_is_notified_and_a_repeat_is_not(
    call, applications, reviewers, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        review_assign(application=applications[0], reviewer=reviewers[2], actor=coordinator)
        review_assign(application=applications[0], reviewer=reviewers[2], actor=coordinator)
    assert _assigned_to(reviewers[2]).count() == 1


def test_reminder_before_the_review_deadline_once_and_only_for_pending_reviews(
    call, applications, reviewers, coordinator, django_capture_on_commit_callbacks
):
    deadline = timezone.now() + datetime.timedelta(days=3)
    CallPage.objects.filter(pk=call.pk).update(review_deadline=deadline)
    for reviewer in reviewers[:2]:
        for application in applications:
            review_assign(application=application, reviewer=reviewer, actor=coordinator)
    done = reviewers[1]
    for review in Review.objects.filter(reviewer=done):
        review_submit(
            review=review,
            reviewer=done,
            scores={str(c.pk): 3 for c in call.criteria.all()},
            comment="",
        )
    mail.outbox.clear()
    assert tasks.send_review_reminders() == 0  # three days before: too early
    with time_machine.travel(deadline - datetime.timedelta(hours=5)):
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.send_review_reminders() == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.send_review_reminders() == 0  # the ledger's key: once
    with time_machine.travel(deadline + datetime.timedelta(hours=1)):
        assert tasks.send_review_reminders() == 0  # after the deadline: nothing
    assert [m.to for m in mail.outbox] == [[reviewers[0].email]]
    body = mail.outbox[0].body
    assert "2 valutazioni" in body
    for application in applications:
        assert application.anonymous_label in body


def test_review_reminders_are_scheduled():
    from django.conf import settings

    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "leadership.tasks.send_review_reminders" in tasks_scheduled


def test_declaring_a_conflict_asks_for_confirmation_first(
    client, call, applications, reviewers, coordinator
):
    review = review_assign(application=applications[0], reviewer=reviewers[0], actor=coordinator)
    client.force_login(reviewers[0])
    page = client.get(reverse("leadership:review_detail", args=[review.pk])).content.decode()
    # its own section, apart from the scoring form and its "submit" button
    assert 'id="conflitto"' in page
    grid_end = page.index("Invia la valutazione")
    assert page.index('id="conflitto"') > grid_end
    url = reverse("leadership:conflict", args=[review.pk])
    response = client.post(url, {"reason": "È mia vicina"})
    assert response.status_code == 200
    confirmation = response.content.decode()
    assert "Conferma il conflitto di interessi" in confirmation
    assert 'name="confirm" value="1"' in confirmation
    assert "È mia vicina" in confirmation
    assert not ConflictOfInterest.objects.exists()
    assert Review.objects.filter(pk=review.pk).exists()
    response = client.post(url, {"reason": "È mia vicina", "confirm": "1"}, follow=True)
    assert ConflictOfInterest.objects.get().reason == "È mia vicina"
    assert not Review.objects.filter(pk=review.pk).exists()
    assert "non ti è più assegnata" in response.content.decode()
