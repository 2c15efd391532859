"""Thin views of conversations: read through selectors, write through services, explain every
refusal (``core.errors``). Plain forms and redirects: no JavaScript needed, phones included."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from consultations.models import ConsultationPage
from consultations.visibility import consultation_visible
from conversations import exports, rules, selectors, services
from conversations.card_fragment import voting_card_fragment
from conversations.forms import ConversationForm, StatementForm
from conversations.models import Choice, Conversation, Statement, StatementStatus, user_key
from conversations.snapshots import is_stale
from core.errors import REFUSALS, message_refusal, refusal_message


def _conversation(request, pk: int) -> Conversation:
    """The conversation if this request may see its consultation, else 404."""
    conversation = Conversation.objects.select_related("consultation").filter(pk=pk).first()
    if conversation is None or not consultation_visible(request, conversation.consultation):
        raise Http404
    return conversation


def _statement(request, pk: int, *, for_vote: bool = False) -> Statement:
    """The statement, or 404 when its consultation is not visible to the request. ``for_vote``:
    read with the facts a vote checks, from the cache (``selectors.statement_for_vote``)."""
    if for_vote:
        statement = selectors.statement_for_vote(pk)
    else:
        statement = (
            Statement.objects.select_related("conversation__consultation").filter(pk=pk).first()
        )
    if statement is None or not consultation_visible(request, statement.conversation.consultation):
        raise Http404
    return statement


def _submit_statement(request, conversation: Conversation, form: StatementForm):
    """The statement written in the valid ``form``, or ``None`` with the refusal on the form."""
    try:
        return services.statement_submit(
            conversation=conversation,
            author=request.user,
            text=form.cleaned_data["text"],
            viewer=request,
        )
    except REFUSALS as refusal:
        form.add_error("text", refusal_message(refusal))
        return None


def _moderator_only(request, conversation: Conversation) -> None:
    if not request.user.has_perm("conversations.moderate", conversation):
        raise PermissionDenied(_("Solo chi modera questa consultazione può farlo."))


@require_GET
def conversation_detail(request, pk: int):
    conversation = _conversation(request, pk)
    user = request.user
    vote_error = rules.vote_error(user, conversation)
    context = {
        "conversation": conversation,
        "consultation": conversation.consultation,
        "vote_error": vote_error,
        "statement_error": rules.statement_error(user, conversation),
        "results_error": rules.results_error(user, conversation),
        "is_moderator": user.has_perm("conversations.moderate", conversation),
        "choices": Choice,
    }
    if vote_error is None:
        context["card"] = selectors.voting_card(conversation, user_key(user))
    return render(request, "conversations/conversation.html", context)


@login_required
@require_POST
def statement_vote(request, pk: int):
    """One vote. Without JavaScript: a message and a redirect (to the conversation, which
    offers the next statement, or back to «Le mie risposte»). With htmx (``HX-Request``): only
    the voting card with the next statement and the outcome in a ``role=status`` line, no
    message stored and no full page."""
    statement = _statement(request, pk, for_vote=True)
    conversation = statement.conversation
    fragment = request.headers.get("HX-Request") == "true" and request.POST.get("da") != "risposte"
    try:
        services.statement_vote(
            statement=statement, voter=request.user, choice=request.POST.get("voto"), viewer=request
        )
    except REFUSALS as error:
        if fragment:
            return voting_card_fragment(request, conversation, refusal_message(error))
        message_refusal(request, error)
    else:
        if fragment:
            return voting_card_fragment(request, conversation, _("Voto registrato."))
        messages.success(request, _("Voto registrato."))
    if request.POST.get("da") == "risposte":
        return redirect("conversations:my_votes", pk=conversation.pk)
    return redirect("conversations:detail", pk=conversation.pk)


@login_required
def statement_create(request, pk: int):
    conversation = _conversation(request, pk)
    error = rules.statement_error(request.user, conversation)
    form = StatementForm(request.POST or None)
    if request.method == "POST" and error is None and form.is_valid():
        statement = _submit_statement(request, conversation, form)
        if statement is not None:
            if statement.status == StatementStatus.PENDING:
                messages.success(
                    request,
                    _(
                        "Grazie! La tua affermazione sarà pubblicata dopo il controllo di chi modera."
                    ),
                )
            else:
                messages.success(request, _("Grazie! La tua affermazione è pubblicata."))
            return redirect("conversations:detail", pk=conversation.pk)
    return render(
        request,
        "conversations/statement_form.html",
        {"conversation": conversation, "form": form, "refusal": error},
        status=403 if error else 400 if form.errors else 200,
    )


@login_required
@require_GET
def my_votes(request, pk: int):
    conversation = _conversation(request, pk)
    votes = selectors.votes_of(conversation, user_key(request.user))
    return render(
        request,
        "conversations/my_votes.html",
        {
            "conversation": conversation,
            "votes": votes,
            "vote_error": rules.vote_error(request.user, conversation),
            "choices": Choice,
        },
    )


@require_GET
def results(request, pk: int):
    conversation = _conversation(request, pk)
    error = rules.results_error(request.user, conversation)
    is_moderator = request.user.has_perm("conversations.moderate", conversation)
    snapshot = selectors.latest_snapshot(conversation) if error is None else None
    if error is None and is_stale(conversation, snapshot):
        services.recompute_request(conversation.pk)  # at most one pending (debounced)
    opinion_map = selectors.opinion_map(conversation, snapshot) if snapshot else None
    if opinion_map is not None:
        selectors.attach_statement_links(opinion_map.consensus, request)
    context = {
        "conversation": conversation,
        "consultation": conversation.consultation,
        "results_error": error,
        "is_moderator": is_moderator,
        "map": opinion_map,
    }
    return render(request, "conversations/results.html", context, status=403 if error else 200)


@require_GET
def export(request, pk: int, fmt: str):
    conversation = _conversation(request, pk)
    _moderator_only(request, conversation)
    if fmt == "csv":
        response = HttpResponse(
            "\ufeff" + exports.export_csv(conversation), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.export_xlsx(conversation),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    filename = exports.export_filename(conversation, fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def moderation(request, pk: int):
    conversation = _conversation(request, pk)
    _moderator_only(request, conversation)
    form = StatementForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _submit_statement(request, conversation, form) is not None
    ):
        messages.success(request, _("Affermazione di partenza pubblicata."))
        return redirect("conversations:moderation", pk=conversation.pk)
    return render(
        request,
        "conversations/moderation.html",
        {
            "conversation": conversation,
            "consultation": conversation.consultation,
            "queue": selectors.moderation_queue(conversation),
            "statuses": StatementStatus,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def statement_moderate(request, pk: int):
    statement = _statement(request, pk)
    try:
        services.statement_moderate(
            statement=statement, moderator=request.user, action=request.POST.get("azione", "")
        )
    except REFUSALS as error:
        if isinstance(error, PermissionDenied):
            raise
        message_refusal(request, error)
    else:
        messages.success(request, _("Affermazione aggiornata."))
    return redirect("conversations:moderation", pk=statement.conversation_id)


@login_required
def conversation_create(request, consultation_id: int):
    consultation = ConsultationPage.objects.visible_to(request).filter(pk=consultation_id).first()
    if consultation is None:
        raise Http404
    if not request.user.has_perm("consultations.moderate", consultation):
        raise PermissionDenied(
            _("Solo chi modera questa consultazione può aprire una conversazione.")
        )
    form = ConversationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.conversation_create(
                consultation=consultation, user=request.user, **form.cleaned_data
            )
        except REFUSALS as refusal:
            form.add_error(None, refusal_message(refusal))
        else:
            messages.success(
                request, _("Conversazione creata: aggiungi le affermazioni di partenza.")
            )
            return redirect("conversations:moderation", pk=conversation.pk)
    return render(
        request,
        "conversations/conversation_form.html",
        {"consultation": consultation, "form": form},
        status=400 if form.errors else 200,
    )
