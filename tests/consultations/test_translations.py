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
