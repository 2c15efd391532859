"""The demo's hand-entered counts: the people in the room at the demo workshop in Pinerolo
(more than the phones that joined) and paper submissions collected for the PSM consultation,
entered by the demo facilitator through the services. Idempotent."""

from __future__ import annotations

import datetime

from django.utils import timezone

from consultations.demo import PSM_SLUG
from consultations.models import ConsultationPage
from equity import services
from equity.models import AgeBand, PaperTally, WorkshopHeadcount
from territory.models import Comune
from workshops.demo import DEMO_TITLE
from workshops.models import LiveSession

#: (people, comune of residence or None, age band) counted in the room.
HEADCOUNT = [
    (14, "Pinerolo", AgeBand.AGE_14_17),
    (6, "Piossasco", AgeBand.AGE_18_24),
    (5, None, ""),
]
#: (sheets, comune, where) collected on paper for the PSM consultation.
PAPER = [(12, "Ivrea", "Ivrea, Informagiovani"), (7, "Susa", "Susa, istituto superiore")]


def load_demo_counts(*, accounts, stdout=None) -> None:
    facilitator = accounts.get("facilitator")
    if facilitator is None:
        return
    comuni = {
        c.name: c
        for c in Comune.objects.filter(name__in=["Pinerolo", "Piossasco", "Ivrea", "Susa"])
    }
    session = (
        LiveSession.objects.filter(title=DEMO_TITLE, facilitator=facilitator)
        .order_by("-pk")
        .first()
    )
    if session is not None and not WorkshopHeadcount.objects.filter(session=session).exists():
        for count, comune, band in HEADCOUNT:
            services.headcount_add(
                user=facilitator,
                session=session,
                count=count,
                comune=comuni.get(comune),
                age_band=band,
            )
    psm = ConsultationPage.objects.filter(slug=PSM_SLUG, locale__language_code="it").first()
    if psm is not None and not PaperTally.objects.filter(consultation=psm).exists():
        day = timezone.localdate() - datetime.timedelta(days=3)
        for count, comune, place in PAPER:
            services.paper_tally_add(
                user=facilitator,
                consultation=psm,
                count=count,
                collected_on=day,
                comune=comuni.get(comune),
                place=place,
            )
    if stdout is not None:
        stdout.write("Presenze dei laboratori e schede su carta dimostrative pronte.")
