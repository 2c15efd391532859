"""Writes and exports about a person's account.

Other apps take part through optional methods on their AppConfig, called explicitly here:
``export_personal_data(user) -> dict`` (added under the app's label in the export) and
``anonymise_personal_data(user) -> None`` (called before the account is scrubbed; contributions
stay, linked to the account now shown as "Partecipante rimosso") and
``profile_activity(user) -> list[(label, count, url)]`` (the summary on the profile page).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.apps import AppConfig, apps
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from accounts.models import User


def _apps_with(hook: str) -> Iterator[tuple[AppConfig, Any]]:
    for config in apps.get_app_configs():
        method = getattr(config, hook, None)
        if callable(method):
            yield config, method


def user_export_data(*, user: User) -> dict:
    """Everything the platform stores about ``user``, as JSON-serialisable data."""
    data: dict[str, Any] = {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "birth_date": user.birth_date.isoformat() if user.birth_date else None,
            "comune": (
                {"istat_code": user.comune_id, "name": user.comune.name} if user.comune else None
            ),
            "lives_outside_area": user.lives_outside_area,
            "gender": user.gender or None,
            "language": user.language,
            "privacy_notice_version": user.privacy_notice_version,
            "privacy_accepted_at": (
                user.privacy_accepted_at.isoformat() if user.privacy_accepted_at else None
            ),
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "roles": sorted(user.groups.values_list("name", flat=True)),
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "exported_at": timezone.now().isoformat(),
    }
    for config, export in _apps_with("export_personal_data"):
        data[config.label] = export(user)
    return data


@dataclass(frozen=True)
class ActivityLine:
    label: str
    count: int
    url: str = ""


def user_activity(*, user: User) -> list[ActivityLine]:
    """The profile's summary of the person's activity, from each app's ``profile_activity``."""
    return [
        ActivityLine(str(label), count, url)
        for _config, activity in _apps_with("profile_activity")
        for label, count, url in activity(user)
    ]


def _delete_sessions_of(user: User) -> None:
    user_pk = str(user.pk)
    stale = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == user_pk
    ]
    Session.objects.filter(pk__in=stale).delete()


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Remove the person's data; their contributions remain as "Partecipante rimosso"."""
    for _config, anonymise in _apps_with("anonymise_personal_data"):
        anonymise(user)
    EmailAddress.objects.filter(user=user).delete()
    user.authenticator_set.all().delete()
    user.groups.clear()
    user.user_permissions.clear()
    _delete_sessions_of(user)
    user.email = f"rimosso-{user.pk}@account-eliminato.invalid"
    user.display_name = ""
    user.first_name = ""
    user.last_name = ""
    user.birth_date = None
    user.comune = None
    user.lives_outside_area = False
    user.gender = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.removed_at = timezone.now()
    user.save()
