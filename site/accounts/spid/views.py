"""SPID and CIE sign-in: the service provider's metadata, the authentication request with
SPID's profile (level, attributes, signed, HTTP-Redirect) and the assertion consumer service,
on djangosaml2's views. All of them answer 404 while identity sign-in is off."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from djangosaml2.views import AssertionConsumerServiceView, LoginView
from saml2.response import (
    SignatureError,
    StatusAuthnFailed,
    StatusError,
    StatusRequestDenied,
)
from saml2.saml import NAMEID_FORMAT_ENTITY, Issuer
from saml2.validate import ResponseLifetimeExceed, ToEarly

from accounts.models import IdentityProvider
from accounts.spid.backend import LINK_SESSION_KEY, REFUSAL_ATTRIBUTE
from accounts.spid.config import (
    SPID_LEVELS,
    identity_sign_in_enabled,
    provider_kind,
    signed_metadata,
    sp_entity_id,
    spid_menu,
)
from accounts.spid.logout import IDENTITY_SESSION_KEY


def _enabled_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not identity_sign_in_enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@_enabled_only
def metadata(request):
    """The service provider's metadata, with SPID's contact extensions, signed with our key
    (what AgID and the CIE federation register)."""
    return HttpResponse(
        signed_metadata(), content_type="application/samlmetadata+xml; charset=utf-8"
    )


@require_GET
@_enabled_only
def spid_providers(request):
    """The SPID identity providers as a page: where the "Entra con SPID" button leads
    without JavaScript (with it, the same list opens as a menu)."""
    return render(
        request,
        "accounts/identity_providers.html",
        {"spid_providers": spid_menu(), "next": _next(request)},
    )


def _next(request) -> str:
    return request.GET.get("next", "")


class IdentityLoginView(LoginView):
    """Sends the person to the chosen identity provider with a signed AuthnRequest: SPID's
    level (``SPID_LEVEL``, comparison "minimum", ForceAuthn above level 1), the attribute set
    of AttributeConsumingService 0, an Issuer with its NameQualifier. Someone already signed
    in links the identity to their account."""

    def get(self, request, *args, **kwargs):
        if not identity_sign_in_enabled():
            raise Http404
        if provider_kind(request.GET.get("idp", "")) is None:
            return redirect("identity:spid_providers")
        if request.user.is_authenticated:
            request.saml_session[LINK_SESSION_KEY] = request.user.pk
        else:
            request.saml_session.pop(LINK_SESSION_KEY, None)
        return super().get(request, *args, **kwargs)

    def should_prevent_auth(self, request) -> bool:
        return False  # signed in: the identity is linked to the account

    def load_sso_kwargs(self, sso_kwargs):
        entity_id = sp_entity_id()
        sso_kwargs["issuer"] = Issuer(
            text=entity_id, format=NAMEID_FORMAT_ENTITY, name_qualifier=entity_id
        )
        sso_kwargs["attribute_consuming_service_index"] = "0"


@method_decorator(csrf_exempt, name="dispatch")  # the identity provider's POST has no token
class IdentityAssertionConsumerView(AssertionConsumerServiceView):
    """Validates the identity provider's response (pysaml2: signatures, audience, validity
    window, InResponseTo of a request we sent, destination; here: the SPID level reached)
    and signs the person in through ``accounts.spid.backend.IdentityBackend``."""

    def dispatch(self, request, *args, **kwargs):
        if not identity_sign_in_enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def custom_validation(self, response):
        reached = {
            statement.authn_context.authn_context_class_ref.text.strip()
            for statement in response.assertion.authn_statement
            if statement.authn_context and statement.authn_context.authn_context_class_ref
        }
        levels = {uri: level for level, uri in SPID_LEVELS.items()}
        if not any(levels.get(uri, 0) >= settings.SPID_LEVEL for uri in reached):
            raise ValueError(f"SPID level below {settings.SPID_LEVEL}: {sorted(reached)}")

    def handle_acs_failure(self, request, exception=None, status=403, **kwargs):
        request.saml_session.pop(LINK_SESSION_KEY, None)
        reason = getattr(request, REFUSAL_ATTRIBUTE, None) or _failure_reason(exception)
        return render(request, "accounts/identity_error.html", {"reason": reason}, status=status)

    def post_login_hook(self, request, user, session_info):
        # "Esci" then ends the provider's session too (accounts/spid/logout.py).
        request.session[IDENTITY_SESSION_KEY] = session_info["issuer"]
        linking = request.saml_session.pop(LINK_SESSION_KEY, None) is not None
        kind = IdentityProvider(user.identity_provider).label
        if linking:
            messages.success(request, _("%(kind)s collegata al tuo account.") % {"kind": kind})
        else:
            messages.success(request, _("Hai effettuato l'accesso con %(kind)s.") % {"kind": kind})


def _failure_reason(exception) -> str:
    if isinstance(exception, (StatusRequestDenied, StatusAuthnFailed)) or (
        isinstance(exception, StatusError) and "nr22" in str(exception)
    ):
        return _("Hai annullato l'accesso, oppure il gestore dell'identità non l'ha concesso.")
    if isinstance(exception, (ResponseLifetimeExceed, ToEarly)):
        return _("La risposta del gestore dell'identità è scaduta: riprova.")
    if isinstance(exception, SignatureError):
        return _("La firma della risposta del gestore dell'identità non è valida.")
    return _("La risposta del gestore dell'identità non è valida: riprova.")
