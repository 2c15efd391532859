"""Sign-up: extra fields, the 14-year age limit, privacy consent, and mandatory e-mail
verification before the first login."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.factories import years_ago

pytestmark = pytest.mark.django_db


def signup_data(**overrides):
    data = {
        "display_name": "Chiara",
        "email": "chiara@example.org",
        "password1": "girasole-montagna-77",
        "password2": "girasole-montagna-77",
        "birth_date": years_ago(17).isoformat(),
        "comune_choice": "001191",  # Pinerolo
        "gender": "donna",
        "accept_privacy": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_signup_stores_profile_and_consent_and_sends_verification(client, mailoutbox):
    before = timezone.now()
    response = client.post(reverse("account_signup"), signup_data())
    assert response.status_code == 302
    user = User.objects.get(email="chiara@example.org")
    assert user.display_name == "Chiara"
    assert user.comune.name == "Pinerolo"
    assert user.gender == "donna"
    assert user.privacy_notice_version == "2026-11"
    assert user.privacy_accepted_at >= before
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mailoutbox) == 1
    assert "/account/confirm-email/" in mailoutbox[0].body
    assert mailoutbox[0].to == ["chiara@example.org"]


def test_unverified_account_cannot_log_in(client):
    client.post(reverse("account_signup"), signup_data())
    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": "chiara@example.org", "password": "girasole-montagna-77"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_verification_link_then_login(client, mailoutbox):
    client.post(reverse("account_signup"), signup_data())
    client.logout()
    link = next(
        line for line in mailoutbox[0].body.splitlines() if "/account/confirm-email/" in line
    ).strip()
    path = link[link.index("/account/") :]
    client.post(path)
    assert EmailAddress.objects.get(email="chiara@example.org").verified
    response = client.post(
        reverse("account_login"),
        {"login": "chiara@example.org", "password": "girasole-montagna-77"},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_under_14_is_refused_with_a_friendly_message(client):
    thirteen = years_ago(14, days=-1)  # turns 14 tomorrow
    response = client.post(reverse("account_signup"), signup_data(birth_date=thirteen.isoformat()))
    assert response.status_code == 200
    assert not User.objects.filter(email="chiara@example.org").exists()
    html = response.content.decode()
    assert "servono almeno 14 anni" in html
    assert "laboratorio in presenza" in html


def test_exactly_14_today_can_register(client):
    response = client.post(
        reverse("account_signup"), signup_data(birth_date=years_ago(14).isoformat())
    )
    assert response.status_code == 302
    assert User.objects.filter(email="chiara@example.org").exists()


def test_privacy_notice_must_be_accepted(client):
    response = client.post(reverse("account_signup"), signup_data(accept_privacy=None))
    assert response.status_code == 200
    assert "devi accettare l&#x27;informativa" in response.content.decode()
    assert not User.objects.exists() or not User.objects.filter(email="chiara@example.org").exists()


def test_birth_date_in_the_future_is_refused(client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(reverse("account_signup"), signup_data(birth_date=tomorrow.isoformat()))
    assert "non può essere nel futuro" in response.content.decode()


def test_outside_the_metropolitan_area_is_a_choice(client):
    client.post(reverse("account_signup"), signup_data(comune_choice="altro"))
    user = User.objects.get(email="chiara@example.org")
    assert user.comune is None
    assert user.lives_outside_area


def test_signup_form_lists_all_312_comuni_including_none(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert html.count('<option value="001') == 312
    assert '<option value="001168">None</option>' in html
    assert "Altro / fuori area metropolitana" in html
