"""The coordinator's side: the calls, each call's dashboard, assignments and the selection."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from core.errors import REFUSALS, message_refusal
from core.ids import parse_id
from leadership.forms import AdjustForm
from leadership.models import Application, CallPage, Cohort, ConflictOfInterest, SelectionRun
from leadership.models import ApplicationStatus as S
from leadership.selectors import (
    call_scores,
    confirmed_effects,
    reviewer_progress,
    reviewers_all,
    selection_proposal,
)
from leadership.services.applications import application_set_eligibility
from leadership.services.pathway import cohort_create
from leadership.services.reviews import review_assign, review_unassign, reviews_assign_automatically
from leadership.services.selection import (
    selection_adjust,
    selection_confirm,
    selection_confirm_error,
    selection_publish_report,
)
from leadership.views.access import coordinator_only
from psm.localisation import default_locale_id


@login_required
def coordination(request):
    coordinator_only(request)
    calls = CallPage.objects.live().filter(locale_id=default_locale_id()).order_by("-closes_at")
    return render(request, "leadership/coordination.html", {"calls": calls})


@login_required
def dashboard(request, call_id):
    coordinator_only(request)
    call = get_object_or_404(CallPage, pk=call_id)
    counts = {s: 0 for s in S.values}
    for status in Application.objects.filter(call=call).values_list("status", flat=True):
        counts[status] += 1
    run = SelectionRun.objects.filter(call=call).first()
    proposal = None if run else selection_proposal(call)
    effects = confirmed_effects(run) if run else proposal.effects
    scores = call_scores(call)
    applications = list(
        Application.objects.filter(call=call)
        .exclude(status=S.DRAFT)
        .select_related("applicant", "comune")
        .order_by("pk")
    )
    for application in applications:
        application.score_entry = scores.get(application.pk)
    return render(
        request,
        "leadership/dashboard.html",
        {
            "call": call,
            "counts": [(S(k).label, v) for k, v in counts.items() if v],
            "progress": reviewer_progress(call),
            "proposal": proposal,
            "run": run,
            "effects": effects,
            "quotas": call.quotas.select_related("zona"),
            "confirm_refusal": None if run else selection_confirm_error(call, proposal),
            "scores": scores,
            "applications": applications,
            "flagged": [s for s in scores.values() if s.flagged],
            "late_conflicts": ConflictOfInterest.objects.filter(call=call, after_submission=True)
            .select_related("application", "reviewer")
            .order_by("declared_at"),
            "cohort": Cohort.objects.filter(call=call).first(),
            "adjust_form": AdjustForm(),
        },
    )


def _call_action(request, call_id, action, success):
    coordinator_only(request)
    call = get_object_or_404(CallPage, pk=call_id)
    try:
        action(call)
        messages.success(request, success)
    except REFUSALS as error:
        message_refusal(request, error)
    return redirect("leadership:dashboard", call_id=call.pk)


@login_required
@require_POST
def assign(request, call_id):
    def run(call):
        outcome = reviews_assign_automatically(call=call, actor=request.user)
        if outcome["short"]:
            messages.warning(
                request,
                _("%(n)d candidature hanno meno valutatori/trici del previsto.")
                % {"n": len(outcome["short"])},
            )

    return _call_action(request, call_id, run, _("Assegnazioni aggiornate."))


@login_required
@require_POST
def adjust(request, call_id, application_id):
    coordinator_only(request)
    form = AdjustForm(request.POST)
    application = get_object_or_404(Application, pk=application_id, call_id=call_id)
    choice = request.POST.get("include")
    include = {"in": True, "out": False}.get(choice)

    def run(call):
        if not form.is_valid():
            raise ValidationError(_("Scegli una correzione."))
        selection_adjust(
            application=application,
            include=include,
            motivation=form.cleaned_data["motivation"],
            actor=request.user,
        )

    return _call_action(request, call_id, run, _("Graduatoria corretta."))


@login_required
@require_POST
def confirm(request, call_id):
    return _call_action(
        request,
        call_id,
        lambda call: selection_confirm(call=call, actor=request.user),
        _("Selezione confermata: gli esiti vengono inviati per e-mail."),
    )


@login_required
@require_POST
def publish_report(request, call_id):
    published = request.POST.get("published") == "1"
    return _call_action(
        request,
        call_id,
        lambda call: selection_publish_report(call=call, actor=request.user, published=published),
        _("Resoconto pubblicato.") if published else _("Resoconto ritirato."),
    )


@login_required
@require_POST
def create_cohort(request, call_id):
    return _call_action(
        request,
        call_id,
        lambda call: cohort_create(call=call, actor=request.user),
        _("Gruppo del percorso creato con le sei tappe."),
    )


def _chosen(queryset, raw):
    """The row a form's select named; a refusal in Italian for a tampered or stale value."""
    pk = parse_id(raw)
    found = queryset.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise ValidationError(_("Scegli una voce dall'elenco: quella indicata non esiste più."))
    return found


@login_required
def coordinator_application(request, pk):
    coordinator_only(request)
    application = get_object_or_404(
        Application.objects.select_related("call", "applicant", "comune__zona_omogenea"), pk=pk
    )
    if request.method == "POST" and request.POST.get("action") in ("assign", "unassign"):
        try:
            if request.POST["action"] == "assign":
                reviewer = _chosen(User.objects.all(), request.POST.get("reviewer"))
                review_assign(application=application, reviewer=reviewer, actor=request.user)
                messages.success(request, _("Valutatore/trice assegnato/a."))
            else:
                review = _chosen(application.reviews.all(), request.POST.get("review"))
                review_unassign(review=review, actor=request.user)
                messages.success(request, _("Assegnazione tolta."))
        except REFUSALS as error:
            message_refusal(request, error)
        return redirect("leadership:coordinator_application", pk=pk)
    if request.method == "POST":
        try:
            application_set_eligibility(
                application=application,
                actor=request.user,
                eligible=request.POST.get("eligible") == "1",
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("Ammissibilità corretta."))
        except REFUSALS as error:
            message_refusal(request, error)
        return redirect("leadership:coordinator_application", pk=pk)
    call = application.call
    return render(
        request,
        "leadership/coordinator_application.html",
        {
            "application": application,
            "call": call,
            "answers": [
                (q.label, application.answers.get(q.field_name, "")) for q in call.questions.all()
            ],
            "documents": application.documents.select_related("requirement"),
            "history": application.transitions.select_related("actor"),
            "reviews": application.reviews.select_related("reviewer"),
            "conflicts": application.conflicts.select_related("reviewer").order_by("declared_at"),
            "reviewers": reviewers_all().exclude(pk__in=application.reviews.values("reviewer_id")),
        },
    )
