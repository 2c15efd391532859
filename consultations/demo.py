"""Demo consultations (``manage.py load_demo``). Idempotent: existing pages are left alone.

Proposals, votes and comments for them are added by ``proposals.demo`` (proposals imports
consultations, never the other way round).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from consultations.models import (
    Category,
    ConsultationIndexPage,
    ConsultationPage,
    Phase,
    PhaseKind,
    TerritoryScope,
    VoteMode,
)
from psm.localisation import default_locale_id, demo_pages_translate
from psm.models import ActionPage, HomePage

INDEX_SLUG = "consultazioni"
PSM_SLUG = "cosa-deve-cambiare-nel-psm"
BUDGET_SLUG = "ex-scuola-usseaux"
#: A budget consultation already concluded: its results (and their downloads) are public.
CONCLUDED_SLUG = "spazi-studio-pinerolese"
#: The actions whose consultations the demo facilitator runs (and may add to).
DEMO_FACILITATED_ACTIONS = ("5.2.1", "5.3.5")


def _day(offset: int, hour: int = 9) -> datetime.datetime:
    today = timezone.localdate() + datetime.timedelta(days=offset)
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time(hour)))


def _phases(phases) -> list[Phase]:
    return [
        Phase(kind=kind, starts_at=start, ends_at=end, sort_order=order)
        for order, (kind, start, end) in enumerate(phases)
    ]


def _categories(names) -> list[Category]:
    return [Category(name=name, sort_order=order) for order, name in enumerate(names)]


def _publish(parent, page: ConsultationPage) -> ConsultationPage:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@transaction.atomic
def load_demo_consultations(*, stdout=None) -> dict[str, ConsultationPage]:
    italian = default_locale_id()
    home = HomePage.objects.filter(locale_id=italian).first()
    if home is None:
        return {}
    index = ConsultationIndexPage.objects.filter(locale_id=italian).first()
    if index is None:
        index = ConsultationIndexPage(
            title="Consultazioni",
            slug=INDEX_SLUG,
            intro="<p>Tutte le consultazioni del PSM Giovani: aperte, in arrivo e concluse.</p>",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    pages: dict[str, ConsultationPage] = {}

    action_521 = ActionPage.objects.filter(code="5.2.1", locale_id=italian).first()
    existing = ConsultationPage.objects.filter(slug=PSM_SLUG, locale_id=italian).first()
    if existing is None and action_521 is not None:
        page = ConsultationPage(
            title="Cosa deve cambiare nel PSM per le giovani generazioni?",
            slug=PSM_SLUG,
            question=(
                "<p>Cosa deve cambiare nel Piano Strategico Metropolitano perché sia davvero "
                "anche delle giovani generazioni?</p>"
            ),
            context=(
                "<p>L'azione 5.2.1 chiede di far conoscere il piano a ragazze e ragazzi e di "
                "coinvolgerli nel definirlo, modificarlo e attuarlo. Proponi un cambiamento, "
                "sostieni le idee che ti convincono, discuti con chi vive in altre parti del "
                "territorio. Puoi anche proporre una modifica al testo di un'azione.</p>"
            ),
            vote_mode=VoteMode.SUPPORT,
            territory_scope=TerritoryScope.ALL,
            categories=_categories(
                ["Scuola e formazione", "Lavoro", "Casa", "Mobilità", "Cultura e sport"]
            ),
            phases=_phases(
                [
                    # One phase after the other: proposals can be edited until voting
                    # starts (proposals.rules.edit_error), so the demo's proposal phase ends
                    # before its voting phase begins.
                    (PhaseKind.INFORMATION, _day(-20), _day(-10)),
                    (PhaseKind.PROPOSALS, _day(-10), _day(14, 23)),
                    (PhaseKind.VOTING, _day(14, 23), _day(30, 23)),
                    (PhaseKind.RESULTS, _day(30, 23), _day(120, 23)),
                ]
            ),
        )
        existing = _publish(action_521, page)
    if existing is not None:
        pages["psm"] = existing

    action_535 = ActionPage.objects.filter(code="5.3.5", locale_id=italian).first()
    existing = ConsultationPage.objects.filter(slug=BUDGET_SLUG, locale_id=italian).first()
    if existing is None and action_535 is not None:
        page = ConsultationPage(
            title="Una nuova vita per l'ex scuola di Usseaux",
            slug=BUDGET_SLUG,
            question=(
                "<p>Come riusare l'ex scuola elementare di Usseaux, chiusa da anni? Scegli "
                "quali progetti finanziare con 120.000 euro.</p>"
            ),
            context=(
                "<p>Nell'ambito dell'azione 5.3.5 (rigenerazione urbana «dal basso») la "
                "Città metropolitana mette a disposizione un budget per riaprire un edificio "
                "pubblico dismesso in un comune montano dell'alta Val Chisone, vicino a "
                "Sestriere. Votano le e i giovani che vivono in comuni di montagna interna.</p>"
            ),
            vote_mode=VoteMode.BUDGET,
            total_budget=Decimal("120000.00"),
            territory_scope=TerritoryScope.ZONES,
            eligible_altimetric_zones=[1],
            premoderation=True,
            categories=_categories(["Spazi", "Servizi", "Attività"]),
            phases=_phases(
                [
                    (PhaseKind.PROPOSALS, _day(-40), _day(-12, 23)),
                    (PhaseKind.DISCUSSION, _day(-12, 23), _day(-5)),
                    (PhaseKind.VOTING, _day(-5), _day(25, 23)),
                    (PhaseKind.RESULTS, _day(25, 23), _day(90, 23)),
                ]
            ),
        )
        existing = _publish(action_535, page)
    if existing is not None:
        pages["budget"] = existing

    existing = ConsultationPage.objects.filter(slug=CONCLUDED_SLUG, locale_id=italian).first()
    if existing is None and action_535 is not None:
        page = ConsultationPage(
            title="Spazi per studiare nel Pinerolese: il bilancio partecipativo 2026",
            slug=CONCLUDED_SLUG,
            question=(
                "<p>Dove servono spazi per studiare e lavorare insieme nel Pinerolese? Scegli "
                "quali progetti finanziare con 50.000 euro.</p>"
            ),
            context=(
                "<p>La consultazione è conclusa: le proposte hanno avuto una valutazione "
                "tecnica prima del voto, il voto è chiuso e i risultati sono pubblici, con i "
                "dati da scaricare.</p>"
            ),
            vote_mode=VoteMode.BUDGET,
            total_budget=Decimal("50000.00"),
            territory_scope=TerritoryScope.ALL,
            categories=_categories(["Spazi", "Servizi"]),
            phases=_phases(
                [
                    (PhaseKind.PROPOSALS, _day(-90), _day(-60, 23)),
                    (PhaseKind.VOTING, _day(-45), _day(-15, 23)),
                    (PhaseKind.RESULTS, _day(-15, 23), _day(120, 23)),
                ]
            ),
        )
        existing = _publish(action_535, page)
    if existing is not None:
        pages["concluded"] = existing
    demo_pages_translate([index, *pages.values()], stdout=stdout)
    if stdout is not None:
        stdout.write(f"Consultazioni dimostrative: {', '.join(p.title for p in pages.values())}")
    return pages
