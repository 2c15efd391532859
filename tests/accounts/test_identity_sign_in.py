"""SPID and CIE sign-in against the local test identity provider, at the HTTP level: the
request we send, the responses we accept and the ones we refuse."""

import html
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts.identity import fiscal_number_hash
from accounts.models import IdentityProvider, User
from tests.identity_provider import idp

pytestmark = pytest.mark.django_db
BASE = "http://testserver"


@pytest.fixture
def client():
    """CSRF checked, as in a browser: the provider's POST carries no token."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def providers(settings, tmp_path):
    return idp.enable(settings, tmp_path, BASE)


def _start(client, providers, kind="spid", next_url="/profilo/"):
    response = client.get("/identita/entra/", {"idp": providers[kind], "next": next_url})
    assert response.status_code == 302, response.content[:500]
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == idp.sso_url(BASE, kind)
    return {key: values[0] for key, values in parse_qs(location.query).items()}


def _finish(client, answer):
    assert answer.acs_url == f"{BASE}/identita/acs/"
    return client.post(
        "/identita/acs/", {"SAMLResponse": answer.saml_response, "RelayState": answer.relay_state}
    )


def test_first_spid_sign_in_creates_the_account_with_the_verified_attributes(client, providers):
    mario = idp.people()["mario"]
    query = _start(client, providers)
    response = _finish(client, idp.answer(BASE, "spid", query, person=mario))
    assert response.status_code == 302
    assert response["Location"] == "/profilo/"
    user = User.objects.get(email=mario.email)
    assert user.identity_verified
    assert user.identity_provider == IdentityProvider.SPID
    assert user.identity_issuer == providers["spid"]
    assert user.birth_date == mario.birth_date
    assert (user.first_name, user.last_name, user.display_name) == ("Mario", "Rossi", "Mario")
    assert user.fiscal_number_hash == fiscal_number_hash(mario.fiscal_number)
    assert mario.fiscal_number not in str(User.objects.filter(pk=user.pk).values().get())
    assert not user.has_usable_password()
    assert user.emailaddress_set.get().verified
    assert client.get("/profilo/").status_code == 200


def test_the_authn_request_follows_the_spid_profile(client, providers):
    query = _start(client, providers)
    assert query["SigAlg"] == "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    request = idp.parse_request(idp.server(BASE, "spid"), query).message  # signature checked
    assert request.force_authn == "true"
    assert request.attribute_consuming_service_index == "0"
    assert request.issuer.name_qualifier == request.issuer.text == f"{BASE}/identita/metadata/"
    assert request.name_id_policy.format.endswith(":transient")
    context = request.requested_authn_context
    assert context.comparison == "minimum"
    assert [ref.text for ref in context.authn_context_class_ref] == [
        "https://www.spid.gov.it/SpidL2"
    ]


def test_the_metadata_lists_the_endpoint_the_key_and_the_attributes(client, providers):
    response = client.get("/identita/metadata/")
    assert response.status_code == 200
    xml = response.content.decode()
    assert f'entityID="{BASE}/identita/metadata/"' in xml
    assert f'Location="{BASE}/identita/acs/"' in xml
    assert 'AuthnRequestsSigned="true"' in xml
    assert 'WantAssertionsSigned="true"' in xml
    for name in ("name", "familyName", "fiscalNumber", "dateOfBirth", "email"):
        assert f'Name="{name}"' in xml
    assert "X509Certificate" in xml
    assert "cmto_test</" in xml
    assert "Public" in xml
    assert "<ds:SignatureValue>" in xml or "SignatureValue>" in xml


def test_identity_sign_in_is_absent_until_configured(client):
    assert client.get("/identita/metadata/").status_code == 404
    assert client.get("/identita/entra/").status_code == 404
    assert client.post("/identita/acs/", {"SAMLResponse": "x"}).status_code == 404
    assert "Entra con SPID" not in client.get("/account/login/").content.decode()


def test_the_login_page_shows_both_buttons(client, providers):
    page = client.get("/account/login/").content.decode()
    assert "Entra con SPID" in page
    assert "Entra con CIE" in page
    assert "Gestore di prova SPID" in page
    # The SPID menu shows the provider's logo from its metadata (mdui:Logo).
    assert f'src="{idp.TEST_LOGO}"' in page


def test_the_spid_menu_takes_logos_from_the_settings_or_shows_the_initial(
    client, providers, settings
):
    # Both test providers in the SPID menu: the CIE one has no logo in its metadata.
    settings.SPID_IDP_METADATA_FILES = [
        *settings.SPID_IDP_METADATA_FILES,
        *settings.CIE_IDP_METADATA_FILES,
    ]
    settings.SPID_IDP_LOGOS = {providers["spid"]: "/static/img/identity/spid.svg"}
    page = client.get("/identita/spid/").content.decode()
    assert 'src="/static/img/identity/spid.svg"' in page
    assert idp.TEST_LOGO not in page
    assert 'psm-idp-initial" aria-hidden="true">G</span>' in page
    assert page.count("psm-idp-item") == 2


def test_a_second_sign_in_finds_the_same_account_by_fiscal_number(client, providers):
    mario = idp.people()["mario"]
    _finish(client, idp.answer(BASE, "spid", _start(client, providers), person=mario))
    client.logout()
    # Same person through CIE, with another e-mail: the same account.
    changed = idp.Person(**{**mario.__dict__, "email": "altro@example.org"})
    response = _finish(
        client, idp.answer(BASE, "cie", _start(client, providers, "cie"), person=changed)
    )
    assert response.status_code == 302
    assert User.objects.count() == 1
    assert User.objects.get().identity_provider == IdentityProvider.CIE


def test_a_cie_holder_aged_16_signs_in_like_an_adult(client, providers):
    giulia = idp.people()["giulia"]
    query = _start(client, providers, "cie")
    assert _finish(client, idp.answer(BASE, "cie", query, person=giulia)).status_code == 302
    assert User.objects.get(email=giulia.email).age_on(timezone.localdate()) == 16


def test_under_14s_get_no_account(client, providers):
    luca = idp.people()["luca"]
    response = _finish(
        client, idp.answer(BASE, "cie", _start(client, providers, "cie"), person=luca)
    )
    assert response.status_code == 403
    assert "laboratori in presenza" in html.unescape(response.content.decode())
    assert not User.objects.exists()


def test_an_existing_email_account_is_not_taken_over(client, providers, django_user_model):
    mario = idp.people()["mario"]
    django_user_model.objects.create_user(email=mario.email, password="x", display_name="M")
    response = _finish(client, idp.answer(BASE, "spid", _start(client, providers), person=mario))
    assert response.status_code == 403
    assert "collega SPID o CIE dal tuo profilo" in html.unescape(response.content.decode())
    assert not User.objects.get(email=mario.email).identity_verified


def test_signed_in_the_identity_is_linked_to_the_account(client, providers, django_user_model):
    mario = idp.people()["mario"]
    user = django_user_model.objects.create_user(
        email="mio@example.org", password="x", display_name="Mar", birth_date="2000-01-01"
    )
    client.force_login(user)
    query = _start(client, providers)
    client.cookies.pop("sessionid")  # the provider's cross-site POST carries no session cookie
    response = _finish(client, idp.answer(BASE, "spid", query, person=mario))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.identity_verified
    assert user.birth_date == mario.birth_date
    assert user.email == "mio@example.org"
    assert User.objects.count() == 1


# --------------------------------------------------------------------------- refusals
def _refused(client, answer):
    response = _finish(client, answer)
    assert response.status_code in (400, 403)
    assert "_auth_user_id" not in client.session
    assert not User.objects.exists()
    return html.unescape(response.content.decode())


def test_cancelled_at_the_provider(client, providers):
    page = _refused(client, idp.answer(BASE, "spid", _start(client, providers), person=None))
    assert "Hai annullato l'accesso" in page


def test_expired_response(client, providers):
    answer = idp.answer(BASE, "spid", _start(client, providers), person=idp.people()["mario"])
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=30)):
        page = _refused(client, answer)
    assert "scaduta" in page


def test_response_for_another_service(client, providers):
    answer = idp.answer(
        BASE,
        "spid",
        _start(client, providers),
        person=idp.people()["mario"],
        audience=idp.OTHER_SERVICE,
    )
    _refused(client, answer)


def test_tampered_response(client, providers):
    answer = idp.answer(
        BASE, "spid", _start(client, providers), person=idp.people()["mario"], tamper=True
    )
    assert "Impostore" in __import__("base64").b64decode(answer.saml_response).decode()
    _refused(client, answer)


def test_level_below_the_one_asked_for(client, providers):
    answer = idp.answer(
        BASE, "spid", _start(client, providers), person=idp.people()["mario"], level=1
    )
    _refused(client, answer)


def test_unsolicited_response(client, providers):
    answer = idp.answer(BASE, "spid", _start(client, providers), person=idp.people()["mario"])
    client.cookies.pop("psm_saml")  # not the browser that asked
    _refused(client, answer)


def test_replayed_response(client, providers):
    answer = idp.answer(BASE, "spid", _start(client, providers), person=idp.people()["mario"])
    assert _finish(client, answer).status_code == 302
    client.logout()
    response = _finish(client, answer)
    assert response.status_code in (400, 403)
    assert "_auth_user_id" not in client.session


def test_an_identity_account_is_deleted_by_typing_its_email_and_can_sign_up_again(
    client, providers
):
    mario = idp.people()["mario"]
    _finish(client, idp.answer(BASE, "spid", _start(client, providers), person=mario))
    first = User.objects.get(email=mario.email)
    client.handler.enforce_csrf_checks = False  # our own forms from here
    assert (
        client.post("/profilo/elimina/", {"password": "sbagliata@example.org"}).status_code == 200
    )
    assert client.post("/profilo/elimina/", {"password": mario.email}).status_code == 302
    first.refresh_from_db()
    assert first.is_removed
    assert first.fiscal_number_hash is None
    assert first.birth_date is None
    assert not first.identity_verified
    _finish(client, idp.answer(BASE, "spid", _start(client, providers), person=mario))
    assert User.objects.get(email=mario.email).pk != first.pk


def test_the_verified_birth_date_cannot_be_edited(client, providers):
    mario = idp.people()["mario"]
    _finish(client, idp.answer(BASE, "spid", _start(client, providers), person=mario))
    user = User.objects.get(email=mario.email)
    client.handler.enforce_csrf_checks = False  # our own form from here
    torino = "001272"
    response = client.post(
        "/profilo/modifica/",
        {
            "display_name": "Mario",
            "comune_choice": torino,
            "gender": "",
            "birth_date": "2015-01-01",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.birth_date == mario.birth_date
    assert user.comune_id == torino


def test_the_identity_routes_load_their_views_on_first_use_with_the_same_csrf_rule():
    """The URL conf names each identity view through a loader (pysaml2 stays out of a web
    worker until an identity route is asked for): the CSRF exemption the middleware reads from
    the route must be the real view's own."""
    from accounts.spid import urls

    for pattern in urls.urlpatterns:
        real = pattern.callback.load()
        assert pattern.callback.csrf_exempt == getattr(real, "csrf_exempt", False), pattern.name
