"""Demo: the demo amendment is accepted and published, so the action page shows a text changed
by a participant, with the diff (``ProposalsConfig.load_demo_data`` runs it after the demo
answers). Idempotent: once a change set is published nothing more is done."""

from django.core.exceptions import PermissionDenied, ValidationError

from proposals.amendments.services import amendment_accept, changeset_publish
from proposals.models import AmendmentState, ChangeSet, ChangeSetState, Proposal, ProposalKind

ANSWER = (
    "Accolta: il testo dell'azione dirà chiaramente che le priorità sono votate ogni anno. "
    "La modifica è pubblicata nella pagina dell'azione."
)


def demo_amendments_load(*, accounts, stdout=None) -> None:
    if ChangeSet.objects.filter(state=ChangeSetState.PUBLISHED).exists():
        return
    proposal = (
        Proposal.objects.filter(
            kind=ProposalKind.AMENDMENT, amendment__state=AmendmentState.PROPOSED
        )
        .select_related("consultation")
        .order_by("created_at", "pk")
        .first()
    )
    if proposal is None:
        return
    actor = accounts.get("facilitator")
    if actor is None or not actor.has_perm("consultations.moderate", proposal.consultation):
        actor = accounts.get("admin")
    if actor is None:
        return
    try:
        amendment = amendment_accept(actor=actor, proposal=proposal, answer=ANSWER)
        revision = changeset_publish(actor=actor, change_set=amendment.change_set)
    except (PermissionDenied, ValidationError) as error:
        if stdout is not None:
            stdout.write(f"Emendamento di esempio non integrato: {error}\n")
        return
    if stdout is not None:
        stdout.write(
            f"Emendamento di esempio integrato nel testo dell'azione (revisione {revision.pk})\n"
        )
