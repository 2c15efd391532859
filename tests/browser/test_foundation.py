"""A visitor reads the plan; a young person signs up, verifies the e-mail, logs in and
downloads their data. axe-core audits every page on the way."""

import json
import re

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_to_axis_to_action(live_server, plan, browser_page, axe, screenshot):
    page = browser_page
    page.goto(live_server.url + "/")
    axe(page)
    screenshot(page, "home", full_page=True)

    page.get_by_role("link", name="Leggi il piano").click()
    page.wait_for_url("**/piano/")
    axe(page)

    page.get_by_role("link", name=re.compile(r"^Asse 5")).click()
    page.wait_for_url("**/asse-5/")
    axe(page)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Asse 5")

    page.get_by_role("link", name=re.compile(r"^Azione 5\.2\.1")).click()
    page.wait_for_url("**/azione-5-2-1/")
    axe(page)
    assert "Azione 5.2.1" in page.get_by_role("heading", level=1).inner_text()
    assert "popolazione giovanile" in page.locator(".official-text").inner_text()
    screenshot(page, "action", full_page=True)


def test_axis_with_unverified_name_is_marked(live_server, plan, browser_page, axe):
    browser_page.goto(live_server.url + "/piano/asse-4/")
    assert browser_page.get_by_text("non è stato verificato").is_visible()
    axe(browser_page)


def test_signup_verify_login_and_download_data(
    live_server, plan, browser_page, phone_page, axe, screenshot, mailoutbox, tmp_path
):
    page = phone_page  # sign-up happens on a phone, 360 px wide
    page.goto(live_server.url + "/account/signup/")
    axe(page)
    screenshot(page, "signup-phone", full_page=True)

    page.fill("input[name=display_name]", "Chiara")
    page.fill("input[name=email]", "chiara@example.org")
    page.fill("input[name=password1]", "girasole-montagna-77")
    page.fill("input[name=password2]", "girasole-montagna-77")
    page.fill("input[name=birth_date]", "2005-03-14")
    page.select_option("select[name=comune_choice]", label="Pinerolo")
    page.select_option("select[name=gender]", "donna")
    page.check("input[name=accept_privacy]")
    page.get_by_role("button", name="Crea l'account").click()
    page.wait_for_load_state("networkidle")
    axe(page)

    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/account/confirm-email/\S+/", mailoutbox[0].body).group(0)
    page.goto(link)
    axe(page)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state("networkidle")

    page.goto(live_server.url + "/account/login/")
    axe(page)
    page.fill("input[name=login]", "chiara@example.org")
    page.fill("input[name=password]", "girasole-montagna-77")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/profilo/")
    axe(page)
    screenshot(page, "profile-phone", full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Scarica i miei dati (JSON)").click()
    path = tmp_path / "dati.json"
    download_info.value.save_as(path)
    data = json.loads(path.read_text())
    [account] = data["accounts"]["account"]
    assert account["email"] == "chiara@example.org"
    assert account["comune__name"] == "Pinerolo"
    assert account["privacy_notice_version"]
