"""A workshop as it runs in a room (issue 13, point 3): a facilitator (not a superuser) conducts
from a phone, the classroom computer projects the chrome-free screen at 1920 px, two phones join
with the code and answer; console and screen follow without a reload.

pytest-django's live_server has no WebSockets: uvicorn runs in a subprocess on a file SQLite
database (tests/workshops/asgi_server.py), as in test_live.py.
"""

import os
from types import SimpleNamespace

import pytest

from tests.workshops.asgi_server import (
    create_session,
    free_port,
    prepare_database,
    server_env,
    uvicorn_server,
)

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
PROMPT = "Quale spazio rigeneriamo?"


@pytest.fixture
def room_server(tmp_path):
    db_path = tmp_path / "room.sqlite3"
    prepare_database(db_path, reference_data=True)
    env = server_env(db_path, CHANNELS_PREFIX=f"room{os.getpid()}")
    env.pop("REDIS_URL", None)  # one process: the embedded in-memory channel layer
    data = create_session(env, state="draft")
    with uvicorn_server(env, free_port(), tmp_path / "uvicorn.log") as base_url:
        yield base_url, data


def no_horizontal_overflow(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth"
        " && document.body.scrollWidth <= window.innerWidth"
    )


def mark_document(page) -> None:
    page.evaluate("() => { window.__sameDocument = true; }")


def same_document(page) -> bool:
    return page.evaluate("() => window.__sameDocument === true")


def join_and_answer(phone, base_url: str, code: str, option: str, axe) -> None:
    phone.goto(f"{base_url}/laboratori/")
    phone.get_by_label("Codice del laboratorio").fill(code.lower())
    phone.get_by_role("button", name="Entra").click()
    phone.get_by_role("heading", name=PROMPT).wait_for()
    assert no_horizontal_overflow(phone)
    axe(phone)
    phone.locator("label", has_text=option).click()
    phone.get_by_role("button", name="Invia la risposta").click()
    phone.get_by_text("Risposta registrata").wait_for()
    axe(phone)


def test_a_facilitator_runs_the_room_from_a_phone(
    room_server, browser_context_factory, login, axe, screenshot
):
    base_url, data = room_server
    code = data["code"]
    console_url = f"{base_url}/laboratori/sessione/{data['session']}/conduzione/"
    facilitator = SimpleNamespace(email=data["facilitator"])

    # the console on a desktop: axe clean
    desk = browser_context_factory().new_page()
    login(desk, base_url, facilitator)
    desk.goto(console_url)
    desk.get_by_role("heading", level=1).wait_for()
    axe(desk)

    # the console on the facilitator's phone: nothing wider than 360 px, big buttons
    console = browser_context_factory(**PHONE).new_page()
    login(console, base_url, facilitator)
    console.goto(console_url)
    console.get_by_role("heading", level=1).wait_for()
    assert no_horizontal_overflow(console)
    axe(console)

    # the classroom computer: the projector link, full width, no site chrome
    screen = browser_context_factory(viewport={"width": 1920, "height": 1080}).new_page()
    screen.goto(f"{base_url}/laboratori/schermo/{data['projector_token']}/")
    assert screen.locator("#site-header, #footer, .it-header-wrapper").count() == 0
    assert screen.locator(".live-code").inner_text() == code
    assert screen.get_by_role("img", name="Codice QR").is_visible()
    grid = screen.locator(".live-screen-grid").bounding_box()
    assert grid["width"] >= 1900
    code_size = screen.locator(".live-code").evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert code_size >= 90
    fullscreen = screen.get_by_role("button", name="Schermo intero")
    fullscreen.wait_for()
    axe(screen)

    # the facilitator starts the activity and shows the results from the phone
    console.get_by_role("button", name="Avvia").click()
    console.get_by_role("button", name="Mostra risultati").click()
    console.get_by_text("risultati mostrati").first.wait_for()
    assert no_horizontal_overflow(console)
    screen.get_by_role("heading", name=PROMPT).wait_for()
    screen.locator("[data-live-results]").wait_for()
    prompt_size = screen.locator(".live-prompt").evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert prompt_size >= 60
    console.locator("[data-live-fallback]").wait_for(state="hidden")  # live: no "Aggiorna"
    mark_document(console)
    mark_document(screen)
    axe(console)
    axe(screen)

    # two phones join with the code and answer
    first = browser_context_factory(**PHONE).new_page()
    join_and_answer(first, base_url, code, "Il cortile", axe)
    console.get_by_text("1 partecipante entrato").wait_for()
    console.get_by_text("1 risposta").first.wait_for()
    second = browser_context_factory(**PHONE).new_page()
    join_and_answer(second, base_url, code, "La stazione", axe)

    # console and screen follow, in the same documents
    console.get_by_text("2 partecipanti entrati").wait_for()
    console.get_by_text("2 risposte").first.wait_for()
    screen.locator("[data-live-total]", has_text="2").wait_for()
    screen.locator('[data-index="0"] .live-pct-50').wait_for()
    screen.locator('[data-index="1"] .live-pct-50').wait_for()
    assert same_document(console)
    assert same_document(screen)
    assert no_horizontal_overflow(console)
    axe(console)
    axe(screen)
    screenshot(screen, "live-room-screen")
    screenshot(console, "live-room-console-phone", full_page=True)

    # the "schermo intero" button (Fullscreen API)
    fullscreen.click()
    screen.get_by_role("button", name="Esci dallo schermo intero").wait_for()
    assert screen.evaluate("() => document.fullscreenElement !== null")
    screen.get_by_role("button", name="Esci dallo schermo intero").click()
    screen.get_by_role("button", name="Schermo intero").wait_for()

    # the facilitator ends the session from the phone: the screen drops the code
    console.get_by_role("link", name="Chiudi il laboratorio").click()
    console.get_by_role("button", name="Chiudi il laboratorio").click()
    console.get_by_text("Laboratorio chiuso").first.wait_for()
    screen.locator("[data-live-ended]").wait_for()
    screen.locator("[data-live-join]").wait_for(state="detached")
    assert same_document(screen)
    axe(screen)
    axe(console)
