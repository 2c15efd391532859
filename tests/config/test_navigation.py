"""Every link in the header and footer of the home page leads somewhere, for anonymous
visitors and for each demo role; ``/leadership/`` leads to the programme."""

from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.test import override_settings
from django.urls import reverse

from accounts.demo import DEMO_ACCOUNTS, demo_accounts_load


class _Links(HTMLParser):
    """The local links inside ``<header id="site-header">`` and ``<footer>``."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.links: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("header", "footer") and self.depth == 0:
            self.depth = 1
        elif self.depth and tag in ("header", "footer"):
            self.depth += 1
        if self.depth and tag == "a" and attrs.get("href"):
            href = attrs["href"]
            parts = urlsplit(href)
            if not parts.netloc and parts.path.startswith("/"):
                self.links.add(parts.path)

    def handle_endtag(self, tag):
        if self.depth and tag in ("header", "footer"):
            self.depth -= 1


def header_and_footer_links(html: str) -> set[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


@pytest.fixture
def demo(plan, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    accounts = demo_accounts_load()
    for label in ("consultations", "leadership"):
        apps.get_app_config(label).load_demo_data(accounts=accounts, stdout=StringIO())
    return accounts


def test_leadership_leads_to_the_programme(client, demo):
    response = client.get("/leadership/")
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_leadership_before_any_programme_says_so(client, plan):
    response = client.get(reverse("leadership_index"))
    assert response.status_code == 200
    assert "non è ancora pubblicato" in response.content.decode()


@override_settings(ACCOUNT_RATE_LIMITS=False)
def test_no_header_or_footer_link_is_broken(client, demo):
    """For a visitor and for every demo account, in one test: the demo is loaded once."""
    broken = {}
    for key in [None, *(spec.key for spec in DEMO_ACCOUNTS)]:
        client.logout()
        if key is not None:
            client.force_login(demo[key])
        links = header_and_footer_links(client.get("/").content.decode())
        assert "/leadership/" in links, key
        assert (reverse("staffhome:home") in links) == (
            key not in (None, "participant", "participant2", "participant3")
        ), key
        for link in sorted(links):
            status = client.get(link, follow=True).status_code
            if status >= 400:
                broken[(key, link)] = status
    assert broken == {}
