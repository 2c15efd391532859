"""Who gets which results tables and columns (``proposals.open_data.audience``): the service
decides, the views only follow it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from proposals.open_data import dictionary
from proposals.open_data.audience import DICTIONARY, results_audience
from tests.consultations.factories import make_consultation, make_facilitator
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _personal(columns) -> set[str]:
    return {str(column.label) for column in columns if column.personal}


def test_moderator_gets_every_table_and_every_column_before_the_results(plan):
    consultation = make_consultation(phase="proposals")
    audience = results_audience(user=make_facilitator(consultation), consultation=consultation)
    assert audience.moderator
    assert not audience.public
    assert not audience.results_public
    assert audience.table_keys == tuple(dictionary.TABLES)
    assert "commenti" in audience.csv_choices
    assert DICTIONARY in audience.csv_choices
    listed = dict((table.key, columns) for table, columns in audience.dictionary)
    assert _personal(listed["proposte"])  # the authors' names
    assert audience.cache_control == "private, no-store"


@pytest.mark.parametrize("who", ["anonymous", "participant", "facilitator_elsewhere"])
def test_nobody_else_gets_anything_before_the_results_are_public(plan, who):
    consultation = make_consultation(phase="voting")
    user = {
        "anonymous": AnonymousUser,
        "participant": UserFactory,
        "facilitator_elsewhere": lambda: make_facilitator(make_consultation(phase="proposals")),
    }[who]()
    with pytest.raises(PermissionDenied, match="risultati saranno pubblici"):
        results_audience(user=user, consultation=consultation)


def test_once_public_everybody_gets_the_public_tables_without_names(plan):
    consultation = make_consultation(phase="results")
    for user in (AnonymousUser(), UserFactory()):
        audience = results_audience(user=user, consultation=consultation)
        assert audience.public
        assert audience.results_public
        assert audience.table_keys == dictionary.PUBLIC_TABLES
        assert "commenti" not in audience.csv_choices
        for table, columns in audience.dictionary:
            assert table.public
            assert not _personal(columns)
            assert dictionary.header(table, public=True) == [str(c.label) for c in columns]
        assert audience.cache_control.startswith("public")


def test_moderator_stays_a_moderator_once_the_results_are_public(plan):
    consultation = make_consultation(phase="results")
    audience = results_audience(user=make_facilitator(consultation), consultation=consultation)
    assert audience.moderator
    assert audience.results_public
    assert audience.table_keys == tuple(dictionary.TABLES)
