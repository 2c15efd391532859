"""A local SAML2 identity provider for the tests (pysaml2's ``Server``), standing in for the
SPID and CIE ones: no network. It signs with its own test key (``keys/idp.*``) and trusts our
service provider's metadata, built from the same settings the site uses.

Two providers, one key: ``spid`` (listed under "Entra con SPID") and ``cie`` (the "Entra con CIE"
button); :func:`enable` writes their metadata and points the settings at it.
"""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import saml2
from django.urls import reverse
from django.utils import timezone
from saml2 import md, samlp
from saml2.config import IdPConfig, SPConfig
from saml2.metadata import do_uiinfo, entity_descriptor
from saml2.s_utils import decode_base64_and_inflate, deflate_and_base64_encode
from saml2.saml import NAME_FORMAT_BASIC, NAMEID_FORMAT_TRANSIENT
from saml2.server import Server
from saml2.sigver import get_xmlsec_binary
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from accounts.spid.config import (
    SPID_LEVELS,
    sp_config,
    sp_config_dict,
    sp_entity_descriptor,
    sp_entity_id,
)

KEYS = Path(__file__).parent / "keys"
PREFIX = "/idp-di-prova"
KINDS = ("spid", "cie")
#: Another service provider the test providers know, to answer for the wrong audience.
OTHER_SERVICE = "https://altro-servizio.example/metadata"


@dataclass(frozen=True)
class Person:
    key: str
    label: str
    first_name: str
    last_name: str
    fiscal_number: str
    birth_date: datetime.date
    email: str

    def attributes(self) -> dict:
        return {
            "name": [self.first_name],
            "familyName": [self.last_name],
            "fiscalNumber": [f"TINIT-{self.fiscal_number}"],
            "dateOfBirth": [self.birth_date.isoformat()],
            "email": [self.email] if self.email else [],
        }


def _years_ago(years: int, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


def people() -> dict[str, Person]:
    """The test identities (birth dates relative to today, so ages stay true)."""
    return {
        person.key: person
        for person in (
            Person(
                "mario",
                "Mario Rossi, 30 anni",
                "Mario",
                "Rossi",
                "RSSMRA96A01L219X",
                _years_ago(30),
                "mario.rossi@example.org",
            ),
            Person(
                "giulia",
                "Giulia Bianchi, 16 anni (CIE)",
                "Giulia",
                "Bianchi",
                "BNCGLI10A41L219Y",
                _years_ago(16, days=10),
                "giulia.bianchi@example.org",
            ),
            Person(
                "luca",
                "Luca Verdi, 12 anni (CIE)",
                "Luca",
                "Verdi",
                "VRDLCU14A01L219Z",
                _years_ago(12),
                "luca.verdi@example.org",
            ),
        )
    }


def entity_id(base: str, kind: str) -> str:
    return f"{base}{PREFIX}/{kind}/metadata"


def sso_url(base: str, kind: str) -> str:
    return f"{base}{PREFIX}/{kind}/sso"


def slo_url(base: str, kind: str) -> str:
    return f"{base}{PREFIX}/{kind}/slo"


def server(base: str, kind: str) -> Server:
    """The identity provider ``kind`` at ``base``, trusting our SP's current metadata."""
    sp_metadata = str(sp_entity_descriptor(sp_config()))
    other = sp_config_dict()
    other["entityid"] = OTHER_SERVICE
    other_metadata = str(entity_descriptor(SPConfig().load(other)))
    config = IdPConfig()
    config.load(
        {
            "entityid": entity_id(base, kind),
            "xmlsec_binary": get_xmlsec_binary(["/usr/bin", "/usr/local/bin"]),
            "key_file": str(KEYS / "idp.key"),
            "cert_file": str(KEYS / "idp.crt"),
            "metadata": {"inline": [sp_metadata, other_metadata]},
            "allow_unknown_attributes": True,
            "organization": {
                "name": [(f"Gestore di prova {kind.upper()}", "it")],
                "display_name": [(f"Gestore di prova {kind.upper()}", "it")],
                "url": [(base, "it")],
            },
            "service": {
                "idp": {
                    "name": f"Gestore di prova {kind.upper()}",
                    "endpoints": {
                        "single_sign_on_service": [
                            (sso_url(base, kind), saml2.BINDING_HTTP_REDIRECT),
                        ],
                        "single_logout_service": [
                            (slo_url(base, kind), saml2.BINDING_HTTP_REDIRECT),
                            (slo_url(base, kind), saml2.BINDING_HTTP_POST),
                        ],
                    },
                    "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                    "want_authn_requests_signed": True,
                    "sign_response": True,
                    "sign_assertion": True,
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 5},
                            "name_form": NAME_FORMAT_BASIC,
                            "attribute_restrictions": None,
                        }
                    },
                }
            },
        }
    )
    return Server(config=config)


#: The SPID test provider's logo in its metadata (mdui:Logo), drawn for these tests.
TEST_LOGO = (
    "data:image/svg+xml;base64,"
    + base64.b64encode(
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32"'
        b' rx="6" fill="#004d99"/><text x="16" y="21" font-size="13" text-anchor="middle"'
        b' fill="#fff" font-family="sans-serif">GP</text></svg>'
    ).decode()
)


def metadata_xml(base: str, kind: str) -> str:
    descriptor = entity_descriptor(server(base, kind).config)
    if kind == "spid":
        idpsso = descriptor.idpsso_descriptor
        idpsso = idpsso[0] if isinstance(idpsso, list) else idpsso
        idpsso.extensions = md.Extensions()
        idpsso.extensions.add_extension_element(
            do_uiinfo({"logo": {"text": TEST_LOGO, "width": "32", "height": "32"}})
        )
    return str(descriptor)


def enable(settings, directory: Path, base: str) -> dict[str, str]:
    """Identity sign-in on, against the test providers at ``base`` (``settings``: pytest-django's
    fixture). Returns ``{kind: entity ID}``."""
    settings.BASE_URL = base
    # The SP's metadata (which the providers trust) is built from the settings: set the
    # URL first, then write the providers' metadata.
    written = {}
    for kind in KINDS:
        path = directory / f"idp-{kind}.xml"
        path.write_text(metadata_xml(base, kind))
        written[kind] = path
    settings.SPID_IDP_METADATA_FILES = [str(written["spid"])]
    settings.CIE_IDP_METADATA_FILES = [str(written["cie"])]
    return {kind: entity_id(base, kind) for kind in KINDS}


# --------------------------------------------------------------------------- answering
@dataclass(frozen=True)
class Answer:
    """What the identity provider posts back to the service provider."""

    acs_url: str
    saml_response: str
    relay_state: str
    #: The NameID of the signed-in person (for a LogoutRequest from the provider).
    name_id: object = None


def parse_request(idp: Server, query: dict):
    """The AuthnRequest of a Redirect-binding query, its signature checked."""
    return idp.parse_authn_request(
        query["SAMLRequest"],
        saml2.BINDING_HTTP_REDIRECT,
        relay_state=query.get("RelayState"),
        sigalg=query.get("SigAlg"),
        signature=query.get("Signature"),
    )


def answer(
    base: str,
    kind: str,
    query: dict,
    *,
    person: Person | None,
    level: int = 2,
    audience: str | None = None,
    tamper: bool = False,
) -> Answer:
    """The provider's answer to the request in ``query``: ``person`` signed in (``None``: the
    person cancelled, SPID's "ErrorCode nr22"); ``audience`` another SP's entity ID; ``tamper``
    changes a signed attribute after signing."""
    idp = server(base, kind)
    request = parse_request(idp, query)
    args = idp.response_args(request.message, [saml2.BINDING_HTTP_POST])
    destination = args["destination"]
    if person is None:
        response = idp.create_error_response(
            request.message.id,
            destination,
            (samlp.STATUS_AUTHN_FAILED, "ErrorCode nr22"),
            sign=True,
        )
    else:
        if audience is not None:
            args["sp_entity_id"] = audience
        response = idp.create_authn_response(
            person.attributes(),
            userid=person.key,
            authn={"class_ref": SPID_LEVELS[level], "authn_auth": entity_id(base, kind)},
            sign_response=True,
            sign_assertion=True,
            **args,
        )
    xml = str(response)
    if tamper and person is not None:
        xml = xml.replace(f">{person.first_name}<", ">Impostore<")
    encoded = base64.b64encode(xml.encode()).decode()
    name_id = None
    if person is not None:
        name_id = samlp.response_from_string(str(response)).assertion[0].subject.name_id
    return Answer(destination, encoded, query.get("RelayState", ""), name_id)


# --------------------------------------------------------------------------- single logout
def _tamper(xml: str) -> str:
    """The message with its ID changed after signing."""
    return xml.replace(' ID="', ' ID="x', 1)


def _redirect_url(http_info: dict, *, tamper: bool) -> str:
    url = dict(http_info["headers"])["Location"]
    if not tamper:
        return url
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    field = "SAMLResponse" if "SAMLResponse" in query else "SAMLRequest"
    xml = decode_base64_and_inflate(query[field]).decode()
    query[field] = deflate_and_base64_encode(_tamper(xml)).decode()
    return urlunsplit(parts._replace(query=urlencode(query)))


def parse_logout_request(idp: Server, query: dict):
    """Our LogoutRequest from a Redirect-binding query, its signature checked."""
    return idp.parse_logout_request(
        query["SAMLRequest"],
        saml2.BINDING_HTTP_REDIRECT,
        relay_state=query.get("RelayState"),
        sigalg=query.get("SigAlg"),
        signature=query.get("Signature"),
    )


def logout_answer(
    base: str,
    kind: str,
    query: dict,
    *,
    binding: str = saml2.BINDING_HTTP_REDIRECT,
    sign: bool = True,
    tamper: bool = False,
) -> str | dict:
    """The provider's LogoutResponse to our LogoutRequest in ``query``: with HTTP-Redirect the
    URL of our SingleLogoutService to visit, with HTTP-POST the fields to post to it."""
    idp = server(base, kind)
    request = parse_logout_request(idp, query)
    redirect = binding == saml2.BINDING_HTTP_REDIRECT
    response = idp.create_logout_response(
        request.message,
        [binding],
        sign=sign and not redirect,
        sign_alg=SIG_RSA_SHA256,
        digest_alg=DIGEST_SHA256,
    )
    destination = idp.response_args(request.message, [binding])["destination"]
    relay_state = query.get("RelayState", "")
    if redirect:
        http_info = idp.apply_binding(
            binding,
            str(response),
            destination,
            relay_state,
            response=True,
            sign=sign,
            sigalg=SIG_RSA_SHA256,
        )
        return _redirect_url(http_info, tamper=tamper)
    xml = _tamper(str(response)) if tamper else str(response)
    return {"SAMLResponse": base64.b64encode(xml.encode()).decode(), "RelayState": relay_state}


def logout_request(
    base: str, kind: str, name_id, *, sign: bool = True, tamper: bool = False
) -> str:
    """A LogoutRequest from the provider (the person left another service): the URL of our
    SingleLogoutService (HTTP-Redirect) to visit."""
    idp = server(base, kind)
    destination = f"{base}{reverse('identity:sls')}"
    _id, request = idp.create_logout_request(
        destination, sp_entity_id(), name_id=name_id, sign=False
    )
    http_info = idp.apply_binding(
        saml2.BINDING_HTTP_REDIRECT,
        str(request),
        destination,
        "",
        sign=sign,
        sigalg=SIG_RSA_SHA256,
    )
    return _redirect_url(http_info, tamper=tamper)
