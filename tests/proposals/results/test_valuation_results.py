"""The budget ballot and its winners after the technical valuation: only feasible, valued,
published proposals are on the ballot (service and page), and the winners are computed with
the official cost; a rejected proposal is never funded."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from proposals.models import BudgetBallot, OfflineTally, ProposalStatus, Visibility
from proposals.results import ranking
from proposals.services import votes
from tests.consultations.factories import make_consultation, make_facilitator
from tests.proposals.factories import ProposalFactory, ValuationFactory, on_ballot, vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def voting(plan):
    return make_consultation(phase="voting", vote_mode="budget", total_budget=Decimal("100"))


@pytest.fixture
def proposals(voting):
    """One on the ballot, one never valued, one not feasible, one valued but then rejected."""
    return {
        "ok": on_ballot(consultation=voting, cost=Decimal("40"), title="Sala prove"),
        "unvalued": ProposalFactory(consultation=voting, cost=Decimal("10"), title="Orto"),
        "unfeasible": ValuationFactory(
            proposal=ProposalFactory(consultation=voting, cost=Decimal("10"), title="Piscina"),
            unfeasible=True,
        ).proposal,
        "rejected": on_ballot(
            consultation=voting,
            cost=Decimal("10"),
            title="Murales",
            status=ProposalStatus.REJECTED,
        ),
    }


# --------------------------------------------------------------------------- ballot
@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("unvalued", "non ha ancora la valutazione tecnica"),
        ("unfeasible", "valutata non fattibile"),
        ("rejected", "è «Non accolta»"),
    ],
)
def test_ballot_service_refuses_what_is_not_on_the_ballot(voting, proposals, user, key, message):
    with pytest.raises(ValidationError, match=message):
        votes.budget_ballot_submit(
            consultation=voting, voter=user, proposal_ids=[proposals["ok"].pk, proposals[key].pk]
        )
    assert not BudgetBallot.objects.exists()
    votes.budget_ballot_submit(consultation=voting, voter=user, proposal_ids=[proposals["ok"].pk])
    assert BudgetBallot.objects.filter(voter=user).count() == 1


def test_ballot_uses_the_official_cost_not_the_estimate(voting, user):
    cheap_on_paper = ProposalFactory(consultation=voting, cost=Decimal("10"))
    ValuationFactory(
        proposal=cheap_on_paper, official_cost=Decimal("95"), reason="Servono i bagni."
    )
    other = on_ballot(consultation=voting, cost=Decimal("10"))
    with pytest.raises(ValidationError, match="più del budget"):
        votes.budget_ballot_submit(
            consultation=voting, voter=user, proposal_ids=[cheap_on_paper.pk, other.pk]
        )


def test_ballot_page_lists_only_the_ballot_and_refuses_the_rest(client, voting, proposals, user):
    client.force_login(user)
    url = reverse("proposals:budget", args=[voting.pk])
    html = client.get(url).content.decode()
    ok = proposals["ok"]
    assert f'id="proposta-{ok.pk}" data-cost="40.00"' in html
    for key in ("unvalued", "unfeasible", "rejected"):
        assert f'value="{proposals[key].pk}"' not in html  # no checkbox
        assert proposals[key].title in html  # listed with the reason
    assert "Il terreno non è di proprietà pubblica." in html
    assert "valutazione tecnica non ancora fatta" in html
    # A forged form is refused on the server with the reason, and nothing is written.
    response = client.post(url, {"proposte": [ok.pk, proposals["unfeasible"].pk]})
    assert response.status_code == 200
    assert "valutata non fattibile" in response.content.decode()
    assert not BudgetBallot.objects.exists()


# --------------------------------------------------------------------------- winners
def test_winners_use_the_official_cost(plan):
    consultation = make_consultation(
        phases=("voting",), results_public=True, vote_mode="budget", total_budget=Decimal("1000")
    )
    first = ProposalFactory(consultation=consultation, cost=Decimal("100"))
    ValuationFactory(proposal=first, official_cost=Decimal("900"), reason="Impianti a norma.")
    second = on_ballot(consultation=consultation, cost=Decimal("200"))
    third = on_ballot(consultation=consultation, cost=Decimal("100"))
    for proposal, supports in ((first, 3), (second, 2), (third, 1)):
        for _ in range(supports):
            vote(proposal)
    result = ranking(consultation=consultation)
    assert [(r.proposal, r.cost, r.funded) for r in result.rows] == [
        (first, Decimal("900"), True),
        (second, Decimal("200"), False),  # by the author's estimate it would have fitted
        (third, Decimal("100"), True),
    ]
    assert result.funded_cost == Decimal("1000")


def test_rejected_unfeasible_and_unvalued_proposals_are_never_funded(plan):
    consultation = make_consultation(
        phases=("voting",), results_public=True, vote_mode="budget", total_budget=Decimal("1000")
    )
    rejected = on_ballot(
        consultation=consultation, cost=Decimal("100"), status=ProposalStatus.REJECTED
    )
    merged = on_ballot(consultation=consultation, cost=Decimal("100"), status=ProposalStatus.MERGED)
    unfeasible = ValuationFactory(
        proposal=ProposalFactory(consultation=consultation, cost=Decimal("100")), unfeasible=True
    ).proposal
    unvalued = ProposalFactory(consultation=consultation, cost=Decimal("100"))
    hidden = on_ballot(consultation=consultation, cost=Decimal("100"), visibility=Visibility.HIDDEN)
    funded = on_ballot(consultation=consultation, cost=Decimal("100"))
    for proposal in (rejected, merged, unfeasible, unvalued, hidden):
        for _ in range(5):
            vote(proposal)
        OfflineTally.objects.create(
            proposal=proposal, supports=3, meeting_date="2026-01-10", place="Usseaux"
        )
    vote(funded)
    result = ranking(consultation=consultation)
    assert {r.proposal.pk: r.funded for r in result.rows} == {
        rejected.pk: False,
        merged.pk: False,
        unfeasible.pk: False,
        unvalued.pk: False,
        funded.pk: True,
    }
    assert result.funded_cost == Decimal("100")


def test_results_page_and_export_show_the_official_cost(client, plan):
    consultation = make_consultation(
        phases=("voting",), results_public=True, vote_mode="budget", total_budget=Decimal("1000")
    )
    proposal = ProposalFactory(consultation=consultation, cost=Decimal("100"), title="Ciclofficina")
    ValuationFactory(proposal=proposal, official_cost=Decimal("750"), reason="Attrezzi inclusi.")
    vote(proposal)
    page = client.get(reverse("consultations:results", kwargs={"consultation_id": consultation.pk}))
    html = page.content.decode()
    assert "Costo ufficiale" in html
    assert "750" in html
    client.force_login(make_facilitator(consultation))
    response = client.get(
        reverse(
            "consultations:results_export",
            kwargs={"consultation_id": consultation.pk, "fmt": "csv"},
        ),
        {"tabella": "proposte"},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, row = rows[0], rows[1]
    assert row[header.index("costo stimato (€)")] == "100.00"
    assert row[header.index("costo ufficiale (€)")] == "750.00"
    assert row[header.index("fattibile")] == "sì"
    assert row[header.index("finanziata")] == "sì"


# --------------------------------------------------------------------------- proposal page
def test_proposal_page_shows_the_valuation_once_set(client, voting, proposals):
    unfeasible = proposals["unfeasible"]
    html = client.get(unfeasible.get_absolute_url()).content.decode()
    assert "Valutazione tecnica" in html
    assert "Non fattibile" in html
    assert "Il terreno non è di proprietà pubblica." in html
    html = client.get(proposals["unvalued"].get_absolute_url()).content.decode()
    assert "Valutazione tecnica" not in html
    differs = ProposalFactory(consultation=voting, cost=Decimal("10"))
    ValuationFactory(proposal=differs, official_cost=Decimal("25"), reason="IVA inclusa.")
    html = client.get(differs.get_absolute_url()).content.decode()
    assert "25.00 €" in html or "25,00 €" in html
    assert "IVA inclusa." in html
    assert "stima di chi ha proposto" in html


def test_public_rules_describe_the_rule_the_code_applies(voting):
    rules = " ".join(str(line) for line in voting.rules_in_words())
    assert "valutazione tecnica" in rules
    assert "costo ufficiale" in rules
    assert "viene saltata e si prova con la successiva" in rules


def test_a_reason_with_markup_is_shown_as_text(client, voting):
    proposal = ProposalFactory(consultation=voting, cost=Decimal("10"), title="Orto <b>x</b>")
    ValuationFactory(proposal=proposal, unfeasible=True, reason="<script>alert('x')</script>")
    facilitator = make_facilitator(voting)
    client.force_login(facilitator)
    for url in (
        proposal.get_absolute_url(),
        reverse("proposals:budget", args=[voting.pk]),
        reverse("moderation:valuations", kwargs={"consultation_id": voting.pk}),
    ):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "&lt;script&gt;alert" in html, url


def test_a_voter_learns_that_a_chosen_proposal_left_the_ballot(client, voting, proposals, user):
    ok = proposals["ok"]
    later = on_ballot(consultation=voting, cost=Decimal("10"), title="Ciclofficina")
    votes.budget_ballot_submit(consultation=voting, voter=user, proposal_ids=[ok.pk, later.pk])
    later.status = ProposalStatus.REJECTED
    later.save(update_fields=["status"])
    client.force_login(user)
    html = client.get(reverse("proposals:budget", args=[voting.pk])).content.decode()
    assert "Era nella tua scheda" in html
    assert f'value="{later.pk}"' not in html
