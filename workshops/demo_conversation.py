"""Demo data of a conversation activity for ``make run``: a workshop on the demo conversation's
consultation (``conversations.demo``, under action 5.2.1) with the conversation open on its
screen, so phones vote on the statements and the projector shows the opinion map and the
consensus. Idempotent; nothing happens without the demo conversation."""

from django.db import transaction
from django.utils import timezone

from conversations.demo import SLUG
from conversations.models import Conversation
from territory.models import Comune
from workshops.models import Activity, Admission, LiveSession
from workshops.services import new_join_code, new_projector_token

TITLE = "Demo: laboratorio a Ivrea, dove siamo d'accordo?"


@transaction.atomic
def live_conversation_demo_load(*, accounts, stdout) -> LiveSession | None:
    facilitator = accounts.get("facilitator")
    conversation = (
        Conversation.objects.select_related("consultation")
        .filter(consultation__slug=SLUG)
        .order_by("pk")
        .first()
    )
    if facilitator is None or conversation is None:
        return None
    if LiveSession.objects.filter(title=TITLE).exists():
        return None
    session = LiveSession.objects.create(
        page=conversation.consultation,
        facilitator=facilitator,
        title=TITLE,
        comune=Comune.objects.filter(name="Ivrea").first(),
        code=new_join_code(),
        projector_token=new_projector_token(),
    )
    activity = Activity.objects.create(
        session=session,
        order=1,
        kind=Activity.Kind.CONVERSATION,
        prompt=conversation.question,
        conversation=conversation,
        state=Activity.State.OPEN,
        results_visible=True,
        opened_at=timezone.now(),
    )
    session.current_activity = activity
    session.save(update_fields=["current_activity"])
    # the demo votes came from workshop phones (conversations.demo): they were let in here
    keys = conversation.votes.values_list("participant_key", flat=True).distinct()
    Admission.objects.bulk_create(
        Admission(session=session, participant_key=key) for key in keys.order_by("participant_key")
    )
    stdout.write(
        f"Laboratorio dimostrativo con una conversazione: codice {session.code} "
        f"(/laboratori/{session.code}/), schermo /laboratori/schermo/{session.projector_token}/\n"
    )
    return session
