"""Single logout with SPID and CIE against the local test identity provider, and the
algorithms our metadata advertises (AgID: RSA-SHA256 or stronger, SHA-2 digests)."""

import html
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
import saml2
from django.test import Client
from saml2.sigver import verify_redirect_signature

from accounts.spid.config import DIGEST_ALGORITHMS, SIGNING_ALGORITHMS
from tests.identity_provider import idp

pytestmark = pytest.mark.django_db
BASE = "http://testserver"
REFUSED = "messaggio non valido"


@pytest.fixture
def client():
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def providers(settings, tmp_path):
    return idp.enable(settings, tmp_path, BASE)


def _query(url: str) -> dict:
    return dict(parse_qsl(urlsplit(url).query))


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def _sign_in(client, kind="spid"):
    response = client.get(
        "/identita/entra/", {"idp": idp.entity_id(BASE, kind), "next": "/profilo/"}
    )
    answer = idp.answer(BASE, kind, _query(response["Location"]), person=idp.people()["mario"])
    response = client.post(
        "/identita/acs/", {"SAMLResponse": answer.saml_response, "RelayState": answer.relay_state}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    return answer


def _esci(client):
    client.get("/profilo/")  # the header's "Esci" form, and its CSRF cookie
    return client.post(
        "/account/logout/", {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    )


def test_metadata_advertises_only_the_algorithms_agid_allows(client, providers):
    xml = client.get("/identita/metadata/").content.decode()
    advertised = set(
        re.findall(r'(?:SigningMethod|DigestMethod|SignatureMethod) Algorithm="([^"]+)"', xml)
    )
    assert advertised, xml[:500]
    assert advertised <= {*SIGNING_ALGORITHMS, *DIGEST_ALGORITHMS}
    for weak in ("sha1", "md5", "ripemd160", "sha224", "dsa-", "hmac"):
        assert weak not in " ".join(advertised)
    assert "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" in advertised
    for binding in (saml2.BINDING_HTTP_REDIRECT, saml2.BINDING_HTTP_POST):
        assert re.search(
            rf'SingleLogoutService Binding="{binding}" Location="{BASE}/identita/sls/"', xml
        ), binding


def test_esci_after_spid_ends_the_session_here_and_at_the_provider(client, providers):
    answer = _sign_in(client)
    response = _esci(client)
    assert response.status_code == 302
    assert response["Location"].startswith(idp.slo_url(BASE, "spid") + "?")
    assert response["Clear-Site-Data"] == '"storage"'
    assert "_auth_user_id" not in client.session  # ended here at once
    query = _query(response["Location"])
    assert query["SigAlg"] == SIGNING_ALGORITHMS[0]
    request = idp.parse_logout_request(idp.server(BASE, "spid"), query)  # signature checked
    message = request.message
    assert message.issuer.text == message.issuer.name_qualifier == f"{BASE}/identita/metadata/"
    assert message.issuer.format.endswith(":entity")
    assert message.name_id == answer.name_id
    assert message.session_index

    back = client.get(_path(idp.logout_answer(BASE, "spid", query)))
    assert back.status_code == 302
    assert back["Location"] == "/"
    page = html.unescape(client.get("/").content.decode())
    assert "Hai chiuso la sessione qui e presso il gestore dell'identità." in page


def test_esci_after_a_password_sign_in_stays_local(client, providers, django_user_model):
    user = django_user_model.objects.create_user(email="a@example.org", password="x")
    client.force_login(user)
    response = _esci(client)
    assert response.status_code == 302
    assert "idp-di-prova" not in response["Location"]
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("binding", "sign", "tamper"),
    [
        (saml2.BINDING_HTTP_REDIRECT, False, False),
        (saml2.BINDING_HTTP_REDIRECT, True, True),
        (saml2.BINDING_HTTP_POST, False, False),
        (saml2.BINDING_HTTP_POST, True, True),
    ],
    ids=["redirect-unsigned", "redirect-tampered", "post-unsigned", "post-tampered"],
)
def test_a_bad_logout_response_is_explained_and_the_session_stays_ended(
    client, providers, binding, sign, tamper
):
    _sign_in(client)
    query = _query(_esci(client)["Location"])
    answer = idp.logout_answer(BASE, "spid", query, binding=binding, sign=sign, tamper=tamper)
    if binding == saml2.BINDING_HTTP_POST:
        response = client.post("/identita/sls/", answer)
    else:
        response = client.get(_path(answer))
    assert response.status_code == 400
    assert REFUSED in html.unescape(response.content.decode())
    assert "_auth_user_id" not in client.session


def test_a_signed_logout_response_by_post_is_accepted(client, providers):
    _sign_in(client, "cie")
    query = _query(_esci(client)["Location"])
    answer = idp.logout_answer(BASE, "cie", query, binding=saml2.BINDING_HTTP_POST)
    response = client.post("/identita/sls/", answer)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_logout_response_nobody_asked_for_is_refused(client, providers):
    _sign_in(client)
    query = _query(_esci(client)["Location"])
    url = idp.logout_answer(BASE, "spid", query)
    assert client.get(_path(url)).status_code == 302
    assert client.get(_path(url)).status_code == 400  # replayed


def test_the_provider_ends_the_session_with_a_signed_logout_request(client, providers):
    answer = _sign_in(client)
    response = client.get(_path(idp.logout_request(BASE, "spid", answer.name_id)))
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert response["Location"].startswith(idp.slo_url(BASE, "spid") + "?")
    query = _query(response["Location"])
    assert query["SigAlg"] == SIGNING_ALGORITHMS[0]
    server = idp.server(BASE, "spid")
    cert = server.metadata.certs(f"{BASE}/identita/metadata/", "spsso", "signing")[0][1]
    assert verify_redirect_signature(query, server.sec.sec_backend, cert)
    logout_response = server.parse_logout_request_response(
        query["SAMLResponse"], saml2.BINDING_HTTP_REDIRECT
    )
    assert logout_response.status_ok()


@pytest.mark.parametrize(
    ("sign", "tamper"), [(False, False), (True, True)], ids=["unsigned", "tampered"]
)
def test_a_bad_logout_request_gets_no_answer_and_still_ends_the_session(
    client, providers, sign, tamper
):
    answer = _sign_in(client)
    url = idp.logout_request(BASE, "spid", answer.name_id, sign=sign, tamper=tamper)
    response = client.get(_path(url))
    assert response.status_code == 400
    assert REFUSED in html.unescape(response.content.decode())
    assert "_auth_user_id" not in client.session
