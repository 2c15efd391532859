from leadership.models import CallPage, ProgrammePage
from psm.models import HomePage, PlanPage
from tests.factories import UserFactory
from tests.leadership import factories


def test_page_tree_rules(db):
    assert ProgrammePage.can_create_at(HomePage()) is True
    assert ProgrammePage.can_create_at(PlanPage()) is False
    assert CallPage.can_create_at(ProgrammePage()) is True
    assert CallPage.can_create_at(HomePage()) is False


def test_programme_page_lists_its_calls(client, call):
    page = client.get(call.get_parent().url).content.decode()
    assert call.title in page


def test_admin_menu_links_for_coordinators(client, plan):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get("/admin/").content.decode()
    assert "/programma/coordinamento/" in page


def test_call_page_links_staff_areas(client, call):
    client.force_login(factories.reviewer())
    assert "Area di valutazione" in client.get(call.url).content.decode()
    client.force_login(UserFactory())
    assert "Area di valutazione" not in client.get(call.url).content.decode()


def test_the_call_editor_offers_the_zona_and_the_review_deadline(client, call):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(f"/admin/pages/{call.pk}/edit/").content.decode()
    assert "scadenza delle valutazioni" in page.lower()
    assert "Tetto per genere" in page
    assert "Posti minimi per zona omogenea" in page
