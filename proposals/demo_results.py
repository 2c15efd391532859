"""The demo's concluded budget consultation (``consultations.demo.CONCLUDED_SLUG``): proposals
with their technical valuation, the ballots and the supports counted at a meeting, the official
answers, and results public with their downloads.

The consultation's vote is over, so the services no longer accept valuations or ballots: the
rows are written as they were then (valuations before the vote, ballots during it), with the
same audit entries and participation snapshots the services leave. The official answers go
through the real service. Winners, by the published rule: the most supported proposals on the
ballot while the 50.000 € last, at their official cost. Idempotent: a consultation that already
has proposals is left alone.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from consultations.demo import CONCLUDED_SLUG
from consultations.models import ConsultationPage
from consultations.services import participation_record
from proposals.models import (
    BudgetBallot,
    ModerationAction,
    ModerationVerb,
    OfflineTally,
    Proposal,
    Valuation,
    Visibility,
    Vote,
)
from proposals.moderation.services import audit_record, proposal_answer
from proposals.moderation.valuation import valuation_summary
from proposals.results import ranking
from territory.models import Comune

#: author, category, title, comune, estimated cost; (feasible, official cost, public reason);
#: which demo people put it on their ballot; supports counted at the meeting in Pinerolo.
PROPOSALS = [
    (
        "participant",
        "Spazi",
        "Aula studio aperta la sera a Pinerolo",
        "Pinerolo",
        Decimal("20000.00"),
        (True, Decimal("18000.00"), ""),
        ("participant", "participant2", "participant3"),
        26,
    ),
    (
        "participant3",
        "Servizi",
        "Navetta serale per l'università da Pinerolo a Torino",
        "Pinerolo",
        Decimal("40000.00"),
        (
            False,
            None,
            "Il trasporto pubblico tra comuni è competenza dell'Agenzia della mobilità "
            "piemontese: la proposta è inoltrata all'Agenzia, ma non può essere finanziata qui.",
        ),
        ("participant3",),
        31,
    ),
    (
        "participant2",
        "Servizi",
        "Wi-fi gratuito nelle biblioteche di valle",
        "Perosa Argentina",
        Decimal("15000.00"),
        (
            True,
            Decimal("22000.00"),
            "Servono anche i contratti di connessione per tre anni: il costo ufficiale li comprende.",
        ),
        ("participant", "participant2"),
        19,
    ),
    (
        "participant2",
        "Spazi",
        "Sala per lo studio di gruppo a Cavour",
        "Cavour",
        Decimal("30000.00"),
        (True, Decimal("30000.00"), ""),
        ("participant3",),
        11,
    ),
]
ANSWERS = {
    True: (
        "accepted",
        "Finanziata con il bilancio partecipativo: l'intervento entra nel programma di "
        "attuazione dell'azione 5.3.5 e ne daremo conto negli aggiornamenti.",
    ),
    False: (
        "rejected",
        "Non finanziata: il budget rimasto dopo le proposte più sostenute non basta per il suo "
        "costo ufficiale, oppure la valutazione tecnica l'ha giudicata non fattibile.",
    ),
}


def _at(days_ago: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days_ago)


@transaction.atomic
def demo_results_load(*, accounts, stdout=None) -> None:
    consultation = ConsultationPage.objects.filter(
        slug=CONCLUDED_SLUG, locale__language_code="it"
    ).first()
    facilitator = accounts.get("facilitator")
    if consultation is None or consultation.proposals.exists() or facilitator is None:
        return
    categories = {c.name: c for c in consultation.categories.all()}
    created = []
    for key, category, title, comune, cost, valued, _ballots, _meeting in PROPOSALS:
        proposal = Proposal.objects.create(
            consultation=consultation,
            author=accounts[key],
            title=title,
            body=f"{title}: uno spazio vicino a chi studia o lavora da remoto, aperto anche "
            "la sera, gestito con un'associazione del territorio.",
            category=categories.get(category),
            comune=Comune.objects.filter(name=comune).first(),
            cost=cost,
            visibility=Visibility.PUBLISHED,
            created_at=_at(75),
            published_at=_at(75),
        )
        participation_record(consultation=consultation, user=accounts[key])
        feasible, official, reason = valued
        valuation = Valuation.objects.create(
            proposal=proposal,
            feasible=feasible,
            official_cost=official,
            reason=reason,
            valued_by=facilitator,
            valued_at=_at(50),
        )
        action = audit_record(
            consultation=consultation,
            actor=facilitator,
            action=ModerationVerb.VALUATION,
            proposal=proposal,
            user=proposal.author,
            public_reason=valuation_summary(valuation),
        )
        ModerationAction.objects.filter(pk=action.pk).update(created_at=_at(50))
        created.append(proposal)
    voters: dict[str, list[Proposal]] = {}
    for proposal, spec in zip(created, PROPOSALS, strict=True):
        for key in spec[6]:
            voters.setdefault(key, []).append(proposal)
    for key, chosen in voters.items():
        voter = accounts[key]
        participation_record(consultation=consultation, user=voter)
        ballot = BudgetBallot.objects.create(
            consultation=consultation, voter=voter, submitted_at=_at(30)
        )
        Vote.objects.bulk_create(
            [Vote(proposal=p, voter=voter, ballot=ballot, created_at=_at(30)) for p in chosen]
        )
    meeting = (timezone.localdate() - datetime.timedelta(days=20)).isoformat()
    for proposal, spec in zip(created, PROPOSALS, strict=True):
        OfflineTally.objects.create(
            proposal=proposal,
            supports=spec[7],
            meeting_date=datetime.date.fromisoformat(meeting),
            place="Pinerolo, biblioteca civica",
            recorded_by=facilitator,
            created_at=_at(20),
        )
    funded = {row.proposal.pk for row in ranking(consultation=consultation).rows if row.funded}
    for proposal in created:
        status, text = ANSWERS[proposal.pk in funded]
        proposal_answer(actor=facilitator, proposal=proposal, status=status, answer=text)
    if stdout is not None:
        stdout.write(
            f"Consultazione conclusa con risultati pubblici: {consultation.title} "
            f"({len(funded)} proposte finanziate)."
        )
