"""Closing the loop (issue 12) in a browser, with axe-core on every page visited.

- The young person's view, "dove è andata la mia idea?": the author of an amendment signs in,
  follows the notification to their proposal, then to the published change (before/after) and
  to the implementation record with its updates.
- The editor's view: the consultation's facilitator reviews the change set and publishes the
  revision; an editor of the plan creates an implementation record in the Wagtail admin, then
  changes its status and adds an update; the public pages show it.
"""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from accountability.models import ImplementationRecord, RecordStatus, RecordUpdate
from proposals.amendments import services as amendments
from proposals.models import ChangeSet, ChangeSetState, ProposalStatus
from proposals.services import proposals as proposal_services
from psm.models import ActionPage
from tests.accountability.factories import ImplementationRecordFactory, publish
from tests.consultations.factories import make_consultation, make_editor, make_facilitator
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = (
    "Coinvolgere i giovani nella definizione delle strategie del piano.\n\n"
    "Organizzare ogni anno un incontro pubblico in ciascuna zona omogenea.\n\n"
    "Pubblicare online i risultati delle consultazioni."
)
AMENDED = TEXT.replace("ogni anno", "due volte l'anno")
WHY = "Un incontro all'anno è poco: chi studia fuori non riesce mai a esserci."
YES = "Accolto: il testo sarà aggiornato."


def assert_diff_shows_the_change(page):
    """The word diff: what was added underlined (``<ins>``), what was removed struck out."""
    added = " ".join(page.locator(".amendment-diff ins").all_inner_texts())
    removed = " ".join(page.locator(".amendment-diff del").all_inner_texts())
    assert "due" in added
    assert "volte" in added
    assert "ogni" in removed


@pytest.fixture
def eager_celery():
    from config.celery import app as celery_app

    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates)
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


@pytest.fixture
def world(plan, eager_celery):
    action = ActionPage.objects.get(locale__language_code="it", code="5.2.1")
    action.official_text = TEXT
    action.save_revision().publish()
    action = ActionPage.objects.get(pk=action.pk)
    consultation = make_consultation(phase="proposals", parent=action)
    facilitator = make_facilitator(consultation, display_name="Giulia facilitatrice")
    author = UserFactory(display_name="Sara")
    proposal = proposal_services.proposal_submit(
        consultation=consultation,
        author=author,
        kind="amendment",
        title="Due incontri all'anno",
        body=WHY,
        amended_action=action,
        amended_text=AMENDED,
        paragraph=None,
    )
    amendment = amendments.amendment_accept(actor=facilitator, proposal=proposal, answer=YES)
    return {
        "action": action,
        "consultation": consultation,
        "facilitator": facilitator,
        "author": author,
        "proposal": proposal,
        "change_set": amendment.change_set,
    }


def test_where_did_my_idea_go(live_server, world, browser_page, login, axe):
    """The author signs in and follows their amendment to the changed plan and the work done."""
    amendments.changeset_publish(actor=world["facilitator"], change_set=world["change_set"])
    record = ImplementationRecordFactory(
        action=world["action"],
        title="Incontri pubblici nelle zone omogenee",
        in_progress=True,
        proposals=[world["proposal"]],
        publish=False,
    )
    record.status_note = "Il primo ciclo di incontri è in calendario."
    record.updates.add(
        RecordUpdate(
            date=datetime.date(2026, 10, 1),
            title="Primo incontro a Pinerolo",
            text="Quaranta persone, tre proposte nuove.",
        )
    )
    record = publish(record)
    page = browser_page
    login(page, live_server.url, world["author"])

    # The notification of the change leads to the proposal.
    page.goto(f"{live_server.url}/notifiche/")
    axe(page)
    page.get_by_role("link", name="Due incontri all'anno").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(world["proposal"].get_absolute_url().split("?")[0]) or (
        "/proposte/" in page.url
    )
    assert page.get_by_role("heading", name="Due incontri all'anno").first.is_visible()
    axe(page)

    # From the proposal to the published change, with the before/after.
    page.get_by_role("link", name="vedi il testo pubblicato e le differenze").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Il testo dell'azione")
    assert_diff_shows_the_change(page)
    axe(page)
    page.get_by_role("link", name="Due incontri all'anno").click()
    page.wait_for_load_state("networkidle")

    # From the proposal to the implementation record, with its timeline and updates.
    outcomes = page.locator("section.proposal-outcomes")
    assert outcomes.get_by_role("heading", name="Dove è andata questa proposta").is_visible()
    outcomes.get_by_role("link", name="Incontri pubblici nelle zone omogenee").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Incontri pubblici nelle zone omogenee").is_visible()
    body = page.locator("main").inner_text()
    assert "Primo incontro a Pinerolo" in body
    assert "Il primo ciclo di incontri è in calendario." in body
    assert page.locator("progress").first.get_attribute("value") == "50"
    axe(page)
    # … which names the proposal it came from.
    assert page.get_by_role("link", name="Due incontri all'anno").first.is_visible()


def _admin_publish(page):
    """Wagtail's "Pubblica" sits in the footer's menu of more actions, next to "Salva bozza"."""
    publish = page.locator("button[name=action-publish]").first
    if not publish.is_visible():
        menu = publish.locator("xpath=ancestor::*[@data-controller='w-dropdown'][1]")
        try:
            menu.locator("[data-w-dropdown-target='toggle']").first.click(timeout=5000)
            publish.click(timeout=5000)
        except PlaywrightError:  # the menu's markup changed: press the button itself
            publish.evaluate("button => button.click()")
    else:
        publish.click()
    page.wait_for_load_state("networkidle")


def test_the_editor_publishes_the_change_and_records_the_work(
    live_server, world, browser_page, login, axe
):
    page = browser_page
    facilitator, proposal, change_set = world["facilitator"], world["proposal"], world["change_set"]
    login(page, live_server.url, facilitator)

    # Review the change set: the diff, then publish with the confirmation box.
    review = reverse("moderation:change_set", kwargs={"change_set_id": change_set.pk})
    page.goto(live_server.url + review)
    assert_diff_shows_the_change(page)
    axe(page)
    page.locator(
        "section[aria-labelledby=pubblica] button[type=submit]"
    ).click()  # without the box: refused
    page.wait_for_load_state("networkidle")
    assert ChangeSet.objects.get(pk=change_set.pk).state == ChangeSetState.OPEN
    axe(page)
    page.locator("section[aria-labelledby=pubblica] input[type=checkbox]").check()
    page.locator("section[aria-labelledby=pubblica] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert ChangeSet.objects.get(pk=change_set.pk).state == ChangeSetState.PUBLISHED
    assert ActionPage.objects.get(pk=world["action"].pk).official_text == AMENDED
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.INCORPORATED
    axe(page)

    # An editor of the plan (who manages the action's records) creates an implementation
    # record in the Wagtail admin, linked to the amendment.
    page.context.clear_cookies()
    login(page, live_server.url, make_editor(display_name="Redazione del piano"))
    page.goto(f"{live_server.url}/admin/snippets/accountability/implementationrecord/add/")
    # The action is Wagtail's page chooser (a modal of Wagtail's own): its hidden input is set
    # as the modal would set it.
    page.eval_on_selector(
        "#id_action", "(input, pk) => { input.value = pk; }", str(world["action"].pk)
    )
    page.fill("#id_title", "Due incontri all'anno in ogni zona")
    page.fill("#id_description", "Il calendario degli incontri pubblici, zona per zona.")
    page.select_option("#id_status", RecordStatus.PLANNED)
    page.fill("#id_office", "Ufficio Giovani")
    page.get_by_role("tab", name="Da dove nasce").click()
    page.select_option("#id_proposals", str(proposal.pk))
    axe(page)
    _admin_publish(page)
    record = ImplementationRecord.objects.get(title="Due incontri all'anno in ogni zona")
    assert record.live
    assert list(record.proposals.all()) == [proposal]

    # Update it: a new status, progress and a dated update, published as a new revision.
    page.goto(
        f"{live_server.url}/admin/snippets/accountability/implementationrecord/edit/{record.pk}/"
    )
    page.select_option("#id_status", RecordStatus.IN_PROGRESS)
    page.fill("#id_progress", "30")
    page.fill("#id_status_note", "Il primo incontro è fissato.")
    axe(page)
    page.get_by_role("tab", name="Aggiornamenti").click()
    page.locator("#id_updates-ADD").click()
    page.fill("#id_updates-0-date", "2026-10-01")
    page.keyboard.press("Escape")
    page.locator("#id_updates-0-title").click()  # closes Wagtail's date picker
    page.fill("#id_updates-0-title", "Fissato il primo incontro")
    page.fill("#id_updates-0-text", "A Pinerolo, in biblioteca.")
    # (no axe while Wagtail's own date picker is open: its month buttons have no names; the
    # page is checked before it opens and again once the record is published)
    _admin_publish(page)
    axe(page)
    record = ImplementationRecord.objects.get(pk=record.pk)
    assert record.status == RecordStatus.IN_PROGRESS
    assert record.progress == 30
    assert record.updates.get().title == "Fissato il primo incontro"

    # The public pages show it: the record, the proposal, the action.
    page.goto(live_server.url + record.get_absolute_url())
    main = page.locator("main").inner_text()
    assert "Fissato il primo incontro" in main
    assert "Il primo incontro è fissato." in main
    axe(page)
    page.goto(live_server.url + proposal.get_absolute_url())
    outcomes = page.locator("section.proposal-outcomes")
    assert outcomes.get_by_role("link", name="Due incontri all'anno in ogni zona").is_visible()
    axe(page)
    page.goto(live_server.url + ActionPage.objects.get(pk=world["action"].pk).url)
    assert "due volte l'anno" in page.locator("main").inner_text()
    axe(page)
