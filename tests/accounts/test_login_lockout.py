"""Failed logins are limited per client and account: wrong passwords typed elsewhere do not
lock the owner out, and a header written by the client does not reset the count."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = "198.51.100.66"
OWNER = "203.0.113.10"


def _login(client, email, password, *, ip, **headers):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip, **headers
    )


def _refused_for_too_many(response) -> bool:
    return response.status_code == 429 or "troppi" in response.content.decode().lower()


def test_wrong_passwords_from_another_client_do_not_lock_the_owner_out(user):
    attacker = Client()
    for _ in range(6):
        _login(attacker, user.email, "sbagliata", ip=ATTACKER)
    assert _refused_for_too_many(_login(attacker, user.email, PASSWORD, ip=ATTACKER))
    response = _login(Client(), user.email, PASSWORD, ip=OWNER)
    assert response.status_code == 302
    assert not _refused_for_too_many(response)


def test_five_wrong_passwords_stop_that_client_for_that_account(user):
    client = Client()
    for _ in range(5):
        assert not _refused_for_too_many(_login(client, user.email, "sbagliata", ip=ATTACKER))
    assert _refused_for_too_many(_login(client, user.email, PASSWORD, ip=ATTACKER))


def test_a_forged_forwarded_for_does_not_reset_the_count(user, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    client = Client()
    for n in range(5):
        _login(client, user.email, "sbagliata", ip=ATTACKER, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = _login(client, user.email, PASSWORD, ip=ATTACKER, HTTP_X_FORWARDED_FOR="10.0.0.99")
    assert _refused_for_too_many(response)
