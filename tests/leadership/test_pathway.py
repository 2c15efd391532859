"""Pathway: cohort, sessions, attendance (coordinator and QR), completion, certificates."""

import datetime
import smtplib
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from leadership import tasks
from leadership.models import ApplicationStatus as S
from leadership.models import Certificate, Review
from leadership.services.offers import seat_accept
from leadership.services.pathway import (
    attendance_check_in,
    attendance_mark,
    cohort_complete,
    cohort_create,
    session_checkin_token,
    session_create,
)
from leadership.services.reviews import review_submit, reviews_assign_automatically
from leadership.services.selection import selection_confirm
from notifications.models import DeliveryStatus, EmailDelivery
from notifications.services import preference_update
from notifications.tasks import resend_stuck_deliveries
from tests.factories import UserFactory
from tests.leadership import factories


@pytest.fixture
def cohort_setup(plan, coordinator):
    call = factories.make_call(seats=2, reviewers_per_application=1)
    reviewer = factories.reviewer()
    apps = [factories.submitted_application(call) for _ in range(2)]
    reviews_assign_automatically(call=call, actor=coordinator)
    for review in Review.objects.filter(reviewer=reviewer):
        review_submit(
            review=review,
            reviewer=reviewer,
            scores={str(c.pk): 3 for c in call.criteria.all()},
            comment="",
        )
    factories.close_call(call)
    selection_confirm(call=call, actor=coordinator)
    for a in apps:
        seat_accept(application=a, actor=a.applicant)
    cohort = cohort_create(call=call, actor=coordinator)
    now = timezone.now()
    sessions = [
        session_create(
            stage=stage,
            actor=coordinator,
            title=f"Incontro {stage.name}",
            starts_at=now + datetime.timedelta(days=1),
            ends_at=now + datetime.timedelta(days=1, hours=2),
            place="Palazzo Cisterna",
        )
        for stage in cohort.stages.all()[:2]
    ]
    return call, apps, cohort, sessions


def test_cohort_has_the_six_default_stages(cohort_setup):
    _call, _apps, cohort, _sessions = cohort_setup
    assert [s.name for s in cohort.stages.all()] == [
        "Informazione",
        "Sistema decisionale",
        "Sistema politico",
        "Sistema amministrativo",
        "Sistema economico",
        "Sistema della ricerca",
    ]


def test_qr_check_in_only_during_the_session(cohort_setup):
    _call, apps, _cohort, sessions = cohort_setup
    session = sessions[0]
    token = session_checkin_token(session)
    person = apps[0].applicant
    with pytest.raises(ValidationError):
        attendance_check_in(token=token, user=person)  # before it starts
    with time_machine.travel(session.starts_at + datetime.timedelta(minutes=5)):
        attendance = attendance_check_in(token=token, user=person)
        assert attendance.present
        assert attendance.method == "qr"
        with pytest.raises(PermissionDenied):
            attendance_check_in(token=token, user=UserFactory())
        with pytest.raises(ValidationError):
            attendance_check_in(token=token + "x", user=person)
    with (
        time_machine.travel(session.ends_at + datetime.timedelta(minutes=1)),
        pytest.raises(ValidationError),
    ):
        attendance_check_in(token=token, user=apps[1].applicant)


def test_completion_rule_and_certificate(cohort_setup, coordinator, client):
    _call, apps, cohort, sessions = cohort_setup
    for session in sessions:
        attendance_mark(
            session=session, participant=apps[0].applicant, present=True, actor=coordinator
        )
    attendance_mark(
        session=sessions[0], participant=apps[1].applicant, present=True, actor=coordinator
    )
    with pytest.raises(PermissionDenied):
        cohort_complete(cohort=cohort, actor=apps[0].applicant)
    done = cohort_complete(cohort=cohort, actor=coordinator)
    assert done == [apps[0].pk]
    apps[0].refresh_from_db()
    apps[1].refresh_from_db()
    assert apps[0].status == S.COMPLETED
    assert apps[1].status == S.ACCEPTED
    certificate = Certificate.objects.get(application=apps[0])
    # public verification
    page = client.get(reverse("leadership:verify_code", args=[certificate.code]))
    assert "Attestato valido" in page.content.decode()
    assert apps[0].applicant.public_name in page.content.decode()
    assert (
        "Nessun attestato"
        in client.get("/programma/verifica/?code=AAAA-BBBB-CCCC").content.decode()
    )
    # the PDF only for its holder (and coordinators)
    url = reverse("leadership:certificate", args=[certificate.code])
    client.force_login(apps[1].applicant)
    assert client.get(url).status_code == 404
    client.force_login(apps[0].applicant)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_progress_page_for_participants_only(cohort_setup, client):
    _call, apps, cohort, _sessions = cohort_setup
    url = reverse("leadership:pathway", args=[cohort.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(apps[0].applicant)
    page = client.get(url).content.decode()
    assert "Il tuo avanzamento" in page
    assert apps[1].applicant.email not in page


def test_reminders_once_per_session_and_person(cohort_setup, django_capture_on_commit_callbacks):
    _call, _apps, _cohort, _sessions = cohort_setup
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_session_reminders() == 4  # 2 sessions tomorrow × 2 people
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_session_reminders() == 0
    assert len(mail.outbox) == 4
    assert "Domani" in mail.outbox[0].subject


def test_reminder_goes_out_to_people_who_turned_notification_emails_off(
    cohort_setup, django_capture_on_commit_callbacks
):
    _call, apps, _cohort, _sessions = cohort_setup
    person = apps[0].applicant
    preference_update(user=person, email_enabled=False, weekly_digest=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_session_reminders()
    to_person = [m for m in mail.outbox if m.to == [person.email]]
    assert len(to_person) == 2  # a service e-mail the person asked for by joining
    assert "List-Unsubscribe" not in to_person[0].extra_headers


def test_reminder_that_failed_to_send_is_sent_later_once(
    cohort_setup, django_capture_on_commit_callbacks
):
    _call, _apps, _cohort, _sessions = cohort_setup
    mail.outbox.clear()
    down = smtplib.SMTPServerDisconnected("SMTP server went away")
    with (
        mock.patch("django.core.mail.EmailMessage.send", side_effect=down),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.send_session_reminders() == 4
    reminders = EmailDelivery.objects.filter(idempotency_key__startswith="leadership:reminder:")
    assert set(reminders.values_list("status", flat=True)) == {DeliveryStatus.PENDING}
    assert all("SMTP" in error for error in reminders.values_list("last_error", flat=True))
    assert mail.outbox == []
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=20), tick=False):
        resend_stuck_deliveries()  # also the fixture's receipts and outcomes never sent
        assert resend_stuck_deliveries() == 0
    assert len([m for m in mail.outbox if "Domani" in m.subject]) == 4
    assert set(reminders.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_session_must_end_after_it_starts(cohort_setup, coordinator):
    _call, _apps, cohort, _sessions = cohort_setup
    now = timezone.now()
    with pytest.raises(ValidationError):
        session_create(
            stage=cohort.stages.first(), actor=coordinator, title="x", starts_at=now, ends_at=now
        )


def test_qr_check_in_over_http(cohort_setup, client, coordinator):
    _call, apps, _cohort, sessions = cohort_setup
    session = sessions[0]
    client.force_login(coordinator)
    page = client.get(reverse("leadership:session", args=[session.pk])).content.decode()
    assert "<svg" in page
    token = session_checkin_token(session)
    client.force_login(apps[0].applicant)
    with time_machine.travel(session.starts_at + datetime.timedelta(minutes=1)):
        response = client.post(reverse("leadership:checkin", args=[token]))
    assert response.status_code == 302
    assert session.attendances.filter(participant=apps[0].applicant, present=True).exists()
