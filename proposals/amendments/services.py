"""Every write about amendments: the base an amendment is written against, acceptance into
the action's change set (three-way merge, or a flagged conflict), the hand resolution of a
conflict, taking an amendment out, and the publication of the change set as a new revision
of the action page, after which its amendments are "incorporated".

Facilitators' acts check ``consultations.moderate`` on the amendment's consultation; the
change set's review and publication check ``proposals.review_change_set`` (see
:func:`proposals.rules.change_set_review_error`). Each act is one transaction and leaves a
:class:`~proposals.models.ModerationAction` audit row; the authors are told after commit.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from proposals import rules as proposal_rules
from proposals.amendments.text import (
    merge_three,
    normalise,
    paragraphs,
    replace_paragraph,
)
from proposals.models import (
    Amendment,
    AmendmentState,
    ChangeSet,
    ChangeSetState,
    ModerationVerb,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Visibility,
)
from proposals.moderation.services import (
    audit_record,
    proposal_answer,
    require_moderator,
)
from proposals.services.cleaning import BODY_MAX, TITLE_MIN, clean_text
from proposals.services.transitions import proposal_transition
from proposals.tasks import notify_proposal_answered
from psm.models import ActionPage

NEW_TEXT = _("Nuovo testo dell'azione")


def _notify_on_commit(status_change_id: int) -> None:
    transaction.on_commit(lambda: notify_proposal_answered.delay(status_change_id), robust=True)


# --------------------------------------------------------------------------- writing one
def amended_text_for(*, action: ActionPage, text: str, paragraph: int | None) -> str:
    """The whole proposed text of ``action``: ``text`` itself, or the published text with
    paragraph ``paragraph`` (1-based) replaced by ``text``. Refuses a text equal to the
    published one."""
    published = normalise(action.official_text)
    if paragraph:
        count = len(paragraphs(published))
        if not 1 <= paragraph <= count:
            raise ValidationError(_("Il paragrafo scelto non esiste nel testo dell'azione."))
        new = clean_text(text, field=_("Nuovo testo del paragrafo"), minimum=1, maximum=BODY_MAX)
        full = replace_paragraph(published, paragraph, new)
    else:
        full = normalise(clean_text(text, field=NEW_TEXT, minimum=TITLE_MIN, maximum=BODY_MAX))
    if full == published:
        raise ValidationError(_("Il nuovo testo è uguale a quello ufficiale."))
    return full


def amendment_record(*, proposal: Proposal, paragraph: int | None = None) -> Amendment:
    """Keep what ``proposal`` (an amendment just submitted) was written against: the action
    page's live revision and its text. Called inside the submission's transaction."""
    action = ActionPage.objects.get(pk=proposal.amended_action_id)
    return Amendment.objects.create(
        proposal=proposal,
        base_revision_id=action.live_revision_id,
        base_text=normalise(action.official_text),
        paragraph=paragraph or None,
    )


def amendment_edited_text(*, proposal: Proposal, text: str) -> str:
    """The author's new proposed text, against the amendment's own base (a paragraph
    amendment edits its paragraph only)."""
    amendment = proposal.amendment
    if amendment.state != AmendmentState.PROPOSED:
        raise ValidationError(_("L'emendamento è già stato accolto e non si può più modificare."))
    if amendment.paragraph:
        new = clean_text(text, field=_("Nuovo testo del paragrafo"), minimum=1, maximum=BODY_MAX)
        full = replace_paragraph(amendment.base_text, amendment.paragraph, new)
    else:
        full = normalise(clean_text(text, field=NEW_TEXT, minimum=TITLE_MIN, maximum=BODY_MAX))
    if full == amendment.base_text:
        raise ValidationError(_("Il nuovo testo è uguale a quello ufficiale."))
    return full


# --------------------------------------------------------------------------- acceptance
def _open_change_set(*, action: ActionPage, actor) -> ChangeSet:
    """The action's change set in preparation, opened from the published text if none."""
    existing = ChangeSet.objects.select_for_update().filter(
        action=action, state=ChangeSetState.OPEN
    )
    change_set = existing.first()
    if change_set is None:
        text = normalise(action.official_text)
        change_set = ChangeSet.objects.create(
            action=action,
            base_revision_id=action.live_revision_id,
            base_text=text,
            text=text,
            created_by=actor,
        )
    return change_set


def _locked_amendment(proposal: Proposal) -> Amendment:
    if proposal.kind != ProposalKind.AMENDMENT or proposal.amended_action_id is None:
        raise ValidationError(_("Questa proposta non è un emendamento a un'azione."))
    amendment = Amendment.objects.select_for_update().filter(proposal_id=proposal.pk).first()
    if amendment is None:
        raise ValidationError(_("Questa proposta non è un emendamento a un'azione."))
    return amendment


@transaction.atomic
def amendment_accept(*, actor, proposal: Proposal, answer: str) -> Amendment:
    """Accept an amendment: it joins the action's change set (opened if needed).

    Its change (base → proposed text) is merged three-way into the change set's text: when
    another accepted amendment already changed the same words differently the amendment is
    flagged ``CONFLICT`` and the text is left as it is, to be resolved by hand. Nothing is
    published: the proposal becomes "accolta" now and "integrata" only when the change set
    is published (:func:`changeset_publish`).
    """
    require_moderator(actor, proposal.consultation)
    amendment = _locked_amendment(proposal)
    if proposal.visibility != Visibility.PUBLISHED:
        raise ValidationError(_("Si possono accogliere solo emendamenti pubblicati."))
    if amendment.state != AmendmentState.PROPOSED:
        raise ValidationError(_("Questo emendamento è già stato accolto."))
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError(_("Scrivi la risposta ufficiale: sarà pubblica."))
    # The status first: the amendment is not yet in the change set.
    if proposal.status != ProposalStatus.ACCEPTED or proposal.answer != answer:
        proposal_answer(
            actor=actor,
            proposal=proposal,
            status=ProposalStatus.ACCEPTED,
            answer=answer,
            confirm_unchanged=True,  # written in the acceptance form, not carried over
        )
    # One acceptance at a time per action: the action page's row is the lock.
    action = ActionPage.objects.select_for_update().get(pk=proposal.amended_action_id)
    change_set = _open_change_set(action=action, actor=actor)
    merge = merge_three(
        base=amendment.base_text, theirs=proposal.amended_text, current=change_set.text
    )
    if merge.clean:
        change_set.text = merge.text
        change_set.save(update_fields=["text"])
        amendment.state = AmendmentState.MERGED
    else:
        amendment.state = AmendmentState.CONFLICT
    amendment.change_set = change_set
    amendment.save(update_fields=["state", "change_set"])
    audit_record(
        consultation=proposal.consultation,
        actor=actor,
        action=ModerationVerb.AMENDMENT_ACCEPT,
        proposal=proposal,
        user=proposal.author,
        public_reason=answer,
    )
    return amendment


# --------------------------------------------------------------------------- review
def require_reviewer(actor, change_set: ChangeSet) -> None:
    if error := proposal_rules.change_set_review_error(actor, change_set):
        raise PermissionDenied(error)


def _locked_open(change_set: ChangeSet) -> ChangeSet:
    change_set = ChangeSet.objects.select_for_update().get(pk=change_set.pk)
    if not change_set.is_open:
        raise ValidationError(_("Questa modifica è già stata pubblicata."))
    return change_set


def _member(change_set: ChangeSet, amendment: Amendment, state: str | None = None) -> Amendment:
    amendment = (
        Amendment.objects.select_for_update().select_related("proposal").get(pk=amendment.pk)
    )
    if amendment.change_set_id != change_set.pk or (state and amendment.state != state):
        raise ValidationError(_("L'emendamento non è in attesa in questa modifica."))
    return amendment


@transaction.atomic
def changeset_resolve(*, actor, change_set: ChangeSet, amendment: Amendment, text: str):
    """Resolve a flagged conflict by hand: ``text`` (written by the reviewer, with the
    amendment worked in) becomes the change set's text and the amendment joins it."""
    require_reviewer(actor, change_set)
    change_set = _locked_open(change_set)
    amendment = _member(change_set, amendment, AmendmentState.CONFLICT)
    text = normalise(clean_text(text, field=NEW_TEXT, minimum=TITLE_MIN, maximum=BODY_MAX))
    change_set.text = text
    change_set.save(update_fields=["text"])
    amendment.state = AmendmentState.MERGED
    amendment.save(update_fields=["state"])
    proposal = amendment.proposal
    audit_record(
        consultation=proposal.consultation,
        actor=actor,
        action=ModerationVerb.AMENDMENT_RESOLVE,
        proposal=proposal,
        user=proposal.author,
    )
    return change_set


@transaction.atomic
def changeset_remove(*, actor, change_set: ChangeSet, amendment: Amendment, answer: str):
    """Take a flagged amendment out of the change set: it goes back "in valutazione" with a
    public answer that says why, and may be accepted again later (against its own base)."""
    require_reviewer(actor, change_set)
    change_set = _locked_open(change_set)
    amendment = _member(change_set, amendment, AmendmentState.CONFLICT)
    proposal = amendment.proposal
    require_moderator(actor, proposal.consultation)
    if not (answer or "").strip():
        raise ValidationError(_("Scrivi la risposta ufficiale: sarà pubblica."))
    amendment.state = AmendmentState.PROPOSED
    amendment.change_set = None
    amendment.save(update_fields=["state", "change_set"])
    proposal_answer(
        actor=actor,
        proposal=proposal,
        status=ProposalStatus.IN_REVIEW,
        answer=answer,
        confirm_unchanged=True,
    )
    return change_set


@transaction.atomic
def changeset_publish(*, actor, change_set: ChangeSet):
    """Publish the change set as a new revision of the action page (Wagtail's own revision
    and publication, logged in the page history) and mark its amendments "incorporated".

    Refused while an amendment is in conflict. If the published text changed since the
    change set was opened (an editor's edit in Wagtail), the change set is merged three-way
    onto it; a clash is refused, never overwritten. Returns the published revision.
    """
    require_reviewer(actor, change_set)
    change_set = _locked_open(change_set)
    members = list(
        Amendment.objects.select_for_update()
        .filter(change_set=change_set)
        .select_related("proposal__consultation")
    )
    if any(member.state == AmendmentState.CONFLICT for member in members):
        raise ValidationError(
            _("Risolvi prima i conflitti tra emendamenti, oppure togli quelli in conflitto.")
        )
    merged = [member for member in members if member.state == AmendmentState.MERGED]
    if not merged:
        raise ValidationError(_("Nessun emendamento accolto da pubblicare."))
    action = ActionPage.objects.select_for_update().get(pk=change_set.action_id)
    live_text = normalise(action.official_text)
    final = change_set.text
    if live_text != change_set.base_text:
        merge = merge_three(base=change_set.base_text, theirs=change_set.text, current=live_text)
        if not merge.clean:
            raise ValidationError(
                _(
                    "Il testo pubblicato dell'azione è cambiato nel frattempo negli stessi punti: "
                    "risolvi a mano prima di pubblicare."
                )
            )
        final = merge.text
    if final == live_text:
        raise ValidationError(_("Il testo risultante è uguale a quello già pubblicato."))
    previous_revision_id = action.live_revision_id
    action.official_text = final
    revision = action.save_revision(user=actor, log_action=True)
    # Who may publish was checked above (``require_reviewer``): an editor with Wagtail's own
    # publish permission, or the facilitators who answered every amendment in it.
    revision.publish(
        user=actor,
        log_action=True,
        previous_revision=action.live_revision,
        skip_permission_checks=True,
    )
    change_set.state = ChangeSetState.PUBLISHED
    change_set.previous_revision_id = previous_revision_id
    change_set.previous_text = live_text
    change_set.published_revision = revision
    change_set.published_text = final
    change_set.published_at = timezone.now()
    change_set.published_by = actor
    change_set.save()
    for member in merged:
        member.state = AmendmentState.INCORPORATED
        member.save(update_fields=["state"])
        proposal = member.proposal
        change = proposal_transition(
            proposal=proposal,
            actor=actor,
            status=ProposalStatus.INCORPORATED,
            answer=proposal.answer,
            verb=ModerationVerb.AMENDMENT_PUBLISH,
        ).status_change
        if proposal.author_id is not None:
            _notify_on_commit(change.pk)
    return revision
