"""The phones' side of a conversation activity: one statement at a time, agree / disagree /
pass. A plain form POST handled by ``workshops.conversation_activity``, then a redirect to the
phone page (which offers the next statement): no JavaScript needed. The same trust rules as
every workshop answer: the join-code throttle, the device cookie, the admission bounds, and
nothing once the session or the activity is closed."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.errors import REFUSALS, message_refusal
from core.ids import parse_id
from core.ratelimit import client_network
from workshops import conversation_activity
from workshops.views.phones import (
    TooManyGuesses,
    _activity_gone,
    _open_activity,
    _participant,
    _remember_device,
    _too_many_guesses,
)

CHOICE_MESSAGES = {
    "agree": _("Voto registrato: d'accordo."),
    "disagree": _("Voto registrato: in disaccordo."),
    "pass": _("Hai passato questa affermazione."),
}


@require_POST
def vote(request, code: str, activity_pk: str):
    participant, token = _participant(request)
    try:
        activity = _open_activity(request, code, activity_pk, participant)
    except TooManyGuesses:
        return _too_many_guesses(request)
    if activity is None:
        return _activity_gone(request, code)
    choice = request.POST.get("voto", "")
    try:
        conversation_activity.conversation_vote(
            activity=activity,
            participant=participant,
            statement_id=parse_id(request.POST.get("affermazione")),
            choice=choice,
            network=client_network(request),
        )
    except REFUSALS as error:
        message_refusal(request, error)
    else:
        messages.success(request, str(CHOICE_MESSAGES[choice]))
    response = redirect("live:participate", code=activity.session.code)
    return _remember_device(request, response, token)
