"""A consultation in two languages is one consultation: the English page tells it, the Italian
page holds its proposals, votes and phases; lists count it once; what people write keeps its
language."""

import pytest
from django.urls import reverse
from django.utils import translation

from consultations.demo import PSM_SLUG, load_demo_consultations
from consultations.models import ConsultationPage
from proposals.models import Comment
from tests.factories import UserFactory
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(plan):
    load_demo_consultations()
    italian = ConsultationPage.objects.get(locale__language_code="it", slug=PSM_SLUG)
    english = ConsultationPage.objects.get(locale__language_code="en", slug=PSM_SLUG)
    return italian, english


def test_the_demo_consultations_and_their_index_are_translated(demo):
    italian, english = demo
    assert english.title == "What should change in the PSM for the young generations?"
    assert english.translation_key == italian.translation_key
    assert english.alias_of_id is None
    assert english.url.startswith("/en/piano/asse-5/strategia-5-2/azione-5-2-1/")
    assert ConsultationPage.objects.filter(locale__language_code="en").count() == 2
    assert english.get_parent().specific.code == "5.2.1"  # under the English action
    assert english.get_parent().locale.language_code == "en"


def test_the_english_page_takes_part_in_the_italian_consultation(client, demo):
    italian, english = demo
    client.force_login(UserFactory())
    response = client.get(english.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "What should change in the Metropolitan Strategic Plan" in html
    with translation.override("en"):
        create = reverse("proposals:create", args=[italian.pk])
        follow = reverse("consultations:follow", args=[italian.pk])
    assert create == f"/en/proposte/nuova/{italian.pk}/"
    assert f'href="{create}"' in html
    assert f'action="{follow}"' in html
    assert f"consultation:{italian.pk}" in html


def test_proposals_of_the_italian_page_show_on_the_english_one(client, demo):
    italian, english = demo
    proposal = ProposalFactory(consultation=italian, title="Più spazi studio", language="it")
    html = client.get(english.url).content.decode()
    assert "Più spazi studio" in html
    assert '<h3 class="h5 mb-1" lang="it">' in html
    assert client.get(proposal.get_absolute_url()).status_code == 200


def test_each_consultation_is_listed_once_with_its_title_in_the_language_read(client, demo):
    italian, english = demo
    assert english not in ConsultationPage.objects.visible_to(None)
    assert ConsultationPage.objects.visible_to(None).filter(slug=PSM_SLUG).count() == 1
    italian_html = client.get("/").content.decode()
    english_html = client.get("/en/").content.decode()
    assert italian_html.count(italian.title) == 1
    assert english_html.count(english.title) == 1
    assert f'href="{english.url}"' in english_html
    index = client.get("/en/consultazioni/")
    assert index.status_code == 200
    assert index.content.decode().count(english.title) == 1


def test_what_people_write_keeps_the_language_they_wrote_in(client, demo):
    italian, _english = demo
    person = UserFactory()
    with translation.override("en"):  # written on the English site
        proposal = ProposalFactory(consultation=italian, author=person)
    with translation.override("it"):
        comment = Comment.objects.create(proposal=proposal, author=person, body="Bella idea")
    assert proposal.language == "en"
    assert comment.language == "it"
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert 'class="proposal-body mb-4" lang="en"' in html


def _category(consultation, name):
    return consultation.categories.get(name=name)


def test_the_categories_are_translated_with_the_page(demo):
    italian, english = demo
    names = list(english.categories.values_list("name", flat=True))
    assert names == ["School and training", "Work", "Housing", "Transport", "Culture and sport"]
    pairs = zip(italian.categories.all(), english.categories.all(), strict=True)
    assert all(it.translation_key == en.translation_key for it, en in pairs)
    assert _category(italian, "Lavoro").locale.language_code == "it"


def test_proposals_keep_the_italian_category_shown_in_the_language_read(client, demo):
    italian, english = demo
    work = _category(italian, "Lavoro")
    proposal = ProposalFactory(consultation=italian, category=work, title="Tirocini pagati")
    html = client.get(english.url).content.decode()
    assert "· Work" in html  # the card
    assert f'<option value="{work.pk}">Work</option>' in html  # the filter: the Italian row
    assert "Lavoro" not in html
    assert "· Lavoro" in client.get(italian.url).content.decode()
    with translation.override("en"):
        detail = client.get(proposal.get_absolute_url()).content.decode()
        client.force_login(UserFactory())
        form = client.get(reverse("proposals:create", args=[italian.pk])).content.decode()
    assert "· Work" in detail
    assert f'<option value="{work.pk}">Work</option>' in form
    assert proposal.category_id == work.pk


# Signed in, caches warm, two proposals with categories. The Italian page: nothing (the person
# is kept in the process; their facts, the page's body with its breadcrumbs and the list are cached); the English one
# reads two more pages (served from its route, the Italian consultation it tells). The English
# names of the categories are read when the shared proposal list is rendered (one query for the
# whole list), so a warm request, served the list from the fragment cache of its language, does
# not read them again.
ITALIAN_PAGE_QUERIES = 0
# The English request also reads the person again: the Italian one before it remembered the
# person's language, which replaced the users version (accounts.language).
ENGLISH_PAGE_QUERIES = ITALIAN_PAGE_QUERIES + 2 + 1


def test_the_english_page_reads_two_more_pages_than_the_italian_one(
    client, demo, django_assert_num_queries
):
    italian, english = demo
    for name in ("Lavoro", "Casa"):
        ProposalFactory(consultation=italian, category=_category(italian, name))
    client.force_login(UserFactory())
    for page, pinned in ((italian, ITALIAN_PAGE_QUERIES), (english, ENGLISH_PAGE_QUERIES)):
        client.get(page.url)  # warm the caches
        with django_assert_num_queries(pinned):
            assert client.get(page.url).status_code == 200
