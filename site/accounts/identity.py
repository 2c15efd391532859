"""Verified identity (SPID, CIE) and confirmed residence: the writes behind them.

- :func:`identity_sign_in` turns the attributes of a validated SAML assertion
  (``accounts.spid``) into a signed-in account: found by the fiscal number's keyed hash, linked
  to the account of whoever is already signed in, or created with the verified attributes.
  The fiscal number itself is never stored: only ``HMAC-SHA256(FISCAL_NUMBER_HMAC_KEY, code)``.
- :func:`residence_confirm` records that an official saw a document of residence;
  :func:`residence_declare` is the one way a person changes their comune, and drops a
  confirmation that no longer matches. Both leave a :class:`ResidenceCheck` row.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import IdentityProvider, ResidenceCheck, Role, User, age_on
from territory.models import Comune

FISCAL_NUMBER_PREFIX = "TINIT-"


def fiscal_number_hash(fiscal_number: str) -> str:
    """The keyed hash an account is found by. SPID sends ``TINIT-<code>``; CIE the same;
    the prefix, spaces and case do not change the hash."""
    key = getattr(settings, "FISCAL_NUMBER_HMAC_KEY", "")
    if not key:
        raise ImproperlyConfigured("FISCAL_NUMBER_HMAC_KEY is not set")
    code = fiscal_number.strip().upper()
    code = code.removeprefix(FISCAL_NUMBER_PREFIX).replace(" ", "")
    return hmac.new(key.encode(), code.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class VerifiedIdentity:
    """What a validated SPID or CIE assertion says about the person."""

    provider: IdentityProvider
    issuer: str
    fiscal_number: str
    first_name: str
    last_name: str
    birth_date: date
    email: str = ""


def _refuse_if_too_young(birth_date: date) -> None:
    minimum = settings.ACCOUNT_MINIMUM_AGE
    if age_on(birth_date, timezone.localdate()) < minimum:
        raise PermissionDenied(
            _(
                "Per avere un account servono almeno %(age)s anni. Puoi comunque partecipare "
                "ai laboratori in presenza, dove si vota dal telefono senza account."
            )
            % {"age": minimum}
        )


def _apply_verified(user: User, identity: VerifiedIdentity, digest: str) -> None:
    user.fiscal_number_hash = digest
    user.identity_provider = identity.provider
    user.identity_issuer = identity.issuer[:255]
    user.identity_verified_at = timezone.now()
    user.first_name = identity.first_name[:150]
    user.last_name = identity.last_name[:150]
    user.birth_date = identity.birth_date


@transaction.atomic
def identity_sign_in(*, identity: VerifiedIdentity, signed_in: User | None = None) -> User:
    """The account ``identity`` signs in to, its verified attributes refreshed.

    Someone already signed in links the identity to their own account. Otherwise the account
    holding the same fiscal number is used, or a new one is created; an existing account with
    the same e-mail but no identity is never taken over: its owner signs in with the password
    and links the identity from there. Refusals are ``PermissionDenied`` with the reason."""
    _refuse_if_too_young(identity.birth_date)
    digest = fiscal_number_hash(identity.fiscal_number)
    holder = User.objects.select_for_update().filter(fiscal_number_hash=digest).first()
    if signed_in is not None and signed_in.is_authenticated:
        if holder is not None and holder.pk != signed_in.pk:
            raise PermissionDenied(
                _("Questa identità digitale è già collegata a un altro account.")
            )
        user = User.objects.select_for_update().get(pk=signed_in.pk)
        if user.fiscal_number_hash and user.fiscal_number_hash != digest:
            raise PermissionDenied(
                _("Il tuo account è già collegato a un'altra identità digitale.")
            )
    elif holder is not None:
        user = holder
        if not user.is_active:
            raise PermissionDenied(_("Il tuo account non è attivo."))
    else:
        user = _create_from_identity(identity)
    _apply_verified(user, identity, digest)
    user.save()
    return user


def _create_from_identity(identity: VerifiedIdentity) -> User:
    email = User.objects.normalize_email(identity.email or "").lower()
    if not email:
        raise PermissionDenied(
            _(
                "Il gestore dell'identità non ci ha comunicato un indirizzo e-mail. Iscriviti "
                "con l'e-mail e poi collega SPID o CIE dal tuo profilo."
            )
        )
    if User.objects.filter(email__iexact=email).exists():
        raise PermissionDenied(
            _(
                "Esiste già un account con l'e-mail %(email)s. Accedi con la password e "
                "collega SPID o CIE dal tuo profilo."
            )
            % {"email": email}
        )
    user = User(
        email=email,
        display_name=identity.first_name[:60],
        privacy_notice_version=settings.PRIVACY_NOTICE_VERSION,
        privacy_accepted_at=timezone.now(),
    )
    user.set_unusable_password()
    user.save()
    # The identity provider checked the address: no confirmation e-mail is needed.
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


# --------------------------------------------------------------------------- residence
def may_confirm_residence(user) -> bool:
    """Facilitators (and superusers) confirm residences, at workshops and offices."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.has_role(Role.FACILITATOR)


@transaction.atomic
def residence_confirm(
    *, person: User, comune: Comune, official: User, place: str, document: str = ""
) -> ResidenceCheck:
    """``official`` saw a document placing ``person`` in ``comune``: the comune becomes the
    person's residence, confirmed, with an audit row."""
    if not may_confirm_residence(official):
        raise PermissionDenied(_("Solo chi facilita può confermare una residenza."))
    if official.pk == person.pk:
        raise PermissionDenied(_("Non puoi confermare la tua residenza da solo/a."))
    if not person.is_active or person.is_removed:
        raise ValidationError(_("Questo account non è attivo."))
    if not place.strip():
        raise ValidationError(_("Indica il laboratorio o lo sportello."))
    person = User.objects.select_for_update().get(pk=person.pk)
    now = timezone.now()
    person.comune = comune
    person.lives_outside_area = False
    person.residence_confirmed_comune = comune
    person.residence_confirmed_at = now
    person.residence_confirmed_by = official
    person.save(
        update_fields=[
            "comune",
            "lives_outside_area",
            "residence_confirmed_comune",
            "residence_confirmed_at",
            "residence_confirmed_by",
        ]
    )
    return ResidenceCheck.objects.create(
        user=person,
        comune=comune,
        outcome=ResidenceCheck.Outcome.CONFIRMED,
        official=official,
        place=place.strip()[:200],
        document=document.strip()[:100],
    )


def residence_declare(*, user: User, comune: Comune | None, lives_outside_area: bool) -> None:
    """The person's own comune (sign-up, profile). Moving away from a confirmed comune drops
    the confirmation (audit row): the new comune is self-declared until an official confirms
    it. Sets the fields; the caller saves the user."""
    confirmed = user.residence_confirmed_comune
    if confirmed is not None and (comune is None or comune.pk != confirmed.pk):
        ResidenceCheck.objects.create(
            user=user,
            comune=confirmed,
            outcome=ResidenceCheck.Outcome.DROPPED,
            reason=_("Comune cambiato dalla persona"),
        )
        user.residence_confirmed_comune = None
        user.residence_confirmed_at = None
        user.residence_confirmed_by = None
    user.comune = comune
    user.lives_outside_area = lives_outside_area
