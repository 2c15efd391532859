"""Demo proposals, supports, ballots and comments for the demo consultations.

Idempotent: a consultation that already has proposals is left alone. Where the running phase
allows it the real services are used (so the demo follows the same rules as everybody). The
budget consultation's proposals have their technical valuation (one not feasible, one whose
official cost differs from the estimate), so its winners come from the official costs.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from consultations.demo import BUDGET_SLUG, PSM_SLUG
from consultations.models import ConsultationPage
from proposals.models import (
    ModerationAction,
    ModerationVerb,
    Proposal,
    ProposalKind,
    Valuation,
    Visibility,
)
from proposals.moderation import in_person
from proposals.moderation.services import audit_record
from proposals.moderation.valuation import valuation_summary
from proposals.services import comments, votes
from proposals.services import proposals as proposal_services
from territory.models import Comune

PSM_PROPOSALS = [
    (
        "participant",
        "Scuola",
        "Uno sportello PSM in ogni scuola superiore",
        "Propongo che ogni istituto superiore abbia un referente che spieghi il Piano "
        "Strategico Metropolitano e raccolga le idee di studenti e studentesse due volte "
        "l'anno.\nCosì il piano non resta un documento per addetti ai lavori.",
    ),
    (
        "participant2",
        "Mobilità",
        "Bus serali dalle valli a Torino nel fine settimana",
        "Chi vive in montagna non può partecipare a niente la sera: servono corse "
        "notturne il venerdì e il sabato almeno da Susa, Pinerolo e Ivrea. Vedi anche "
        "https://www.cittametropolitana.torino.it per i dati sul trasporto.",
    ),
    (
        "participant3",
        "Casa",
        "Affitti calmierati per chi ha meno di 30 anni",
        "Una quota degli alloggi pubblici vuoti potrebbe essere assegnata a giovani "
        "lavoratori e lavoratrici con affitti legati al reddito, con priorità ai comuni "
        "che si stanno spopolando.",
    ),
]

BUDGET_PROPOSALS = [
    ("participant2", "Spazi", "Spazio di coworking con fibra", Decimal("45000.00")),
    ("participant2", "Attività", "Sala prove e registrazione per band", Decimal("38000.00")),
    ("participant3", "Servizi", "Ostello per escursionisti e scuole", Decimal("70000.00")),
    ("participant", "Spazi", "Biblioteca e aula studio aperta la sera", Decimal("30000.00")),
]

#: The technical valuation of each budget proposal (same order): feasible, official cost and
#: the public reason. It happened during the discussion, before the vote opened.
BUDGET_VALUATIONS = [
    (
        True,
        Decimal("58000.00"),
        "Portare la fibra fino all'edificio richiede uno scavo di 400 metri: il preventivo "
        "dell'ufficio tecnico è più alto della stima.",
    ),
    (True, Decimal("38000.00"), ""),
    (
        False,
        None,
        "Per dormire nell'edificio servono scale e uscite di sicurezza nuove: il progetto "
        "strutturale da solo supera il budget della consultazione.",
    ),
    (True, Decimal("30000.00"), ""),
]

#: Supports counted at the in-person meeting in Usseaux (proposal index, supports).
BUDGET_MEETING = [(1, 12), (2, 15), (3, 4)]


def _category(consultation, name):
    return next((c for c in consultation.categories.all() if c.name.startswith(name)), None)


@transaction.atomic
def load_demo_proposals(*, accounts, stdout=None) -> None:
    psm = ConsultationPage.objects.in_source_language().filter(slug=PSM_SLUG).first()
    if psm is not None and not psm.proposals.exists():
        torino = Comune.objects.filter(name="Torino").first()
        created = []
        for key, category, title, body in PSM_PROPOSALS:
            created.append(
                proposal_services.proposal_submit(
                    consultation=psm,
                    author=accounts[key],
                    title=title,
                    body=body,
                    category=_category(psm, category),
                    comune=accounts[key].comune or torino,
                )
            )
        action = psm.amendable_actions()[0] if psm.amendable_actions() else None
        if action is not None:
            created.append(
                proposal_services.proposal_submit(
                    consultation=psm,
                    author=accounts["participant"],
                    kind=ProposalKind.AMENDMENT,
                    title="Dire chiaramente che i giovani votano le priorità",
                    body="Il testo dice «coinvolgere»: proponiamo di dire che le priorità "
                    "vengono votate ogni anno da chi ha tra 14 e 35 anni.",
                    amended_action=action,
                    amended_text=action.official_text.replace(
                        "coinvolgerli", "farli votare ogni anno sulle priorità e coinvolgerli"
                    )
                    if "coinvolgerli" in action.official_text
                    else action.official_text + " Le priorità sono votate ogni anno dai giovani.",
                )
            )
        # Supports only once its voting phase runs (the demo's starts after the proposals).
        for voter_key, picks in (
            ("participant", [1, 2]),
            ("participant2", [0, 2, 3]),
            ("participant3", [0, 1]),
        ):
            for index in picks:
                if index < len(created) and psm.allows("vote"):
                    votes.vote_cast(proposal=created[index], voter=accounts[voter_key])
        first = comments.comment_post(
            proposal=created[0],
            author=accounts["participant2"],
            body="Bella idea! Nella mia scuola a Oulx nessuno sa cosa sia il PSM.",
        )
        comments.comment_post(
            proposal=created[0],
            author=accounts["participant"],
            body="Esatto, e un referente costerebbe poco.",
            parent=first,
        )
        comments.comment_post(
            proposal=created[1],
            author=accounts["participant3"],
            body="Anche da Chivasso la sera è difficile tornare.",
        )
    budget = ConsultationPage.objects.in_source_language().filter(slug=BUDGET_SLUG).first()
    if budget is not None and not budget.proposals.exists():
        now = timezone.now()
        created = [
            Proposal.objects.create(
                consultation=budget,
                author=accounts[key],
                title=title,
                body=f"{title}: una proposta per riaprire l'ex scuola con un uso stabile, "
                "gestito insieme a un'associazione del territorio.",
                category=_category(budget, category),
                comune=Comune.objects.filter(name="Usseaux").first(),
                cost=cost,
                visibility=Visibility.PUBLISHED,
                published_at=now,
            )
            for key, category, title, cost in BUDGET_PROPOSALS
        ]
        _value_demo_budget(created, facilitator=accounts.get("facilitator"))
        voter = accounts["participant2"]
        if budget.eligibility_error(voter) is None and budget.allows("vote"):
            votes.budget_ballot_submit(
                consultation=budget, voter=voter, proposal_ids=[created[0].pk, created[3].pk]
            )
    if stdout is not None:
        stdout.write("Proposte, sostegni e commenti dimostrativi pronti.")


def _value_demo_budget(created, *, facilitator) -> None:
    """The valuations of the budget proposals, as given before the vote opened (the demo
    consultation is already voting, when the service no longer accepts them: so the rows
    and their audit entries are written as they were then), and the in-person supports.

    The most supported proposals are not funded: the ostello is not feasible, and the sala
    prove gets a "non accolta" answer (``demo_answers``); the biblioteca and the coworking are
    funded at their official costs (30.000 € + 58.000 €, not the 45.000 € estimated)."""
    valued_at = timezone.now() - datetime.timedelta(days=8)
    for proposal, (feasible, cost, reason) in zip(created, BUDGET_VALUATIONS, strict=True):
        valuation = Valuation.objects.create(
            proposal=proposal,
            feasible=feasible,
            official_cost=cost,
            reason=reason,
            valued_by=facilitator,
            valued_at=valued_at,
        )
        action = audit_record(
            consultation=proposal.consultation,
            actor=facilitator,
            action=ModerationVerb.VALUATION,
            proposal=proposal,
            user=proposal.author,
            public_reason=valuation_summary(valuation),
        )
        ModerationAction.objects.filter(pk=action.pk).update(created_at=valued_at)
    if facilitator is None or not facilitator.has_perm(
        "consultations.moderate", created[0].consultation
    ):
        return
    meeting = timezone.localdate() - datetime.timedelta(days=2)
    for index, supports in BUDGET_MEETING:
        in_person.offline_supports_record(
            actor=facilitator,
            proposal=created[index],
            supports=supports,
            meeting_date=meeting,
            place="Usseaux, sala del consiglio comunale",
        )
