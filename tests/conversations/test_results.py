"""The results page and its disclosure control: the accessible map (SVG with title and
description, a table, shapes and letters), and no group smaller than the threshold described."""

import pytest
from django.urls import reverse

from conversations.disclosure import column_cells, described_sizes, overall
from conversations.snapshots import snapshot_compute
from tests.consultations.factories import make_consultation
from tests.conversations.factories import (
    ConversationFactory,
    StatementFactory,
    StatementVoteFactory,
)

pytestmark = pytest.mark.django_db


def _vote_blocks(conversation, blocks):
    """``blocks``: (people, choice per statement) for each planted group."""
    statements = StatementFactory.create_batch(len(blocks[0][1]), conversation=conversation)
    person = 0
    for people, choices in blocks:
        for _ in range(people):
            for statement, choice in zip(statements, choices, strict=True):
                StatementVoteFactory(
                    statement=statement, participant_key=f"d{person}", choice=choice
                )
            person += 1
    return statements


def test_small_groups_are_not_described():
    assert described_sizes(
        [{"index": 0, "size": 30}, {"index": 1, "size": 25}, {"index": 2, "size": 3}], 58
    ) == {0: 30}
    assert described_sizes([{"index": 0, "size": 5}, {"index": 1, "size": 4}], 9) == {}
    assert column_cells((30, 10, 2)) == (30, None, None)  # the 2, and the 10 that would give it
    assert column_cells((12, 3, 1)) == (None, None, None)  # 3 + 1 = 4 would pin the 1 down
    assert column_cells((20, 10, 0)) == (20, 10, 0)
    assert column_cells((3, 2, 1)) == (None, None, None)  # fewer than ten: no breakdown
    cells = {"groups": {"0": [12, None, None], "1": [30, 10, 5]}, "rest": [6, 0, 0]}
    assert overall(cells) == [48, None, None]


def test_results_show_an_accessible_map_with_described_groups_only(client, conversation, user):
    statements = _vote_blocks(
        conversation,
        [
            (12, [1, 1, 1, 1, 1, 1, 1, 1]),
            (10, [1, -1, -1, -1, -1, 1, 1, -1]),
            (2, [-1, 1, -1, 1, -1, 1, -1, 1]),
        ],
    )
    snapshot = snapshot_compute(conversation)
    sizes = {int(g) for g in snapshot.data["published"]["sizes"]}
    # 12, 10 and 2 people: the group of two is hidden, and the group of ten with it (else
    # the total minus twelve minus ten would give two away).
    assert snapshot.groups_count == 3
    assert sizes == {0}
    client.force_login(user)
    page = client.get(reverse("conversations:results", args=[conversation.pk])).content.decode()
    assert '<svg class="opinion-map"' in page
    assert "<title" in page
    assert "<desc" in page
    assert "Gruppo A" in page
    assert "<caption>" in page
    assert "Gruppo B" not in page
    assert "Gruppo C" not in page
    assert "troppo piccoli per essere descritti" in page
    assert statements[5].text in page  # agreed by every group


def test_fewer_people_than_the_threshold_describe_no_group(client, conversation, user):
    _vote_blocks(conversation, [(4, [1] * 7), (3, [-1] * 7)])
    snapshot_compute(conversation)
    client.force_login(user)
    page = client.get(reverse("conversations:results", args=[conversation.pk])).content.decode()
    assert "ancora poche" in page
    assert "Gruppo A" not in page


def test_results_wait_for_the_conversation_phase(client, plan, user):
    conversation = ConversationFactory(
        consultation=make_consultation(phases=("information", "conversation"))
    )
    client.force_login(user)
    response = client.get(reverse("conversations:results", args=[conversation.pk]))
    assert response.status_code == 403
    assert "apre il" in response.content.decode()


def test_results_before_any_snapshot_queue_one(
    client, conversation, user, django_capture_on_commit_callbacks
):
    StatementVoteFactory(statement=StatementFactory(conversation=conversation))
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("conversations:results", args=[conversation.pk]))
    assert response.status_code == 200
    assert "non è ancora pronta" in response.content.decode()
    assert conversation.snapshots.count() == 1  # eager Celery: computed after the response's commit


def test_the_api_and_the_exports_give_groups_and_counts_under_disclosure(
    client, conversation, facilitator
):
    """The public API and the moderators' exports carry the statements, the described groups
    with their people and the counts per group; the small groups are not described."""
    statements = _vote_blocks(
        conversation,
        [
            (12, [1, 1, 1, 1, 1, 1, 1, 1]),
            (10, [1, -1, -1, -1, -1, 1, 1, -1]),
            (2, [-1, 1, -1, 1, -1, 1, -1, 1]),
        ],
    )
    snapshot_compute(conversation)
    url = reverse("conversations_api:results", args=[conversation.pk])
    data = client.get(url).json()
    assert data["groups"] == [{"group": "A", "people": 12}]
    by_id = {item["id"]: item for item in data["statements"]}
    assert set(by_id) == {s.pk for s in statements}
    assert set(by_id[statements[0].pk]["groups"]) == {"A"}
    assert by_id[statements[0].pk]["groups"]["A"]["agree"] == 12
    assert statements[5].pk in data["consensus"]
    client.force_login(facilitator)
    csv = client.get(reverse("conversations:export", args=[conversation.pk, "csv"]))
    assert "gruppo A (12 persone): d'accordo" in csv.content.decode()
    assert "gruppo B" not in csv.content.decode()


def test_the_api_waits_for_the_conversation_phase(client, plan):
    later = ConversationFactory(
        consultation=make_consultation(phases=("information", "conversation"))
    )
    response = client.get(reverse("conversations_api:results", args=[later.pk]))
    assert response.status_code == 404
    assert "apre il" in response.json()["detail"]
    assert client.get(reverse("conversations_api:results", args=[999_999])).status_code == 404
