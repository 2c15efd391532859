"""The authentication backend behind the assertion consumer service: a validated SAML assertion
from a configured SPID or CIE identity provider signs the person in (``identity_sign_in``)."""

from __future__ import annotations

import datetime
import re

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.identity import VerifiedIdentity, identity_sign_in
from accounts.models import User
from accounts.spid.config import provider_kind

#: Where the assertion consumer service keeps the refusal's reason for the error page
#: (``django.contrib.auth.authenticate`` turns a backend's PermissionDenied into None).
REFUSAL_ATTRIBUTE = "identity_refusal"
#: The account that started the exchange to link an identity (``accounts.spid.views``).
LINK_SESSION_KEY = "psm_identity_link_user"

FISCAL_NUMBER = re.compile(r"^(TINIT-)?([A-Z0-9]{16}|[0-9]{11})$")


def _first(ava: dict, name: str) -> str:
    values = ava.get(name) or []
    return str(values[0]).strip() if values else ""


def identity_from_session_info(session_info: dict) -> VerifiedIdentity:
    """The verified attributes of a validated assertion, or PermissionDenied when the issuer
    is not one of ours or an attribute we need is missing or malformed."""
    issuer = session_info.get("issuer") or ""
    kind = provider_kind(issuer)
    if kind is None:
        raise PermissionDenied(_("Il gestore dell'identità non è tra quelli riconosciuti."))
    ava = session_info.get("ava") or {}
    fiscal_number = _first(ava, "fiscalNumber").upper()
    first_name, last_name = _first(ava, "name"), _first(ava, "familyName")
    try:
        birth_date = datetime.date.fromisoformat(_first(ava, "dateOfBirth"))
    except ValueError:
        birth_date = None
    if not FISCAL_NUMBER.match(fiscal_number) or not first_name or birth_date is None:
        raise PermissionDenied(
            _("Il gestore dell'identità non ha inviato nome, data di nascita e codice fiscale.")
        )
    return VerifiedIdentity(
        provider=kind,
        issuer=issuer,
        fiscal_number=fiscal_number,
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        email=_first(ava, "email"),
    )


class IdentityBackend(ModelBackend):
    """Authenticates only with ``session_info`` (djangosaml2's ACS passes it); passwords go
    to the other backends."""

    def authenticate(self, request, session_info=None, **kwargs):
        if session_info is None or request is None:
            return None
        try:
            identity = identity_from_session_info(session_info)
            user = identity_sign_in(identity=identity, signed_in=_linking_user(request))
        except PermissionDenied as refusal:
            setattr(request, REFUSAL_ATTRIBUTE, str(refusal))
            raise
        return user if self.user_can_authenticate(user) else None


def _linking_user(request) -> User | None:
    pk = request.saml_session.get(LINK_SESSION_KEY)
    if pk is None:
        return None
    return User.objects.filter(pk=pk, is_active=True).first()
