"""The site's name and address come from the settings: e-mail links start with BASE_URL,
allauth's e-mails greet with SITE_NAME (the django.contrib.sites row is written from the
settings after every migration), never "example.com"."""

import re

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from config.sites import site_row_sync
from notifications.models import NotificationKind
from notifications.services import notify
from tests.factories import UserFactory

BASE = "https://giovani.cittametropolitana.example"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_the_sites_row_follows_the_settings_after_migrate(db):
    site = Site.objects.get_current()
    assert site.name == "PSM Giovani"
    assert "example.com" not in site.domain
    with override_settings(BASE_URL=BASE, SITE_NAME="Giovani al centro"):
        site_row_sync(app_config=type("Sites", (), {"label": "sites"})(), using="default")
        site = Site.objects.get_current()
        assert (site.domain, site.name) == (
            "giovani.cittametropolitana.example",
            "Giovani al centro",
        )


@override_settings(BASE_URL=BASE)
def test_links_in_notification_emails_start_with_base_url(db, committed):
    person = UserFactory()
    with committed():
        notify(
            user=person,
            key="test:base-url",
            kind=NotificationKind.PROPOSAL_ANSWERED,
            title="Risposta",
            body="Ecco.",
            url="/partecipa/",
        )
    [message] = mail.outbox
    links = re.findall(r"https?://[^\s\"'<>]+", message.body)
    assert links
    assert all(link.startswith(BASE) for link in links), links


def test_allauth_emails_name_the_site_not_example_com(client, db):
    person = UserFactory(verified=False)
    mail.outbox.clear()
    client.post(reverse("account_reset_password"), {"email": person.email})
    [message] = mail.outbox
    assert message.subject.startswith("[PSM Giovani] ")
    assert "example.com" not in message.subject + message.body
    assert "PSM Giovani" in message.body
