"""Issue 14 (fast under load): pinned query counts of the consultation page, what the list
caches (count, comuni, card heads) and that it follows every change, and the vote answered as
an htmx fragment."""

import pytest

from proposals.models import Proposal, Vote
from proposals.vote_facts import proposal_for_vote
from psm.page_cache import bump_content_version
from territory.models import Comune
from tests.consultations.factories import make_consultation
from tests.factories import UserFactory
from tests.proposals.factories import ProposalFactory, VoteFactory

pytestmark = pytest.mark.django_db

# Queries of one request to a consultation page with a list of proposals (a warmed cache):
# page and site come from the cache; phases, the parent action and the 20 proposals with their
# counts are read; the count, the comuni and the categories of the filter are cached.
# Anonymous, rendered right after a write (the content version bumped: the whole-page cache and
# the cached phases miss): phases, the parent action, the proposals, the conversations.
ANONYMOUS_QUERIES = 4
# Signed in, a warm cache (the session read from the cache): the person, and nothing else.
# What the page shows of the person (block, follow, unread notifications: one entry,
# consultations.person_facts; supports and pending proposals: another, proposals.list_cache)
# and what is shared (the page's body with the breadcrumbs, the participation box and the
# conversations, one fragment varying on the refusals and the follow state; the list) are
# cached under the content version; the person's groups and model permissions come from the
# cache (accounts.backends), and the person is kept in the process with their groups
# (accounts.session_user.kept_person): no query at all.
SIGNED_IN_QUERIES = 0
# Signed in, rendered right after a write (the content version bumped: every entry misses;
# the person is still kept in the process): their facts (one query), the phases, the ancestors (breadcrumbs), the
# conversations, their supports and pending proposals (one query) and the 20 proposals with
# their counts.
SIGNED_IN_AFTER_WRITE_QUERIES = 6


def _bulk(consultation, n):
    author = UserFactory()
    Proposal.objects.bulk_create(
        [
            Proposal(
                consultation=consultation,
                author=author,
                title=f"Proposta {i}",
                body="Testo",
                visibility="published",
                comune_id="001272",
            )
            for i in range(n)
        ]
    )


@pytest.mark.parametrize("n", [10, 300])
def test_consultation_page_queries_are_pinned(plan, client, django_assert_num_queries, n):
    consultation = make_consultation(phase="voting")
    _bulk(consultation, n)
    client.get(consultation.url)  # warm the caches
    bump_content_version()  # past the anonymous whole-page cache: the page is rendered
    with django_assert_num_queries(ANONYMOUS_QUERIES):
        assert client.get(consultation.url).status_code == 200
    with django_assert_num_queries(0):  # the next anonymous visitor: the cached page
        assert client.get(consultation.url).status_code == 200
    client.force_login(UserFactory())
    client.get(consultation.url)
    with django_assert_num_queries(SIGNED_IN_QUERIES):
        assert client.get(consultation.url).status_code == 200
    bump_content_version()
    with django_assert_num_queries(SIGNED_IN_AFTER_WRITE_QUERIES):
        assert client.get(consultation.url).status_code == 200


def test_cached_count_and_comuni_follow_new_proposals(plan, client):
    consultation = make_consultation(phase="voting")
    ProposalFactory(consultation=consultation, comune_id="001272")
    page = client.get(consultation.url).content.decode()
    assert "1 proposta" in page
    moncalieri = Comune.objects.get(name="Moncalieri")
    ProposalFactory(consultation=consultation, comune=moncalieri)
    page = client.get(consultation.url).content.decode()
    assert "2 proposte" in page
    assert f'value="{moncalieri.pk}"' in page  # the filter lists the new comune
    Proposal.objects.filter(comune=moncalieri).get().delete()
    assert "1 proposta" in client.get(consultation.url).content.decode()


def test_card_head_follows_edits_and_author_name(plan, client):
    consultation = make_consultation(phase="voting")
    proposal = ProposalFactory(consultation=consultation, title="Titolo vecchio")
    assert "Titolo vecchio" in client.get(consultation.url).content.decode()
    proposal.title = "Titolo nuovo"
    proposal.save()
    page = client.get(consultation.url).content.decode()
    assert "Titolo nuovo" in page
    assert "Titolo vecchio" not in page
    author = proposal.author
    author.display_name = "Nome cambiato"
    author.save()  # no proposal saved: the head's key holds the name itself
    assert "Nome cambiato" in client.get(consultation.url).content.decode()


def test_supports_are_live_not_cached(plan, client):
    consultation = make_consultation(phase="voting")
    proposal = ProposalFactory(consultation=consultation)
    assert "0 sostegni" in client.get(consultation.url).content.decode()
    VoteFactory(proposal=proposal)
    assert "1 sostegno" in client.get(consultation.url).content.decode()


# --------------------------------------------------------------------------- htmx vote
def test_vote_with_htmx_answers_the_card_actions_only(plan, client, user):
    consultation = make_consultation(phase="voting")
    proposal = ProposalFactory(consultation=consultation, title="Aule aperte")
    client.force_login(user)
    url = f"/proposte/{proposal.pk}/sostegno/"
    response = client.post(url, {"next": consultation.url}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert f'id="azioni-proposta-{proposal.pk}"' in html
    assert "1 sostegno" in html
    assert "Ritira il sostegno" in html
    assert 'role="status"' in html
    assert "Hai sostenuto" in html
    assert Vote.objects.filter(proposal=proposal, voter=user).count() == 1
    # No message waits for the next full page.
    assert "Hai sostenuto" not in client.get(consultation.url).content.decode()
    # A second support is refused inside the fragment, and nothing is stored twice.
    again = client.post(url, headers={"HX-Request": "true"}).content.decode()
    assert "Hai già sostenuto questa proposta." in again
    assert "Ritira il sostegno" in again
    withdrawn = client.post(url, {"azione": "ritira"}, headers={"HX-Request": "true"})
    assert "0 sostegni" in withdrawn.content.decode()
    assert not Vote.objects.filter(proposal=proposal).exists()


def test_vote_without_javascript_still_redirects(plan, client, user):
    consultation = make_consultation(phase="voting")
    proposal = ProposalFactory(consultation=consultation)
    client.force_login(user)
    response = client.post(f"/proposte/{proposal.pk}/sostegno/", {"next": consultation.url})
    assert response.status_code == 302
    assert response["Location"] == consultation.url
    assert Vote.objects.filter(proposal=proposal, voter=user).exists()


def test_anonymous_htmx_vote_is_told_to_sign_in(plan, client):
    consultation = make_consultation(phase="voting")
    proposal = ProposalFactory(consultation=consultation)
    response = client.post(f"/proposte/{proposal.pk}/sostegno/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "accedi o registrati" in response.content.decode()
    assert not Vote.objects.exists()


def test_vote_query_count_is_pinned(
    plan, client, user, django_assert_num_queries, django_capture_on_commit_callbacks
):
    consultation = make_consultation(phase="voting")
    first, second, third = ProposalFactory.create_batch(3, consultation=consultation)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):  # the first vote, committed
        client.post(f"/proposte/{first.pk}/sostegno/", headers={"HX-Request": "true"})
    with django_assert_num_queries(VOTE_QUERIES_COLD):  # nobody read its facts yet
        response = client.post(f"/proposte/{second.pk}/sostegno/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    proposal_for_vote(third.pk)  # as another person's vote on it would have
    with django_assert_num_queries(VOTE_QUERIES):
        response = client.post(f"/proposte/{third.pk}/sostegno/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert Vote.objects.filter(voter=user).count() == 3


# A vote on a busy proposal (the session from the cache, the person kept in the process): the
# insert (1, here inside a savepoint and its release, 3, because the test runs in a
# transaction; in production it commits on its own); the new total (1). The proposal with its consultation,
# phases, blocks and restrictions comes from the cache (proposals.vote_facts), which no vote
# replaces (psm.page_cache's tallies version), and the participation row is known from the
# cache after the first vote (consultations.services.participation_ensure).
VOTE_QUERIES = 4
# The first vote on a proposal since the last write: also the proposal with its page and
# comment count, and who is suspended there (2). The consultation's phases stay cached: the
# first vote's participation row replaced only the tallies version. The person here is kept in
# the process (accounts.session_user.kept_person): no user saved since they were read.
VOTE_QUERIES_COLD = 6
