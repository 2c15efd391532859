"""The public vote (the results are on the contest page itself)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contests.models import ContestPage, Entry
from contests.services.vote import public_vote_cast
from core.errors import REFUSALS, message_refusal
from core.ids import parse_id
from psm.localisation import in_source_language


@login_required
@require_POST
def vote(request, contest_id):
    contest = in_source_language(
        get_object_or_404(ContestPage.objects.live().public(), pk=contest_id)
    )
    entry = Entry.objects.filter(contest=contest, pk=parse_id(request.POST.get("entry"))).first()
    if entry is None:
        messages.error(request, _("Scegli un progetto."))
        return redirect(contest.url)
    try:
        public_vote_cast(contest=contest, entry=entry, voter=request.user)
        messages.success(request, _("Voto registrato. Grazie!"))
    except REFUSALS as error:
        message_refusal(request, error)
    return redirect(contest.url)
