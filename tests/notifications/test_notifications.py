"""Notifications: sent exactly once (on commit, idempotent keys, retries do not resend),
preferences, one-click unsubscribe, weekly digest, phase announcements, in-app list."""

import datetime
import re
import smtplib
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from consultations.models import Follow, Phase
from consultations.tasks import announce_started_phases
from notifications.delivery import (
    email_delivery_send,
    unsubscribe_token,
    user_from_unsubscribe_token,
)
from notifications.models import DeliveryStatus, EmailDelivery, Notification, NotificationKind
from notifications.services import digest_send, notify, preference_update
from notifications.tasks import send_email_delivery
from proposals.models import ProposalStatus
from proposals.moderation import services as moderation
from proposals.tasks import notify_comment_reply, notify_proposal_answered
from tests.consultations.factories import make_consultation, make_facilitator
from tests.factories import UserFactory
from tests.proposals.factories import CommentFactory, ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): ...`` runs the block's on-commit callbacks (and theirs) at its end,
    as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def consultation(plan):
    return make_consultation()


@pytest.fixture
def facilitator(consultation):
    return make_facilitator(consultation)


def test_answer_notifies_the_author_once_after_commit(
    consultation, facilitator, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(consultation=consultation)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        change = moderation.proposal_answer(
            actor=facilitator, proposal=proposal, status="accepted", answer="La facciamo."
        )
    # Nothing leaves before the commit.
    assert len(mail.outbox) == 0
    assert not Notification.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [proposal.author.email]
    assert "accolta" in message.subject.lower()
    assert "La facciamo." in message.body
    link = re.search(r"/notifiche/disiscrizione/([^/\s]+)/", message.body)
    assert link
    assert user_from_unsubscribe_token(link.group(1)) == proposal.author
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    notification = Notification.objects.get(user=proposal.author)
    assert notification.kind == NotificationKind.PROPOSAL_ANSWERED

    # The task runs again (a retry, a duplicate message): nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        notify_proposal_answered(change.pk)
        notify_proposal_answered.delay(change.pk)
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1
    assert EmailDelivery.objects.get().status == DeliveryStatus.SENT


def test_retry_after_an_smtp_error_sends_once(user, committed):
    # The task asks for a retry (with backoff in a real worker); the error is logged,
    # never raised into the request that queued it.
    down = smtplib.SMTPServerDisconnected("down")
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=down), committed():
        notify(user=user, key="test:smtp", kind="status_changed", title="Prova")
    delivery = EmailDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempts >= 1
    assert "down" in delivery.last_error
    assert len(mail.outbox) == 0
    # The worker comes back: the retry sends it, a second retry does not send again.
    assert email_delivery_send(delivery_id=delivery.pk) is True
    assert email_delivery_send(delivery_id=delivery.pk) is False
    send_email_delivery.apply(args=[delivery.pk])
    assert len(mail.outbox) == 1


def test_a_title_with_line_breaks_is_sent_on_one_line(user, committed):
    title = "La tua proposta «Un titolo\r\nBcc: altri@example.org\u2028e poi» è ora: accolta"
    with committed():
        notify(user=user, key="test:newline", kind="status_changed", title=title)
    delivery = EmailDelivery.objects.get()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.subject == (
        "La tua proposta «Un titolo Bcc: altri@example.org e poi» è ora: accolta"
    )
    assert mail.outbox[0].subject.endswith(delivery.subject)
    assert mail.outbox[0].bcc == []


def test_an_error_no_retry_can_cure_marks_the_delivery_failed(user, committed):
    from django.core.mail import BadHeaderError

    refused = BadHeaderError("Header values can't contain newlines")
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=refused), committed():
        notify(user=user, key="test:bad-header", kind="status_changed", title="Prova")
    delivery = EmailDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert "newlines" in delivery.last_error
    assert delivery.attempts == 1
    assert email_delivery_send(delivery_id=delivery.pk) is False  # not tried again


def test_the_sweep_gives_up_on_a_delivery_out_of_attempts(user, committed):
    from notifications.tasks import MAX_RETRIES, resend_stuck_deliveries

    down = smtplib.SMTPServerDisconnected("down")
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=down), committed():
        notify(user=user, key="test:worn-out", kind="status_changed", title="Prova")
    EmailDelivery.objects.update(attempts=MAX_RETRIES)  # its last failure lost with a worker
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=20), tick=False):
        assert resend_stuck_deliveries() == 0
    delivery = EmailDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert "down" in delivery.last_error


def test_same_key_notifies_once(user, committed):
    with committed():
        notify(user=user, key="k1", kind="status_changed", title="Una volta")
    with committed():
        notify(user=user, key="k1", kind="status_changed", title="Una volta")
    assert Notification.objects.filter(user=user).count() == 1
    assert len(mail.outbox) == 1


def test_email_off_keeps_in_app_notifications(user, committed):
    preference_update(user=user, email_enabled=False, weekly_digest=False)
    with committed():
        notify(user=user, key="k2", kind="status_changed", title="Solo in app")
    assert Notification.objects.filter(user=user).count() == 1
    assert len(mail.outbox) == 0


def test_comment_reply_notifies_parent_author_not_self(consultation, committed):
    proposal = ProposalFactory(consultation=consultation)
    parent = CommentFactory(proposal=proposal)
    reply = CommentFactory(proposal=proposal, parent=parent)
    self_reply = CommentFactory(proposal=proposal, parent=parent, author=parent.author)
    with committed():
        assert notify_comment_reply(reply.pk) is True
        assert notify_comment_reply(reply.pk) is False  # retry
        assert notify_comment_reply(self_reply.pk) is False
    assert Notification.objects.filter(user=parent.author).count() == 1
    assert len(mail.outbox) == 1


def test_hidden_content_notifies_author_with_reason(consultation, facilitator, committed):
    proposal = ProposalFactory(consultation=consultation)
    with committed():
        moderation.content_hide(
            actor=facilitator, proposal=proposal, reason="Contiene un numero di telefono"
        )
    notification = Notification.objects.get(user=proposal.author)
    assert notification.kind == NotificationKind.PROPOSAL_HIDDEN
    assert "numero di telefono" in notification.body
    assert "numero di telefono" in mail.outbox[0].body


def test_phase_announcement_is_sent_once(consultation, committed):
    followers = [UserFactory(), UserFactory()]
    for person in followers:
        Follow.objects.create(consultation=consultation, user=person)
    later = Phase.objects.create(
        page=consultation,
        kind="voting",
        starts_at=timezone.now() + datetime.timedelta(days=2),
        ends_at=timezone.now() + datetime.timedelta(days=5),
    )
    with committed():
        assert announce_started_phases() == 1  # the running proposals phase
        assert announce_started_phases() == 0
    assert len(mail.outbox) == 2
    with (
        time_machine.travel(timezone.now() + datetime.timedelta(days=3), tick=False),
        committed(),
    ):
        assert announce_started_phases() == 1
        assert announce_started_phases() == 0
    later.refresh_from_db()
    assert later.announced_at is not None
    assert len(mail.outbox) == 4
    assert Notification.objects.filter(kind=NotificationKind.PHASE_STARTED).count() == 4


def test_one_click_unsubscribe(client, user, committed):
    token = unsubscribe_token(user=user)
    url = reverse("notifications:unsubscribe", kwargs={"token": token})
    page = client.get(url)
    assert page.status_code == 200
    # RFC 8058 one-click: a POST without cookies or CSRF token.
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    with committed():
        notify(user=user, key="after", kind="status_changed", title="Dopo")
    assert len(mail.outbox) == 0
    bad = client.post(reverse("notifications:unsubscribe", kwargs={"token": "falso"}))
    assert bad.status_code == 400


def test_weekly_digest_once_per_week(user, committed):
    preference_update(user=user, email_enabled=True, weekly_digest=True)
    notify(user=user, key="d1", kind="status_changed", title="Novità uno", email=False)
    notify(user=user, key="d2", kind="comment_reply", title="Novità due", email=False)
    with committed():
        assert digest_send(user=user) is not None
        assert digest_send(user=user) is None
    assert len(mail.outbox) == 1
    assert "Novità uno" in mail.outbox[0].body
    assert "Novità due" in mail.outbox[0].body


def test_preferences_form(client, user):
    client.force_login(user)
    url = reverse("notifications:preferences")
    assert client.get(url).status_code == 200
    response = client.post(url, {"weekly_digest": "on"})  # digest without e-mail
    assert response.status_code == 200
    assert "attivare le notifiche" in response.content.decode()
    response = client.post(url, {"email_enabled": "on", "weekly_digest": "on"})
    assert response.status_code == 302
    assert user.notification_preference.weekly_digest


def test_list_page_unread_count_and_mark_read(client, user, other_user, django_assert_num_queries):
    for i in range(3):
        notify(user=user, key=f"l{i}", kind="status_changed", title=f"Messaggio {i}", email=False)
    notify(user=other_user, key="x", kind="status_changed", title="Di altri", email=False)
    client.force_login(user)
    response = client.get(reverse("notifications:list"))
    body = response.content.decode()
    assert "Messaggio 2" in body
    assert "Di altri" not in body
    assert "3 notifiche non lette" in body
    mine = Notification.objects.filter(user=user).first()
    theirs = Notification.objects.get(user=other_user)
    client.post(reverse("notifications:read"), {"notification": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None  # not mine to mark
    client.post(reverse("notifications:read"), {"notification": mine.pk})
    mine.refresh_from_db()
    assert mine.read_at is not None
    client.post(reverse("notifications:read"))
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()


def test_list_page_query_count_is_constant(client, user, django_assert_max_num_queries):
    client.force_login(user)
    for i in range(30):
        notify(user=user, key=f"q{i}", kind="status_changed", title=f"N {i}", email=False)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("notifications:list")).status_code == 200


def test_personal_data_export_and_erase(user):
    from accounts.services import user_delete, user_export_data

    notify(user=user, key="p", kind="status_changed", title="Mia", email=True)
    data = user_export_data(user=user)
    assert data["notifications"]["notifications"][0]["title"] == "Mia"
    user_delete(user=user)
    assert not Notification.objects.filter(user=user).exists()
    assert not EmailDelivery.objects.filter(user=user).exists()


def test_status_change_without_answer_is_a_status_notification(
    consultation, facilitator, committed
):
    proposal = ProposalFactory(consultation=consultation)
    with committed():
        moderation.proposal_answer(
            actor=facilitator, proposal=proposal, status=ProposalStatus.ACCEPTED, answer="Sì"
        )
        moderation.proposal_answer(
            actor=facilitator, proposal=proposal, status=ProposalStatus.IN_REVIEW, answer=""
        )
    kinds = sorted(Notification.objects.values_list("kind", flat=True))
    assert kinds == [NotificationKind.PROPOSAL_ANSWERED, NotificationKind.STATUS_CHANGED]


def test_stuck_deliveries_are_sent_by_the_sweep_once(user, committed):
    from notifications.tasks import resend_stuck_deliveries

    down = smtplib.SMTPServerDisconnected("down")
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=down), committed():
        notify(user=user, key="stuck", kind="status_changed", title="Bloccata")
    assert EmailDelivery.objects.get().status == DeliveryStatus.PENDING
    assert resend_stuck_deliveries() == 0  # too recent
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=20), tick=False):
        assert resend_stuck_deliveries() == 1
        assert resend_stuck_deliveries() == 0
    assert len(mail.outbox) == 1
    assert EmailDelivery.objects.get().status == DeliveryStatus.SENT


def test_premoderated_proposal_published_notifies_author(consultation, facilitator, committed):
    pending = ProposalFactory(consultation=consultation, visibility="pending", published_at=None)
    with committed():
        moderation.content_restore(actor=facilitator, proposal=pending)
    notification = Notification.objects.get(user=pending.author)
    assert notification.kind == NotificationKind.PROPOSAL_PUBLISHED
    assert len(mail.outbox) == 1
    # Restoring an already public proposal (dismissing reports) tells nobody.
    with committed():
        moderation.content_restore(actor=facilitator, proposal=pending)
    assert Notification.objects.count() == 1


def test_opening_a_notification_marks_it_read(client, user, other_user):
    mine = notify(
        user=user, key="o1", kind="status_changed", title="Apri", url="/piano/", email=False
    )
    theirs = notify(user=other_user, key="o2", kind="status_changed", title="Altro", email=False)
    client.force_login(user)
    response = client.get(reverse("notifications:open", kwargs={"pk": mine.pk}))
    assert response.status_code == 302
    assert response["Location"] == "/piano/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.get(reverse("notifications:open", kwargs={"pk": theirs.pk})).status_code == 404
