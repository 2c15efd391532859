"""A team submits a contest entry in a real browser: register, type (saved as they type),
invite, the mate accepts, upload a board, submit; axe-core on every page and after each step."""

import pytest

from contests.models import Entry, EntryStatus
from tests.contests import factories
from tests.factories import UserFactory


@pytest.fixture
def board(tmp_path):
    path = tmp_path / "tavola.pdf"
    path.write_bytes(factories.pdf_bytes("Tavola 1", author="Zelinda Quartararo"))
    return path


def test_a_team_submits_an_entry(
    plan, live_server, browser_context_factory, axe, login, board, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    contest = factories.make_contest(title="Contest browser")
    contact = UserFactory(display_name="Referente Browser")
    mate = UserFactory(display_name="Compagna Browser")
    base = live_server.url

    page = browser_context_factory().new_page()
    login(page, base, contact)
    page.goto(base + contest.url)
    page.get_by_role("heading", name="Contest browser").wait_for()
    axe(page)
    page.get_by_role("link", name="Iscriviti al contest").click()
    axe(page)
    page.locator("label[for=id_kind_1]").click()  # a group (individuals come first)
    page.get_by_role("button", name="Iscriviti").click()
    page.get_by_role("heading", name="Il progetto della squadra: Contest browser").wait_for()
    axe(page)
    page.fill("#id_title", "Piazza viva")
    page.fill("#id_summary", "Panchine, ombra e una fontana.")
    page.get_by_text("Bozza salvata alle").wait_for()
    page.reload()
    assert page.input_value("#id_title") == "Piazza viva"
    page.fill("#id_email", mate.email)
    page.select_option("#id_role", "graphics")
    page.get_by_role("button", name="Invita").click()
    page.get_by_text("Invito registrato").wait_for()
    page.set_input_files("#id_file", str(board))
    page.get_by_role("button", name="Carica").click()
    page.get_by_text("i dati nascosti del file «tavola.pdf» contengono un nome").wait_for()
    axe(page)

    mate_page = browser_context_factory().new_page()
    login(mate_page, base, mate)
    mate_page.goto(f"{base}/concorsi/miei/")
    axe(mate_page)
    mate_page.get_by_role("button", name="Accetta l'invito Contest browser").click()
    mate_page.get_by_text("Fai parte della squadra.").wait_for()

    page.reload()
    page.get_by_role("button", name="Consegna il progetto").click()
    page.get_by_text("Progetto consegnato").wait_for()
    axe(page)
    entry = Entry.objects.get(contact=contact)
    assert entry.status == EntryStatus.SUBMITTED
    assert page.get_by_test_id("entry-protocol").inner_text() == entry.protocol
