"""Browser tests: Playwright (sync API) driving Debian's Chromium, no browser download.

Run in their own pytest process (``make test-browser``): Playwright leaves an event loop in the
test thread, which Django's async_to_sync would otherwise trip over.
"""

import os
import threading
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


def _csp_violation(message) -> str | None:
    """The console line Chromium prints when the Content Security Policy blocked something
    (an inline script or style, a foreign origin), with the page it happened on."""
    if "Content Security Policy" not in message.text:
        return None
    page = message.page.url if message.page else "?"
    return f"{page}: {message.text}"


class _CountingApp:
    """Wraps the live server's WSGI application and counts the requests it is still answering.

    With SQLite in memory the live server's threads share the test's database connection, so a
    request still running when the test ends (a debounced fetch, a preview refresh) holds a table
    lock and the flush between tests fails with "database table is locked"."""

    def __init__(self, app):
        self.app = app
        self.running = 0
        self.idle = threading.Condition()

    def _finished(self):
        with self.idle:
            self.running -= 1
            self.idle.notify_all()

    def __call__(self, environ, start_response):
        with self.idle:
            self.running += 1
        try:
            result = self.app(environ, start_response)
        except BaseException:
            self._finished()
            raise
        return _ClosingBody(result, self._finished)

    def wait_idle(self, timeout: float) -> bool:
        with self.idle:
            return self.idle.wait_for(lambda: self.running == 0, timeout=timeout)


class _ClosingBody:
    """A response body that reports when the server has closed it (after the last byte)."""

    def __init__(self, body, on_close):
        self.body = body
        self.on_close = on_close

    def __iter__(self):
        return iter(self.body)

    def close(self):
        try:
            if hasattr(self.body, "close"):
                self.body.close()
        finally:
            self.on_close()


@pytest.fixture(autouse=True)
def _live_server_drained(request):
    """After a browser test (its pages closed), wait for the live server to finish the requests
    it is still answering before the database is flushed for the next test."""
    if "live_server" not in request.fixturenames:
        yield
        return
    httpd = request.getfixturevalue("live_server").thread.httpd
    app = httpd.get_app()
    if not isinstance(app, _CountingApp):
        app = _CountingApp(app)
        httpd.set_app(app)
    yield
    assert app.wait_idle(timeout=30), "the live server was still answering after 30 s"


@pytest.fixture
def browser_context_factory(chromium):
    """New isolated browser contexts (separate cookies), e.g. projector + facilitator + phone.

    Every page opened in them is watched: a Content Security Policy violation reported in the
    browser console fails the test (at teardown), whatever the test itself checked."""
    contexts = []
    csp_violations = []

    def watch(message):
        violation = _csp_violation(message)
        if violation:
            csp_violations.append(violation)

    def make(**kwargs):
        kwargs.setdefault("locale", "it-IT")
        kwargs.setdefault("viewport", {"width": 1280, "height": 900})
        context = chromium.new_context(**kwargs)
        context.set_default_timeout(15_000)
        # An init script is not subject to the page's CSP (which forbids injected scripts).
        context.add_init_script(path=str(AXE_JS))
        context.on("console", watch)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not csp_violations, "CSP violations in the browser console:\n" + "\n".join(
        csp_violations
    )


@pytest.fixture
def browser_page(browser_context_factory):
    return browser_context_factory().new_page()


@pytest.fixture
def phone_page(browser_context_factory):
    """A 360 px wide phone screen."""
    return browser_context_factory(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    ).new_page()


def run_axe(page) -> list[dict]:
    """Run axe-core on the page. For people with admin access Wagtail's userbar runs its own
    axe-core check on load; axe refuses a second run while one is going, so wait for it."""
    script = (
        "() => axe.run(document, {runOnly: {type: 'tag', "
        "values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    for _attempt in range(50):
        try:
            return page.evaluate(script)["violations"]
        except PlaywrightError as error:
            if "already running" not in str(error):
                raise
            page.wait_for_timeout(200)
    return page.evaluate(script)["violations"]


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"  → {', '.join(node['target'])}: {summary[:300]}")
    return "\n".join(lines)


@pytest.fixture
def axe():
    """``axe(page)`` asserts that axe-core finds no WCAG 2.1 A/AA violation on the page."""

    def check(page):
        violations = run_axe(page)
        assert not violations, f"axe-core violations on {page.url}:\n{_describe(violations)}"

    return check


@pytest.fixture
def screenshot():
    """``screenshot(page, "name")`` saves docs/screenshots/name.png for the README."""

    def save(page, name: str, full_page: bool = False):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)

    return save


@pytest.fixture
def login():
    """Log a user in through the real login form."""

    def do_login(page, base_url: str, user, password: str = PASSWORD):
        page.goto(f"{base_url}/account/login/")
        page.fill("input[name=login]", user.email)
        page.fill("input[name=password]", password)
        page.click("main button[type=submit]")
        page.wait_for_load_state("networkidle")

    return do_login
