"""The facilitators' daily digest: one e-mail a day when something waits, through the e-mail
ledger, nothing when nothing waits, stopped by the notification preferences."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from notifications.models import EmailDelivery, NotificationPreference
from staffhome.services import facilitator_digest_send
from staffhome.tasks import send_facilitator_digests
from tests.consultations.factories import make_consultation, make_facilitator
from tests.factories import UserFactory
from tests.proposals.factories import ProposalFactory, report

BASE = "https://psm.esempio.it"


def digests():
    return EmailDelivery.objects.filter(idempotency_key__startswith="staffhome:facilitator-digest:")


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.BASE_URL = BASE


def _run(capture, now=None):
    with capture(execute=True):
        if now is None:
            return send_facilitator_digests.apply().get()
        from staffhome.services import facilitator_digests_send

        return facilitator_digests_send(now=now)


def test_one_email_a_day_listing_what_waits_with_links_on_the_base_url(
    plan, django_capture_on_commit_callbacks
):
    consultation = make_consultation(phase="proposals", title="Piazze vive")
    facilitator = make_facilitator(consultation, display_name="Giulia")
    report(proposal=ProposalFactory(consultation=consultation))
    ProposalFactory(consultation=consultation, visibility="pending", published_at=None)

    assert _run(django_capture_on_commit_callbacks) == 1
    assert _run(django_capture_on_commit_callbacks) == 0  # the same day: nothing new
    [delivery] = digests()
    assert delivery.user == facilitator
    assert delivery.status == "sent"
    [message] = mail.outbox
    assert message.to == [facilitator.email]
    body = message.body
    assert "Ciao Giulia" in body
    assert "Piazze vive" in body
    assert "1 segnalazione da esaminare" in body
    assert "1 proposta da approvare" in body
    assert BASE + reverse("moderation:queue", args=[consultation.pk]) in body
    assert BASE + reverse("staffhome:home") in body
    assert BASE + reverse("notifications:preferences") in body
    assert "127.0.0.1" not in body
    assert "example.com" not in body

    # the next day, still waiting: the next digest
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert _run(django_capture_on_commit_callbacks, now=tomorrow) == 1
    assert digests().count() == 2


def test_nothing_when_nothing_waits(plan, django_capture_on_commit_callbacks):
    # the voting phase opens in 9 days: shown in the staff area, not a reason for an e-mail
    consultation = make_consultation(phase="proposals")
    make_facilitator(consultation)
    make_facilitator(make_consultation(phase="closed"))
    assert _run(django_capture_on_commit_callbacks) == 0
    assert not digests().exists()
    assert mail.outbox == []


def test_phase_about_to_open_and_answers_due(plan, django_capture_on_commit_callbacks):
    consultation = make_consultation(phase="information", title="Spazi per lo studio")
    facilitator = make_facilitator(consultation)
    now = timezone.now() + datetime.timedelta(days=7)  # the proposal phase opens in 2 days
    delivery = facilitator_digest_send(user=facilitator, now=now)
    assert delivery is not None
    assert "si apre il" in delivery.body
    assert "Proposte" in delivery.body

    answered = make_consultation(phase="voting", answer_deadline_days=5)
    other = make_facilitator(answered)
    ProposalFactory(consultation=answered)
    delivery = facilitator_digest_send(user=other)
    assert "1 proposta attende la risposta ufficiale" in delivery.body
    assert BASE + reverse("moderation:proposals", args=[answered.pk]) in delivery.body


def test_opt_out_in_the_preferences(client, plan, django_capture_on_commit_callbacks):
    consultation = make_consultation(phase="proposals")
    facilitator = make_facilitator(consultation)
    report(proposal=ProposalFactory(consultation=consultation))
    client.force_login(facilitator)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "riepilogo quotidiano" in page
    response = client.post(
        reverse("notifications:preferences"), {"email_enabled": "on", "facilitator_digest": ""}
    )
    assert response.status_code == 302
    assert not NotificationPreference.objects.get(user=facilitator).facilitator_digest
    assert _run(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []

    # back on, then every e-mail off: still nothing
    client.post(
        reverse("notifications:preferences"), {"email_enabled": "on", "facilitator_digest": "on"}
    )
    assert NotificationPreference.objects.get(user=facilitator).facilitator_digest
    client.post(reverse("notifications:preferences"), {"facilitator_digest": "on"})
    assert not NotificationPreference.objects.get(user=facilitator).email_enabled
    assert _run(django_capture_on_commit_callbacks) == 0
    assert not digests().exists()


def test_participants_neither_get_it_nor_see_the_choice(client, plan):
    consultation = make_consultation(phase="proposals")
    report(proposal=ProposalFactory(consultation=consultation))
    participant = UserFactory()
    reviewer = UserFactory(roles=[Role.REVIEWER])
    assert facilitator_digest_send(user=participant) is None
    assert facilitator_digest_send(user=reviewer) is None
    client.force_login(participant)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "riepilogo quotidiano" not in page
    # a participant's save leaves the (unused) choice as it was
    client.post(reverse("notifications:preferences"), {"email_enabled": "on"})
    assert NotificationPreference.objects.get(user=participant).facilitator_digest
