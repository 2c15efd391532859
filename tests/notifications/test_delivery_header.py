"""Every e-mail names its delivery (``X-PSM-Delivery``: the idempotency key), so a message
that reaches a mail server twice can be recognised; the worker-outage drill counts by it."""

import pytest
from django.core import mail

from notifications.delivery import email_delivery_send
from notifications.models import DeliveryStatus, EmailDelivery
from notifications.services import email_queue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("transactional", [False, True])
def test_each_message_carries_its_delivery_key(django_capture_on_commit_callbacks, transactional):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        delivery = email_queue(
            user=user,
            key="email:drill:1",
            subject="Prova",
            body="Testo",
            transactional=transactional,
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["X-PSM-Delivery"] == "email:drill:1"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_a_redelivered_task_sends_nothing_more(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        email_queue(user=user, key="email:drill:2", subject="Prova", body="Testo")
    delivery = EmailDelivery.objects.get(idempotency_key="email:drill:2")
    assert email_delivery_send(delivery_id=delivery.pk) is False  # acks_late redelivery
    assert [m.extra_headers["X-PSM-Delivery"] for m in mail.outbox] == ["email:drill:2"]
