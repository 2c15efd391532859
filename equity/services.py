"""Writes of the territorial dashboard's hand-entered counts (see :mod:`equity.models`).

Every entry is checked (who may: :mod:`equity.rules`; what: the count, the date), saved in one
transaction, and empties the dashboard's cached figures once committed, so the next visitor
sees it. Entries are never edited: a mistake is withdrawn, with a reason, and entered again.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import ConsultationPage
from equity.models import MAX_ENTRY, AgeBand, CountEntry, PaperTally, WorkshopHeadcount
from equity.selectors import forget_dashboard
from territory.models import Comune
from workshops.models import LiveSession


def _check_count(count: int, age_band: str) -> None:
    if count is None or not 1 <= count <= MAX_ENTRY:
        raise ValidationError(
            _("Indica un numero tra 1 e %(max)s.") % {"max": f"{MAX_ENTRY:,}".replace(",", ".")}
        )
    if age_band and age_band not in AgeBand.values:
        raise ValidationError(_("Fascia d'età sconosciuta."))


def headcount_add(
    *,
    user,
    session: LiveSession,
    count: int,
    comune: Comune | None = None,
    age_band: str = "",
) -> WorkshopHeadcount:
    """``count`` people in the room at ``session`` (from ``comune`` and in ``age_band`` where
    known). Only who may run the session (``equity.count_workshop``)."""
    if not user.has_perm("equity.count_workshop", session):
        raise PermissionDenied(_("Solo chi conduce il laboratorio può registrarne le presenze."))
    _check_count(count, age_band)
    with transaction.atomic():
        entry = WorkshopHeadcount.objects.create(
            session=session, count=count, comune=comune, age_band=age_band, entered_by=user
        )
        transaction.on_commit(forget_dashboard)
    return entry


def paper_tally_add(
    *,
    user,
    consultation: ConsultationPage,
    count: int,
    collected_on: datetime.date,
    comune: Comune | None = None,
    age_band: str = "",
    place: str = "",
) -> PaperTally:
    """``count`` paper submissions for ``consultation`` collected on ``collected_on`` (from
    ``comune`` and in ``age_band`` where known). Only its moderators (``equity.count_paper``)."""
    if not user.has_perm("equity.count_paper", consultation):
        raise PermissionDenied(
            _("Solo chi facilita la consultazione può registrarne le schede su carta.")
        )
    _check_count(count, age_band)
    if collected_on is None or collected_on > timezone.localdate():
        raise ValidationError(_("Indica il giorno della raccolta (non nel futuro)."))
    with transaction.atomic():
        entry = PaperTally.objects.create(
            consultation=consultation,
            count=count,
            collected_on=collected_on,
            comune=comune,
            age_band=age_band,
            place=(place or "").strip()[:160],
            entered_by=user,
        )
        transaction.on_commit(forget_dashboard)
    return entry


def _may_change(user, entry: CountEntry) -> bool:
    if isinstance(entry, WorkshopHeadcount):
        return user.has_perm("equity.count_workshop", entry.session)
    return user.has_perm("equity.count_paper", entry.consultation)


def count_withdraw(*, user, entry: CountEntry, reason: str) -> CountEntry:
    """Withdraw an entry (kept, marked with who, when and why): it counts no more."""
    if not _may_change(user, entry):
        raise PermissionDenied(_("Non puoi ritirare questo conteggio."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Scrivi perché ritiri il conteggio."))
    with transaction.atomic():
        # Claimed by a conditional UPDATE: two withdrawals at once leave one trace.
        updated = (
            type(entry)
            .objects.filter(pk=entry.pk, withdrawn_at__isnull=True)
            .update(withdrawn_at=timezone.now(), withdrawn_by=user, withdrawal_reason=reason[:300])
        )
        if not updated:
            raise ValidationError(_("Questo conteggio è già stato ritirato."))
        transaction.on_commit(forget_dashboard)
    entry.refresh_from_db()
    return entry
