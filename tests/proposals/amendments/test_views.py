"""Amendments through HTTP: the paragraph form, acceptance in the moderation area, the change
set's review screen (conflicts, publication, who may see it), the public page of a published
change and the action page; the answer form's rules."""

import pytest
from django.urls import reverse

from proposals.amendments import services as amendments
from proposals.models import (
    AmendmentState,
    ChangeSet,
    ChangeSetState,
    Proposal,
    ProposalStatus,
)
from proposals.moderation import services as moderation
from psm.models import ActionPage
from tests.consultations.factories import make_consultation, make_editor, make_facilitator
from tests.factories import UserFactory
from tests.proposals.amendments.conftest import TEXT, WHY
from tests.proposals.factories import ProposalFactory
from tests.proposals.moderation.test_permissions import refused

pytestmark = pytest.mark.django_db

YES = "Accolto: il testo sarà aggiornato."


def _moderation_url(proposal):
    return reverse(
        "moderation:proposal",
        kwargs={"consultation_id": proposal.consultation_id, "proposal_id": proposal.pk},
    )


def _review_url(change_set):
    return reverse("moderation:change_set", kwargs={"change_set_id": change_set.pk})


# --------------------------------------------------------------------------- writing
def test_paragraph_amendment_through_the_form(client, consultation, action):
    author = UserFactory()
    client.force_login(author)
    url = reverse("proposals:create", args=[consultation.pk]) + "?tipo=emendamento"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="{action.pk}-2"' in html  # each paragraph can be chosen
    response = client.post(
        url,
        {
            "title": "Due incontri all'anno",
            "body": WHY,
            "amended_action": action.pk,
            "paragraph": f"{action.pk}-2",
            "amended_text": "Organizzare due incontri pubblici all'anno in ogni zona.",
        },
    )
    proposal = Proposal.objects.get(author=author)
    assert response.status_code == 302
    assert proposal.amendment.paragraph == 2
    assert proposal.amended_text.startswith("Coinvolgere i giovani")
    assert "due incontri" in proposal.amended_text
    detail = client.get(proposal.get_absolute_url()).content.decode()
    assert "paragrafo 2" in detail
    assert "<ins>" in detail


def test_paragraph_of_another_action_is_refused(client, consultation, action):
    client.force_login(UserFactory())
    url = reverse("proposals:create", args=[consultation.pk]) + "?tipo=emendamento"
    response = client.post(
        url,
        {
            "title": "Due incontri all'anno",
            "body": WHY,
            "amended_action": action.pk,
            "paragraph": "999999-2",
            "amended_text": "Organizzare due incontri pubblici all'anno in ogni zona.",
        },
    )
    assert response.status_code == 200
    assert not Proposal.objects.exists()


# --------------------------------------------------------------------------- accept → publish
def test_accept_review_and_publish_through_the_admin(client, action, submit, facilitator):
    proposal = submit(TEXT.replace("i giovani", "le ragazze e i ragazzi"))
    client.force_login(facilitator)
    response = client.post(_moderation_url(proposal), {"form": "amendment", "answer": YES})
    assert response.status_code == 302
    change_set = ChangeSet.objects.get()
    assert ActionPage.objects.get(pk=action.pk).official_text == TEXT
    page = client.get(_moderation_url(proposal)).content.decode()
    assert _review_url(change_set) in page
    review = client.get(_review_url(change_set))
    assert review.status_code == 200
    assert "ragazze" in review.content.decode()
    # Publishing needs the confirmation box.
    client.post(_review_url(change_set), {"op": "publish"})
    assert ChangeSet.objects.get().state == ChangeSetState.OPEN
    response = client.post(_review_url(change_set), {"op": "publish", "confirm": "on"})
    assert response.status_code == 302
    assert ChangeSet.objects.get().state == ChangeSetState.PUBLISHED
    assert ActionPage.objects.get(pk=action.pk).official_text == proposal.amended_text
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.INCORPORATED
    # The public: the proposal links to the change, which shows the before/after diff.
    detail = client.get(proposal.get_absolute_url()).content.decode()
    public_url = reverse("proposals:change_set", kwargs={"pk": change_set.pk})
    assert public_url in detail
    client.logout()
    public = client.get(public_url)
    assert public.status_code == 200
    body = public.content.decode()
    assert "<ins>" in body
    assert "ragazze" in body
    assert proposal.title in body
    action_page = client.get(ActionPage.objects.get(pk=action.pk).url).content.decode()
    assert "Hai proposto, abbiamo fatto" in action_page
    assert public_url in action_page


def test_an_open_change_set_has_no_public_page(client, submit, facilitator):
    proposal = submit(TEXT + " Ogni anno.")
    amendment = amendments.amendment_accept(actor=facilitator, proposal=proposal, answer=YES)
    url = reverse("proposals:change_set", kwargs={"pk": amendment.change_set_id})
    assert client.get(url).status_code == 404
    action_page = client.get(ActionPage.objects.get(pk=amendment.change_set.action_id).url)
    assert "Hai proposto, abbiamo fatto" not in action_page.content.decode()


def test_public_change_page_query_count(
    client, action, submit, facilitator, django_assert_num_queries
):
    for n in range(3):
        proposal = submit(TEXT.replace("i giovani", f"i giovani ({n})"), title=f"Variante {n}")
        amendment = amendments.amendment_accept(actor=facilitator, proposal=proposal, answer=YES)
    change_set = amendment.change_set
    for member in change_set.amendments.filter(state=AmendmentState.CONFLICT):
        amendments.changeset_remove(
            actor=facilitator, change_set=change_set, amendment=member, answer="Dopo."
        )
    amendments.changeset_publish(actor=facilitator, change_set=change_set)
    url = reverse("proposals:change_set", kwargs={"pk": change_set.pk})
    client.get(url)  # warm the site and locale caches
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200


def test_conflict_resolution_through_the_admin(client, action, submit, facilitator):
    one = submit(TEXT.replace("Coinvolgere", "Ascoltare"), title="Ascoltare")
    two = submit(TEXT.replace("Coinvolgere", "Far decidere"), title="Far decidere")
    client.force_login(facilitator)
    client.post(_moderation_url(one), {"form": "amendment", "answer": YES})
    response = client.post(_moderation_url(two), {"form": "amendment", "answer": YES}, follow=True)
    assert "in conflitto" in response.content.decode()
    change_set = ChangeSet.objects.get()
    review = client.get(_review_url(change_set)).content.decode()
    assert "Far decidere" in review
    assert "Ascoltare" in review
    assert 'value="publish"' not in review  # no publication while in conflict
    client.post(_review_url(change_set), {"op": "publish", "confirm": "on"})
    assert ChangeSet.objects.get().state == ChangeSetState.OPEN
    second = two.amendment
    client.post(
        _review_url(change_set),
        {
            "op": "resolve",
            "amendment": second.pk,
            "text": TEXT.replace("Coinvolgere", "Ascoltare e far decidere"),
        },
    )
    second.refresh_from_db()
    assert second.state == AmendmentState.MERGED
    client.post(_review_url(change_set), {"op": "publish", "confirm": "on"})
    assert ActionPage.objects.get(pk=action.pk).official_text.startswith("Ascoltare e far decidere")


@pytest.mark.parametrize(
    ("role", "allowed"), [("other", False), ("participant", False), ("editor", True)]
)
def test_review_screen_is_for_reviewers_only(client, submit, facilitator, role, allowed):
    proposal = submit(TEXT + " Ogni anno.")
    amendment = amendments.amendment_accept(actor=facilitator, proposal=proposal, answer=YES)
    people = {
        "other": make_facilitator(make_consultation(phase="proposals")),
        "participant": UserFactory(),
        "editor": make_editor(),
    }
    client.force_login(people[role])
    url = _review_url(amendment.change_set)
    response = client.get(url)
    if allowed:
        assert response.status_code == 200
    else:
        assert refused(response)
    client.post(url, {"op": "publish", "confirm": "on"})
    expected = ChangeSetState.PUBLISHED if allowed else ChangeSetState.OPEN
    assert ChangeSet.objects.get().state == expected


# --------------------------------------------------------------------------- the answer form
@pytest.fixture
def answered(consultation, facilitator):
    proposal = ProposalFactory(consultation=consultation)
    moderation.proposal_answer(
        actor=facilitator,
        proposal=proposal,
        status=ProposalStatus.IN_REVIEW,
        answer="La stiamo valutando con gli uffici.",
    )
    proposal.refresh_from_db()
    return proposal


def test_answer_form_starts_empty_and_shows_the_previous_answer(client, answered, facilitator):
    client.force_login(facilitator)
    html = client.get(_moderation_url(answered)).content.decode()
    assert 'name="answer"' in html
    textarea = html.split('name="answer"', 1)[1].split("</textarea>", 1)[0]
    assert "La stiamo valutando" not in textarea  # the form is empty
    assert "Risposta attuale (sola lettura)" in html
    assert "La stiamo valutando con gli uffici." in html  # shown beside it
    assert 'value="incorporated"' not in html  # only publication gets there


def test_new_status_with_the_same_text_needs_confirmation(
    client, answered, facilitator, django_capture_on_commit_callbacks
):
    client.force_login(facilitator)
    same = {"form": "answer", "status": "rejected", "answer": "La stiamo valutando con gli uffici."}
    response = client.post(_moderation_url(answered), same)
    assert response.status_code == 200
    assert 'name="confirm_unchanged"' in response.content.decode()
    answered.refresh_from_db()
    assert answered.status == ProposalStatus.IN_REVIEW  # nothing published, nobody e-mailed
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_moderation_url(answered), {**same, "confirm_unchanged": "on"})
    assert response.status_code == 302
    answered.refresh_from_db()
    assert answered.status == ProposalStatus.REJECTED
    # A new text with the new status needs no confirmation.
    response = client.post(
        _moderation_url(answered),
        {"form": "answer", "status": "accepted", "answer": "Accolta dopo il confronto."},
    )
    assert response.status_code == 302


def test_the_service_enforces_the_confirmation(answered, facilitator):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="identica alla precedente"):
        moderation.proposal_answer(
            actor=facilitator,
            proposal=answered,
            status=ProposalStatus.REJECTED,
            answer=answered.answer,
        )
    moderation.proposal_answer(
        actor=facilitator,
        proposal=answered,
        status=ProposalStatus.REJECTED,
        answer=answered.answer,
        confirm_unchanged=True,
    )


def test_an_empty_answer_does_not_wipe_the_published_one(client, answered, facilitator):
    client.force_login(facilitator)
    response = client.post(
        _moderation_url(answered), {"form": "answer", "status": "in_review", "answer": ""}
    )
    assert response.status_code == 200
    assert 'name="confirm_unchanged"' in response.content.decode()
    answered.refresh_from_db()
    assert answered.answer == "La stiamo valutando con gli uffici."
