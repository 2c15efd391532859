"""The public vote, questions through the site, the signed agreement (the results are on the
contest page itself)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contests.forms import QuestionForm
from contests.models import Agreement, Entry
from contests.selectors import contest_behind
from contests.services.questions import question_ask
from contests.services.results import agreement_file_visible
from contests.services.vote import public_vote_cast
from contests.views.common import call_service, contest_or_404, form_or_message
from core.ids import parse_id


@login_required
@require_POST
def vote(request, contest_id):
    contest = contest_or_404(contest_id)
    entry = Entry.objects.filter(contest=contest, pk=parse_id(request.POST.get("entry"))).first()
    if entry is None:
        messages.error(request, _("Scegli un progetto."))
        return redirect(contest.url)
    call_service(
        request,
        lambda: public_vote_cast(contest=contest, entry=entry, voter=request.user),
        _("Voto registrato. Grazie!"),
    )
    return redirect(contest.url)


@login_required
@require_POST
def ask(request, contest_id):
    contest = contest_or_404(contest_id)
    form = QuestionForm(request.POST)
    if form_or_message(request, form, _("Scrivi la domanda.")):
        call_service(
            request,
            lambda: question_ask(
                contest=contest, user=request.user, text=form.cleaned_data["question"]
            ),
            _("Domanda inviata. La risposta sarà pubblicata su questa pagina, senza il tuo nome."),
        )
    return redirect(contest.url)


def agreement_file(request, contest_id):
    """The signed co-management agreement: public with the results of a public contest; who
    runs the contest sees it before too."""
    contest = contest_or_404(contest_id, public=False)
    agreement = Agreement.objects.filter(result__contest=contest).first()
    if agreement is None or not agreement.file:
        raise Http404
    public = contest_behind(contest_id) is not None
    if not agreement_file_visible(agreement, request.user, public=public):
        raise Http404
    return FileResponse(
        agreement.file.open("rb"),
        as_attachment=True,
        filename=f"patto-{contest.slug}.pdf",
        content_type="application/pdf",
    )
