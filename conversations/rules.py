"""Who may do what in a conversation, and why not (``None``: allowed; else the reason in
plain Italian, as ``consultations.rules`` does).

- Voting and writing statements need a signed-in, eligible person (the consultation's age,
  territory and blocks) while a *conversation* phase runs; writing also needs the conversation
  to accept statements from participants.
- The consultation's moderators (``consultations.moderate``) seed statements, approve and hide
  them, and open or download the results at any time; they do not vote.
- The opinion map is public (to whoever sees the consultation) once a conversation phase has
  started; small groups are never described (``core.disclosure``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules
from django.utils.translation import gettext as _

from consultations.choices import Verb
from consultations.rules import is_facilitator_of

if TYPE_CHECKING:
    from conversations.models import Conversation


def _login_error(user) -> str | None:
    if user is None or not user.is_authenticated:
        return _("Per partecipare accedi o registrati.")
    return None


def vote_error(user, conversation: Conversation) -> str | None:
    if error := _login_error(user):
        return error
    consultation = conversation.consultation
    if error := consultation.phase_error(Verb.CONVERSE):
        return error
    if is_facilitator_of(user, consultation):
        return _("Chi modera questa conversazione non vota.")
    return consultation.eligibility_error(user, verb=Verb.CONVERSE)


def statement_error(user, conversation: Conversation) -> str | None:
    if is_facilitator_of(user, conversation.consultation):
        return None  # seeds, whatever the phase
    if error := vote_error(user, conversation):
        return error
    if not conversation.participants_write:
        return _("In questa conversazione le affermazioni le scrive chi modera.")
    return None


def results_error(user, conversation: Conversation) -> str | None:
    consultation = conversation.consultation
    if is_facilitator_of(user, consultation):
        return None
    if consultation.has_started_phase(Verb.CONVERSE):
        return None
    return consultation.phase_error(Verb.CONVERSE) or _("La mappa delle opinioni non è pronta.")


@rules.predicate
def moderates_conversation(user, conversation: Conversation | None) -> bool:
    return conversation is not None and is_facilitator_of(user, conversation.consultation)


rules.add_perm("conversations.moderate", moderates_conversation)
