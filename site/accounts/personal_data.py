"""The personal-data registry: what every model holds about a person, and what the data export
and the account deletion do with it.

Each app lists its declarations in a ``personal_data`` module beside its models, as a
``PERSONAL_DATA`` tuple of :class:`PersonalData` (this module holds the accounts app's own). The
registry reads those modules by name (as django-rules reads each app's ``rules.py``), in
``INSTALLED_APPS`` order with the account row last, so a lower layer never imports a higher one
and nothing registers by import side effect. Registering a new model is one line in its app's
module::

    PersonalData(Model, "user", holds="…", export=("field", …), erase=delete())

``tests/accounts/test_personal_data.py`` fails for any of our models with a foreign key
(or one-to-one) to the user, or a field named like personal data, that no declaration covers.
The table in ``docs/permissions.md`` ("Dati personali") is ``manage.py personal_data_table``.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from accounts.models import ResidenceCheck, User

MODULE = "personal_data"


# --------------------------------------------------------------------------- erasure rules
@dataclass(frozen=True)
class Erasure:
    """What deleting the account does to the rows a declaration selects.

    ``apply(rows)`` does it; ``summary`` says it for the docs; ``values`` are the replacements
    of an anonymisation; ``keeps_link`` is true when rows stay attached to the emptied account
    row (no name, no e-mail: "Partecipante rimosso"); ``kept`` lists personal fields that stay
    as they are. Whatever stays needs a ``legal_basis``.
    """

    summary: str
    apply: Callable[[models.QuerySet], Any]
    values: Mapping[str, Any] | None = None
    keeps_link: bool = False
    kept: tuple[str, ...] = ()
    legal_basis: str = ""


def delete() -> Erasure:
    """The rows are deleted (related rows follow their ``on_delete``)."""
    return Erasure(summary="deleted", apply=lambda rows: rows.delete())


def anonymise(values: Mapping[str, Any], *, legal_basis: str = "") -> Erasure:
    """The rows stay with ``values`` written over their personal fields; when the link to the
    person is among them (set to None) the row no longer points at the account at all."""
    return Erasure(
        summary="anonymised",
        apply=lambda rows: rows.update(**values),
        values=dict(values),
        legal_basis=legal_basis,
    )


def keep(*, legal_basis: str, kept: tuple[str, ...] = ()) -> Erasure:
    """The rows stay as they are, attached to the emptied account row, for ``legal_basis``."""
    return Erasure(
        summary="kept",
        apply=lambda rows: None,
        keeps_link=True,
        kept=kept,
        legal_basis=legal_basis,
    )


def unlink_participant_key(rows) -> None:
    """For rows keyed by participant (a device token, or ``u<id>`` for a signed-in person): no
    user any more, and a key that no longer carries the account id. Tallies built on the rows
    (workshop results, opinion maps) stay as they were."""
    rows.update(
        user=None,
        participant_key=Concat(Value("x"), Cast(F("pk"), output_field=CharField())),
    )


def custom(
    apply: Callable[[models.QuerySet], Any],
    *,
    summary: str,
    keeps_link: bool = False,
    kept: tuple[str, ...] = (),
    legal_basis: str = "",
) -> Erasure:
    """A rule the three above cannot say (files to remove, a condition on the rows)."""
    return Erasure(
        summary=summary, apply=apply, keeps_link=keeps_link, kept=kept, legal_basis=legal_basis
    )


# --------------------------------------------------------------------------- declarations
@dataclass(frozen=True)
class PersonalData:
    """One model's rows about a person, reached through ``user_field`` (a lookup to the user:
    ``"author"``, ``"application__applicant"``, ``"pk"`` for the user itself).

    ``holds`` says in words what the rows tell about the person; ``personal`` names the fields
    that hold it (beyond the link); ``export`` the values the data export lists (lookups allowed:
    ``"category__name"``); ``erase`` what deleting the account does.
    """

    model: type[models.Model]
    user_field: str
    holds: str
    erase: Erasure
    export: tuple[str, ...] = ()
    personal: tuple[str, ...] = ()
    name: str = ""
    #: For rows that name the person by a value other than the account's id (a workshop's
    #: participant key ``u<id>``): the value ``user_field`` holds for ``user``.
    key: Callable[[User], Any] | None = None

    def __post_init__(self):
        if not self.name:
            name = f"{self.options.model_name}_{self.user_field}"
            object.__setattr__(self, "name", name)

    @property
    def options(self):
        """The model's ``_meta`` (Django's documented Options API, underscore and all)."""
        return self.model._meta  # noqa: SLF001

    @property
    def label(self) -> str:
        return self.options.label

    @property
    def keeps_link(self) -> bool:
        """Whether rows still point at the (emptied) account after the erasure."""
        if self.erase.values is not None:
            return self.user_field not in self.erase.values
        return self.erase.keeps_link

    @property
    def keeps_anything(self) -> bool:
        return self.keeps_link or bool(self.erase.kept)

    def rows(self, user: User) -> models.QuerySet:
        manager = self.model._default_manager  # noqa: SLF001 (Django's documented API)
        value = self.key(user) if self.key else user.pk
        return manager.filter(**{self.user_field: value}).order_by("pk")

    def export_rows(self, user: User) -> list[dict]:
        return list(self.rows(user).values(*self.export))


def declared_by_app() -> Iterator[tuple[str, PersonalData]]:
    """Every app's declarations with the label of the app that declares them, in
    ``INSTALLED_APPS`` order; the accounts app's come last, because the account row is emptied
    after everything that points to it."""
    configs = list(apps.get_app_configs())
    own = [config for config in configs if config.name == "accounts"]
    for config in [config for config in configs if config.name != "accounts"] + own:
        module_name = f"{config.name}.{MODULE}"
        if importlib.util.find_spec(module_name) is None:
            continue
        for declaration in getattr(importlib.import_module(module_name), "PERSONAL_DATA", ()):
            yield config.label, declaration


def declarations() -> Iterator[PersonalData]:
    for _label, declaration in declared_by_app():
        yield declaration


# --------------------------------------------------------------------------- export and erasure
@transaction.atomic
def personal_data_export(*, user: User) -> dict:
    """Every declared row about ``user``: ``{declaring app's label: {declaration name: [rows]}}``."""
    data: dict[str, Any] = {"exported_at": timezone.now().isoformat()}
    for label, declaration in declared_by_app():
        if declaration.export:
            data.setdefault(label, {})[declaration.name] = declaration.export_rows(user)
    return data


@transaction.atomic
def personal_data_erase(*, user: User) -> None:
    """Run every declaration's erasure for ``user``, in one transaction."""
    for declaration in declarations():
        declaration.erase.apply(declaration.rows(user))


# --------------------------------------------------------------------------- the account itself
def _delete_sessions_of(user_pk: int) -> None:
    key = str(user_pk)
    stale = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == key
    ]
    store = importlib.import_module(settings.SESSION_ENGINE).SessionStore
    for session_key in stale:
        store(session_key).delete()  # the database row and its cached copy


def _empty_account(rows: models.QuerySet) -> None:
    """The row stays (contributions point to it, shown as "Partecipante rimosso") with nothing
    about the person left: no e-mail, name, birth date, comune, gender, password or last login."""
    now = timezone.now()
    for user in rows:
        _delete_sessions_of(user.pk)
        user.email = f"rimosso-{user.pk}@account-eliminato.invalid"
        user.display_name = ""
        user.first_name = ""
        user.last_name = ""
        user.birth_date = None
        user.comune = None
        user.lives_outside_area = False
        user.gender = ""
        user.fiscal_number_hash = None
        user.identity_provider = ""
        user.identity_issuer = ""
        user.identity_verified_at = None
        user.residence_confirmed_comune = None
        user.residence_confirmed_at = None
        user.residence_confirmed_by = None
        user.language = "it"
        user.privacy_notice_version = ""
        user.privacy_accepted_at = None
        user.last_login = None
        user.date_joined = now
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.set_unusable_password()
        user.removed_at = now
        user.save()


KEPT_ACCOUNT_ROW = (
    "La riga dell'account resta, vuota, perché i contributi pubblici e gli atti d'ufficio vi "
    "puntano: resta solo l'identificativo numerico e la data di eliminazione."
)

RESIDENCE_AUDIT = (
    "Le conferme di residenza fatte da chi facilita sono atti d'ufficio: il registro resta, "
    "legato all'account svuotato, perché si possa sempre sapere chi ha confermato cosa."
)

PERSONAL_DATA = (
    PersonalData(
        User,
        "pk",
        name="account",
        holds="e-mail, nome visualizzato, nome e cognome, data di nascita, comune, genere, "
        "lingua, accettazione dell'informativa, date di iscrizione e ultimo accesso; con SPID "
        "o CIE l'impronta (HMAC) del codice fiscale, il gestore e la data della verifica; la "
        "conferma della residenza (comune, data, chi l'ha confermata)",
        personal=(
            "email",
            "display_name",
            "first_name",
            "last_name",
            "birth_date",
            "comune",
            "lives_outside_area",
            "gender",
            "fiscal_number_hash",
            "identity_provider",
            "identity_issuer",
            "identity_verified_at",
            "residence_confirmed_comune",
            "residence_confirmed_at",
            "residence_confirmed_by",
            "language",
            "privacy_notice_version",
            "privacy_accepted_at",
            "last_login",
        ),
        export=(
            "email",
            "display_name",
            "birth_date",
            "comune",
            "comune__name",
            "lives_outside_area",
            "gender",
            "first_name",
            "last_name",
            "fiscal_number_hash",
            "identity_provider",
            "identity_issuer",
            "identity_verified_at",
            "residence_confirmed_comune__name",
            "residence_confirmed_at",
            "language",
            "privacy_notice_version",
            "privacy_accepted_at",
            "date_joined",
            "last_login",
        ),
        erase=custom(
            _empty_account,
            summary="emptied: e-mail replaced by rimosso-<id>@account-eliminato.invalid, password unusable, sign-up date set to the deletion date, sessions ended",
            keeps_link=True,
            legal_basis=KEPT_ACCOUNT_ROW,
        ),
    ),
    PersonalData(
        User,
        "residence_confirmed_by",
        name="residences_confirmed_for_others",
        holds="residenze di altre persone confermate come facilitatore/trice",
        erase=keep(legal_basis=RESIDENCE_AUDIT),
    ),
    PersonalData(
        ResidenceCheck,
        "user",
        name="residence_checks",
        holds="conferme della residenza e loro decadenza (comune, luogo, documento visto)",
        personal=("comune", "place", "document", "official"),
        export=("comune__name", "outcome", "place", "document", "reason", "created_at"),
        erase=delete(),
    ),
    PersonalData(
        ResidenceCheck,
        "official",
        name="residence_checks_made",
        holds="conferme della residenza fatte per altre persone, come facilitatore/trice",
        erase=keep(legal_basis=RESIDENCE_AUDIT),
    ),
    PersonalData(
        User.groups.through,
        "user",
        name="roles",
        holds="ruoli sulla piattaforma",
        export=("group__name",),
        erase=delete(),
    ),
    PersonalData(
        User.user_permissions.through,
        "user",
        name="permissions",
        holds="permessi individuali",
        export=("permission__codename",),
        erase=delete(),
    ),
    PersonalData(
        EmailAddress,
        "user",
        name="email_addresses",
        holds="indirizzi e-mail e loro verifica",
        personal=("email",),
        export=("email", "verified", "primary"),
        erase=delete(),
    ),
    PersonalData(
        Authenticator,
        "user",
        name="authenticators",
        holds="secondo fattore di accesso (segreti TOTP, codici di recupero)",
        personal=("data",),
        export=("type", "created_at", "last_used_at"),
        erase=delete(),
    ),
)


__all__ = [
    "Erasure",
    "PersonalData",
    "anonymise",
    "custom",
    "declarations",
    "declared_by_app",
    "delete",
    "keep",
    "personal_data_erase",
    "personal_data_export",
]
