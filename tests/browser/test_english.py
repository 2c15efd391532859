"""The English plan in a real browser: axe-clean, and the language switch keeps the page."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

ACTION = "/piano/asse-5/strategia-5-2/azione-5-2-1/"


@pytest.mark.parametrize(
    "path", ["/en/", "/en/piano/", "/en/piano/asse-5/", "/en/piano/asse-5/strategia-5-2/"]
)
def test_english_plan_pages_are_axe_clean(live_server, plan, browser_page, axe, path):
    page = browser_page
    page.goto(f"{live_server.url}{path}")
    assert page.locator("html").get_attribute("lang") == "en"
    axe(page)


def test_the_switch_leads_to_the_same_action_in_english_and_back(
    live_server, plan, browser_page, axe
):
    page = browser_page
    page.goto(f"{live_server.url}{ACTION}")
    page.locator(".language-switch button[value=en]").click()
    page.wait_for_url(f"{live_server.url}/en{ACTION}")
    assert page.locator("h1").inner_text().startswith("Action 5.2.1")
    assert page.locator("html").get_attribute("lang") == "en"
    axe(page)
    page.locator(".language-switch button[value=it]").click()
    page.wait_for_url(f"{live_server.url}{ACTION}")
    assert page.locator("h1").inner_text().startswith("Azione 5.2.1")
