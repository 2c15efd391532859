"""The consultation pages in the Wagtail admin and in the page tree; demo data."""

from decimal import Decimal

import pytest
from django.apps import apps

from accounts.models import User
from consultations.models import ConsultationIndexPage, ConsultationPage, Participation, Verb
from proposals.models import BudgetBallot, Comment, Proposal, Vote
from psm.models import ActionPage, HomePage
from tests.consultations.factories import make_consultation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_page_tree_rules(plan):
    action = ActionPage.objects.get(locale__language_code="it", code="5.2.1")
    assert ConsultationPage.can_create_at(action)
    assert ConsultationIndexPage.can_create_at(HomePage.objects.get(locale__language_code="it"))
    assert ConsultationPage.allowed_subpage_models() == []


def test_admin_add_and_edit_forms_render(plan, client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    action = ActionPage.objects.get(locale__language_code="it", code="5.2.1")
    add = client.get(f"/admin/pages/add/consultations/consultationpage/{action.pk}/")
    assert add.status_code == 200
    html = add.content.decode()
    for label in ("Regole", "Fasi", "Categorie", "Territorio", "Voto"):
        assert label in html
    consultation = make_consultation(phase="proposals")
    assert client.get(f"/admin/pages/{consultation.pk}/edit/").status_code == 200


def test_demo_data_is_idempotent(plan):
    from accounts.demo import demo_accounts_load

    accounts = demo_accounts_load()
    for _ in range(2):
        apps.get_app_config("consultations").load_demo_data(accounts=accounts, stdout=None)
        apps.get_app_config("proposals").load_demo_data(accounts=accounts, stdout=None)
    assert ConsultationIndexPage.objects.filter(locale__language_code="it").count() == 1
    assert (
        ConsultationPage.objects.filter(
            slug__in=["cosa-deve-cambiare-nel-psm", "ex-scuola-usseaux"]
        ).count()
        == 2 * 2  # in Italian and in English
    )
    psm = ConsultationPage.objects.get(
        locale__language_code="it", slug="cosa-deve-cambiare-nel-psm"
    )
    budget = ConsultationPage.objects.get(locale__language_code="it", slug="ex-scuola-usseaux")
    assert psm.status() == "open"
    assert psm.allows("submit")
    # one phase after the other: proposals stay editable until the vote starts
    assert not psm.allows("vote")
    assert budget.vote_mode == "budget"
    assert budget.allows("vote")
    assert Proposal.objects.filter(consultation=psm).count() == 4
    assert Proposal.objects.filter(consultation=budget).count() == 4
    assert Vote.objects.filter(proposal__consultation=psm).count() == 0
    assert Comment.objects.filter(proposal__consultation=psm).count() == 3
    assert BudgetBallot.objects.filter(consultation=budget).count() == 1
    # The budget proposals have their technical valuation; the winners use the official cost.
    from proposals.models import Valuation
    from proposals.results import live_ranking

    assert Valuation.objects.filter(proposal__consultation=budget).count() == 4
    unfeasible = Valuation.objects.filter(proposal__consultation=budget, feasible=False)
    assert unfeasible.count() == 1
    assert unfeasible.get().reason
    result = live_ranking(consultation=budget)
    funded = {row.proposal.title for row in result.rows if row.funded}
    assert result.funded_cost == Decimal("88000")
    assert funded == {"Biblioteca e aula studio aperta la sera", "Spazio di coworking con fibra"}
    assert Participation.objects.filter(consultation=psm).count() == 3
    facilitator = User.objects.get(email="facilitatrice@demo.psm-giovani.it")
    from consultations.rules import is_facilitator_of

    assert is_facilitator_of(facilitator, psm)
    assert is_facilitator_of(facilitator, budget)


def test_a_started_phase_stays_started_after_it_ends(plan):
    voting = make_consultation(phase="voting")
    closed = make_consultation(phase="closed")
    information = make_consultation(phase="information")
    assert voting.has_started_phase(Verb.VOTE)
    assert voting.allows(Verb.VOTE)
    assert not voting.has_started_phase(Verb.READ_ANSWERS)
    assert closed.has_started_phase(Verb.VOTE)
    assert not closed.allows(Verb.VOTE)
    assert not information.has_started_phase(Verb.SUBMIT)
