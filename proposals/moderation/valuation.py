"""The technical valuation before a budget vote (CONSUL's feasibility step): facilitators set
each proposal's official cost and whether it can be done, with a public reason.

Only feasible, valued, published proposals go on the ballot
(:func:`proposals.models.ballot_error`), and the winners are computed with the official cost
(:mod:`proposals.results`). A valuation can be given or changed until the vote opens: after
that the ballot people see must not change under them.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from consultations.models import ConsultationPage, Verb, VoteMode
from proposals.models import (
    ModerationVerb,
    Proposal,
    ProposalKind,
    Valuation,
    Visibility,
)
from proposals.moderation.services import audit_record, require_moderator

MAX_REASON = 5000
MAX_COST = Decimal("9999999999.99")


def valuation_error(consultation: ConsultationPage, now=None) -> str | None:
    """None while this consultation's proposals can be valued, otherwise why not."""
    if consultation.vote_mode != VoteMode.BUDGET:
        return _("La valutazione tecnica serve solo nelle consultazioni con voto sul bilancio.")
    if consultation.has_started_phase(Verb.VOTE, now):
        return _(
            "Il voto è già iniziato: la valutazione tecnica non si può più dare né cambiare, "
            "perché la scheda non deve cambiare mentre si vota."
        )
    return None


def _clean_cost(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        cost = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Il costo ufficiale deve essere un numero in euro.")) from None
    if not cost.is_finite() or cost < 0 or cost > MAX_COST:
        raise ValidationError(_("Il costo ufficiale deve essere un importo in euro non negativo."))
    return cost.quantize(Decimal("0.01"))


@transaction.atomic
def proposal_valuate(
    *,
    actor: User,
    proposal: Proposal,
    feasible: bool,
    official_cost=None,
    reason: str = "",
) -> Valuation:
    """Record (or change) the technical valuation of ``proposal``, with an audit row.

    A feasible proposal needs an official cost; a reason, which is public, is needed when the
    proposal is not feasible and when the official cost differs from the author's estimate.
    """
    consultation = proposal.consultation
    require_moderator(actor, consultation)
    refusal = valuation_error(consultation)
    if refusal:
        raise ValidationError(refusal)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.visibility != Visibility.PUBLISHED or proposal.kind != ProposalKind.PROPOSAL:
        raise ValidationError(_("Si valutano solo le proposte pubblicate."))
    cost = _clean_cost(official_cost)
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise ValidationError(_("La motivazione può essere lunga al massimo 5.000 caratteri."))
    if feasible and cost is None:
        raise ValidationError(_("Per una proposta fattibile indica il costo ufficiale."))
    if not feasible and not reason:
        raise ValidationError(
            _("Per una proposta non fattibile scrivi la motivazione: sarà pubblica.")
        )
    if cost is not None and proposal.cost is not None and cost != proposal.cost and not reason:
        raise ValidationError(
            _(
                "Il costo ufficiale è diverso dalla stima di chi ha proposto (%(estimate)s €): "
                "scrivi la motivazione, che sarà pubblica."
            )
            % {"estimate": proposal.cost}
        )
    valuation, _created = Valuation.objects.update_or_create(
        proposal=proposal,
        defaults={
            "feasible": bool(feasible),
            "official_cost": cost,
            "reason": reason,
            "valued_by": actor,
            "valued_at": timezone.now(),
        },
    )
    audit_record(
        consultation=consultation,
        actor=actor,
        action=ModerationVerb.VALUATION,
        proposal=proposal,
        user=proposal.author,
        public_reason=valuation_summary(valuation),
    )
    return valuation


def valuation_summary(valuation: Valuation) -> str:
    """What the audit log shows: the outcome, the cost and the reason."""
    outcome = _("fattibile") if valuation.feasible else _("non fattibile")
    parts = [outcome]
    if valuation.official_cost is not None:
        parts.append(_("costo ufficiale %(cost)s €") % {"cost": valuation.official_cost})
    summary = ", ".join(str(p) for p in parts)
    return f"{summary}. {valuation.reason}".strip() if valuation.reason else summary


def proposals_to_value(*, consultation: ConsultationPage):
    """The consultation's published proposals with their valuation, for the facilitators'
    screen (two queries with the paginator's count)."""
    return (
        Proposal.objects.filter(
            consultation=consultation,
            visibility=Visibility.PUBLISHED,
            kind=ProposalKind.PROPOSAL,
        )
        .select_related("author", "valuation")
        .order_by("title", "pk")
    )
