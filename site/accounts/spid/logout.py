"""Single logout (SLO) with SPID and CIE, as AgID asks of service providers.

- **From us** ("Esci", ``accounts.logout``): when the session came from SPID or CIE, the
  local session ends and the browser takes a signed LogoutRequest (HTTP-Redirect, RSA-SHA256)
  to the identity provider, whose LogoutResponse comes back to :func:`single_logout_service`.
- **From the identity provider** (the person left another service, or the provider itself):
  its LogoutRequest arrives at :func:`single_logout_service`; we end the local session and
  answer with a signed LogoutResponse.

Every message from a provider must be signed by that provider (its key from the configured
metadata) with an algorithm of ``SIGNING_ALGORITHMS``: with HTTP-Redirect in the query string,
with HTTP-POST in the XML. pysaml2 does not insist on signed logout messages on the service
provider's side, so the check is here (:func:`_verified`). Whatever arrives, valid or not, the
local session ends: on a shared computer an open session is the worse failure.
"""

from __future__ import annotations

import base64
import contextlib
import logging

import saml2
from django.contrib import auth, messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from djangosaml2.cache import IdentityCache, StateCache
from djangosaml2.conf import get_config
from djangosaml2.utils import get_location
from saml2 import samlp
from saml2.client import Saml2Client
from saml2.ident import decode
from saml2.s_utils import error_status_factory, success_status_factory
from saml2.sigver import (
    SIGNER_ALGS,
    extract_rsa_key_from_x509_cert,
    pem_format,
    verify_redirect_signature,
)

from accounts.adapters import AccountAdapter
from accounts.logout import clear_site_storage
from accounts.spid.config import (
    DIGEST_ALGORITHMS,
    SIGNING_ALGORITHMS,
    identity_sign_in_enabled,
    provider_kind,
)

logger = logging.getLogger(__name__)

#: In the Django session: the identity provider the person signed in with (set by the
#: assertion consumer service). "Esci" starts a single logout only when it is there.
IDENTITY_SESSION_KEY = "psm_identity_issuer"
#: Where djangosaml2's assertion consumer service keeps the NameID, in the SAML session.
SUBJECT_KEY = "_saml2_subject_id"
REDIRECT, POST = saml2.BINDING_HTTP_REDIRECT, saml2.BINDING_HTTP_POST


class LogoutRefused(Exception):
    """A logout message we do not accept (unsigned, badly signed, unknown issuer, unsolicited)."""


class SpidClient(Saml2Client):
    """pysaml2's client whose Issuer carries the NameQualifier SPID's profile asks for in
    logout messages (as in our AuthnRequest)."""

    def _issuer(self, entityid=None):
        issuer = super()._issuer(entityid)
        issuer.name_qualifier = issuer.text
        return issuer


def _client(request) -> tuple[StateCache, Saml2Client]:
    state = StateCache(request.saml_session)
    client = SpidClient(
        get_config(None, request),
        state_cache=state,
        identity_cache=IdentityCache(request.saml_session),
    )
    return state, client


def _subject(request):
    stored = request.saml_session.get(SUBJECT_KEY)
    return decode(stored) if stored else None


def start_logout(request) -> HttpResponse | None:
    """The redirect that takes a signed LogoutRequest to the identity provider of this
    session, or None when the session did not come from SPID or CIE or the provider offers
    no single logout by HTTP-Redirect. Call it before the local logout."""
    if not identity_sign_in_enabled() or not request.session.get(IDENTITY_SESSION_KEY):
        return None
    subject = _subject(request)
    if subject is None:
        return None
    state, client = _client(request)
    try:
        result = client.global_logout(
            subject, sign=True, sign_alg=SIGNING_ALGORITHMS[0], digest_alg=DIGEST_ALGORITHMS[0]
        )
    except Exception:  # no SLO in the provider's metadata, an unsupported binding
        logger.warning("Single logout not started", exc_info=True)
        result = {}
    request.saml_session.pop(SUBJECT_KEY, None)
    sent = result.values() if isinstance(result, dict) else ()
    for binding, http_info in (v for v in sent if isinstance(v, tuple)):
        if binding == REDIRECT:
            state.sync()
            return HttpResponseRedirect(get_location(http_info))
    with contextlib.suppress(KeyError):  # not in the identity cache any more
        client.local_logout(subject)
    state.sync()
    return None


def _signature_algorithms_ok(message) -> bool:
    signature = message.signature
    if signature is None:
        return False
    signed_info = signature.signed_info
    return signed_info.signature_method.algorithm in SIGNING_ALGORITHMS and all(
        reference.digest_method.algorithm in DIGEST_ALGORITHMS
        for reference in signed_info.reference
    )


def _raw_signed_part(raw_query: str, field: str) -> bytes:
    """What a Redirect-binding signature covers, as the provider encoded it (SAML bindings
    3.4.4.1: the URL-encoded values as sent, in the order message, RelayState, SigAlg)."""
    raw = dict(part.split("=", 1) for part in raw_query.split("&") if "=" in part)
    keys = (field, "RelayState", "SigAlg")
    return "&".join(f"{key}={raw[key]}" for key in keys if key in raw).encode("ascii", "replace")


def _redirect_signature_ok(client: Saml2Client, signed: dict, raw_query: str, cert) -> bool:
    """The query's signature checked over the raw query, then (a provider that encodes the
    values differently from us) over pysaml2's re-encoding of them."""
    field = "SAMLResponse" if "SAMLResponse" in signed else "SAMLRequest"
    signer = SIGNER_ALGS[signed["SigAlg"]]
    key = extract_rsa_key_from_x509_cert(pem_format(cert))
    signature = base64.b64decode(signed["Signature"])
    if signer.verify(_raw_signed_part(raw_query, field), signature, key):
        return True
    return bool(verify_redirect_signature(signed, client.sec.sec_backend, cert))


def _verified(client: Saml2Client, data, binding: str, field: str, msgtype: str, raw_query=""):
    """The logout message in ``data[field]`` if one of our identity providers signed it with
    an allowed algorithm; LogoutRefused otherwise."""
    try:
        xml = client.unravel(data[field], binding, msgtype)
        message = getattr(samlp, f"{msgtype}_from_string")(xml)
    except Exception as error:
        raise LogoutRefused("not a SAML message") from error
    issuer = message.issuer.text.strip() if message and message.issuer is not None else ""
    if provider_kind(issuer) is None:
        raise LogoutRefused(f"unknown issuer {issuer!r}")
    if binding == REDIRECT:
        signed = {key: data[key] for key in (field, "RelayState", "SigAlg") if key in data}
        if signed.get("SigAlg") not in SIGNING_ALGORITHMS or not data.get("Signature"):
            raise LogoutRefused("unsigned or weak algorithm")
        signed["Signature"] = data["Signature"]
        certs = client.metadata.certs(issuer, "idpsso", "signing")
        try:
            ok = any(_redirect_signature_ok(client, signed, raw_query, c) for _, c in certs)
        except Exception as error:
            raise LogoutRefused("bad signature") from error
        if not ok:
            raise LogoutRefused("bad signature")
    else:
        if not _signature_algorithms_ok(message):
            raise LogoutRefused("unsigned or weak algorithm")
        try:
            getattr(client.sec, f"correctly_signed_{msgtype}")(xml, must=True, origdoc=data[field])
        except Exception as error:
            raise LogoutRefused("bad signature") from error
    return message


def _raw_query(request) -> str:
    return request.META.get("QUERY_STRING", "")


def _after_logout(request) -> str:
    """Where allauth's own sign-out sends people (this app's adapter, named directly)."""
    return AccountAdapter(request).get_logout_redirect_url(request)


def _end_local_session(request) -> None:
    auth.logout(request)
    request.saml_session.pop(SUBJECT_KEY, None)


@csrf_exempt  # the identity provider's messages carry no token; they are signed instead
@require_http_methods(["GET", "POST"])
def single_logout_service(request):
    """Our SingleLogoutService (HTTP-Redirect and HTTP-POST): the provider's LogoutResponse to
    our request, or its own LogoutRequest."""
    if not identity_sign_in_enabled():
        raise Http404
    binding, data = (POST, request.POST) if request.method == "POST" else (REDIRECT, request.GET)
    if "SAMLResponse" in data:
        return _logout_response(request, data, binding)
    if "SAMLRequest" in data:
        return _logout_request(request, data, binding)
    return HttpResponseBadRequest()


def _refused(request, reason: str) -> HttpResponse:
    page = render(request, "accounts/identity_logout_error.html", {"reason": reason}, status=400)
    return clear_site_storage(page)


def _logout_response(request, data, binding: str) -> HttpResponse:
    _end_local_session(request)
    state, client = _client(request)
    try:
        _verified(client, data, binding, "SAMLResponse", "logout_response", _raw_query(request))
        response = client.parse_logout_request_response(data["SAMLResponse"], binding)
        if response is None:
            raise LogoutRefused("empty response")
        client.handle_logout_response(response)  # KeyError: not an answer to our request
    except Exception as error:
        logger.warning("Logout response refused: %s", error)
        state.sync()
        return _refused(
            request,
            _(
                "Il gestore dell'identità ha risposto con un messaggio non valido (firma "
                "mancante o non valida): non possiamo confermare che la sessione presso di "
                "lui sia chiusa. Per sicurezza chiudi il browser."
            ),
        )
    state.sync()
    messages.success(request, _("Hai chiuso la sessione qui e presso il gestore dell'identità."))
    return clear_site_storage(HttpResponseRedirect(_after_logout(request)))


def _logout_request(request, data, binding: str) -> HttpResponse:
    subject = _subject(request)
    _end_local_session(request)
    state, client = _client(request)
    try:
        _verified(client, data, binding, "SAMLRequest", "logout_request", _raw_query(request))
        logout = client.parse_logout_request(data["SAMLRequest"], binding)  # destination, time
        if logout is None:
            raise LogoutRefused("empty request")
    except Exception as error:
        logger.warning("Logout request refused: %s", error)
        return _refused(
            request,
            _(
                "Il gestore dell'identità ha chiesto di chiudere la sessione con un messaggio "
                "non valido. La sessione su questo sito è chiusa comunque."
            ),
        )
    if subject is not None and logout.message.name_id == subject:
        client.local_logout(subject)
        status = success_status_factory()
    else:
        status = error_status_factory((samlp.STATUS_UNKNOWN_PRINCIPAL, "Sessione non trovata"))
    answer = client.create_logout_response(
        logout.message, bindings=[REDIRECT], status=status, sign=False
    )
    destination = client.response_args(logout.message, [REDIRECT])["destination"]
    http_info = client.apply_binding(
        REDIRECT,
        str(answer),
        destination,
        data.get("RelayState"),
        response=True,
        sign=True,
        sigalg=SIGNING_ALGORITHMS[0],
    )
    state.sync()
    return clear_site_storage(HttpResponseRedirect(get_location(http_info)))
