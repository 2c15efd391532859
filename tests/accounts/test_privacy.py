"""Download my data and delete my account."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User
from accounts.services import user_delete
from territory.models import TORINO_ISTAT_CODE
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_profile_requires_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_download_my_data_contains_everything_about_me(client, user):
    client.force_login(user)
    response = client.get(reverse("accounts:export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    [account] = data["accounts"]["account"]
    assert account["email"] == user.email
    assert account["display_name"] == user.display_name
    assert account["birth_date"] == user.birth_date.isoformat()
    assert (account["comune"], account["comune__name"]) == (TORINO_ISTAT_CODE, "Torino")
    assert data["accounts"]["email_addresses"] == [
        {"email": user.email, "verified": True, "primary": True}
    ]


def test_export_contains_only_my_data(client, user, other_user):
    client.force_login(user)
    body = client.get(reverse("accounts:export")).content.decode()
    assert other_user.email not in body


def test_delete_account_needs_the_password(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:delete"), {"password": "sbagliata"})
    assert response.status_code == 200
    assert "La password non è corretta" in response.content.decode()
    user.refresh_from_db()
    assert not user.is_removed


def test_delete_account_removes_personal_data_and_logs_out(client, user):
    client.force_login(user)
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_removed
    assert not user.is_active
    assert user.display_name == ""
    assert user.birth_date is None
    assert user.comune is None
    assert user.gender == ""
    assert user.email.endswith(".invalid")
    assert not user.has_usable_password()
    assert user.public_name == "Partecipante rimosso"
    assert not EmailAddress.objects.filter(user=user).exists()
    assert "_auth_user_id" not in client.session
    # The old address can register again.
    assert not User.objects.filter(email="persona@example.org").exists()


def test_deleted_account_sessions_elsewhere_are_ended(client, user):
    client.force_login(user)
    other = type(client)()
    other.force_login(user)
    user_delete(user=user)
    assert other.get(reverse("accounts:profile")).status_code == 302


def test_deletion_is_one_transaction_over_every_declaration(monkeypatch):
    """A declaration that fails undoes the whole erasure: no half-deleted account."""
    from accounts import personal_data

    def broken(rows):
        raise RuntimeError("erasure failed")

    failing = personal_data.PersonalData(
        User, "pk", holds="test", erase=personal_data.custom(broken, summary="fails")
    )
    declared = list(personal_data.declared_by_app())
    monkeypatch.setattr(
        personal_data, "declared_by_app", lambda: iter([*declared, ("accounts", failing)])
    )
    person = UserFactory()
    with pytest.raises(RuntimeError):
        user_delete(user=person)
    person.refresh_from_db()
    assert not person.is_removed
    assert EmailAddress.objects.filter(user=person).exists()


def test_profile_edit_changes_comune_and_name(client, user):
    client.force_login(user)
    response = client.post(
        reverse("accounts:edit"),
        {"display_name": "Nuovo nome", "comune_choice": "001263", "gender": ""},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "Nuovo nome"
    assert user.comune.name == "Sestriere"


def test_profile_summarises_my_activity_across_the_apps(client, user):
    client.force_login(user)
    html = client.get(reverse("accounts:profile")).content.decode()
    for label in (
        "Proposte scritte",
        "Sostegni dati",
        "Commenti",
        "Candidature alla leadership civica",
        "Notifiche non lette",
    ):
        assert label in html
