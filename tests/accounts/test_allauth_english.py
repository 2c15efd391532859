"""Signing in, signing up, resetting the password and confirming the e-mail address work in
English under /en/, with the site's own templates, and keep the reader on the English site."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.accounts.test_signup import signup_data

pytestmark = pytest.mark.django_db


PAGES = {
    "/en/account/login/": ("account/login.html", "<h1>Log in</h1>"),
    "/en/account/signup/": ("account/signup.html", "Create the account"),
    "/en/account/password/reset/": ("allauth/layouts/base.html", "Reset My Password"),
    "/en/account/password/reset/done/": ("allauth/layouts/base.html", "We have sent you an email"),
    "/en/account/confirm-email/": ("allauth/layouts/base.html", "Verify Your Email Address"),
    "/en/account/confirm-email/no-such-key/": (
        "allauth/layouts/base.html",
        "expired or is invalid",
    ),
    "/en/account/password/reset/key/1-bad/": ("allauth/layouts/base.html", "Bad Token"),
}
# Words of the Italian interface of these pages (allauth's Italian catalogue and ours).
ITALIAN = re.compile(
    r"\b(Accedi|Iscriviti|dimenticata|Indirizzo|Conferma|Reimposta|Verifica)\b", re.I
)


def _main(html: str) -> str:
    return html.split('id="main-content"')[1].split('id="footer"')[0]


def test_the_account_pages_are_english_under_en_with_our_templates(client, plan):
    for path, (template, text) in PAGES.items():
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert '<html lang="en">' in html, path
        assert template in [t.name for t in response.templates], path
        assert "skiplinks" in html, path  # the site's base layout
        assert text in html, path
        # the comuni of the sign-up form are names, not Italian interface words
        main = re.sub(r"<select.*?</select>", "", _main(html), flags=re.S)
        assert not ITALIAN.search(main), (path, ITALIAN.search(main))


def test_signing_up_in_english_stays_on_the_english_site(client, plan, mailoutbox):
    response = client.post("/en/account/signup/", signup_data())
    assert response["Location"] == "/en/account/confirm-email/"
    (message,) = mailoutbox
    link = re.search(r"https?://[^/]+(/en/account/confirm-email/[^/\s]+/)", message.body)
    assert link is not None, message.body
    assert client.get(link.group(1)).status_code == 200
    confirmed = client.post(link.group(1))
    assert confirmed["Location"].startswith("/en/")
    signed_out = client.post("/en/account/logout/")
    assert signed_out["Location"] == "/en/"
    with translation.override("it"):
        assert client.post(reverse("account_logout"))["Location"] == "/"
