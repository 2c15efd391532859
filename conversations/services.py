"""Every write of a conversation: creating it, statements (written, seeded, moderated) and
votes. Permission checks first, then one transaction; the opinion map is recomputed later by
a Celery task (:func:`recompute_request`), never in the request."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.rules import is_facilitator_of
from consultations.services import participation_ensure, participation_record, refuse_if
from consultations.visibility import consultation_visible
from conversations import rules
from conversations.models import (
    STATEMENT_MAX,
    Choice,
    Conversation,
    Statement,
    StatementStatus,
    StatementVote,
    user_key,
)
from conversations.tasks import pending_key, recompute_opinion_groups
from core.errors import REFUSALS

#: One pending recompute per conversation: votes within this many seconds share it.
RECOMPUTE_DELAY = 20
#: The same for the votes of a live workshop, whose projector shows the map as phones vote.
LIVE_RECOMPUTE_DELAY = 5
STATEMENT_MIN = 5
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _refuse_unless_visible(who, conversation: Conversation) -> None:
    if not consultation_visible(who, conversation.consultation):
        raise PermissionDenied(_("Questa conversazione non è disponibile."))


def _refuse_unless_moderator(user, conversation: Conversation) -> None:
    if not is_facilitator_of(user, conversation.consultation):
        raise PermissionDenied(_("Solo chi modera questa consultazione può farlo."))


def recompute_request(
    conversation_id: int, *, delay: int = RECOMPUTE_DELAY, committed: bool = False
) -> bool:
    """Queue one recompute of the opinion map ``delay`` seconds after the commit, unless one is
    already pending (a cache key held until the task starts): a burst of votes queues one task,
    not one per vote. True if this call queued it. ``committed``: the votes are committed
    already, outside Django's connections (a batch writer): queued now."""
    # A worker releases the key when it starts (the timeout only covers a lost task); eager
    # Celery (embedded mode) leaves it to expire, so votes share one computation per delay.
    eager = settings.CELERY_TASK_ALWAYS_EAGER
    timeout = delay if eager else max(delay, RECOMPUTE_DELAY) * 10
    if not cache.add(pending_key(conversation_id), 1, timeout=timeout):
        return False
    if committed:
        recompute_opinion_groups.apply_async((conversation_id,), countdown=delay)
        return True
    transaction.on_commit(
        lambda: recompute_opinion_groups.apply_async((conversation_id,), countdown=delay),
        robust=True,
    )
    return True


@transaction.atomic
def conversation_create(
    *, consultation, user, question: str, description: str = "", participants_write: bool = True
) -> Conversation:
    if not is_facilitator_of(user, consultation):
        raise PermissionDenied(
            _("Solo chi modera questa consultazione può aprire una conversazione.")
        )
    question = _SPACES.sub(" ", _CONTROL.sub("", question or "")).strip()
    if len(question) < STATEMENT_MIN:
        raise ValidationError(_("Scrivi la domanda della conversazione."))
    if len(question) > 300:
        raise ValidationError(_("La domanda può avere al massimo 300 caratteri."))
    return Conversation.objects.create(
        consultation=consultation,
        question=question,
        description=(description or "").strip(),
        participants_write=participants_write,
        created_by=user,
    )


def clean_statement(text: str) -> str:
    text = _SPACES.sub(" ", _CONTROL.sub("", text or "")).strip()
    if len(text) < STATEMENT_MIN:
        raise ValidationError(
            _("Scrivi un'affermazione di almeno %(n)s caratteri.") % {"n": STATEMENT_MIN}
        )
    if len(text) > STATEMENT_MAX:
        raise ValidationError(
            _("Un'affermazione può avere al massimo %(n)s caratteri (ne hai scritti %(len)s).")
            % {"n": STATEMENT_MAX, "len": len(text)}
        )
    return text


@transaction.atomic
def statement_submit(*, conversation: Conversation, author, text: str, viewer=None) -> Statement:
    """A statement from a participant (published now, or after approval when the consultation
    moderates beforehand) or seeded by a moderator (published now)."""
    conversation = Conversation.objects.select_related("consultation").get(pk=conversation.pk)
    _refuse_unless_visible(viewer or author, conversation)
    refuse_if(rules.statement_error(author, conversation))
    text = clean_statement(text)
    if conversation.statements.filter(text__iexact=text).exists():
        raise ValidationError(_("Questa affermazione c'è già: votala invece di riscriverla."))
    seed = is_facilitator_of(author, conversation.consultation)
    premoderated = conversation.consultation.premoderation and not seed
    statement = Statement.objects.create(
        conversation=conversation,
        text=text,
        author=author,
        is_seed=seed,
        status=StatementStatus.PENDING if premoderated else StatementStatus.PUBLISHED,
    )
    if not seed:
        participation_record(consultation=conversation.consultation, user=author)
    return statement


MODERATION = {"approve": StatementStatus.PUBLISHED, "hide": StatementStatus.HIDDEN}


@transaction.atomic
def statement_moderate(*, statement: Statement, moderator, action: str) -> Statement:
    """Approve (publish) or hide a statement; hiding takes its votes out of the map."""
    statement = (
        Statement.objects.select_for_update()
        .select_related("conversation__consultation")
        .get(pk=statement.pk)
    )
    _refuse_unless_moderator(moderator, statement.conversation)
    if action not in MODERATION:
        raise ValidationError(_("Azione di moderazione sconosciuta."))
    statement.status = MODERATION[action]
    statement.moderated_at = timezone.now()
    statement.moderated_by = moderator
    statement.save(update_fields=["status", "moderated_at", "moderated_by"])
    recompute_request(statement.conversation_id)
    return statement


def parse_choice(value) -> int:
    names = {"agree": Choice.AGREE, "disagree": Choice.DISAGREE, "pass": Choice.PASS}
    if value in names:
        return names[value]
    raise ValidationError(_("Scegli «d'accordo», «in disaccordo» oppure «passo»."))


def vote_record(
    *,
    statement: Statement,
    participant_key: str,
    choice: int,
    user=None,
    recompute_delay: int = RECOMPUTE_DELAY,
) -> StatementVote:
    """Record or change the participant's vote on a published statement (no permission check:
    callers check who votes). One statement, an upsert on the one-vote constraint (``INSERT …
    ON CONFLICT (statement, participant_key) DO UPDATE``): concurrent first votes of the same
    participant end as one row holding the last choice, without a savepoint or a retry. Then the
    debounced recompute (:func:`recompute_request`)."""
    if statement.status != StatementStatus.PUBLISHED:
        raise ValidationError(_("Questa affermazione non è più in votazione."))
    if choice not in Choice.values:
        raise ValidationError(_("Scegli «d'accordo», «in disaccordo» oppure «passo»."))
    vote = StatementVote(
        conversation_id=statement.conversation_id,
        statement=statement,
        participant_key=participant_key,
        user=user,
        choice=choice,
    )
    # bulk_create sends no post_save: no page shows statement votes, so a vote does not
    # invalidate the cached pages (psm.page_cache) as a saved row would.
    StatementVote.objects.bulk_create(
        [vote],
        update_conflicts=True,
        unique_fields=["statement", "participant_key"],
        update_fields=["choice", "user", "updated_at"],
    )
    recompute_request(statement.conversation_id, delay=recompute_delay)
    return vote


def _votable(statement: Statement, voter, viewer, choice) -> int:
    """The checks of a signed-in participant's vote, on the statement as given (with its
    conversation, consultation and cached facts); the choice, parsed. Raises a refusal."""
    conversation = statement.conversation
    _refuse_unless_visible(viewer or voter, conversation)
    conversation.consultation.read_cached_phases()
    refuse_if(rules.vote_error(voter, conversation))
    return parse_choice(choice)


def statement_vote(*, statement: Statement, voter, choice, viewer=None) -> StatementVote:
    """A signed-in participant's vote (agree / disagree / pass); a second vote changes it.

    The path a phone takes many times a minute, kept lean: the statement as the view read it
    (with its conversation and consultation; read again only when it comes without them), the
    consultation's phases from the cache, the block and first-participation checks, then one
    upsert (:func:`vote_record`). No transaction around them: each write is atomic on its own,
    and a participation row without the vote (the upsert failing) is still true."""
    if not (
        Statement.conversation.is_cached(statement)
        and Conversation.consultation.is_cached(statement.conversation)
    ):
        statement = Statement.objects.select_related("conversation__consultation").get(
            pk=statement.pk
        )
    choice = _votable(statement, voter, viewer, choice)
    participation_ensure(consultation=statement.conversation.consultation, user=voter)
    return vote_record(
        statement=statement, participant_key=user_key(voter), choice=choice, user=voter
    )


def vote_batchable(*, statement: Statement | None, voter, viewer, choice) -> int | None:
    """Whether :func:`statement_vote` would store this vote with a plain upsert: the choice
    (parsed) when nothing is refused (the same checks, on the same cached facts,
    ``selectors.statement_for_vote``), else None. Then the person's participation is recorded
    too, and a caller may store the vote in a batch (``conversations.quick_vote`` with
    ``conversations.vote_writer``, which also asks for the recompute); else it lets
    :func:`statement_vote` decide and explain."""
    if statement is None or statement.status != StatementStatus.PUBLISHED:
        return None
    try:
        choice = _votable(statement, voter, viewer, choice)
    except REFUSALS:
        return None
    participation_ensure(consultation=statement.conversation.consultation, user=voter)
    return choice
