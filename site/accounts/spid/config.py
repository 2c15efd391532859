"""The SAML2 service provider's configuration (pysaml2, through djangosaml2), built from the
settings on each use: SPID's SAML profile and CIE ID's share it, each with its own identity
providers' metadata.

Identity sign-in is on only when the settings name a key, a certificate, the identity
providers' metadata and the fiscal-number hash key (:func:`identity_sign_in_enabled`);
docs/identity.md says how to get each in production.
"""

from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import saml2
from django.conf import settings
from django.urls import reverse
from saml2 import ExtensionElement, md
from saml2.saml import NAMEID_FORMAT_TRANSIENT
from saml2.xmldsig import (
    DIGEST_SHA256,
    DIGEST_SHA384,
    DIGEST_SHA512,
    SIG_RSA_SHA256,
    SIG_RSA_SHA384,
    SIG_RSA_SHA512,
)

from accounts.models import IdentityProvider

if TYPE_CHECKING:
    from saml2.config import SPConfig
    from saml2.mdstore import MetadataStore

# pysaml2's configuration, metadata and signature modules load xmlschema and every SAML schema
# (about 35 MiB): they are imported by the functions that use them, so a web worker loads them
# only when identity sign-in is on and used (docs/performance.md, "Worker memory"). The
# constants above come from pysaml2's light modules.

#: SPID's authentication levels as AuthnContextClassRef (Regole tecniche SPID).
SPID_LEVELS = {
    1: "https://www.spid.gov.it/SpidL1",
    2: "https://www.spid.gov.it/SpidL2",
    3: "https://www.spid.gov.it/SpidL3",
}
#: The attributes asked for (AttributeConsumingService index 0), by their SPID names; CIE ID
#: uses the same names.
REQUESTED_ATTRIBUTES = ("name", "familyName", "fiscalNumber", "dateOfBirth", "email")
#: The only algorithms we accept and advertise (SPID's technical rules: RSA with SHA-256 or
#: stronger, SHA-2 digests; never SHA-1, MD5 or RIPEMD-160). We sign with the first of each.
SIGNING_ALGORITHMS = (SIG_RSA_SHA256, SIG_RSA_SHA384, SIG_RSA_SHA512)
DIGEST_ALGORITHMS = (DIGEST_SHA256, DIGEST_SHA384, DIGEST_SHA512)
#: The namespace of pysaml2's ``alg:SigningMethod`` / ``alg:DigestMethod`` metadata extensions.
ALGSUPPORT_NS = "urn:oasis:names:tc:SAML:metadata:algsupport"


def identity_sign_in_enabled() -> bool:
    return bool(
        settings.SPID_SP_KEY_FILE
        and settings.SPID_SP_CERT_FILE
        and settings.FISCAL_NUMBER_HMAC_KEY
        and (settings.SPID_IDP_METADATA_FILES or settings.CIE_IDP_METADATA_FILES)
    )


def sp_entity_id() -> str:
    return settings.SPID_ENTITY_ID or f"{settings.BASE_URL}{reverse('identity:metadata')}"


def sp_level_uri() -> str:
    return SPID_LEVELS[settings.SPID_LEVEL]


def sp_config_dict() -> dict:
    from saml2.sigver import get_xmlsec_binary

    base = settings.BASE_URL
    organisation = settings.SPID_ORGANIZATION_NAME
    return {
        "entityid": sp_entity_id(),
        "xmlsec_binary": get_xmlsec_binary(["/usr/bin", "/usr/local/bin"]),
        # SPID names its attributes plainly ("fiscalNumber"): take them as they come.
        "allow_unknown_attributes": True,
        "key_file": str(settings.SPID_SP_KEY_FILE),
        "cert_file": str(settings.SPID_SP_CERT_FILE),
        "encryption_keypairs": [
            {
                "key_file": str(settings.SPID_SP_KEY_FILE),
                "cert_file": str(settings.SPID_SP_CERT_FILE),
            }
        ],
        "metadata": {
            "local": [str(path) for path in _metadata_files()],
        },
        # Clock skew allowed between us and the identity provider, in seconds.
        "accepted_time_diff": settings.SPID_ACCEPTED_TIME_DIFF,
        # Single logout through the browser only (no back-channel SOAP), redirect first.
        "preferred_binding": {
            "single_logout_service": [saml2.BINDING_HTTP_REDIRECT, saml2.BINDING_HTTP_POST],
        },
        "service": {
            "sp": {
                "name": settings.SITE_NAME,
                "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                "name_id_policy_format": NAMEID_FORMAT_TRANSIENT,
                "endpoints": {
                    "assertion_consumer_service": [
                        (f"{base}{reverse('identity:acs')}", saml2.BINDING_HTTP_POST),
                    ],
                    # Single logout (accounts/spid/logout.py): both bindings are received,
                    # requests and responses are sent with HTTP-Redirect.
                    "single_logout_service": [
                        (f"{base}{reverse('identity:sls')}", saml2.BINDING_HTTP_REDIRECT),
                        (f"{base}{reverse('identity:sls')}", saml2.BINDING_HTTP_POST),
                    ],
                },
                "authn_requests_signed": True,
                "logout_requests_signed": True,
                "logout_responses_signed": True,
                "signing_algorithm": SIG_RSA_SHA256,
                "digest_algorithm": DIGEST_SHA256,
                "want_response_signed": True,
                "want_assertions_signed": True,
                "allow_unsolicited": False,
                "force_authn": settings.SPID_LEVEL > 1,
                "requested_authn_context": {
                    "authn_context_class_ref": [sp_level_uri()],
                    "comparison": "minimum",
                },
                "required_attributes": list(REQUESTED_ATTRIBUTES),
            }
        },
        "organization": {
            "name": [(organisation, "it")],
            "display_name": [(organisation, "it")],
            "url": [(base, "it")],
        },
        "contact_person": [
            {
                "contact_type": "other",
                "email_address": [settings.SPID_CONTACT_EMAIL],
                "company": organisation,
            }
        ],
    }


def sp_config(request=None) -> SPConfig:
    """djangosaml2's config loader (``SAML_CONFIG_LOADER``)."""
    from saml2.config import SPConfig

    config = SPConfig()
    config.load(sp_config_dict())
    return config


#: SPID's SAML extensions (Avviso SPID n.29 v3): the contact of a public administration.
SPID_EXTENSIONS_NS = "https://spid.gov.it/saml-extensions"


def sp_entity_descriptor(config: SPConfig):
    """pysaml2's descriptor of our SP, advertising only :data:`SIGNING_ALGORITHMS` and
    :data:`DIGEST_ALGORITHMS` (pysaml2 lists every algorithm xmlsec1 knows, SHA-1 and MD5
    included, as ``alg:SigningMethod`` / ``alg:DigestMethod`` extensions)."""
    from saml2.metadata import entity_descriptor

    descriptor = entity_descriptor(config)
    allowed = {"SigningMethod": SIGNING_ALGORITHMS, "DigestMethod": DIGEST_ALGORITHMS}
    if descriptor.extensions is not None:
        descriptor.extensions.extension_elements = [
            element
            for element in descriptor.extensions.extension_elements
            if element.namespace != ALGSUPPORT_NS
            or element.attributes.get("Algorithm") in allowed.get(element.tag, ())
        ]
    return descriptor


def signed_metadata() -> str:
    """The SP metadata as registered: the contact person carries SPID's extensions (IPA code,
    public body), and the whole descriptor is signed with the SP key (RSA-SHA256)."""
    from saml2.metadata import sign_entity_descriptor
    from saml2.sigver import security_context

    config = sp_config()
    descriptor = sp_entity_descriptor(config)
    extensions = [ExtensionElement("Public", namespace=SPID_EXTENSIONS_NS)]
    if settings.SPID_IPA_CODE:
        extensions.insert(
            0,
            ExtensionElement("IPACode", namespace=SPID_EXTENSIONS_NS, text=settings.SPID_IPA_CODE),
        )
    for contact in descriptor.contact_person:
        contact.extensions = md.Extensions(extension_elements=extensions)
    _descriptor, xml = sign_entity_descriptor(
        descriptor,
        None,
        security_context(config),
        sign_alg=SIG_RSA_SHA256,
        digest_alg=DIGEST_SHA256,
    )
    return xml


def _metadata_files() -> list[Path]:
    return [Path(p) for p in (*settings.SPID_IDP_METADATA_FILES, *settings.CIE_IDP_METADATA_FILES)]


class Provider(NamedTuple):
    """An identity provider as the buttons show it: ``logo`` is an image URL or ""."""

    entity_id: str
    name: str
    logo: str


def _logo(store: MetadataStore, entity_id: str) -> str:
    """The logo the settings name (``SPID_IDP_LOGOS``), else the provider's ``mdui:Logo``
    when it is HTTPS or an inline image; "" for the text-only entry."""
    if entity_id in settings.SPID_IDP_LOGOS:
        return settings.SPID_IDP_LOGOS[entity_id]
    for element in store.mdui_uiinfo_logo(entity_id):
        url = (element.get("text") or "").strip()
        if url.startswith(("https://", "data:image/")):
            return url
    return ""


@lru_cache(maxsize=8)
def _providers_in(files: tuple[str, ...], stamp: tuple[float, ...]) -> list[Provider]:
    from saml2.mdstore import MetadataStore

    store = MetadataStore(attrc=None, config=None)
    for path in files:
        store.load("local", path)
    providers = [
        Provider(entity_id, store.name(entity_id, "it") or entity_id, _logo(store, entity_id))
        for entity_id in store.identity_providers()
    ]
    return sorted(providers, key=lambda provider: provider.name.lower())


def identity_providers(kind: IdentityProvider) -> list[Provider]:
    """The identity providers of ``kind`` in the configured metadata, by name."""
    files = (
        settings.SPID_IDP_METADATA_FILES
        if kind == IdentityProvider.SPID
        else (settings.CIE_IDP_METADATA_FILES)
    )
    files = tuple(str(p) for p in files)
    stamp = tuple(Path(p).stat().st_mtime for p in files)
    return _providers_in(files, stamp)


def spid_menu() -> list[Provider]:
    """The SPID identity providers in a new random order at each display, as AgID's access
    button guidelines ask (no provider always first)."""
    providers = identity_providers(IdentityProvider.SPID)
    return random.sample(providers, len(providers))


def provider_kind(entity_id: str) -> IdentityProvider | None:
    """Whether ``entity_id`` is one of the configured SPID or CIE identity providers."""
    for kind in (IdentityProvider.CIE, IdentityProvider.SPID):
        if any(entity_id == provider.entity_id for provider in identity_providers(kind)):
            return kind
    return None
