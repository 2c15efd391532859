"""Thin views: read through selectors, write through services, explain every refusal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
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
from proposals.forms import CommentForm, ProposalEditForm, ProposalForm, ReportForm
from proposals.models import Comment, Proposal, ProposalKind, Visibility
from proposals.services import comments, votes
from proposals.services import proposals as proposal_services
from proposals.services.reports import report_create

CLEAR_DRAFT_SESSION_KEY = "proposals_clear_draft"


def _consultation(pk: int) -> ConsultationPage:
    consultation = ConsultationPage.objects.live().public().filter(pk=pk).first()
    if consultation is None:
        raise Http404
    return consultation


def draft_key(consultation_id: int, kind: str, proposal_id: int | None = None) -> str:
    """The localStorage key of a form's autosaved draft (see static/js/proposals.js)."""
    if proposal_id:
        return f"psm-draft-proposal-{proposal_id}"
    return f"psm-draft-{kind}-{consultation_id}"


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
    consultation = _consultation(consultation_id)
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
            )
        except REFUSALS as error:
            form.add_error(None, refusal_message(error))
        else:
            request.session[CLEAR_DRAFT_SESSION_KEY] = draft_key(consultation.pk, kind)
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
            "draft_key": draft_key(consultation.pk, kind),
            "is_edit": False,
        },
    )


def _visible_proposal(request, pk: int) -> Proposal:
    try:
        proposal = selectors.proposal_for_detail(pk)
    except Proposal.DoesNotExist:
        raise Http404 from None
    consultation = proposal.consultation
    if not consultation.live:
        raise Http404
    is_author = request.user.is_authenticated and proposal.author_id == request.user.pk
    if proposal.visibility == Visibility.PENDING and not (
        is_author or request.user.has_perm("consultations.moderate", consultation)
    ):
        raise Http404
    return proposal


def proposal_detail(request, pk: int):
    proposal = _visible_proposal(request, pk)
    consultation = proposal.consultation
    user = request.user
    is_author = user.is_authenticated and proposal.author_id == user.pk
    is_moderator = user.has_perm("consultations.moderate", consultation)
    show_content = proposal.visibility != Visibility.HIDDEN or is_author or is_moderator
    state = selectors.voter_state(consultation=consultation, user=user)
    context = {
        "proposal": proposal,
        "consultation": consultation,
        "show_content": show_content,
        "is_author": is_author,
        "threads": selectors.comment_threads(proposal=proposal, user=user) if show_content else [],
        "history": list(proposal.status_changes.all()),
        "support_error": proposal_rules.support_error(user, proposal),
        "comment_error": proposal_rules.comment_error(user, proposal),
        "edit_error": proposal_rules.edit_error(user, proposal) if is_author else None,
        "withdraw_error": proposal_rules.withdraw_error(user, proposal) if is_author else None,
        "has_voted": proposal.pk in state.voted_ids,
        "supports_left": state.supports_left,
        "is_budget": consultation.vote_mode == VoteMode.BUDGET,
        "comment_form": CommentForm(),
        "diff": selectors.word_diff(proposal.amended_action.official_text, proposal.amended_text)
        if proposal.is_amendment and proposal.amended_action
        else None,
        "clear_draft": request.session.pop(CLEAR_DRAFT_SESSION_KEY, None),
    }
    return render(request, "proposals/proposal_detail.html", context)


@login_required
def proposal_edit(request, pk: int):
    proposal = get_object_or_404(Proposal.objects.select_related("consultation"), pk=pk)
    consultation = proposal.consultation
    refusal = proposal_rules.edit_error(request.user, proposal)
    if refusal:
        messages.error(request, refusal)
        return redirect(proposal)
    form = ProposalEditForm(
        request.POST or None,
        request.FILES or None,
        initial=ProposalEditForm.initial_for(proposal),
        proposal=proposal,
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
            )
        except REFUSALS as error:
            form.add_error(None, refusal_message(error))
        else:
            request.session[CLEAR_DRAFT_SESSION_KEY] = draft_key(
                consultation.pk, proposal.kind, proposal.pk
            )
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
            "draft_key": draft_key(consultation.pk, proposal.kind, proposal.pk),
            "is_edit": True,
        },
    )


@login_required
def proposal_withdraw(request, pk: int):
    proposal = get_object_or_404(Proposal.objects.select_related("consultation"), pk=pk)
    refusal = proposal_rules.withdraw_error(request.user, proposal)
    if refusal:
        messages.error(request, refusal)
        return redirect(proposal)
    if request.method == "POST":
        try:
            proposal_services.proposal_withdraw(proposal=proposal, user=request.user)
        except REFUSALS as error:
            message_refusal(request, error)
        else:
            messages.success(request, _("Hai ritirato la proposta."))
        return redirect(proposal)
    return render(request, "proposals/proposal_withdraw.html", {"proposal": proposal})


# --------------------------------------------------------------------------- votes
@require_POST
def proposal_vote(request, pk: int):
    proposal = get_object_or_404(Proposal.objects.select_related("consultation"), pk=pk)
    back = next_from(request, proposal.get_absolute_url())
    if not request.user.is_authenticated:
        messages.info(request, _("Per sostenere una proposta accedi o registrati."))
        return redirect(f"{reverse('account_login')}?next={proposal.get_absolute_url()}")
    try:
        if request.POST.get("azione") == "ritira":
            votes.vote_withdraw(proposal=proposal, voter=request.user)
            messages.success(request, _("Hai ritirato il tuo sostegno."))
        else:
            votes.vote_cast(proposal=proposal, voter=request.user)
            left = votes.supports_left(consultation=proposal.consultation, voter=request.user)
            if left is None:
                messages.success(request, _("Hai sostenuto «%(title)s».") % {"title": proposal})
            else:
                messages.success(
                    request,
                    _("Hai sostenuto «%(title)s». Puoi ancora dare %(n)s sostegni.")
                    % {"title": proposal, "n": left},
                )
    except REFUSALS as error:
        message_refusal(request, error)
    return redirect(back)


@login_required
def budget_ballot(request, consultation_id: int):
    consultation = _consultation(consultation_id)
    if consultation.vote_mode != VoteMode.BUDGET:
        raise Http404
    refusal = consultation_rules.vote_error(request.user, consultation)
    if request.method == "POST":
        try:
            ballot = votes.budget_ballot_submit(
                consultation=consultation,
                voter=request.user,
                proposal_ids=request.POST.getlist("proposte"),
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
    proposal = get_object_or_404(Proposal.objects.select_related("consultation"), pk=pk)
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
            proposal=proposal, author=request.user, body=form.cleaned_data["body"], parent=parent
        )
    except REFUSALS as error:
        message_refusal(request, error)
        return redirect(anchor)
    messages.success(request, _("Commento pubblicato."))
    return redirect(f"{proposal.get_absolute_url()}#commento-{comment.pk}")


@login_required
def comment_edit(request, pk: int):
    comment = get_object_or_404(Comment.objects.select_related("proposal"), pk=pk)
    back = f"{comment.proposal.get_absolute_url()}#commento-{comment.pk}"
    refusal = proposal_rules.comment_edit_error(request.user, comment)
    if refusal:
        messages.error(request, refusal)
        return redirect(back)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            comments.comment_edit(
                comment=comment, user=request.user, body=form.cleaned_data["body"]
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
    comment = get_object_or_404(Comment.objects.select_related("proposal"), pk=pk)
    try:
        comments.comment_delete(comment=comment, user=request.user)
    except REFUSALS as error:
        message_refusal(request, error)
    else:
        messages.success(request, _("Commento eliminato."))
    return redirect(f"{comment.proposal.get_absolute_url()}#commenti")


@require_POST
@login_required
def comment_like(request, pk: int):
    comment = get_object_or_404(Comment.objects.select_related("proposal"), pk=pk)
    try:
        comments.comment_like(comment=comment, user=request.user)
    except REFUSALS as error:
        message_refusal(request, error)
    return redirect(f"{comment.proposal.get_absolute_url()}#commento-{comment.pk}")


# --------------------------------------------------------------------------- reports
@login_required
def report(request, kind: str, pk: int):
    """Flag a proposal or a comment to the moderators."""
    if kind == "proposta":
        proposal = get_object_or_404(Proposal.objects.select_related("consultation"), pk=pk)
        comment = None
        back = proposal.get_absolute_url()
    elif kind == "commento":
        comment = get_object_or_404(Comment.objects.select_related("proposal"), pk=pk)
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
