"""Sign-up and sign-in for everyone: `next` kept through sign-up and e-mail confirmation, the
reset link after the submit button, allauth's messages in inclusive Italian."""

import re

import pytest
from django.urls import reverse

from accounts.adapters import AccountAdapter
from tests.accounts.test_signup import signup_data
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEXT = "/partecipa/1/"


def _confirmation_path(mailoutbox) -> str:
    link = re.search(r"https?://\S+(/account/confirm-email/\S+/)", mailoutbox[0].body)
    return link.group(1)


def test_confirming_the_email_signs_in_and_goes_back_to_the_consultation(client, mailoutbox):
    response = client.post(f"{reverse('account_signup')}?next={NEXT}", signup_data(next=NEXT))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session

    response = client.post(_confirmation_path(mailoutbox))

    assert response.status_code == 302
    assert response["Location"] == NEXT
    assert client.session["_auth_user_id"]


def test_confirming_in_another_browser_does_not_sign_in(client, mailoutbox, django_user_model):
    client.post(reverse("account_signup"), signup_data())
    client.logout()
    client.post(_confirmation_path(mailoutbox))
    assert "_auth_user_id" not in client.session


def test_login_and_signup_pages_keep_next_in_their_links(client):
    login = client.get(f"{reverse('account_login')}?next={NEXT}").content.decode()
    assert f'href="/account/signup/?next={NEXT.replace("/", "%2F")}"' in login
    signup = client.get(f"{reverse('account_signup')}?next={NEXT}").content.decode()
    assert f'href="/account/login/?next={NEXT.replace("/", "%2F")}"' in signup
    assert f'name="next" value="{NEXT}"' in signup


def test_the_reset_link_comes_after_the_submit_button(client):
    html = client.get(reverse("account_login")).content.decode()
    form = html[html.index('<form method="post" action="/account/login/"') :]
    assert form.index('name="password"') < form.index('type="submit"')
    assert form.index('type="submit"') < form.index("/account/password/reset/")
    assert "helptext" not in form


def test_welcome_and_goodbye_speak_to_everyone(client, user):
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    )
    text = " ".join(str(message) for message in response.context["messages"])
    assert "Ti diamo il benvenuto" in text
    assert "collegato" not in text
    response = client.post(reverse("account_logout"), follow=True)
    text = " ".join(str(message) for message in response.context["messages"])
    assert "Hai chiuso la sessione" in text
    assert "scollegato" not in text


def test_taken_email_message_names_no_gender():
    """Shown only where allauth does not hide which addresses exist (enumeration prevention)."""
    error = AccountAdapter().validation_error("email_taken")
    assert error.messages == ["Esiste già un account con questo indirizzo e-mail."]
