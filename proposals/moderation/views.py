"""The facilitators' moderation views, served inside the Wagtail admin (/admin/moderazione/).

Thin: every write goes through :mod:`proposals.moderation.services` (or ``in_person``),
which checks the permission again on the server. A facilitator of another consultation gets
403 here and in the service.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from consultations.models import ConsultationPage
from core.errors import REFUSALS, message_refusal
from core.ids import parse_id
from core.urls import safe_next
from proposals.amendments import selectors as amendment_selectors
from proposals.amendments import services as amendment_services
from proposals.models import (
    Amendment,
    AmendmentState,
    Comment,
    Proposal,
    ProposalKind,
    ProposalVersion,
    VersionState,
)
from proposals.moderation import edits, in_person, selectors, services
from proposals.moderation.forms import (
    AmendmentAcceptForm,
    AnswerForm,
    BlockForm,
    OfflineProposalForm,
    OfflineSupportsForm,
    ReasonForm,
)


def _consultation(request, consultation_id: int) -> ConsultationPage:
    consultation = get_object_or_404(ConsultationPage, pk=consultation_id)
    if not request.user.has_perm("consultations.moderate", consultation):
        raise PermissionDenied(_("Non puoi moderare questa consultazione."))
    return consultation


def _queue_url(consultation) -> str:
    return reverse("moderation:queue", kwargs={"consultation_id": consultation.pk})


@require_http_methods(["GET"])
def index(request):
    rows = selectors.moderation_overview(user=request.user)
    deadlines = selectors.proposals_by_answer_deadline(user=request.user)
    return render(
        request,
        "proposals/moderation/index.html",
        {
            "rows": rows,
            "deadlines": deadlines,
            "change_sets": amendment_selectors.change_sets_to_review(user=request.user),
            "header_title": _("Moderazione"),
        },
    )


@require_http_methods(["GET"])
def queue(request, consultation_id: int):
    consultation = _consultation(request, consultation_id)
    context = selectors.moderation_queue(consultation=consultation)
    context.update(
        {
            "consultation": consultation,
            "reason_form": ReasonForm(),
            "header_title": _("Moderazione: %(title)s") % {"title": consultation.title},
        }
    )
    return render(request, "proposals/moderation/queue.html", context)


def _person_to_block(request) -> User:
    """The account the block form names. No such account gets the service's refusal for
    someone outside the consultation: the answer does not tell which ids exist."""
    form = BlockForm(request.POST)
    person = (
        User.objects.filter(pk=form.cleaned_data["user_id"]).first() if form.is_valid() else None
    )
    if person is None:
        raise ValidationError(services.PARTICIPANT_NOT_FOUND)
    return person


@require_POST
def act(request, consultation_id: int):
    """Hide / restore a proposal or comment, block / unblock a participant."""
    consultation = _consultation(request, consultation_id)
    op = request.POST.get("op", "")
    reason = request.POST.get("reason", "")
    back = safe_next(request, request.POST.get("back"), _queue_url(consultation))
    try:
        if op in ("hide", "restore"):
            kind = request.POST.get("target")
            target_id = parse_id(request.POST.get("target_id", ""))
            if target_id is None or kind not in ("proposal", "comment"):
                raise ValidationError(_("Contenuto non trovato."))
            if kind == "proposal":
                target = {
                    "proposal": get_object_or_404(Proposal, pk=target_id, consultation=consultation)
                }
            else:
                target = {
                    "comment": get_object_or_404(
                        Comment, pk=target_id, proposal__consultation=consultation
                    )
                }
            if op == "hide":
                services.content_hide(actor=request.user, reason=reason, **target)
                messages.success(
                    request, _("Contenuto nascosto; chi l'ha scritto riceve il motivo.")
                )
            else:
                services.content_restore(actor=request.user, reason=reason, **target)
                messages.success(request, _("Contenuto pubblico; le segnalazioni sono chiuse."))
        elif op in ("block", "unblock"):
            person = _person_to_block(request)
            if op == "block":
                services.participant_block(
                    actor=request.user, consultation=consultation, user=person, reason=reason
                )
                messages.success(
                    request,
                    _("%(name)s non può più partecipare a questa consultazione.")
                    % {"name": person.public_name},
                )
            else:
                services.participant_unblock(
                    actor=request.user, consultation=consultation, user=person, reason=reason
                )
                messages.success(request, _("Sospensione revocata."))
        else:
            raise ValidationError(_("Azione sconosciuta."))
    except REFUSALS as error:
        message_refusal(request, error)
    return redirect(back)


def _answer(request, item: Proposal, answer_form: AnswerForm) -> bool:
    """Publish the answer form's answer; False (with the refusal on the form) if refused. A
    new status with the previous text asks for confirmation (``needs_confirmation``)."""
    data = answer_form.cleaned_data
    try:
        services.proposal_answer(
            actor=request.user,
            proposal=item,
            status=data["status"],
            answer=data["answer"],
            merged_into=data["merged_into"],
            confirm_unchanged=data["confirm_unchanged"],
        )
    except ValidationError as error:
        if getattr(error, "code", None) == services.ANSWER_UNCHANGED_CODE:
            answer_form.needs_confirmation = True
            answer_form.add_error("confirm_unchanged", error)
            return False
        raise
    return True


@require_http_methods(["GET", "POST"])
def proposal(request, consultation_id: int, proposal_id: int):
    """One proposal: official answer, in-person supports, amendment, history."""
    consultation = _consultation(request, consultation_id)
    item = get_object_or_404(
        Proposal.objects.select_related("author", "category", "amended_action", "merged_into"),
        pk=proposal_id,
        consultation=consultation,
    )
    answer_form = AnswerForm(proposal=item)
    supports_form = OfflineSupportsForm()
    amendment_form = AmendmentAcceptForm()
    if request.method == "POST":
        form_name = request.POST.get("form")
        try:
            if form_name == "answer":
                answer_form = AnswerForm(request.POST, proposal=item)
                if answer_form.is_valid() and _answer(request, item, answer_form):
                    messages.success(
                        request, _("Risposta pubblicata; chi ha proposto riceve una notifica.")
                    )
                    return redirect(request.path)
            elif form_name == "supports":
                supports_form = OfflineSupportsForm(request.POST)
                if supports_form.is_valid():
                    in_person.offline_supports_record(
                        actor=request.user, proposal=item, **supports_form.cleaned_data
                    )
                    messages.success(request, _("Sostegni in presenza registrati."))
                    return redirect(request.path)
            elif form_name == "amendment":
                amendment_form = AmendmentAcceptForm(request.POST)
                if amendment_form.is_valid():
                    accepted = amendment_services.amendment_accept(
                        actor=request.user,
                        proposal=item,
                        answer=amendment_form.cleaned_data["answer"],
                    )
                    if accepted.state == AmendmentState.CONFLICT:
                        messages.warning(
                            request,
                            _(
                                "Emendamento accolto, ma in conflitto con un altro già accolto: "
                                "risolvilo nella modifica al testo dell'azione prima di pubblicarla."
                            ),
                        )
                    else:
                        messages.success(
                            request,
                            _(
                                "Emendamento accolto e unito alla modifica al testo dell'azione: "
                                "diventa «integrato» quando la modifica viene pubblicata."
                            ),
                        )
                    return redirect(request.path)
            else:
                messages.error(request, _("Modulo sconosciuto."))
        except REFUSALS as error:
            message_refusal(request, error)
        item.refresh_from_db()
    history = list(item.status_changes.select_related("changed_by").order_by("changed_at", "pk"))
    tallies = list(item.offline_tallies.order_by("meeting_date", "pk"))
    amendment = (
        Amendment.objects.select_related("change_set").filter(proposal=item).first()
        if item.kind == ProposalKind.AMENDMENT
        else None
    )
    return render(
        request,
        "proposals/moderation/proposal.html",
        {
            "consultation": consultation,
            "proposal": item,
            "answer_form": answer_form,
            "supports_form": supports_form,
            "amendment_form": amendment_form,
            "is_amendment": item.kind == ProposalKind.AMENDMENT,
            "amendment": amendment,
            "amendment_diff": amendment_selectors.amendment_diff(item, amendment)
            if amendment
            else None,
            "history": history,
            "tallies": tallies,
            "reason_form": ReasonForm(),
            "header_title": item.title,
        },
    )


@require_http_methods(["GET", "POST"])
def versions(request, consultation_id: int, proposal_id: int):
    """The versions of one proposal, two of them compared word by word (``?da=&a=``), and
    the approval or refusal of the author's edit that waits."""
    consultation = _consultation(request, consultation_id)
    item = get_object_or_404(
        Proposal.objects.select_related("author"), pk=proposal_id, consultation=consultation
    )
    if request.method == "POST":
        version = get_object_or_404(
            ProposalVersion,
            pk=parse_id(request.POST.get("version", "")) or 0,
            proposal=item,
        )
        op = request.POST.get("op", "")
        try:
            if op == "approve":
                edits.proposal_edit_approve(actor=request.user, version=version)
                messages.success(request, _("Modifica approvata: ora è il testo pubblico."))
            elif op == "reject":
                edits.proposal_edit_reject(
                    actor=request.user, version=version, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("Modifica non approvata: resta il testo pubblicato."))
            else:
                raise ValidationError(_("Azione sconosciuta."))
        except REFUSALS as error:
            message_refusal(request, error)
        return redirect(request.path)
    comparison = selectors.version_comparison(
        proposal=item,
        old_id=parse_id(request.GET.get("da", "")),
        new_id=parse_id(request.GET.get("a", "")),
    )
    return render(
        request,
        "proposals/moderation/versions.html",
        {
            "consultation": consultation,
            "proposal": item,
            **comparison,
            "pending_state": VersionState.PENDING,
            "header_title": _("Versioni: %(title)s") % {"title": item.title},
        },
    )


@require_http_methods(["GET", "POST"])
def offline_proposal(request, consultation_id: int):
    consultation = _consultation(request, consultation_id)
    form = OfflineProposalForm(request.POST or None, consultation=consultation)
    if request.method == "POST" and form.is_valid():
        try:
            created = in_person.offline_proposal_record(
                actor=request.user, consultation=consultation, **form.cleaned_data
            )
        except REFUSALS as error:
            message_refusal(request, error)
        else:
            messages.success(request, _("Proposta in presenza pubblicata."))
            return redirect(
                "moderation:proposal", consultation_id=consultation.pk, proposal_id=created.pk
            )
    return render(
        request,
        "proposals/moderation/offline_proposal.html",
        {
            "consultation": consultation,
            "form": form,
            "header_title": _("Proposta raccolta in presenza"),
        },
    )


@require_http_methods(["GET"])
def proposals(request, consultation_id: int):
    """Every proposal of the consultation, to answer them one by one."""
    consultation = _consultation(request, consultation_id)
    rows = (
        Proposal.objects.filter(consultation=consultation)
        .annotate_support_count()
        .select_related("author")
        .order_by("-support_count", "pk")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("p"))
    return render(
        request,
        "proposals/moderation/proposals.html",
        {
            "consultation": consultation,
            "page_obj": page,
            "header_title": _("Proposte: %(title)s") % {"title": consultation.title},
        },
    )


@require_http_methods(["GET"])
def audit(request, consultation_id: int):
    consultation = _consultation(request, consultation_id)
    page = Paginator(selectors.audit_log(consultation=consultation), 50).get_page(
        request.GET.get("p")
    )
    return render(
        request,
        "proposals/moderation/audit.html",
        {
            "consultation": consultation,
            "page_obj": page,
            "header_title": _("Registro della moderazione"),
        },
    )
