"""Writes and exports about a person's account.

The data export and the account deletion run the personal-data registry
(``accounts.personal_data``): every app declares there what its models hold about a person and
what export and erasure do with it. Other apps also take part through an optional method on
their AppConfig, ``profile_activity(user) -> list[(label, count, url)]`` (the summary on the
profile page).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import AppConfig, apps

from accounts.models import User
from accounts.personal_data import personal_data_erase, personal_data_export


def _apps_with(hook: str) -> Iterator[tuple[AppConfig, Any]]:
    for config in apps.get_app_configs():
        method = getattr(config, hook, None)
        if callable(method):
            yield config, method


def user_export_data(*, user: User) -> dict:
    """Everything the platform stores about ``user``, as JSON-serialisable data (with
    ``DjangoJSONEncoder``): every registered declaration's rows, by app."""
    return personal_data_export(user=user)


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


def user_delete(*, user: User) -> None:
    """Erase the person's data as every registry declaration says, in one transaction; public
    contributions that stay are shown as by "Partecipante rimosso"."""
    personal_data_erase(user=user)
    user.refresh_from_db()
