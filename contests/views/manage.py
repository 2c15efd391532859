"""Who runs the contest (edit permission on its page): entries by code, jury progress,
scores with disagreement flags, the ranking with reasons, results and follow-up."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contests.forms import FollowUpForm, ResultsForm
from contests.models import ContestPage, ContestResult, Entry, JuryAssignment, JuryConflict
from contests.predicates import manages_contest
from contests.selectors import contest_ranking, jury_scores
from contests.services.jury import jury_assign
from contests.services.results import follow_up_create, results_confirm
from core.errors import REFUSALS, message_refusal


def _managed(request, contest_id) -> ContestPage:
    contest = get_object_or_404(ContestPage, pk=contest_id)
    if not manages_contest(request.user, contest):
        raise Http404
    return contest


@login_required
def dashboard(request, contest_id):
    contest = _managed(request, contest_id)
    scores = jury_scores(contest)
    entries = list(Entry.objects.filter(contest=contest).order_by("code"))
    return render(
        request,
        "contests/manage.html",
        {
            "contest": contest,
            "entries": [(e, scores.get(e.pk)) for e in entries],
            "assignments": JuryAssignment.objects.filter(entry__contest=contest)
            .select_related("juror", "entry")
            .order_by("entry__code", "juror_id"),
            "conflicts": JuryConflict.objects.filter(contest=contest).select_related(
                "juror", "entry"
            ),
            "ranking": contest_ranking(contest),
            "result": ContestResult.objects.filter(contest=contest).first(),
            "results_form": ResultsForm(),
            "follow_up_form": FollowUpForm(),
        },
    )


@login_required
@require_POST
def assign(request, contest_id):
    contest = _managed(request, contest_id)
    try:
        done = jury_assign(contest=contest, actor=request.user)
        messages.success(request, _("Assegnazioni create: %(n)d.") % {"n": done["created"]})
        if done["short"]:
            messages.warning(request, _("Alcuni progetti hanno meno giurati/e del previsto."))
    except REFUSALS as error:
        message_refusal(request, error)
    return redirect("contests:manage", contest_id=contest.pk)


@login_required
@require_POST
def confirm(request, contest_id):
    contest = _managed(request, contest_id)
    form = ResultsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Scrivi la motivazione della giuria."))
        return redirect("contests:manage", contest_id=contest.pk)
    try:
        results_confirm(contest=contest, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Risultati confermati."))
    except REFUSALS as error:
        message_refusal(request, error)
    return redirect("contests:manage", contest_id=contest.pk)


@login_required
@require_POST
def follow_up(request, contest_id):
    contest = _managed(request, contest_id)
    result = get_object_or_404(ContestResult, contest=contest)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Compila titolo, parti e date del patto."))
        return redirect("contests:manage", contest_id=contest.pk)
    try:
        follow_up_create(result=result, actor=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("Intervento e patto registrati: completa e pubblica l'intervento nell'admin."),
        )
    except REFUSALS as error:
        message_refusal(request, error)
    return redirect("contests:manage", contest_id=contest.pk)
