"""Thin views: read through selectors, write through services, explain every refusal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations import rules as consultation_rules
from consultations.models import ConsultationPage, VoteMode
from core.errors import REFUSALS, message_refusal, refusal_message
from core.ids import parse_id
from core.urls import next_from
from proposals import rules as proposal_rules
from proposals import selectors
from proposals.amendments import selectors as amendment_selectors
from proposals.drafts import draft_key, draft_prefix
from proposals.forms import CommentForm, ProposalEditForm, ProposalForm, ReportForm
from proposals.models import Comment, Proposal, ProposalKind, Visibility
from proposals.services import comments, votes
from proposals.services import proposals as proposal_services
from proposals.services.reports import report_create
from proposals.services.versions import pending_version
from proposals.visibility import Sight, comment_visible, proposal_sight, proposal_visible
from proposals.vote_facts import proposal_for_vote
from proposals.vote_fragment import supported_message, vote_fragment
from psm.localisation import attach_reading_rows

CLEAR_DRAFT_SESSION_KEY = "proposals_clear_draft"


def _consultation(request, pk: int) -> ConsultationPage:
    """The consultation, if this request may see it (``consultations.visibility``), else 404."""
    consultation = ConsultationPage.objects.visible_to(request).filter(pk=pk).first()
    if consultation is None:
        raise Http404
    return consultation


def _proposal(request, pk: int) -> Proposal:
    """A proposal this request sees in full (``proposals.visibility``), else 404: out of sight
    and missing read the same."""
    proposal = Proposal.objects.select_related("consultation").filter(pk=pk).first()
    if not proposal_visible(request, proposal):
        raise Http404
    return proposal


def _comment(request, pk: int) -> Comment:
    comment = Comment.objects.select_related("proposal__consultation").filter(pk=pk).first()
    if not comment_visible(request, comment):
        raise Http404
    return comment


# --------------------------------------------------------------------------- proposals
def _form_kwargs(consultation, kind):
    return {
        "consultation": consultation,
        "kind": kind,
        "amendable_actions": consultation.amendable_actions()
        if kind == ProposalKind.AMENDMENT
        else (),
    }


@login_required
def proposal_create(request, consultation_id: int):
    consultation = _consultation(request, consultation_id)
    kind = (
        ProposalKind.AMENDMENT
        if request.GET.get("tipo") == "emendamento"
        else ProposalKind.PROPOSAL
    )
    if kind == ProposalKind.AMENDMENT and not consultation.amendable_actions():
        kind = ProposalKind.PROPOSAL
    refusal = consultation_rules.submit_error(request.user, consultation)
    form = ProposalForm(
        request.POST or None, request.FILES or None, **_form_kwargs(consultation, kind)
    )
    if request.method == "POST" and refusal is None and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = proposal_services.proposal_submit(
                consultation=consultation,
                author=request.user,
                kind=kind,
                title=data["title"],
                body=data["body"],
                category=data.get("category"),
                comune=data.get("comune"),
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
                image=data.get("image"),
                cost=data.get("cost"),
                amended_action=data.get("amended_action"),
                amended_text=data.get("amended_text", ""),
                paragraph=data.get("paragraph"),
                viewer=request,
            )
        except REFUSALS as error:
            form.add_error(None, refusal_message(error))
        else:
            request.session[CLEAR_DRAFT_SESSION_KEY] = draft_key(
                request.user, consultation.pk, kind
            )
            if proposal.visibility == Visibility.PENDING:
                messages.success(
                    request,
                    _(
                        "Grazie! La tua proposta è stata inviata: sarà pubblicata dopo la "
                        "verifica di chi modera."
                    ),
                )
            else:
                messages.success(request, _("Grazie! La tua proposta è pubblicata."))
            return redirect(proposal)
    elif request.method == "POST" and refusal:
        messages.error(request, refusal)
    return render(
        request,
        "proposals/proposal_form.html",
        {
            "consultation": consultation,
            "form": form,
            "kind": kind,
            "refusal": refusal,
            "draft_key": draft_key(request.user, consultation.pk, kind),
            "draft_prefix": draft_prefix(request.user),
            "is_edit": False,
        },
    )


def proposal_detail(request, pk: int):
    try:
        proposal = selectors.proposal_for_detail(pk)
    except Proposal.DoesNotExist:
        raise Http404 from None
    sight = proposal_sight(request, proposal)
    if sight == Sight.NONE:
        raise Http404
    consultation = proposal.consultation
    if proposal.category_id:
        attach_reading_rows([proposal.category])
    user = request.user
    is_author = user.is_authenticated and proposal.author_id == user.pk
    show_content = sight == Sight.FULL
    state = selectors.voter_state(consultation=consultation, user=user)
    amendment = amendment_selectors.amendment_of(proposal) if proposal.is_amendment else None
    context = {
        "proposal": proposal,
        "consultation": consultation,
        "show_content": show_content,
        "is_author": is_author,
        "threads": selectors.comment_threads(proposal=proposal, user=user) if show_content else [],
        "history": list(proposal.status_changes.all()) if show_content else [],
        "support_error": proposal_rules.support_error(user, proposal),
        "comment_error": proposal_rules.comment_error(user, proposal),
        "edit_error": proposal_rules.edit_error(user, proposal) if is_author else None,
        "edit_pending": is_author and pending_version(proposal) is not None,
        "withdraw_error": proposal_rules.withdraw_error(user, proposal) if is_author else None,
        "has_voted": proposal.pk in state.voted_ids,
        "supports_left": state.supports_left,
        "is_budget": consultation.vote_mode == VoteMode.BUDGET,
        "comment_form": CommentForm(),
        "amendment": amendment,
        "amendment_diff": amendment_selectors.amendment_diff(proposal, amendment)
        if show_content
        else None,
        "clear_draft": request.session.pop(CLEAR_DRAFT_SESSION_KEY, None),
    }
    return render(request, "proposals/proposal_detail.html", context)


@login_required
def proposal_edit(request, pk: int):
    proposal = _proposal(request, pk)
    consultation = proposal.consultation
    refusal = proposal_rules.edit_error(request.user, proposal)
    if refusal:
        messages.error(request, refusal)
        return redirect(proposal)
    amendment = amendment_selectors.amendment_of(proposal) if proposal.is_amendment else None
    paragraph = amendment.paragraph if amendment else None
    form = ProposalEditForm(
        request.POST or None,
        request.FILES or None,
        # The author goes on from the edit that waits for a moderator, if there is one.
        initial=ProposalEditForm.initial_for(pending_version(proposal) or proposal, paragraph),
        proposal=proposal,
        paragraph=paragraph,
        **_form_kwargs(consultation, proposal.kind),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal_services.proposal_edit(
                proposal=proposal,
                user=request.user,
                title=data["title"],
                body=data["body"],
                category=data.get("category"),
                comune=data.get("comune"),
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
                image=data.get("image"),
                remove_image=data.get("remove_image", False),
                cost=data.get("cost"),
                amended_text=data.get("amended_text") if proposal.is_amendment else None,
                viewer=request,
            )
        except REFUSALS as error:
            form.add_error(None, refusal_message(error))
        else:
            request.session[CLEAR_DRAFT_SESSION_KEY] = draft_key(
                request.user, consultation.pk, proposal.kind, proposal.pk
            )
            if pending_version(proposal) is not None:
                messages.success(
                    request,
                    _(
                        "Modifiche inviate: saranno pubblicate dopo la verifica di chi modera. "
                        "Fino ad allora resta visibile il testo già pubblicato."
                    ),
                )
            else:
                messages.success(request, _("Modifiche salvate."))
            return redirect(proposal)
    return render(
        request,
        "proposals/proposal_form.html",
        {
            "consultation": consultation,
            "proposal": proposal,
            "form": form,
            "kind": proposal.kind,
            "draft_key": draft_key(request.user, consultation.pk, proposal.kind, proposal.pk),
            "draft_prefix": draft_prefix(request.user),
            "is_edit": True,
        },
    )


@login_required
def proposal_withdraw(request, pk: int):
    proposal = _proposal(request, pk)
    refusal = proposal_rules.withdraw_error(request.user, proposal)
    if refusal:
        messages.error(request, refusal)
        return redirect(proposal)
    if request.method == "POST":
        try:
            proposal_services.proposal_withdraw(
                proposal=proposal, user=request.user, viewer=request
            )
        except REFUSALS as error:
            message_refusal(request, error)
        else:
            messages.success(request, _("Hai ritirato la proposta."))
        return redirect(proposal)
    return render(request, "proposals/proposal_withdraw.html", {"proposal": proposal})


# --------------------------------------------------------------------------- votes
@require_POST
def proposal_vote(request, pk: int):
    """Support a proposal, or take the support back (``azione=ritira``).

    Without JavaScript: a message and a redirect to ``next``. With htmx (``HX-Request``): only
    the card's actions fragment (counts, button, an outcome in a ``role=status`` line), no
    message stored and no full page."""
    fragment = request.headers.get("HX-Request") == "true"
    proposal = proposal_for_vote(pk)  # with the facts a support is checked against, cached
    if not proposal_visible(request, proposal):
        raise Http404
    back = next_from(request, proposal.get_absolute_url())
    if not request.user.is_authenticated:
        message = _("Per sostenere una proposta accedi o registrati.")
        if fragment:
            return vote_fragment(request, proposal, back, message=message, error=message)
        messages.info(request, message)
        return redirect(f"{reverse('account_login')}?next={proposal.get_absolute_url()}")
    withdraw = request.POST.get("azione") == "ritira"
    try:
        if withdraw:
            total = votes.vote_withdraw(proposal=proposal, voter=request.user, viewer=request)
            message = _("Hai ritirato il tuo sostegno.")
        else:
            total = votes.vote_cast(proposal=proposal, voter=request.user, viewer=request)
            left = votes.supports_left(consultation=proposal.consultation, voter=request.user)
            message = supported_message(proposal, left)
    except REFUSALS as error:
        if fragment:
            return vote_fragment(request, proposal, back, message=refusal_message(error))
        message_refusal(request, error)
        return redirect(back)
    if fragment:
        return vote_fragment(
            request, proposal, back, message=message, total=total, voted=not withdraw
        )
    messages.success(request, message)
    return redirect(back)


@login_required
def budget_ballot(request, consultation_id: int):
    consultation = _consultation(request, consultation_id)
    if consultation.vote_mode != VoteMode.BUDGET:
        raise Http404
    refusal = consultation_rules.vote_error(request.user, consultation)
    if request.method == "POST":
        try:
            ballot = votes.budget_ballot_submit(
                consultation=consultation,
                voter=request.user,
                proposal_ids=request.POST.getlist("proposte"),
                viewer=request,
            )
        except REFUSALS as error:
            message_refusal(request, error)
        else:
            if ballot is None:
                messages.success(request, _("La tua scheda è stata ritirata."))
            else:
                messages.success(
                    request,
                    _("La tua scheda è registrata. Puoi cambiarla finché il voto è aperto."),
                )
            return redirect("proposals:budget", consultation_id=consultation.pk)
    context = {"consultation": consultation, "refusal": refusal}
    context.update(selectors.budget_choices(consultation=consultation, user=request.user))
    if request.method == "POST":  # a refused ballot: show what the person had ticked
        ticked = (parse_id(raw) for raw in request.POST.getlist("proposte"))
        context["chosen"] = {pk for pk in ticked if pk is not None}
    return render(request, "proposals/budget_ballot.html", context)


# --------------------------------------------------------------------------- comments
@require_POST
def comment_create(request, pk: int):
    proposal = _proposal(request, pk)
    anchor = proposal.get_absolute_url() + "#commenti"
    if not request.user.is_authenticated:
        messages.info(request, _("Per commentare accedi o registrati."))
        return redirect(f"{reverse('account_login')}?next={proposal.get_absolute_url()}")
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Il commento è vuoto o troppo lungo (al massimo 2000 caratteri).")
        )
        return redirect(anchor)
    parent = None
    if form.cleaned_data.get("parent"):
        parent = Comment.objects.filter(pk=form.cleaned_data["parent"], proposal=proposal).first()
        if parent is None:
            messages.error(request, _("Il commento a cui rispondi non esiste più."))
            return redirect(anchor)
    try:
        comment = comments.comment_post(
            proposal=proposal,
            author=request.user,
            body=form.cleaned_data["body"],
            parent=parent,
            viewer=request,
        )
    except REFUSALS as error:
        message_refusal(request, error)
        return redirect(anchor)
    messages.success(request, _("Commento pubblicato."))
    return redirect(f"{proposal.get_absolute_url()}#commento-{comment.pk}")


@login_required
def comment_edit(request, pk: int):
    comment = _comment(request, pk)
    back = f"{comment.proposal.get_absolute_url()}#commento-{comment.pk}"
    refusal = proposal_rules.comment_edit_error(request.user, comment)
    if refusal:
        messages.error(request, refusal)
        return redirect(back)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            comments.comment_edit(
                comment=comment, user=request.user, body=form.cleaned_data["body"], viewer=request
            )
        except REFUSALS as error:
            message_refusal(request, error)
        else:
            messages.success(request, _("Commento modificato."))
        return redirect(back)
    return render(request, "proposals/comment_edit.html", {"comment": comment, "form": form})


@require_POST
@login_required
def comment_delete(request, pk: int):
    comment = _comment(request, pk)
    try:
        comments.comment_delete(comment=comment, user=request.user, viewer=request)
    except REFUSALS as error:
        message_refusal(request, error)
    else:
        messages.success(request, _("Commento eliminato."))
    return redirect(f"{comment.proposal.get_absolute_url()}#commenti")


@require_POST
@login_required
def comment_like(request, pk: int):
    comment = _comment(request, pk)
    try:
        comments.comment_like(comment=comment, user=request.user, viewer=request)
    except REFUSALS as error:
        message_refusal(request, error)
    return redirect(f"{comment.proposal.get_absolute_url()}#commento-{comment.pk}")


# --------------------------------------------------------------------------- reports
@login_required
def report(request, kind: str, pk: int):
    """Flag a proposal or a comment to the moderators (404 for what the person cannot see:
    the form names its target)."""
    if kind == "proposta":
        proposal = _proposal(request, pk)
        comment = None
        back = proposal.get_absolute_url()
    elif kind == "commento":
        comment = _comment(request, pk)
        proposal = None
        back = f"{comment.proposal.get_absolute_url()}#commento-{comment.pk}"
    else:
        raise Http404
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report_create(
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                text=form.cleaned_data["text"],
                proposal=proposal,
                comment=comment,
                viewer=request,
            )
        except REFUSALS as error:
            form.add_error(None, refusal_message(error))
        else:
            messages.success(
                request, _("Grazie: la segnalazione è arrivata a chi modera la consultazione.")
            )
            return redirect(back)
    return render(
        request,
        "proposals/report.html",
        {"form": form, "target": proposal or comment, "kind": kind, "back": back},
    )
