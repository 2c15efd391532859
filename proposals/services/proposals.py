"""A participant's own proposals: submit (or propose an amendment), edit, withdraw."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations import rules as consultation_rules
from consultations.models import Category, ConsultationPage, VoteMode
from consultations.services import participation_record, refuse_if
from proposals import rules as proposal_rules
from proposals.amendments import services as amendments
from proposals.models import Proposal, ProposalKind, VersionState, Visibility
from proposals.results import ranking, results_are_final
from proposals.services import versions
from proposals.services.cleaning import (
    BODY_MAX,
    BODY_MIN,
    TITLE_MAX,
    TITLE_MIN,
    clean_category,
    clean_cost,
    clean_point,
    clean_text,
)
from proposals.services.images import image_receive
from proposals.services.transitions import proposal_transition
from proposals.visibility import (
    refuse_unless_consultation_visible,
    refuse_unless_proposal_visible,
)


def _locked(proposal: Proposal) -> Proposal:
    """The proposal's row, locked for the rest of the transaction (PostgreSQL)."""
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("consultation")
        .get(pk=proposal.pk)
    )


@transaction.atomic
def proposal_submit(
    *,
    consultation: ConsultationPage,
    author,
    title: str,
    body: str,
    category: Category | None = None,
    comune=None,
    latitude=None,
    longitude=None,
    image=None,
    cost=None,
    kind: str = ProposalKind.PROPOSAL,
    amended_action=None,
    amended_text: str = "",
    paragraph: int | None = None,
    viewer=None,
) -> Proposal:
    """A new proposal (or amendment); pending if the consultation is premoderated.

    An amendment keeps the published revision of the action it was written against
    (``proposals.amendments``); with ``paragraph`` (1-based) ``amended_text`` is the new
    text of that paragraph only, otherwise the whole new text.

    ``viewer``: the request (or scope) acting, for the consultation's view restrictions
    (``proposals.visibility``); the author alone when omitted."""
    refuse_unless_consultation_visible(viewer or author, consultation)
    refuse_if(consultation_rules.submit_error(author, consultation))
    title = clean_text(title, field=_("Titolo"), minimum=TITLE_MIN, maximum=TITLE_MAX)
    body = clean_text(body, field=_("Testo"), minimum=BODY_MIN, maximum=BODY_MAX)
    latitude, longitude = clean_point(latitude, longitude)
    if kind == ProposalKind.AMENDMENT:
        allowed = {action.pk for action in consultation.amendable_actions()}
        if amended_action is None or amended_action.pk not in allowed:
            raise ValidationError(
                _("Scegli una delle azioni del piano collegate a questa consultazione.")
            )
        amended_text = amendments.amended_text_for(
            action=amended_action, text=amended_text, paragraph=paragraph
        )
    elif kind == ProposalKind.PROPOSAL:
        amended_action, amended_text, paragraph = None, "", None
    else:
        raise ValidationError(_("Tipo di proposta non valido."))
    now = timezone.now()
    proposal = Proposal(
        consultation=consultation,
        author=author,
        kind=kind,
        title=title,
        body=body,
        category=clean_category(consultation, category),
        comune=comune,
        latitude=latitude,
        longitude=longitude,
        cost=clean_cost(consultation, cost) if consultation.vote_mode == VoteMode.BUDGET else None,
        amended_action=amended_action,
        amended_text=amended_text,
        visibility=Visibility.PENDING if consultation.premoderation else Visibility.PUBLISHED,
        published_at=None if consultation.premoderation else now,
        created_at=now,
    )
    proposal.image_upload = image_receive(image, author=author)
    proposal.save()
    if kind == ProposalKind.AMENDMENT:
        amendments.amendment_record(proposal=proposal, paragraph=paragraph)
    participation_record(consultation=consultation, user=author)
    return proposal


@transaction.atomic
def proposal_edit(
    *,
    proposal: Proposal,
    user,
    title: str,
    body: str,
    category: Category | None = None,
    comune=None,
    latitude=None,
    longitude=None,
    image=None,
    remove_image: bool = False,
    cost=None,
    amended_text: str | None = None,
    viewer=None,
) -> Proposal:
    """The author's changes, allowed until voting opens; every change keeps a version.

    In a premoderated consultation the edit of a published proposal waits for a moderator
    (a pending version) and the public keeps seeing the approved text; a second edit
    replaces the one waiting. Elsewhere, and while the proposal itself is still pending,
    the change is applied at once.
    """
    proposal = _locked(proposal)
    refuse_unless_proposal_visible(viewer or user, proposal)
    refuse_if(proposal_rules.edit_error(user, proposal))
    consultation = proposal.consultation
    waiting = versions.pending_version(proposal)
    current = versions.content_of(waiting or proposal)
    content = {
        **current,
        "title": clean_text(title, field=_("Titolo"), minimum=TITLE_MIN, maximum=TITLE_MAX),
        "body": clean_text(body, field=_("Testo"), minimum=BODY_MIN, maximum=BODY_MAX),
        "category_id": getattr(clean_category(consultation, category), "pk", None),
        "comune_id": getattr(comune, "pk", None),
    }
    content["latitude"], content["longitude"] = clean_point(latitude, longitude)
    if consultation.vote_mode == VoteMode.BUDGET:
        content["cost"] = clean_cost(consultation, cost)
    if proposal.is_amendment and amended_text is not None:
        content["amended_text"] = amendments.amendment_edited_text(
            proposal=proposal, text=amended_text
        )
    upload = image_receive(image, author=user)
    if upload is not None:  # the current picture stays until the new one is clean
        content["image_upload_id"] = upload.pk
    elif remove_image:
        content["image"], content["image_upload_id"] = "", None
    if content == current:
        return proposal
    versions.version_keep_original(proposal)
    needs_review = consultation.premoderation and proposal.visibility == Visibility.PUBLISHED
    version = versions.version_record(
        proposal=proposal,
        content=content,
        editor=user,
        state=VersionState.PENDING if needs_review else VersionState.APPLIED,
    )
    if not needs_review:
        versions.version_apply(proposal=proposal, version=version)
    return proposal


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, user, viewer=None) -> Proposal:
    """The author takes the proposal back (any time); its supports stay stored and take no new
    ones. Once the results are published they stay counted: the published ranking is frozen
    first (``proposals.results.ranking`` stores it) and keeps the proposal, marked "ritirata
    dopo la pubblicazione dei risultati"."""
    proposal = _locked(proposal)
    refuse_unless_proposal_visible(viewer or user, proposal)
    refuse_if(proposal_rules.withdraw_error(user, proposal))
    if results_are_final(proposal.consultation):
        ranking(consultation=proposal.consultation)  # freeze before the withdrawal, if not yet
    return proposal_transition(
        proposal=proposal, actor=user, visibility=Visibility.WITHDRAWN
    ).proposal
