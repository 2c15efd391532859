"""Verified identity and confirmed residence in the one eligibility rule: a consultation that
asks for them refuses the vote (every route that votes goes through it), a self-declared comune
is not enough, and moving away from a confirmed comune drops the confirmation."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.identity import residence_confirm
from accounts.models import ResidenceCheck, Role, role_group
from consultations import rules as consultation_rules
from conversations import rules as conversation_rules
from proposals.models import Vote
from proposals.services import votes
from territory.models import Comune
from tests.consultations.factories import make_consultation
from tests.factories import UserFactory
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def torino():
    return Comune.objects.get(name="Torino")


@pytest.fixture
def usseaux():
    return Comune.objects.get(name="Usseaux")


@pytest.fixture
def facilitator():
    user = UserFactory(display_name="Franca Sportello")
    user.groups.add(role_group(Role.FACILITATOR))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def mountain_budget():
    """Mountain comuni only, residence confirmed required (the budget of the issue)."""
    return make_consultation(
        phase="voting",
        territory_scope="zones",
        eligible_altimetric_zones=[1],
        requires_confirmed_residence=True,
    )


def _edit_profile(client, user, comune):
    client.force_login(user)
    return client.post(
        "/profilo/modifica/",
        {"display_name": user.display_name, "comune_choice": comune.pk, "gender": ""},
    )


def test_a_self_declared_comune_cannot_vote_where_confirmed_residence_is_required(
    client, torino, usseaux, mountain_budget
):
    person = UserFactory(comune=torino)
    assert _edit_profile(client, person, usseaux).status_code == 302
    person.refresh_from_db()
    assert person.comune == usseaux
    assert not person.residence_confirmed
    refusal = consultation_rules.vote_error(person, mountain_budget)
    assert "residenza confermata" in refusal
    proposal = ProposalFactory(consultation=mountain_budget)
    response = client.post(f"/proposte/{proposal.pk}/sostegno/", {"next": "/"})
    assert response.status_code == 302
    assert not Vote.objects.exists()
    with pytest.raises((PermissionDenied, ValidationError)):
        votes.vote_cast(proposal=proposal, voter=person)


def test_the_torino_to_usseaux_move_is_refused(
    client, torino, usseaux, facilitator, mountain_budget
):
    person = UserFactory(comune=torino)
    residence_confirm(person=person, comune=torino, official=facilitator, place="Sportello")
    person.refresh_from_db()
    assert person.residence_confirmed
    _edit_profile(client, person, usseaux)
    person.refresh_from_db()
    assert person.comune == usseaux
    assert not person.residence_confirmed
    assert person.residence_confirmed_comune is None
    assert list(person.residence_checks.values_list("outcome", flat=True)) == [
        ResidenceCheck.Outcome.DROPPED,
        ResidenceCheck.Outcome.CONFIRMED,
    ]
    assert "residenza confermata" in consultation_rules.vote_error(person, mountain_budget)


def test_a_residence_confirmed_by_an_official_votes(usseaux, facilitator, mountain_budget):
    person = UserFactory(comune=usseaux)
    check = residence_confirm(
        person=person, comune=usseaux, official=facilitator, place="Laboratorio di Pinerolo"
    )
    assert (check.official, check.place, check.outcome) == (
        facilitator,
        "Laboratorio di Pinerolo",
        ResidenceCheck.Outcome.CONFIRMED,
    )
    person.refresh_from_db()
    assert consultation_rules.vote_error(person, mountain_budget) is None
    votes.vote_cast(proposal=ProposalFactory(consultation=mountain_budget), voter=person)
    assert Vote.objects.filter(voter=person).count() == 1


def test_only_facilitators_confirm_and_never_their_own(torino):
    person, other = UserFactory(), UserFactory()
    with pytest.raises(PermissionDenied):
        residence_confirm(person=person, comune=torino, official=other, place="x")
    other.groups.add(role_group(Role.FACILITATOR))
    other = type(other).objects.get(pk=other.pk)
    with pytest.raises(PermissionDenied):
        residence_confirm(person=other, comune=torino, official=other, place="x")


def test_requiring_a_verified_identity_applies_to_votes_only(torino):
    consultation = make_consultation(phase="proposals+voting", requires_verified_identity=True)
    person = UserFactory(comune=torino)
    assert "SPID o CIE" in consultation_rules.vote_error(person, consultation)
    assert consultation_rules.submit_error(person, consultation) is None
    assert consultation_rules.comment_error(person, consultation) is None
    person.identity_verified_at = timezone.now()
    assert consultation_rules.vote_error(person, consultation) is None


def test_conversation_votes_are_covered(torino):
    from tests.conversations.factories import ConversationFactory

    consultation = make_consultation(phases=("conversation",), requires_verified_identity=True)
    conversation = ConversationFactory(consultation=consultation)
    person = UserFactory(comune=torino)
    assert "SPID o CIE" in conversation_rules.vote_error(person, conversation)


def test_the_rules_in_words_say_what_is_required(mountain_budget):
    lines = " ".join(str(line) for line in mountain_budget.rules_in_words())
    assert "residenza confermata" in lines


def test_the_profile_says_what_is_verified_and_by_whom(client, torino, facilitator):
    person = UserFactory(comune=torino)
    residence_confirm(person=person, comune=torino, official=facilitator, place="Sportello")
    client.force_login(person)
    page = client.get("/profilo/").content.decode()
    assert "confermata da Franca Sportello" in page
    assert "Non verificata" in page


def test_the_confirmation_page_is_for_facilitators(client, torino, usseaux, facilitator):
    person = UserFactory(comune=torino)
    client.force_login(person)
    assert client.get("/profilo/conferma-residenza/").status_code == 403
    client.force_login(facilitator)
    assert client.get("/profilo/conferma-residenza/").status_code == 200
    response = client.post(
        "/profilo/conferma-residenza/",
        {"email": person.email, "comune": usseaux.pk, "place": "Laboratorio di Usseaux"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.residence_confirmed
    assert person.comune == usseaux
    assert person.residence_confirmed_by == facilitator
