"""Writes of the conversation activities of live workshops (issue 16).

- :func:`activity_add_conversation`: the facilitator adds a conversation activity: a new
  conversation of the session's consultation (the activity's question, the seed statements one
  per line) or one the consultation already runs. A conversation belongs to a consultation, so
  the session must hang off a consultation page (whoever conducts it moderates it:
  ``workshops.rules``).
- :func:`conversation_vote`: a phone (a device without an account, or a person) votes agree /
  disagree / pass on one statement, under the workshop's trust rules: the session open, the
  activity open, the device admitted within the session's bounds (``workshops.admissions``).
  The vote joins the conversation's matrix with the workshop participant key; the opinion map
  is recomputed by the debounced Celery task, never here (``LIVE_RECOMPUTE_DELAY``, 5 s: the
  projector shows it).
- :func:`push_opinion_map`: when the task has stored a new map
  (``conversations.signals.opinion_map_computed``), the sessions showing that conversation get
  their live state again, so projectors and phones fetch the new map.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from conversations import services as conversation_services
from conversations.models import Conversation, StatementStatus, StatementVote
from workshops import conversation_reads, services
from workshops.admissions import Participant, session_admit
from workshops.models import Activity, LiveSession

#: Seed statements one activity form may add.
MAX_SEED_STATEMENTS = 30


@transaction.atomic
def activity_add_conversation(
    *,
    session: LiveSession,
    actor,
    prompt: str,
    statements: list[str] | None = None,
    conversation: Conversation | None = None,
) -> Activity:
    """A conversation activity at the end of the session (results shown: the map is the point
    of it; the console can hide them)."""
    services.require_facilitator(actor, session)
    session = LiveSession.objects.select_for_update().select_related("page").get(pk=session.pk)
    if not session.is_open:
        raise ValidationError(_("Il laboratorio è chiuso."))
    consultation = services.consultation_of(session)
    if consultation is None:
        raise ValidationError(
            _(
                "Una conversazione appartiene a una consultazione: apri il laboratorio dalla "
                "pagina di una consultazione per usarla."
            )
        )
    statements = [line for line in (statements or []) if line.strip()]
    if len(statements) > MAX_SEED_STATEMENTS:
        raise ValidationError(
            _("Al massimo %(n)d affermazioni di partenza.") % {"n": MAX_SEED_STATEMENTS}
        )
    if conversation is None:
        conversation = conversation_services.conversation_create(
            consultation=consultation, user=actor, question=prompt
        )
    elif conversation.consultation_id != consultation.pk:
        raise ValidationError(_("Questa conversazione è di un'altra consultazione."))
    for text in statements:
        conversation_services.statement_submit(conversation=conversation, author=actor, text=text)
    if not conversation.statements.filter(status=StatementStatus.PUBLISHED).exists():
        raise ValidationError(
            _("Scrivi almeno un'affermazione di partenza, una per riga: i telefoni votano quelle.")
        )
    last = session.activities.order_by("-order").values_list("order", flat=True).first() or 0
    activity = Activity.objects.create(
        session=session,
        order=last + 1,
        kind=Activity.Kind.CONVERSATION,
        prompt=(prompt or conversation.question).strip()[:300],
        conversation=conversation,
        results_visible=True,
    )
    services.announce(session)
    return activity


@transaction.atomic
def conversation_vote(
    *, activity: Activity, participant: Participant, statement_id, choice, network: str = ""
) -> StatementVote:
    """A phone's vote on one statement of the activity's conversation; a second vote on the
    same statement changes it (the conversation's one-vote-per-participant constraint)."""
    activity = Activity.objects.select_related("session").get(pk=activity.pk)
    services.check_open(activity)
    session_admit(session=activity.session, participant=participant, network=network)
    if not conversation_reads.is_conversation(activity):
        raise ValidationError(_("In questa attività non si votano affermazioni."))
    statement = (
        activity.conversation.statements.filter(pk=statement_id).first()
        if isinstance(statement_id, int)
        else None
    )
    if statement is None:
        raise ValidationError(_("Affermazione non trovata in questa conversazione."))
    vote = conversation_services.vote_record(
        statement=statement,
        participant_key=participant.key,
        choice=conversation_services.parse_choice(choice),
        user=participant.user,
        # the projector shows the map: it follows a burst of votes within seconds
        recompute_delay=conversation_services.LIVE_RECOMPUTE_DELAY,
    )
    services.announce_burst(activity.session)  # the vote count, now; the map after the task
    return vote


def push_opinion_map(sender, *, conversation, snapshot, **kwargs) -> None:
    """Receiver of ``opinion_map_computed``: the live state of every open session showing the
    conversation goes out again (best effort, like every live message)."""
    for session_id in conversation_reads.sessions_showing(conversation.pk):
        transaction.on_commit(lambda pk=session_id: services.send_state(pk), robust=True)
