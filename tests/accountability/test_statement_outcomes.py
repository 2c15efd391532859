"""Consensus statements into the loop (issue 16): a proposal of the consultation or an input
of a record, with the link back both ways, permission checked on the server, idempotent."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accountability import statement_outcomes
from accountability.models import StatementOutcome
from conversations.models import Choice, Conversation
from conversations.snapshots import snapshot_compute
from proposals.models import Proposal
from psm.models import ActionPage
from tests.accountability.factories import ImplementationRecordFactory
from tests.consultations.factories import make_consultation, make_facilitator
from tests.conversations.factories import StatementFactory, StatementVoteFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"outcomes-{uuid.uuid4().hex}",
        }
    }


@pytest.fixture
def consultation(plan):
    return make_consultation(phases=("conversation",))


@pytest.fixture
def conversation(consultation):
    return Conversation.objects.create(consultation=consultation, question="Dove siamo d'accordo?")


@pytest.fixture
def statements(conversation):
    """Two planted groups of 15: everyone agrees on the first statement, they split on the
    others. The opinion map is computed."""
    statements = StatementFactory.create_batch(8, conversation=conversation)
    for person in range(30):
        for index, statement in enumerate(statements):
            agree = index == 0 or index % 2 == person % 2
            StatementVoteFactory(
                statement=statement,
                participant_key=f"dp{person}",
                choice=Choice.AGREE if agree else Choice.DISAGREE,
            )
    snapshot_compute(conversation)
    return statements


@pytest.fixture
def consensus(statements):
    assert statement_outcomes.consensus_ids(statements[0].conversation)[0] == statements[0].pk
    return statements[0]


def test_a_consensus_statement_becomes_one_proposal_with_a_link_back(
    client, consultation, facilitator, consensus
):
    link = "https://example.org/conversazioni/1/risultati/#affermazione-1"
    proposal, created = statement_outcomes.statement_to_proposal(
        statement=consensus, actor=facilitator, link=link
    )
    assert created
    assert proposal.consultation_id == consultation.pk
    assert proposal.title == consensus.text
    assert proposal.is_published
    assert link in proposal.body
    again, created = statement_outcomes.statement_to_proposal(
        statement=consensus, actor=facilitator, link=link
    )
    assert (again, created) == (proposal, False)
    assert Proposal.objects.count() == 1
    # the results page says where the statement went; the proposal page links back
    page = client.get(reverse("conversations:results", args=[consensus.conversation_id]))
    html = page.content.decode()
    assert f'id="affermazione-{consensus.pk}"' in html
    assert proposal.get_absolute_url() in html
    detail = client.get(proposal.get_absolute_url()).content.decode()
    assert f'href="{link}"' in detail


def test_only_consensus_statements_go_into_the_loop(facilitator, statements):
    with pytest.raises(ValidationError):
        statement_outcomes.statement_to_proposal(statement=statements[1], actor=facilitator)
    assert not Proposal.objects.exists()


def test_who_does_not_moderate_the_consultation_cannot(consensus, consultation):
    record = ImplementationRecordFactory()
    for outsider in (UserFactory(), make_facilitator(make_consultation())):
        with pytest.raises(PermissionDenied):
            statement_outcomes.statement_to_proposal(statement=consensus, actor=outsider)
        with pytest.raises(PermissionDenied):
            statement_outcomes.statement_to_record(
                statement=consensus, record=record, actor=outsider
            )
    assert not StatementOutcome.objects.exists()
    assert not Proposal.objects.exists()


def test_a_consensus_statement_joins_a_record_once_with_a_link_back(client, facilitator, consensus):
    record = ImplementationRecordFactory()  # action 5.2.1, above the consultation
    outcome, created = statement_outcomes.statement_to_record(
        statement=consensus, record=record, actor=facilitator
    )
    assert created
    again, created = statement_outcomes.statement_to_record(
        statement=consensus, record=record, actor=facilitator
    )
    assert (again, created) == (outcome, False)
    assert StatementOutcome.objects.count() == 1
    page = client.get(record.get_absolute_url()).content.decode()
    assert consensus.text in page
    anchor = reverse("conversations:results", args=[consensus.conversation_id])
    assert f"{anchor}#affermazione-{consensus.pk}" in page
    results = client.get(anchor).content.decode()
    assert record.get_absolute_url() in results


def test_a_record_of_another_action_is_refused(facilitator, consensus):
    other_action = ActionPage.objects.exclude(code="5.2.1").order_by("path").last()
    record = ImplementationRecordFactory(action=other_action)
    editor_like = facilitator
    with pytest.raises((ValidationError, PermissionDenied)):
        statement_outcomes.statement_to_record(
            statement=consensus, record=record, actor=editor_like
        )
    assert not StatementOutcome.objects.exists()


def test_the_facilitators_page_and_its_forms(client, facilitator, consensus, statements):
    record = ImplementationRecordFactory(title="Sale studio aperte la sera")
    page_url = reverse("accountability:conversation_outcomes", args=[consensus.conversation_id])
    client.force_login(facilitator)
    page = client.get(page_url).content.decode()
    assert consensus.text in page
    assert statements[1].text not in page  # not agreed by every group
    assert "Sale studio aperte la sera" in page
    to_proposal = reverse("accountability:statement_to_proposal", args=[consensus.pk])
    response = client.post(to_proposal)
    assert response.status_code == 302
    assert response["Location"].startswith(page_url)
    client.post(to_proposal)
    assert Proposal.objects.count() == 1
    proposal = Proposal.objects.get()
    assert f"/conversazioni/{consensus.conversation_id}/risultati/#affermazione-{consensus.pk}" in (
        proposal.body
    )
    to_record = reverse("accountability:statement_to_record", args=[consensus.pk])
    client.post(to_record, {"record": record.pk})
    client.post(to_record, {"record": record.pk})
    assert StatementOutcome.objects.filter(record=record).count() == 1
    page = client.get(page_url).content.decode()
    assert proposal.get_absolute_url() in page


def test_the_facilitators_page_is_refused_to_others(client, consensus):
    page_url = reverse("accountability:conversation_outcomes", args=[consensus.conversation_id])
    assert client.get(page_url).status_code == 302  # to log in
    client.force_login(make_facilitator(make_consultation()))
    assert client.get(page_url).status_code == 403
    assert (
        client.post(
            reverse("accountability:statement_to_proposal", args=[consensus.pk])
        ).status_code
        == 403
    )
    assert not Proposal.objects.exists()
