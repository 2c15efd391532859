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
from proposals.image_files import image_forget_on_commit
from proposals.models import Proposal, ProposalKind, Visibility
from proposals.services.cleaning import (
    BODY_MAX,
    BODY_MIN,
    TITLE_MAX,
    TITLE_MIN,
    clean_category,
    clean_cost,
    clean_image,
    clean_point,
    clean_text,
)
from proposals.services.transitions import proposal_transition


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
) -> Proposal:
    """A new proposal (or amendment); pending if the consultation is premoderated."""
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
        amended_text = clean_text(
            amended_text, field=_("Nuovo testo dell'azione"), minimum=TITLE_MIN, maximum=BODY_MAX
        )
        if amended_text == amended_action.official_text.strip():
            raise ValidationError(_("Il nuovo testo è uguale a quello ufficiale."))
    elif kind == ProposalKind.PROPOSAL:
        amended_action, amended_text = None, ""
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
    prepared = clean_image(image)
    if prepared is not None:
        proposal.image.save(prepared.name, prepared, save=False)
    proposal.save()
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
) -> Proposal:
    """The author's changes, allowed until voting opens."""
    proposal = _locked(proposal)
    refuse_if(proposal_rules.edit_error(user, proposal))
    consultation = proposal.consultation
    proposal.title = clean_text(title, field=_("Titolo"), minimum=TITLE_MIN, maximum=TITLE_MAX)
    proposal.body = clean_text(body, field=_("Testo"), minimum=BODY_MIN, maximum=BODY_MAX)
    proposal.category = clean_category(consultation, category)
    proposal.comune = comune
    proposal.latitude, proposal.longitude = clean_point(latitude, longitude)
    if consultation.vote_mode == VoteMode.BUDGET:
        proposal.cost = clean_cost(consultation, cost)
    if proposal.is_amendment and amended_text is not None:
        proposal.amended_text = clean_text(
            amended_text, field=_("Nuovo testo dell'azione"), minimum=TITLE_MIN, maximum=BODY_MAX
        )
    previous_image = proposal.image.name or None
    prepared = clean_image(image)
    if prepared is not None:
        proposal.image.save(prepared.name, prepared, save=False)
    elif remove_image:
        proposal.image = None
    proposal.save()
    if previous_image and previous_image != (proposal.image.name or None):
        image_forget_on_commit(previous_image)
    return proposal


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, user) -> Proposal:
    """The author takes the proposal back (any time); its supports stay counted but frozen."""
    proposal = _locked(proposal)
    refuse_if(proposal_rules.withdraw_error(user, proposal))
    return proposal_transition(
        proposal=proposal, actor=user, visibility=Visibility.WITHDRAWN
    ).proposal
