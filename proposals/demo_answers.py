"""Demo official answers on the demo proposals (``ProposalsConfig.load_demo_data`` runs it after
the demo proposals). Idempotent: a consultation that already has an answer is left alone."""

from django.core.exceptions import ValidationError

from consultations.models import ConsultationPage
from proposals.models import ModerationAction, ModerationVerb, Proposal, Visibility
from proposals.moderation.services import proposal_answer

DEMO_ANSWERS = (
    (
        "accepted",
        "Grazie: la proposta è accolta. La inseriamo nel programma di attuazione dell'azione "
        "e ne daremo conto negli aggiornamenti sullo stato di attuazione.",
    ),
    (
        "rejected",
        "Non possiamo accoglierla: l'intervento riguarda beni che non sono di competenza della "
        "Città metropolitana. Abbiamo girato la proposta al comune interessato.",
    ),
    (
        "in_review",
        "La stiamo valutando con gli uffici tecnici: risponderemo entro la scadenza indicata.",
    ),
)


def demo_answers_load(*, accounts, stdout=None) -> None:
    answered = 0
    for consultation in ConsultationPage.objects.live().in_source_language():
        if ModerationAction.objects.filter(
            consultation=consultation,
            action__in=[ModerationVerb.ANSWER, ModerationVerb.STATUS],
        ).exists():
            continue
        actor = accounts.get("facilitator")
        if actor is None or not actor.has_perm("consultations.moderate", consultation):
            actor = accounts.get("admin")
        if actor is None:
            continue
        proposals = Proposal.objects.filter(
            consultation=consultation,
            visibility=Visibility.PUBLISHED,
            answered_at__isnull=True,
            kind="proposal",
        ).order_by("created_at", "pk")[: len(DEMO_ANSWERS)]
        for proposal, (status, text) in zip(proposals, DEMO_ANSWERS, strict=False):
            try:
                proposal_answer(actor=actor, proposal=proposal, status=status, answer=text)
            except ValidationError:
                continue
            answered += 1
    if stdout is not None:
        stdout.write(f"Risposte ufficiali di esempio: {answered}\n")
