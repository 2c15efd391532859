"""Under real concurrency (PostgreSQL row locks): two workers sending the same e-mail send it
once; two beat runs announcing the same phase notify each follower once.

Needs committed data visible to other connections, hence ``transactional_db``; the flush it
does at the end removes the preloaded territory and plan, so they are reloaded afterwards.
"""

import datetime
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from consultations.models import Follow, Phase
from consultations.tasks import announce_started_phases
from notifications.delivery import email_delivery_send
from notifications.models import EmailDelivery, Notification, NotificationKind
from tests.consultations.factories import make_consultation
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (DATABASE_URL)"
    ),
]


@pytest.fixture
def reload_reference_data(django_db_blocker):
    """Set up before ``transactional_db``, so it is torn down after the flush."""
    yield
    from tests.conftest import _load_reference_data

    with django_db_blocker.unblock():
        _load_reference_data()


def _in_threads(function, count=4):
    barrier = threading.Barrier(count)

    def run():
        barrier.wait()
        try:
            return function()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return [f.result() for f in [pool.submit(run) for _ in range(count)]]


def test_concurrent_sends_of_one_delivery_send_once(reload_reference_data, transactional_db):
    user = UserFactory()
    delivery = EmailDelivery.objects.create(
        idempotency_key="concurrency:1", user=user, subject="Una sola volta", body="Ciao"
    )
    real_send = mail.EmailMessage.send

    def slow_send(self, *args, **kwargs):
        time.sleep(0.3)  # widen the window between "not sent yet" and "sent"
        return real_send(self, *args, **kwargs)

    with mock.patch.object(mail.EmailMessage, "send", slow_send):
        results = _in_threads(lambda: email_delivery_send(delivery_id=delivery.pk))
    assert sorted(results) == [False, False, False, True]
    assert len(mail.outbox) == 1


def test_concurrent_beat_runs_announce_a_phase_once(reload_reference_data, transactional_db, plan):
    consultation = make_consultation(phases=())
    followers = [UserFactory() for _ in range(3)]
    for person in followers:
        Follow.objects.create(consultation=consultation, user=person)
    Phase.objects.create(
        page=consultation,
        kind="proposals",
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        ends_at=timezone.now() + datetime.timedelta(days=5),
    )
    results = _in_threads(announce_started_phases)
    assert sum(results) == 1
    assert Notification.objects.filter(kind=NotificationKind.PHASE_STARTED).count() == 3
    assert len(mail.outbox) == 3
