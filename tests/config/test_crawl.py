"""A first-time visitor follows every link, two levels deep from the home page, with the demo
loaded: header, footer and body links of every public page lead somewhere (no 404, no error)."""

from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import override_settings

#: Not pages of the site: files served by the web server, and the admin's sign-in (a
#: visitor is sent to it, tested elsewhere).
SKIPPED_PREFIXES = ("/static/", "/media/", "/admin/", "/django-admin/")
DEPTH = 2


class _Links(HTMLParser):
    """The local links (``<a href>``) of a page, anywhere in it."""

    def __init__(self, base: str):
        super().__init__()
        self.base = base
        self.links: set[str] = set()

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
            return
        parts = urlsplit(urljoin(self.base, href))
        if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
            return
        if parts.path.startswith(SKIPPED_PREFIXES):
            return
        self.links.add(parts.path + (f"?{parts.query}" if parts.query else ""))


def page_links(url: str, html: str) -> set[str]:
    parser = _Links(url)
    parser.feed(html)
    return parser.links


@pytest.fixture
def demo(plan, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.DEMO_DATA_ALLOWED = True
    call_command("load_demo", stdout=StringIO())


@override_settings(ACCOUNT_RATE_LIMITS=False)
def test_every_link_two_levels_from_the_home_page_leads_somewhere(client, demo):
    seen: dict[str, int] = {}
    found_on: dict[str, str] = {}
    level = {"/"}
    for depth in range(DEPTH + 1):
        following = set()
        for url in sorted(level):
            if url in seen:
                continue
            response = client.get(url, follow=True)
            seen[url] = response.status_code
            html_page = "text/html" in response.get("Content-Type", "")
            if depth < DEPTH and response.status_code == 200 and html_page:
                final = response.request["PATH_INFO"]
                for link in page_links(final, response.content.decode()):
                    if link not in seen:
                        found_on.setdefault(link, url)
                        following.add(link)
        level = following
    broken = {url: (status, found_on.get(url)) for url, status in seen.items() if status >= 400}
    assert broken == {}
    assert len(seen) > 50  # the crawl really went through the site
