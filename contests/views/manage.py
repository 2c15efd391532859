"""Who runs the contest (edit permission on its page): entries by code, jury progress,
scores with disagreement flags, the ranking with reasons, results and follow-up."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contests.forms import AgreementFileForm, AnswerForm, FollowUpForm, ResultsForm
from contests.models import (
    Agreement,
    ContestPage,
    ContestQuestion,
    ContestResult,
    Entry,
    JuryAssignment,
    JuryConflict,
    QuestionStatus,
)
from contests.predicates import manages_contest
from contests.selectors import codesign_of, contest_ranking, jury_scores
from contests.services.codesign import codesign_session_open
from contests.services.jury import jury_assign
from contests.services.questions import question_answer, question_reject
from contests.services.results import agreement_attach, follow_up_create, results_confirm
from contests.views.common import call_service, contest_or_404, form_or_message


def _managed(request, contest_id) -> ContestPage:
    """The contest behind the id (drafts too; an English copy's id maps to the Italian page),
    for who runs it only: anyone else gets a 404."""
    contest = contest_or_404(contest_id, public=False)
    if not manages_contest(request.user, contest):
        raise Http404
    return contest


def _back(contest: ContestPage):
    """Every action on the dashboard returns to it."""
    return redirect("contests:manage", contest_id=contest.pk)


@login_required
def dashboard(request, contest_id):
    contest = _managed(request, contest_id)
    scores = jury_scores(contest)
    entries = list(Entry.objects.filter(contest=contest).order_by("status", "code"))
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
            "result": ContestResult.objects.filter(contest=contest)
            .select_related("agreement")
            .first(),
            "results_form": ResultsForm(),
            "follow_up_form": FollowUpForm(),
            "agreement_form": AgreementFileForm(),
            "questions": ContestQuestion.objects.filter(
                contest=contest, status=QuestionStatus.PENDING
            ).order_by("pk"),
            "answer_form": AnswerForm(),
            "codesign": codesign_of(contest),
        },
    )


@login_required
@require_POST
def assign(request, contest_id):
    contest = _managed(request, contest_id)
    done = call_service(
        request,
        lambda: jury_assign(contest=contest, actor=request.user),
        lambda done: _("Assegnazioni create: %(n)d.") % {"n": done["created"]},
    )
    if done is not None and done["short"]:
        messages.warning(request, _("Alcuni progetti hanno meno giurati/e del previsto."))
    return _back(contest)


@login_required
@require_POST
def confirm(request, contest_id):
    contest = _managed(request, contest_id)
    form = ResultsForm(request.POST)
    if form_or_message(request, form, _("Scrivi la motivazione della giuria.")):
        call_service(
            request,
            lambda: results_confirm(contest=contest, actor=request.user, **form.cleaned_data),
            _("Risultati confermati."),
        )
    return _back(contest)


@login_required
@require_POST
def follow_up(request, contest_id):
    contest = _managed(request, contest_id)
    result = get_object_or_404(ContestResult, contest=contest)
    form = FollowUpForm(request.POST, request.FILES)
    if form_or_message(request, form, _("Compila titolo, parti e date del patto.")):
        call_service(
            request,
            lambda: follow_up_create(result=result, actor=request.user, **form.cleaned_data),
            _("Intervento e patto registrati: completa e pubblica l'intervento nell'admin."),
        )
    return _back(contest)


@login_required
@require_POST
def attach_agreement(request, contest_id):
    contest = _managed(request, contest_id)
    agreement = get_object_or_404(Agreement, result__contest=contest)
    form = AgreementFileForm(request.POST, request.FILES)
    if form_or_message(request, form, _("Scegli il PDF del patto.")):
        call_service(
            request,
            lambda: agreement_attach(
                agreement=agreement, actor=request.user, upload=form.cleaned_data["file"]
            ),
            _("Testo del patto caricato."),
        )
    return _back(contest)


@login_required
@require_POST
def answer(request, contest_id, question_id):
    contest = _managed(request, contest_id)
    question = get_object_or_404(ContestQuestion, pk=question_id, contest=contest)
    if request.POST.get("decision") == "reject":
        call_service(
            request,
            lambda: question_reject(question=question, actor=request.user),
            _("Domanda messa da parte: non sarà pubblicata."),
        )
        return _back(contest)
    form = AnswerForm(request.POST)
    if form_or_message(request, form, _("Scrivi la risposta: sarà pubblicata.")):
        call_service(
            request,
            lambda: question_answer(
                question=question,
                actor=request.user,
                answer=form.cleaned_data["answer"],
                question_text=form.cleaned_data["question"],
            ),
            _("Risposta pubblicata sulla pagina del contest."),
        )
    return _back(contest)


@login_required
@require_POST
def codesign(request, contest_id):
    contest = _managed(request, contest_id)
    result = get_object_or_404(ContestResult, contest=contest)
    session = call_service(
        request,
        lambda: codesign_session_open(
            result=result, actor=request.user, title=request.POST.get("title", "")[:200]
        ),
        lambda session: (
            _("Laboratorio creato. Codice di accesso: %(code)s") % {"code": session.code}
        ),
    )
    if session is None:
        return _back(contest)
    return redirect("live:console", pk=session.pk)
