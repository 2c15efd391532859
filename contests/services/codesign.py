"""Co-design workshops of the follow-up: live workshops (``workshops``) opened on the contest
page once the follow-up is registered, listed with the follow-up on the contest page."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from contests.models import ContestResult
from contests.services.jury import require_manager
from workshops.models import LiveSession
from workshops.services import session_create


@transaction.atomic
def codesign_session_open(*, result: ContestResult, actor: User, title: str) -> LiveSession:
    """Open a live co-design workshop for the winning project, tied to the follow-up.

    Who runs the contest opens it (the workshops' own rule is asked too: ``live.create_session``
    on the contest page); it takes place in the contest's comune, so its admissions count there
    in the territorial statistics."""
    result = ContestResult.objects.select_for_update().select_related("contest").get(pk=result.pk)
    contest = result.contest
    require_manager(contest, actor)
    if result.record_id is None:
        raise ValidationError(_("Prima registra il seguito: intervento e patto di collaborazione."))
    session = session_create(page=contest, facilitator=actor, title=title, comune=contest.comune)
    result.codesign_sessions.add(session)
    return session
