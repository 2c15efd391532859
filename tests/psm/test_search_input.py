"""Search: punctuation in the query is never a server error (found by the bad-input drill:
a quote made SQLite's full-text index raise "unterminated string")."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ['"', 'piano "strategico', "a AND OR NOT (", "*", "^-:"])
def test_punctuation_in_the_query_is_not_an_error(client, plan, query):
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200


def test_words_still_find_pages(client, plan):
    response = client.get(reverse("search"), {"q": '"Torino"'})
    assert response.status_code == 200
