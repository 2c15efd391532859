"""The signed-in consultation page keeps what it shows of the person in the cache (their block,
follow and unread notifications: consultations.person_facts; their supports and pending
proposals: proposals.list_cache) and the rest as fragments shared by everybody who sees the
same (the page's body varies on the refusals, the follow state and who moderates): each person
still sees their own facts, and a block, a follow, a vote, notifications read or a phase that
ends show at once."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.choices import VoteMode
from consultations.models import Follow, ParticipantBlock, Phase
from notifications.services import notify
from proposals.moderation import services as moderation
from tests.consultations.factories import make_consultation, make_facilitator
from tests.factories import UserFactory
from tests.proposals.factories import ProposalFactory, VoteFactory

pytestmark = pytest.mark.django_db

BLOCKED = "ha sospeso la tua partecipazione"
FOLLOW = "Segui: avvisami delle novità"
UNFOLLOW = "Non seguire più questa consultazione"
WITHDRAW = "Ritira il sostegno"
NEW_CONVERSATION = "Apri una conversazione"
BADGE = re.compile(r'badge[^>]*>(\d+)<span class="visually-hidden"> non lette')
# A warm cache: none; the person is kept in the process (accounts.session_user.kept_person) (tests/proposals/test_list_performance.py).
SIGNED_IN_QUERIES = 0


def _client(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _page(client, consultation) -> str:
    response = client.get(consultation.url)
    assert response.status_code == 200
    return response.content.decode()


def _badge(html: str) -> int:
    found = BADGE.search(html)
    return int(found[1]) if found else 0


def test_people_sharing_the_cached_page_each_see_their_own_facts(plan, django_assert_num_queries):
    consultation = make_consultation(phase="voting")
    proposal = ProposalFactory(consultation=consultation, title="Aule studio aperte")
    anna, bruno = UserFactory(), UserFactory()
    facilitator = make_facilitator(consultation)
    VoteFactory(proposal=proposal, voter=anna)
    Follow.objects.create(consultation=consultation, user=anna)
    ParticipantBlock.objects.create(consultation=consultation, user=bruno, reason="Insulti")
    for n in range(2):
        notify(user=anna, key=f"anna-{n}", kind="status_changed", title="Novità", email=False)
    clients = {person.pk: _client(person) for person in (anna, bruno, facilitator)}
    for client in (*clients.values(), *clients.values()):
        # Every entry and fragment kept (a staff member's first page writes their Wagtail
        # profile, for the user bar: the second round is read after the last write).
        _page(client, consultation)
    pages = {}
    for person in (anna, bruno):
        with django_assert_num_queries(SIGNED_IN_QUERIES):
            pages[person.pk] = _page(clients[person.pk], consultation)
    # Staff: the Wagtail user bar and the page permissions are read for them (not pinned).
    pages[facilitator.pk] = _page(clients[facilitator.pk], consultation)

    anna_page, bruno_page, facilitator_page = (pages[p.pk] for p in (anna, bruno, facilitator))
    assert WITHDRAW in anna_page
    assert UNFOLLOW in anna_page
    assert BLOCKED not in anna_page
    assert _badge(anna_page) == 2
    assert NEW_CONVERSATION not in anna_page

    assert WITHDRAW not in bruno_page
    assert FOLLOW in bruno_page
    assert BLOCKED in bruno_page
    assert _badge(bruno_page) == 0

    assert NEW_CONVERSATION in facilitator_page  # the body varies on who moderates
    assert BLOCKED not in facilitator_page
    for html in pages.values():
        assert "Aule studio aperte" in html
        assert html.count('aria-current="step"') == 1  # the running phase, once


def test_a_block_and_its_lifting_show_at_once(plan):
    consultation = make_consultation(phase="voting")
    proposal = ProposalFactory(consultation=consultation)
    author = proposal.author
    facilitator = make_facilitator(consultation)
    client = _client(author)
    _page(client, consultation)
    assert BLOCKED not in _page(client, consultation)
    moderation.participant_block(
        actor=facilitator, consultation=consultation, user=author, reason="Insulti ripetuti"
    )
    html = _page(client, consultation)
    assert BLOCKED in html
    assert "Sostieni" not in html  # the list's vote forms give way to the refusal
    assert moderation.participant_unblock(actor=facilitator, consultation=consultation, user=author)
    html = _page(client, consultation)
    assert BLOCKED not in html
    assert "Sostieni" in html


def test_a_follow_shows_at_once(plan):
    consultation = make_consultation(phase="voting")
    client = _client(UserFactory())
    assert FOLLOW in _page(client, consultation)
    url = reverse("consultations:follow", args=[consultation.pk])
    client.post(url, {"segui": "1"})
    assert UNFOLLOW in _page(client, consultation)
    client.post(url, {"segui": "0"})
    assert FOLLOW in _page(client, consultation)


def test_a_vote_and_its_withdrawal_show_at_once(plan):
    consultation = make_consultation(phase="voting", vote_mode=VoteMode.LIMITED, max_supports=3)
    proposal = ProposalFactory(consultation=consultation)
    client = _client(UserFactory())
    html = _page(client, consultation)
    assert "Puoi ancora dare 3 sostegni." in html
    assert WITHDRAW not in html
    vote_url = reverse("proposals:vote", args=[proposal.pk])
    client.post(vote_url, {"next": consultation.url})
    html = _page(client, consultation)
    assert WITHDRAW in html
    assert "Puoi ancora dare 2 sostegni." in html
    client.post(vote_url, {"azione": "ritira", "next": consultation.url})
    html = _page(client, consultation)
    assert WITHDRAW not in html
    assert "Puoi ancora dare 3 sostegni." in html


def test_notifications_read_leave_the_badge_at_once(plan):
    consultation = make_consultation(phase="voting")
    person = UserFactory()
    client = _client(person)
    assert _badge(_page(client, consultation)) == 0
    for n in range(3):
        notify(user=person, key=f"n-{n}", kind="status_changed", title="Novità", email=False)
    assert _badge(_page(client, consultation)) == 3
    client.post(reverse("notifications:read"))  # an UPDATE: no post_save
    assert _badge(_page(client, consultation)) == 0


def test_a_phase_that_ends_shows_at_once_without_any_write(plan):
    """No write happens when a phase ends: the cached body and facts must follow the clock (the
    fragments vary on the schedule's moment; the refusals are worked out per request)."""
    consultation = make_consultation(phase="voting")
    ProposalFactory(consultation=consultation)
    voting = Phase.objects.get(page=consultation, kind="voting")
    results = Phase.objects.get(page=consultation, kind="results")
    now = timezone.now()
    voting.ends_at = results.starts_at = now + datetime.timedelta(seconds=5)
    voting.save()
    results.save()
    client = _client(UserFactory())
    with time_machine.travel(now, tick=False):
        _page(client, consultation)
        html = _page(client, consultation)
        assert "Sostieni" in html
        assert "phase-current" in html.split("Voto</strong>")[0].rsplit("<li", 1)[1]
    with time_machine.travel(now + datetime.timedelta(seconds=10), tick=False):
        html = _page(client, consultation)  # within the entries' 30 s: the same versions
        assert "Sostieni" not in html
        assert "La fase di voto si è chiusa" in html
        assert "phase-current" in html.split("Risultati</strong>")[0].rsplit("<li", 1)[1]
        assert "Guarda i risultati" in html


def test_a_preview_shows_the_draft_not_the_kept_fragments(plan, rf):
    """A Wagtail preview renders the unsaved page (no write, so the same versions): nothing in
    it may come from the fragments kept for the live page."""
    consultation = make_consultation(phase="voting")
    editor = UserFactory(is_superuser=True, is_staff=True)
    client = _client(editor)
    for _round in range(2):
        assert "Che cosa cambieresti?" in _page(client, consultation)
    consultation.question = "<p>La domanda della bozza</p>"
    session = client.cookies["sessionid"].value
    request = rf.get("/admin/", HTTP_COOKIE=f"sessionid={session}")
    response = consultation.make_preview_request(request, consultation.default_preview_mode)
    html = response.content.decode()
    assert "La domanda della bozza" in html
