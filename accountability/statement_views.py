"""The facilitator's page that carries a conversation's consensus statements into the loop
(``accountability.statement_outcomes``): each statement becomes a proposal of the
consultation, or an input of a record of its action. Plain forms and redirects; every route
checks the permission on the server (the page, and again each write in the service)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accountability import statement_outcome_reads, statement_outcomes
from accountability.models import ImplementationRecord
from conversations.models import Conversation, Statement
from core.errors import REFUSALS, message_refusal
from core.ids import parse_id

REFUSED = gettext_lazy(
    "Solo chi modera questa consultazione può portare le affermazioni nel percorso."
)


def _conversation(request, pk: int) -> Conversation:
    conversation = Conversation.objects.select_related("consultation").filter(pk=pk).first()
    if conversation is None:
        raise Http404
    if not statement_outcomes.may_promote(request.user, conversation):
        raise PermissionDenied(REFUSED)
    return conversation


def _statement(request, pk: int) -> Statement:
    statement = Statement.objects.select_related("conversation__consultation").filter(pk=pk).first()
    if statement is None:
        raise Http404
    if not statement_outcomes.may_promote(request.user, statement.conversation):
        raise PermissionDenied(REFUSED)
    return statement


def _back(statement: Statement):
    url = reverse("accountability:conversation_outcomes", args=[statement.conversation_id])
    return redirect(f"{url}#affermazione-{statement.pk}")


@login_required
@require_GET
def conversation_outcomes(request, pk: int):
    conversation = _conversation(request, pk)
    context = statement_outcome_reads.outcomes_page(conversation, request.user)
    return render(request, "accountability/conversation_outcomes.html", context)


@login_required
@require_POST
def statement_to_proposal(request, pk: int):
    statement = _statement(request, pk)
    link = request.build_absolute_uri(
        reverse("conversations:results", args=[statement.conversation_id])
        + f"#affermazione-{statement.pk}"
    )
    try:
        proposal, created = statement_outcomes.statement_to_proposal(
            statement=statement, actor=request.user, link=link
        )
    except REFUSALS as error:
        message_refusal(request, error)
    else:
        if created:
            messages.success(request, _("Proposta pubblicata: «%(t)s».") % {"t": proposal.title})
        else:
            messages.info(request, _("Questa affermazione è già diventata una proposta."))
    return _back(statement)


@login_required
@require_POST
def statement_to_record(request, pk: int):
    statement = _statement(request, pk)
    record = ImplementationRecord.objects.filter(pk=parse_id(request.POST.get("record"))).first()
    try:
        if record is None:
            raise ValidationError(_("Scegli un intervento."))
        _outcome, created = statement_outcomes.statement_to_record(
            statement=statement, record=record, actor=request.user
        )
    except REFUSALS as error:
        message_refusal(request, error)
    else:
        if created:
            messages.success(
                request, _("Affermazione aggiunta all'intervento «%(t)s».") % {"t": record.title}
            )
        else:
            messages.info(request, _("Questa affermazione è già tra le origini dell'intervento."))
    return _back(statement)
