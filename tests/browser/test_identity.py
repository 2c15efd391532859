"""Sign in with SPID and with CIE in a real browser, against the local test identity provider
(tests/identity_provider): the official buttons, the provider's page, back to the profile with
the verified attributes. axe-core audits our pages on the way; the browser fixture fails the
test on any CSP violation."""

import pytest

from accounts.models import User
from tests.identity_provider import idp

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.identity_provider.urls"),
]


@pytest.fixture
def providers(settings, tmp_path, live_server):
    return idp.enable(settings, tmp_path, live_server.url)


def _at_provider(page, person_label: str, action: str = "Autorizza"):
    page.get_by_label(person_label).check()
    page.get_by_role("button", name=action).click()
    page.get_by_role("button", name="Continua").click()


def test_sign_in_with_spid_end_to_end(live_server, plan, providers, browser_page, axe):
    page = browser_page
    page.goto(live_server.url + "/account/login/")
    axe(page)
    # The providers' menu by keyboard: Enter opens it, Escape closes it, the arrow reopens it
    # on the first provider (one test provider: the random order is moot here).
    page.get_by_role("link", name="Entra con SPID").focus()
    page.keyboard.press("Enter")
    provider = page.get_by_role("link", name="Gestore di prova SPID")
    assert provider.is_visible()
    assert provider.locator("img").get_attribute("src") == idp.TEST_LOGO
    axe(page)  # the menu open
    page.keyboard.press("Escape")
    assert not provider.is_visible()
    page.keyboard.press("ArrowDown")  # from the button: opens and moves to the first provider
    assert provider.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_url("**/idp-di-prova/spid/sso?**")
    _at_provider(page, "Mario Rossi, 30 anni")
    page.wait_for_url("**/profilo/")
    axe(page)
    assert "Verificata con SPID" in page.locator("#identity-status").inner_text()
    assert page.get_by_text("Hai effettuato l'accesso con SPID").is_visible()
    user = User.objects.get(email="mario.rossi@example.org")
    assert user.identity_verified
    assert user.first_name == "Mario"
    # "Esci" ends the session at the provider too (single logout) and comes back.
    page.get_by_role("button", name="Esci").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_text("Hai chiuso la sessione qui e presso il gestore").is_visible()


def test_sign_in_with_cie_at_16_from_the_signup_page(live_server, plan, providers, phone_page, axe):
    page = phone_page
    page.goto(live_server.url + "/account/signup/")
    axe(page)
    page.get_by_role("link", name="Entra con CIE").click()
    page.wait_for_url("**/idp-di-prova/cie/sso?**")
    _at_provider(page, "Giulia Bianchi, 16 anni (CIE)")
    page.wait_for_url("**/profilo/")
    assert "Verificata con CIE" in page.locator("#identity-status").inner_text()
    axe(page)


def test_cancelled_and_under_14_end_on_an_explained_page(
    live_server, plan, providers, browser_page, axe
):
    page = browser_page
    page.goto(live_server.url + "/account/login/")
    page.get_by_role("link", name="Entra con CIE").click()
    _at_provider(page, "Mario Rossi, 30 anni", action="Annulla")
    page.wait_for_url("**/identita/acs/")
    assert page.get_by_text("Hai annullato l'accesso").is_visible()
    axe(page)
    page.goto(live_server.url + "/account/login/")
    page.get_by_role("link", name="Entra con CIE").click()
    _at_provider(page, "Luca Verdi, 12 anni (CIE)")
    page.wait_for_url("**/identita/acs/")
    assert page.get_by_text("laboratori in presenza").is_visible()
    assert not User.objects.exists()
