"""allauth flows we rely on: password reset by e-mail, rate limits, language switch."""

import pytest
from django.urls import reverse

from territory.models import Comune, ZonaOmogenea
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_password_reset_sends_a_link_and_sets_a_new_password(client, user, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/password/reset/key/" in line)
    path = link[link.index("/account/") :].strip()
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else path
    response = client.post(
        form_url, {"password1": "nuova-password-lunga-9", "password2": "nuova-password-lunga-9"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("nuova-password-lunga-9")


def test_repeated_failed_logins_are_rate_limited(client, user):
    for _ in range(12):
        client.post(reverse("account_login"), {"login": user.email, "password": "sbagliata"})
    final = client.post(reverse("account_login"), {"login": user.email, "password": "sbagliata"})
    assert final.status_code == 429 or "troppi" in final.content.decode().lower()


def test_language_switch_to_english_and_back(client, plan):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Il futuro della Città metropolitana lo decidiamo anche noi" not in html
    response = client.post(reverse("set_language"), {"language": "it", "next": "/"}, follow=True)
    assert "Il futuro della Città metropolitana lo decidiamo anche noi" in response.content.decode()


def test_administrators_assign_a_comune_to_its_zone_in_the_admin(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    susa = Comune.objects.get(name="Susa")  # zone 6: no source, left to the admin
    population = susa.population
    zone = ZonaOmogenea.objects.get(number=6)
    edit_url = reverse("comune:edit", args=[susa.pk])
    assert client.get(edit_url).status_code == 200
    response = client.post(
        edit_url,
        {"zona_omogenea": zone.pk, "zona_omogenea_source": "Elenco Comuni per Zona omogenea"},
    )
    assert response.status_code == 302
    susa.refresh_from_db()
    assert susa.zona_omogenea == zone
    assert susa.zona_omogenea_source == "Elenco Comuni per Zona omogenea"
    assert susa.population == population  # ISTAT/ANPR fields are not editable


def test_participants_cannot_edit_the_territory(client, user):
    client.force_login(user)
    susa = Comune.objects.get(name="Susa")  # zone 6: no source, left to the admin
    response = client.post(reverse("comune:edit", args=[susa.pk]), {"zona_omogenea": 6})
    assert response.status_code in (302, 403)
    susa.refresh_from_db()
    assert susa.zona_omogenea is None
