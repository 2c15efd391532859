"""A contest read in English is the same contest: its English page (wagtail-localize's copy)
sends registrations and votes to the Italian page, where entries and results belong."""

import pytest
from wagtail.models import Locale

from contests.models import ContestPage
from tests.contests.factories import make_contest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest_in_two_languages(plan):
    contest = make_contest()
    english = ContestPage.objects.filter(
        translation_key=contest.translation_key, locale__language_code="en"
    ).first()
    if english is None:  # the English tree is kept in sync from Italian; make the copy if not
        english = contest.copy_for_translation(Locale.objects.get(language_code="en"), alias=True)
    return contest, english


def test_the_english_page_takes_part_in_the_italian_contest(client, contest_in_two_languages):
    italian, english = contest_in_two_languages
    assert english.pk != italian.pk
    client.force_login(UserFactory())
    page = client.get(english.url).content.decode()
    assert f"/concorsi/{italian.pk}/partecipa/" in page
    assert f"/concorsi/{english.pk}/partecipa/" not in page


def test_an_english_page_address_registers_in_the_italian_contest(client, contest_in_two_languages):
    italian, english = contest_in_two_languages
    client.force_login(UserFactory())
    response = client.get(f"/concorsi/{english.pk}/partecipa/")
    assert response.status_code == 200
    assert response.context["contest"].pk == italian.pk
