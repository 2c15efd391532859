"""Amendment services: the base revision and its diff, the change set, publication →
incorporated, concurrent amendments (merged or flagged, never overwritten), paragraph
amendments, and who may do what."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import engines

from core.errors import REFUSALS
from notifications.models import Notification
from proposals.amendments import selectors
from proposals.amendments import services as amendments
from proposals.amendments.text import merge_three, paragraphs, replace_paragraph
from proposals.models import (
    AmendmentState,
    ChangeSet,
    ChangeSetState,
    ModerationAction,
    ModerationVerb,
    ProposalStatus,
)
from proposals.moderation import services as moderation
from proposals.services import proposals as proposal_services
from psm.models import ActionPage
from tests.consultations.factories import make_consultation, make_editor, make_facilitator
from tests.factories import UserFactory
from tests.proposals.amendments.conftest import TEXT, publish_text

pytestmark = pytest.mark.django_db

FIRST, SECOND, THIRD = paragraphs(TEXT)
YES = "Accolto: il testo sarà aggiornato."


def _reload(proposal):
    proposal.refresh_from_db()
    return proposal


def _render_action_amendments(action) -> str:
    template = engines["django"].from_string(
        "{% load moderation_tags %}{% action_amendments page %}"
    )
    return template.render({"page": action})


# --------------------------------------------------------------------------- pure text
def test_paragraphs_and_replacement():
    assert paragraphs(TEXT) == [FIRST, SECOND, THIRD]
    assert paragraphs("a\r\n\r\n\r\nb\nc") == ["a", "b\nc"]
    replaced = replace_paragraph(TEXT, 2, "Due incontri.\n\nAll'anno.")
    assert paragraphs(replaced) == [FIRST, "Due incontri.\nAll'anno.", THIRD]
    with pytest.raises(IndexError):
        replace_paragraph(TEXT, 4, "x")


def test_three_way_merge_applies_disjoint_changes_and_reports_clashes():
    base = "Il piano coinvolge i giovani nelle scelte. Ogni anno."
    ours = "Il piano coinvolge i giovani nelle scelte. Ogni mese."
    theirs = "Il piano coinvolge le ragazze e i ragazzi nelle scelte. Ogni anno."
    merged = merge_three(base=base, theirs=theirs, current=ours)
    assert merged.clean
    assert merged.text == "Il piano coinvolge le ragazze e i ragazzi nelle scelte. Ogni mese."
    clash = merge_three(
        base=base,
        theirs=base.replace("coinvolge", "ascolta"),
        current=base.replace("coinvolge", "informa"),
    )
    assert not clash.clean
    assert clash.text is None
    assert clash.conflicts == (("coinvolge", "ascolta", "informa"),)


# --------------------------------------------------------------------------- base revision
def test_amendment_keeps_its_base_revision_and_diffs_against_it(action, submit):
    proposal = submit(TEXT.replace("i giovani", "le ragazze e i ragazzi"))
    amendment = proposal.amendment
    assert amendment.base_revision_id == action.live_revision_id
    assert amendment.base_text == TEXT
    assert amendment.state == AmendmentState.PROPOSED
    # The editors then publish a text that already contains the change and more.
    publish_text(action, proposal.amended_text + "\n\nUn paragrafo nuovo.")
    diff = selectors.amendment_diff(proposal).diff
    assert "<del>giovani</del>" in diff
    assert "<ins>" in diff
    assert "ragazze" in diff
    assert "paragrafo nuovo" not in diff  # against its own base, not today's text


def test_amendment_equal_to_the_published_text_is_refused(submit):
    with pytest.raises(REFUSALS, match="uguale a quello ufficiale"):
        submit(TEXT)
    with pytest.raises(REFUSALS, match="uguale a quello ufficiale"):
        submit(SECOND, paragraph=2)


# --------------------------------------------------------------------------- paragraphs
def test_paragraph_amendment_changes_one_paragraph_only(action, submit):
    proposal = submit("Organizzare ogni anno due incontri pubblici in ciascuna zona.", paragraph=2)
    assert paragraphs(proposal.amended_text) == [
        FIRST,
        "Organizzare ogni anno due incontri pubblici in ciascuna zona.",
        THIRD,
    ]
    assert proposal.amendment.paragraph == 2
    diff = selectors.amendment_diff(proposal)
    assert diff.paragraph == 2
    assert "due" in diff.diff
    assert "Coinvolgere" not in diff.diff
    with pytest.raises(REFUSALS, match="paragrafo scelto non esiste"):
        submit("Un paragrafo che non c'è.", paragraph=9)


def test_author_edits_a_paragraph_amendment_against_its_own_base(action, submit):
    proposal = submit("Due incontri pubblici all'anno in ogni zona.", paragraph=2)
    publish_text(action, TEXT.replace("Pubblicare", "Rendere pubblici"))
    proposal_services.proposal_edit(
        proposal=proposal,
        user=proposal.author,
        title=proposal.title,
        body=proposal.body,
        amended_text="Tre incontri pubblici all'anno in ogni zona.",
    )
    proposal = _reload(proposal)
    assert paragraphs(proposal.amended_text) == [
        FIRST,
        "Tre incontri pubblici all'anno in ogni zona.",
        THIRD,
    ]


# --------------------------------------------------------------------------- accept → change set
def test_accept_adds_to_a_change_set_and_publishes_nothing(action, submit, facilitator):
    proposal = submit(TEXT.replace("Pubblicare online", "Pubblicare online e spiegare"))
    revisions = action.revisions.count()
    amendment = amendments.amendment_accept(actor=facilitator, proposal=proposal, answer=YES)
    assert amendment.state == AmendmentState.MERGED
    change_set = amendment.change_set
    assert change_set.state == ChangeSetState.OPEN
    assert change_set.base_revision_id == action.live_revision_id
    assert change_set.text == proposal.amended_text
    action.refresh_from_db()
    assert action.official_text == TEXT  # nothing published
    assert action.revisions.count() == revisions  # not even a draft
    assert not action.has_unpublished_changes
    assert _reload(proposal).status == ProposalStatus.ACCEPTED
    assert ModerationAction.objects.filter(
        proposal=proposal, action=ModerationVerb.AMENDMENT_ACCEPT
    ).exists()
    # The action page does not claim a change that is not published.
    assert "Hai proposto" not in _render_action_amendments(action)
    with pytest.raises(ValidationError, match="già stato accolto"):
        amendments.amendment_accept(actor=facilitator, proposal=proposal, answer=YES)


def test_accept_refuses_plain_proposals_and_needs_an_answer(consultation, submit, facilitator):
    plain = proposal_services.proposal_submit(
        consultation=consultation,
        author=UserFactory(),
        title="Una proposta qualsiasi",
        body="Un testo abbastanza lungo per essere una proposta vera e propria.",
    )
    with pytest.raises(ValidationError, match="non è un emendamento"):
        amendments.amendment_accept(actor=facilitator, proposal=plain, answer=YES)
    proposal = submit(TEXT + " Ogni anno.")
    with pytest.raises(ValidationError, match="risposta ufficiale"):
        amendments.amendment_accept(actor=facilitator, proposal=proposal, answer=" ")
    assert not ChangeSet.objects.exists()


def test_publish_makes_the_amendment_incorporated(
    action, submit, facilitator, django_capture_on_commit_callbacks
):
    proposal = submit(TEXT.replace("i giovani", "le ragazze e i ragazzi"))
    with django_capture_on_commit_callbacks(execute=True):
        amendment = amendments.amendment_accept(actor=facilitator, proposal=proposal, answer=YES)
    previous_revision = action.live_revision_id
    with django_capture_on_commit_callbacks(execute=True):
        revision = amendments.changeset_publish(actor=facilitator, change_set=amendment.change_set)
    action = ActionPage.objects.get(pk=action.pk)
    assert action.official_text == proposal.amended_text
    assert action.live_revision_id == revision.pk
    assert revision.user == facilitator
    change_set = ChangeSet.objects.get(pk=amendment.change_set_id)
    assert change_set.state == ChangeSetState.PUBLISHED
    assert change_set.previous_revision_id == previous_revision
    assert change_set.published_revision_id == revision.pk
    assert (change_set.previous_text, change_set.published_text) == (TEXT, action.official_text)
    proposal = _reload(proposal)
    assert proposal.status == ProposalStatus.INCORPORATED
    assert proposal.answer == YES
    assert proposal.amendment.state == AmendmentState.INCORPORATED
    assert ModerationAction.objects.filter(
        proposal=proposal, action=ModerationVerb.AMENDMENT_PUBLISH
    ).exists()
    assert Notification.objects.filter(user=proposal.author).count() == 2  # accepted, then in
    # Published: the diff still shows the change, against the base it was written on.
    assert "ragazze" in selectors.amendment_diff(proposal).diff
    html = _render_action_amendments(action)
    assert "Hai proposto, abbiamo fatto" in html
    assert proposal.title in html
    # A new amendment opens a new change set from the new text.
    later = submit(action.official_text + " Ogni anno.", title="Una cadenza annuale")
    again = amendments.amendment_accept(actor=facilitator, proposal=later, answer=YES)
    assert again.change_set_id != change_set.pk
    assert again.change_set.base_text == action.official_text


def test_publish_cannot_be_done_twice_or_empty(action, submit, facilitator):
    proposal = submit(TEXT + " Ogni anno.")
    amendment = amendments.amendment_accept(actor=facilitator, proposal=proposal, answer=YES)
    amendments.changeset_publish(actor=facilitator, change_set=amendment.change_set)
    with pytest.raises(ValidationError, match="già stata pubblicata"):
        amendments.changeset_publish(actor=facilitator, change_set=amendment.change_set)


# --------------------------------------------------------------------------- concurrency
def test_two_amendments_to_different_words_are_both_merged(action, submit, facilitator):
    one = submit(TEXT.replace("i giovani", "le ragazze e i ragazzi"), title="Più inclusivo")
    two = submit(TEXT.replace("ogni anno", "due volte l'anno"), title="Più spesso")
    amendments.amendment_accept(actor=facilitator, proposal=one, answer=YES)
    second = amendments.amendment_accept(actor=facilitator, proposal=two, answer=YES)
    assert second.state == AmendmentState.MERGED
    text = second.change_set.text
    assert "le ragazze e i ragazzi" in text
    assert "due volte l'anno" in text
    amendments.changeset_publish(actor=facilitator, change_set=second.change_set)
    assert {_reload(one).status, _reload(two).status} == {ProposalStatus.INCORPORATED}
    assert ActionPage.objects.get(pk=action.pk).official_text == text


def test_two_amendments_to_the_same_words_are_flagged_never_overwritten(
    action, submit, facilitator
):
    one = submit(TEXT.replace("Coinvolgere", "Ascoltare"), title="Ascoltare")
    two = submit(TEXT.replace("Coinvolgere", "Far decidere"), title="Far decidere")
    first = amendments.amendment_accept(actor=facilitator, proposal=one, answer=YES)
    second = amendments.amendment_accept(actor=facilitator, proposal=two, answer=YES)
    assert second.state == AmendmentState.CONFLICT
    change_set = ChangeSet.objects.get(pk=first.change_set_id)
    assert change_set.text == one.amended_text  # the first one is not overwritten
    review = selectors.change_set_review(change_set=change_set)
    assert review["has_conflicts"]
    flagged = next(m for m in review["members"] if m.amendment.pk == second.pk)
    assert flagged.conflicts == (("Coinvolgere", "Far decidere", "Ascoltare"),)
    with pytest.raises(ValidationError, match="Risolvi prima i conflitti"):
        amendments.changeset_publish(actor=facilitator, change_set=change_set)
    # Resolved by hand: both ideas in one text.
    resolved = TEXT.replace("Coinvolgere", "Ascoltare e far decidere")
    amendments.changeset_resolve(
        actor=facilitator, change_set=change_set, amendment=second, text=resolved
    )
    amendments.changeset_publish(actor=facilitator, change_set=change_set)
    assert ActionPage.objects.get(pk=action.pk).official_text == resolved
    assert {_reload(one).status, _reload(two).status} == {ProposalStatus.INCORPORATED}
    assert ModerationAction.objects.filter(
        proposal=two, action=ModerationVerb.AMENDMENT_RESOLVE
    ).exists()


def test_a_flagged_amendment_can_be_taken_out(action, submit, facilitator):
    one = submit(TEXT.replace("Coinvolgere", "Ascoltare"), title="Ascoltare")
    two = submit(TEXT.replace("Coinvolgere", "Far decidere"), title="Far decidere")
    amendments.amendment_accept(actor=facilitator, proposal=one, answer=YES)
    second = amendments.amendment_accept(actor=facilitator, proposal=two, answer=YES)
    with pytest.raises(ValidationError, match="risposta ufficiale"):
        amendments.changeset_remove(
            actor=facilitator, change_set=second.change_set, amendment=second, answer=""
        )
    amendments.changeset_remove(
        actor=facilitator,
        change_set=second.change_set,
        amendment=second,
        answer="Va in conflitto con un emendamento già accolto: lo rivalutiamo dopo.",
    )
    two = _reload(two)
    assert two.status == ProposalStatus.IN_REVIEW
    assert two.amendment.state == AmendmentState.PROPOSED
    assert two.amendment.change_set_id is None
    amendments.changeset_publish(actor=facilitator, change_set=second.change_set)
    assert _reload(one).status == ProposalStatus.INCORPORATED
    assert _reload(two).status == ProposalStatus.IN_REVIEW


def test_an_editor_change_in_between_is_merged_or_refused(action, submit, facilitator):
    proposal = submit(TEXT.replace("Coinvolgere", "Ascoltare"))
    amendment = amendments.amendment_accept(actor=facilitator, proposal=proposal, answer=YES)
    # An editor changes another paragraph in Wagtail meanwhile: both changes survive.
    publish_text(action, TEXT.replace("online", "sul sito"))
    amendments.changeset_publish(actor=facilitator, change_set=amendment.change_set)
    text = ActionPage.objects.get(pk=action.pk).official_text
    assert "Ascoltare" in text
    assert "sul sito" in text

    clash = submit(text.replace("Ascoltare", "Informare"), title="Informare")
    flagged = amendments.amendment_accept(actor=facilitator, proposal=clash, answer=YES)
    publish_text(action, text.replace("Ascoltare", "Sentire"))
    with pytest.raises(ValidationError, match="è cambiato nel frattempo"):
        amendments.changeset_publish(actor=facilitator, change_set=flagged.change_set)
    assert ActionPage.objects.get(pk=action.pk).official_text == text.replace(
        "Ascoltare", "Sentire"
    )


def test_an_accepted_amendment_can_no_longer_be_edited(submit, facilitator):
    proposal = submit(TEXT + " Ogni anno.")
    amendments.amendment_accept(actor=facilitator, proposal=proposal, answer=YES)
    with pytest.raises(REFUSALS, match="accolto"):
        proposal_services.proposal_edit(
            proposal=proposal,
            user=proposal.author,
            title=proposal.title,
            body=proposal.body,
            amended_text=TEXT + " Ogni mese.",
        )


# --------------------------------------------------------------------------- who may
def test_incorporated_is_never_set_by_hand(submit, facilitator):
    proposal = submit(TEXT + " Ogni anno.")
    with pytest.raises(ValidationError, match="solo quando la modifica"):
        moderation.proposal_answer(
            actor=facilitator,
            proposal=proposal,
            status=ProposalStatus.INCORPORATED,
            answer="Fatto.",
        )


def test_who_may_accept_and_publish(action, consultation, submit, facilitator):
    other = make_facilitator(make_consultation(phase="proposals"))
    participant = UserFactory()
    editor = make_editor()
    proposal = submit(TEXT + " Ogni anno.")
    for intruder in (other, participant, editor):
        with pytest.raises(PermissionDenied):
            amendments.amendment_accept(actor=intruder, proposal=proposal, answer=YES)
    amendment = amendments.amendment_accept(actor=facilitator, proposal=proposal, answer=YES)
    change_set = amendment.change_set
    for intruder in (other, participant):
        assert not intruder.has_perm("proposals.review_change_set", change_set)
        with pytest.raises(PermissionDenied):
            amendments.changeset_publish(actor=intruder, change_set=change_set)
    assert facilitator.has_perm("proposals.review_change_set", change_set)
    assert editor.has_perm("proposals.review_change_set", change_set)
    amendments.changeset_publish(actor=editor, change_set=change_set)
    assert _reload(proposal).status == ProposalStatus.INCORPORATED


def test_status_of_an_amendment_in_a_change_set_moves_only_with_it(submit, facilitator):
    proposal = submit(TEXT + " Ogni anno.")
    amendment = amendments.amendment_accept(actor=facilitator, proposal=proposal, answer=YES)
    with pytest.raises(ValidationError, match="stato cambia quando la modifica"):
        moderation.proposal_answer(
            actor=facilitator, proposal=proposal, status=ProposalStatus.REJECTED, answer="No."
        )
    # The answer's text may still be corrected.
    moderation.proposal_answer(
        actor=facilitator, proposal=proposal, status=ProposalStatus.ACCEPTED, answer=YES + "!"
    )
    amendments.changeset_publish(actor=facilitator, change_set=amendment.change_set)
    assert _reload(proposal).status == ProposalStatus.INCORPORATED
