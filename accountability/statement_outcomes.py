"""Consensus statements into the loop (issue 16): a facilitator turns a statement that every
opinion group agreed on into a proposal of the conversation's consultation, or into an input
of an implementation record of the action the consultation belongs to.

It lives here because the layers allow it nowhere lower: conversations and proposals are
siblings (neither may import the other) and records are accountability's. The link is one
``StatementOutcome`` row, read both ways: the record's page lists its statements, the
conversation's results page lists where each statement went (the
``conversation_statement_links`` hook, ``accountability.wagtail_hooks``), and the proposal's
text cites the conversation with a link to the statement.

Checked on the server every time: the consultation's moderation right
(``consultations.moderate``) for both, and the record's own right
(``accountability.change_record``) for a record. Both are idempotent: a statement becomes one
proposal, and joins a record once.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.models import ImplementationRecord, StatementOutcome
from conversations.models import Statement, StatementStatus
from conversations.selectors import latest_snapshot
from proposals.models import Proposal, ProposalKind, Visibility
from psm.models import ActionPage

TITLE_MAX = 140


def consensus_ids(conversation) -> list[int]:
    """The statements of the latest opinion map's group-informed consensus, in its order."""
    snapshot = latest_snapshot(conversation)
    if snapshot is None:
        return []
    return [item["statement"] for item in snapshot.data.get("consensus", [])]


def may_promote(user, conversation) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.has_perm("consultations.moderate", conversation.consultation)
    )


def actions_of(conversation):
    """The action pages the conversation's consultation sits under (its records are there)."""
    return ActionPage.objects.ancestor_of(conversation.consultation)


def _locked_statement(statement: Statement) -> Statement:
    return (
        Statement.objects.select_for_update()
        .select_related("conversation__consultation")
        .get(pk=statement.pk)
    )


def _refuse_unless_promotable(actor, statement: Statement) -> None:
    if not may_promote(actor, statement.conversation):
        raise PermissionDenied(
            _("Solo chi modera questa consultazione può portare le affermazioni nel percorso.")
        )


def _refuse_unless_consensus(statement: Statement) -> None:
    if statement.status != StatementStatus.PUBLISHED or statement.pk not in consensus_ids(
        statement.conversation
    ):
        raise ValidationError(
            _(
                "Si possono portare nel percorso solo le affermazioni su cui tutti i gruppi di "
                "opinione sono d'accordo (secondo l'ultima mappa delle opinioni)."
            )
        )


def _proposal_body(statement: Statement, link: str) -> str:
    conversation = statement.conversation
    origin = _(
        "Affermazione su cui tutti i gruppi di opinione erano d'accordo nella conversazione "
        "«%(question)s»."
    ) % {"question": conversation.question}
    return f"{statement.text}\n\n{origin}" + (f"\n{link}" if link else "")


@transaction.atomic
def statement_to_proposal(*, statement: Statement, actor, link: str = "") -> tuple[Proposal, bool]:
    """The published proposal the statement became (``created`` False if it already was one).
    ``link``: the statement's address on the conversation's results page, cited in the text."""
    statement = _locked_statement(statement)
    _refuse_unless_promotable(actor, statement)
    existing = (
        StatementOutcome.objects.filter(statement=statement, proposal__isnull=False)
        .select_related("proposal")
        .first()
    )
    if existing is not None:
        return existing.proposal, False
    _refuse_unless_consensus(statement)
    text = statement.text
    proposal = Proposal.objects.create(
        consultation=statement.conversation.consultation,
        author=None,
        kind=ProposalKind.PROPOSAL,
        title=text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1].rstrip() + "…",
        body=_proposal_body(statement, link),
        visibility=Visibility.PUBLISHED,
        published_at=timezone.now(),
    )
    StatementOutcome.objects.create(statement=statement, proposal=proposal, created_by=actor)
    return proposal, True


@transaction.atomic
def statement_to_record(
    *, statement: Statement, record: ImplementationRecord, actor
) -> tuple[StatementOutcome, bool]:
    """The statement as an input of ``record`` (``created`` False if it already was one)."""
    statement = _locked_statement(statement)
    _refuse_unless_promotable(actor, statement)
    if not actor.has_perm("accountability.change_record", record):
        raise PermissionDenied(_("Non puoi modificare questo intervento."))
    if not actions_of(statement.conversation).filter(pk=record.action_id).exists():
        raise ValidationError(
            _("L'intervento deve essere dell'azione del piano a cui appartiene la consultazione.")
        )
    existing = StatementOutcome.objects.filter(statement=statement, record=record).first()
    if existing is not None:
        return existing, False
    _refuse_unless_consensus(statement)
    outcome = StatementOutcome.objects.create(statement=statement, record=record, created_by=actor)
    return outcome, True
