"""The demo conversation shows three described groups and their consensus, and loads once."""

import pytest
from django.urls import reverse

from conversations.demo import STATEMENTS, load_demo_conversation
from conversations.models import OpinionSnapshot

pytestmark = pytest.mark.django_db


def test_the_demo_conversation_shows_three_groups_and_consensus(plan, client):
    conversation = load_demo_conversation(accounts={})
    assert load_demo_conversation(accounts={}) is None  # idempotent
    snapshot = OpinionSnapshot.objects.get(conversation=conversation)
    assert snapshot.groups_count == 3
    assert len(snapshot.data["published"]["sizes"]) == 3
    agreed = {text for text, *opinions in STATEMENTS if opinions == [1, 1, 1]}
    consensus = {
        conversation.statements.get(pk=c["statement"]).text for c in snapshot.data["consensus"]
    }
    assert consensus
    assert consensus <= agreed
    page = client.get(reverse("conversations:results", args=[conversation.pk])).content.decode()
    assert all(f"Gruppo {letter}" in page for letter in "ABC")
