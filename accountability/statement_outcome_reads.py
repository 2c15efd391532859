"""Reads of the statements carried into the loop (``accountability.statement_outcomes``): the
facilitator's page listing a conversation's consensus, where each statement went (for the
conversation's results page, through the ``conversation_statement_links`` hook) and the
statements behind a record (its public page)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from accountability.models import ImplementationRecord, StatementOutcome
from accountability.rules import actions_managed_by
from accountability.statement_outcomes import actions_of
from consultations.visibility import consultation_visible
from conversations import selectors as conversation_selectors
from conversations.models import Conversation, StatementStatus
from proposals.visibility import proposal_visible


@dataclass
class ConsensusRow:
    line: object  # conversations.selectors.StatementLine
    proposal: object | None = None
    records: list = field(default_factory=list)


def outcomes_page(conversation: Conversation, user) -> dict:
    """The consensus of the latest opinion map (as it may be published), each statement with
    the proposal and records it already went to, and the records ``user`` may add it to."""
    snapshot = conversation_selectors.latest_snapshot(conversation)
    lines = conversation_selectors.opinion_map(conversation, snapshot).consensus if snapshot else []
    rows = {line.statement.pk: ConsensusRow(line) for line in lines}
    for outcome in StatementOutcome.objects.filter(statement_id__in=rows).select_related(
        "proposal", "record"
    ):
        row = rows[outcome.statement_id]
        if outcome.proposal_id:
            row.proposal = outcome.proposal
        else:
            row.records.append(outcome.record)
    records = list(
        ImplementationRecord.objects.filter(
            action__in=actions_of(conversation).filter(pk__in=actions_managed_by(user).values("pk"))
        )
        .select_related("action")
        .order_by("action__code", "title", "pk")
    )
    return {
        "conversation": conversation,
        "snapshot": snapshot,
        "rows": list(rows.values()),
        "records": records,
    }


def statement_links(statement_ids, viewer) -> dict[int, list[tuple[str, str]]]:
    """``{statement id: [(label, url)]}``: the proposals (that ``viewer`` may see) and the
    published records each statement went to."""
    links: dict[int, list[tuple[str, str]]] = {}
    outcomes = StatementOutcome.objects.filter(statement_id__in=list(statement_ids)).select_related(
        "proposal__consultation", "record__action"
    )
    for outcome in outcomes.order_by("created_at", "pk"):
        if outcome.proposal_id and proposal_visible(viewer, outcome.proposal):
            label = _("È diventata la proposta «%(title)s»") % {"title": outcome.proposal.title}
            url = outcome.proposal.get_absolute_url()
        elif outcome.record_id and outcome.record.live and outcome.record.action.live:
            label = _("È entrata nell'intervento «%(title)s»") % {"title": outcome.record.title}
            url = outcome.record.get_absolute_url()
        else:
            continue
        links.setdefault(outcome.statement_id, []).append((label, url))
    return links


def record_statements(record: ImplementationRecord, viewer) -> list[dict]:
    """The published statements behind a record whose consultation ``viewer`` may see, with
    the address of each on its conversation's results page."""
    if not record.pk:
        return []
    outcomes = (
        StatementOutcome.objects.filter(record=record, statement__status=StatementStatus.PUBLISHED)
        .select_related("statement__conversation__consultation")
        .order_by("created_at", "pk")
    )
    return [
        {
            "statement": outcome.statement,
            "conversation": outcome.statement.conversation,
            "url": reverse("conversations:results", args=[outcome.statement.conversation_id])
            + f"#affermazione-{outcome.statement_id}",
        }
        for outcome in outcomes
        if consultation_visible(viewer, outcome.statement.conversation.consultation)
    ]
