"""Doors of a contest nobody may see (behind a password, behind groups, unpublished): the page
shows nothing of it, registering and voting are not found, no vote is recorded."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import PageViewRestriction

from contests.models import PublicVote
from tests.contests import factories
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _hidden(case: str):
    contest = factories.make_contest(phase="vote", title="Contest riservato")
    entry, _people = factories.submitted_team(
        contest, title="Progetto segreto", now=factories.at(contest, "open")
    )
    if case == "password":
        PageViewRestriction.objects.create(
            page=contest, restriction_type="password", password="parola-riservata"
        )
    elif case == "groups":
        restriction = PageViewRestriction.objects.create(page=contest, restriction_type="groups")
        restriction.groups.add(Group.objects.create(name="Classe riservata"))
    else:
        contest.unpublish()
    return contest, entry


@pytest.mark.parametrize("case", ["password", "groups", "unpublished"])
def test_no_door_opens_a_hidden_contest(client, plan, case):
    contest, entry = _hidden(case)
    client.force_login(UserFactory())
    bodies = []
    page = client.get(contest.url or f"/{contest.slug}/")
    bodies.append(page.content)
    start = client.get(reverse("contests:start", args=[contest.pk]))
    assert start.status_code == 404
    bodies.append(start.content)
    vote = client.post(reverse("contests:vote", args=[contest.pk]), {"entry": entry.pk})
    assert vote.status_code == 404
    assert not PublicVote.objects.exists()
    for body in bodies:
        assert b"Progetto segreto" not in body
        assert entry.code.encode() not in body


def test_the_same_contest_in_the_open_takes_the_vote(client, plan):
    contest = factories.make_contest(phase="vote", title="Contest aperto")
    entry, _people = factories.submitted_team(contest, now=factories.at(contest, "open"))
    client.force_login(UserFactory())
    page = client.get(contest.url)
    assert entry.code.encode() in page.content
    client.post(reverse("contests:vote", args=[contest.pk]), {"entry": entry.pk})
    assert PublicVote.objects.filter(entry=entry).count() == 1
