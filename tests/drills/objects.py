"""Objects several drills build: a live consultation under the plan's first action whose
phases are running now."""

import datetime

from django.utils import timezone

from consultations.models import ConsultationPage, Phase
from psm.models import ActionPage


def running_consultation(*, title: str, slug: str, question: str, kinds) -> ConsultationPage:
    """A consultation with one phase of each of ``kinds``, started yesterday, ending in 10 days."""
    action = ActionPage.objects.live().order_by("path").first()
    page = ConsultationPage(title=title, slug=slug, question=question)
    action.add_child(instance=page)
    now = timezone.now()
    for kind in kinds:
        Phase.objects.create(
            page=page,
            kind=kind,
            starts_at=now - datetime.timedelta(days=1),
            ends_at=now + datetime.timedelta(days=10),
        )
    return page
