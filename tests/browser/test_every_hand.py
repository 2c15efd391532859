"""Every hand: the key forms by keyboard alone (Tab order asserted), no sideways scrolling at
360 px, and axe-core after interactions (menu open, error states)."""

import re

import pytest

from tests.consultations.factories import make_consultation
from tests.factories import UserFactory
from tests.leadership import factories as leadership_factories
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db(transaction=True)

# What has the focus, in words: a field's name, a link's address, a button's text.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return "";
  if (e.closest('.map-picker')) return "map";
  if ((e.name || e.id) && e.tagName !== "BUTTON") return e.name || e.id;
  if (e.tagName === "A") return e.getAttribute("href");
  return e.textContent.trim();
}"""
# The same description for every control of a form, in document order.
CONTROLS = """(selector) => Array.from(document.querySelector(selector).querySelectorAll(
  'input:not([type=hidden]), select, textarea, button, a[href]'
)).filter(e => !e.disabled && e.offsetParent !== null).map(e => {
  if ((e.name || e.id) && e.tagName !== "BUTTON") return e.name || e.id;
  if (e.tagName === "A") return e.getAttribute("href");
  return e.textContent.trim();
})"""


def tab_through(page, first: str, stop: str, limit: int = 60) -> list[str]:
    """Focus ``first``, press Tab until ``stop`` has the focus; what had the focus, in order."""
    page.focus(first)
    seen = [page.evaluate(FOCUSED)]
    while seen[-1] != stop and len(seen) < limit:
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUSED))
    return seen


def unique_in_order(items: list[str]) -> list[str]:
    return [item for index, item in enumerate(items) if index == 0 or items[index - 1] != item]


def test_login_tabs_email_password_submit_then_reset_link(live_server, plan, browser_page, axe):
    page = browser_page
    page.goto(f"{live_server.url}/account/login/")
    order = tab_through(page, "input[name=login]", "/account/password/reset/")
    assert order == ["login", "password", "remember", "Accedi", "/account/password/reset/"]

    page.focus("input[name=login]")
    page.keyboard.type("nessuno@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("una-password-sbagliata")
    page.keyboard.press("Enter")  # wrong credentials: the error state
    page.locator("main .alert-danger").wait_for()
    axe(page)


def test_signup_by_keyboard_returns_to_the_consultation_signed_in(
    live_server, plan, browser_page, axe, mailoutbox
):
    consultation = make_consultation(phase="proposals", title="Spazi per i giovani")
    page = browser_page
    page.goto(f"{live_server.url}/account/signup/?next={consultation.url}")
    form = "main form.psm-form"
    controls = page.evaluate(CONTROLS, form)
    assert page.evaluate(FOCUSED) == ""
    order = unique_in_order(tab_through(page, f"{form} input[name=email]", "Crea l'account"))
    assert order == controls[controls.index("email") :]

    page.keyboard.press("Enter")  # submit the empty form: every error, accessible
    page.locator("main .errorlist").first.wait_for()
    axe(page)

    values = {
        "email": "chiara@example.org",
        "password1": "girasole-montagna-77",
        "password2": "girasole-montagna-77",
        "display_name": "Chiara",
    }
    for name, value in values.items():
        page.focus(f"{form} [name={name}]")
        page.keyboard.type(value)
    page.focus(f"{form} [name=birth_date]")
    page.keyboard.type("14032005")
    page.focus(f"{form} [name=comune_choice]")
    page.keyboard.type("Pinerolo")
    page.focus(f"{form} [name=accept_privacy]")
    page.keyboard.press("Space")
    page.focus(f"{form} button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    errors = page.locator("main .errorlist").all_inner_texts()
    assert len(mailoutbox) == 1, errors

    link = re.search(r"https?://\S+/account/confirm-email/\S+/", mailoutbox[0].body).group(0)
    page.goto(link)
    page.focus("main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{consultation.url}")
    page.get_by_role("button", name="Esci").wait_for()
    assert "Ti diamo il benvenuto" in page.content()


def test_proposal_form_map_is_one_stop_with_keyboard_controls(
    live_server, plan, browser_page, axe, login
):
    consultation = make_consultation(phase="proposals", title="Dove mancano spazi?")
    page = browser_page
    login(page, live_server.url, UserFactory())
    page.goto(f"{live_server.url}/proposte/nuova/{consultation.pk}/")
    page.wait_for_selector(".map-picker path.leaflet-interactive")  # the comuni arrived
    assert page.locator(".map-picker path.leaflet-interactive").count() > 300
    assert page.locator('.map-picker path[tabindex="-1"]').count() > 300
    assert page.get_attribute(".leaflet-control-zoom-in", "title") == "Ingrandisci la mappa"
    assert page.get_attribute(".leaflet-control-zoom-out", "title") == "Riduci la mappa"

    form = "main form.psm-form"
    order = unique_in_order(tab_through(page, f"{form} [name=title]", "Invia la proposta", 120))
    assert order.count("map") == 1
    assert order[-1] == "Invia la proposta"
    assert len(order) < 40

    page.focus(".map-picker")
    page.keyboard.press("Enter")
    latitude = float(page.input_value("input[name=latitude]"))
    assert 44.5 < latitude < 45.8
    page.get_by_text("Punto messo al centro della mappa.").wait_for(state="attached")
    axe(page)


def test_application_form_follows_the_page_order(live_server, plan, browser_page, axe, login):
    call = leadership_factories.make_call(title="Bando da tastiera")
    page = browser_page
    login(page, live_server.url, UserFactory())
    page.goto(f"{live_server.url}/programma/bandi/{call.pk}/candidatura/")
    page.focus("main form button[type=submit]")
    page.keyboard.press("Enter")  # "Inizia la candidatura"
    page.wait_for_load_state("networkidle")
    form = "main form#application-form"
    controls = page.evaluate(CONTROLS, form)
    first = page.locator(form).first.locator("input:not([type=hidden]), select, textarea").first
    first.focus()
    seen = [page.evaluate(FOCUSED)]
    while seen[-1] != controls[-1] and len(seen) < 80:
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUSED))
    assert unique_in_order(seen) == unique_in_order(controls[controls.index(seen[0]) :])
    axe(page)


def test_key_pages_fit_a_360_px_screen(live_server, plan, phone_page):
    from psm.models import ActionPage, AxisPage

    consultation = make_consultation(phase="proposals", results_public=True, title="Risultati")
    for number in range(3):
        ProposalFactory(
            consultation=consultation,
            title=f"Una proposta con un titolo piuttosto lungo numero {number}",
        )
    call = leadership_factories.make_call(title="Bando stretto")
    pages = [
        "/",
        "/piano/",
        AxisPage.objects.get(locale__language_code="it", code="5").url,
        ActionPage.objects.get(locale__language_code="it", code="5.2.1").url,
        consultation.url,
        f"/partecipa/{consultation.pk}/risultati/",
        call.url,
        "/account/login/",
        "/account/signup/",
        "/privacy/",
        "/accessibilita/",
        "/cerca/?q=giovani",
    ]
    wide = {}
    for path in pages:
        phone_page.goto(live_server.url + path)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            wide[path] = width
    assert not wide


def test_phone_menu_opens_closes_and_passes_axe(live_server, plan, phone_page, axe):
    page = phone_page
    page.goto(live_server.url + "/")
    toggler = page.get_by_role("button", name="Menu", exact=True)
    assert toggler.get_attribute("aria-expanded") == "false"
    assert not page.get_by_role("link", name="Consultazioni").first.is_visible()
    header = page.locator("#site-header").bounding_box()
    assert header["height"] < 740 / 4

    toggler.focus()
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Consultazioni").first.wait_for(state="visible")
    assert toggler.get_attribute("aria-expanded") == "true"
    axe(page)
    page.wait_for_function(
        "() => !document.querySelector('#main-menu').getAnimations({subtree: true}).length"
    )
    page.get_by_role("button", name="Chiudi il menu").focus()
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Consultazioni").first.wait_for(state="hidden")
    assert toggler.get_attribute("aria-expanded") == "false"


def test_results_table_scrolls_inside_its_box(live_server, plan, phone_page):
    consultation = make_consultation(phase="proposals", results_public=True)
    ProposalFactory(consultation=consultation, title="Unaparolalunghissimasenzaspazi" * 3)
    phone_page.goto(f"{live_server.url}/partecipa/{consultation.pk}/risultati/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360


def test_accessibility_feedback_form_by_keyboard(live_server, plan, browser_page, axe):
    page = browser_page
    page.goto(f"{live_server.url}/accessibilita/")
    axe(page)
    page.focus("textarea[name=message]")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("non-una-mail")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # "Invia la segnalazione": the error state
    page.locator("main .errorlist").first.wait_for()
    axe(page)
    page.fill("textarea[name=message]", "Il calendario non si legge con il lettore di schermo.")
    page.fill("input[name=reply_to]", "")
    page.get_by_role("button", name="Invia la segnalazione").click()
    page.get_by_text("Grazie: la tua segnalazione è arrivata").wait_for()
    axe(page)
