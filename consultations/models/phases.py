"""Phases of a consultation: each phase kind allows some verbs (as data), and the page reads
its schedule through :class:`PhaseSchedule` (what runs now, what opens next, why not)."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from consultations.choices import (
    PHASE_VERBS,
    VERB_PHASE_NAMES,
    ConsultationStatus,
    PhaseKind,
    Verb,
)
from core.dates import format_date


def _local_day(moment: datetime.datetime) -> str:
    return format_date(timezone.localtime(moment), "j F")


def _local_day_time(moment: datetime.datetime) -> str:
    return format_date(timezone.localtime(moment), "j F Y, H:i")


class Phase(Orderable):
    page = ParentalKey(
        "consultations.ConsultationPage", on_delete=models.CASCADE, related_name="phases"
    )
    kind = models.CharField(_("tipo"), max_length=12, choices=PhaseKind.choices)
    starts_at = models.DateTimeField(_("inizio"))
    ends_at = models.DateTimeField(_("fine"))
    announced_at = models.DateTimeField(_("annunciata il"), null=True, blank=True, editable=False)

    panels = [
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("fase")
        verbose_name_plural = _("fasi")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="phase_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} ({_local_day(self.starts_at)} – {_local_day(self.ends_at)})"
        )

    def allows(self, verb: str) -> bool:
        return verb in PHASE_VERBS.get(self.kind, frozenset())

    def is_running(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at

    def is_past(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.ends_at


class PhaseSchedule:
    """The consultation page's questions about its phases (mixed into ``ConsultationPage``)."""

    def ordered_phases(self) -> list[Phase]:
        """Phases in time order; uses a prefetched ``phases`` list when present."""
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "phases" in cache:
            phases = list(cache["phases"])
        else:
            # Read once per instance (a page request asks many times).
            if getattr(self, "_phase_list", None) is None:
                self._phase_list = list(self.phases.all())
            phases = self._phase_list
        return sorted(phases, key=lambda phase: (phase.starts_at, phase.sort_order or 0))

    def schedule_moment(self, now: datetime.datetime | None = None) -> int:
        """How many of the schedule's moments (each phase's start and end) have passed by
        ``now``. The status, the running phase, the past phases and what the phases allow change
        only when this does: a cached copy of what shows them varies on it (the page's
        fragments) and is exact to the second."""
        now = now or timezone.now()
        return sum(
            (phase.starts_at <= now) + (phase.ends_at <= now) for phase in self.ordered_phases()
        )

    def current_phase(self, now: datetime.datetime | None = None) -> Phase | None:
        now = now or timezone.now()
        for phase in self.ordered_phases():
            if phase.is_running(now):
                return phase
        return None

    def phase_allowing(self, verb: str, now: datetime.datetime | None = None) -> Phase | None:
        """The running phase that allows ``verb``, if any."""
        now = now or timezone.now()
        for phase in self.ordered_phases():
            if phase.is_running(now) and phase.allows(verb):
                return phase
        return None

    def allows(self, verb: str, now: datetime.datetime | None = None) -> bool:
        return self.phase_allowing(verb, now) is not None

    def has_started_phase(self, verb: str, now: datetime.datetime | None = None) -> bool:
        """True once a phase allowing ``verb`` has started, whether or not it still runs."""
        now = now or timezone.now()
        return any(phase.allows(verb) and phase.starts_at <= now for phase in self.ordered_phases())

    def next_phase_allowing(self, verb: str, now: datetime.datetime | None = None) -> Phase | None:
        now = now or timezone.now()
        for phase in self.ordered_phases():
            if phase.starts_at > now and phase.allows(verb):
                return phase
        return None

    def last_phase_allowing(self, verb: str, now: datetime.datetime | None = None) -> Phase | None:
        now = now or timezone.now()
        past = [p for p in self.ordered_phases() if p.ends_at <= now and p.allows(verb)]
        return past[-1] if past else None

    def participation_end(self) -> datetime.datetime | None:
        """When people can no longer propose, comment or vote: the end of the last phase that
        allows one of them (None if no phase does). The official answers are due within
        ``answer_deadline_days`` of it, as the public rules say."""
        ends = [
            phase.ends_at
            for phase in self.ordered_phases()
            if phase.allows(Verb.SUBMIT) or phase.allows(Verb.COMMENT) or phase.allows(Verb.VOTE)
        ]
        return max(ends, default=None)

    def phase_error(self, verb: str, now: datetime.datetime | None = None) -> str | None:
        """None if a running phase allows ``verb``, otherwise why not, in plain Italian."""
        now = now or timezone.now()
        if self.allows(verb, now):
            return None
        name = VERB_PHASE_NAMES.get(verb, VERB_PHASE_NAMES[Verb.READ])
        upcoming = self.next_phase_allowing(verb, now)
        if upcoming is not None:
            return _("%(phase)s apre il %(day)s.") % {
                "phase": name,
                "day": _local_day_time(upcoming.starts_at),
            }
        past = self.last_phase_allowing(verb, now)
        if past is not None:
            return _("%(phase)s si è chiusa il %(day)s.") % {
                "phase": name,
                "day": _local_day_time(past.ends_at),
            }
        return _("Questa consultazione non prevede questa attività.")

    def status(self, now: datetime.datetime | None = None) -> str:
        now = now or timezone.now()
        phases = self.ordered_phases()
        if not phases or now < phases[0].starts_at:
            return ConsultationStatus.UPCOMING
        active = [
            p for p in phases if p.kind != PhaseKind.RESULTS and p.kind != PhaseKind.INFORMATION
        ]
        last_active_end = max((p.ends_at for p in active), default=phases[0].starts_at)
        if now < last_active_end:
            return ConsultationStatus.OPEN
        return ConsultationStatus.CLOSED

    def status_label(self, now: datetime.datetime | None = None) -> str:
        return ConsultationStatus(self.status(now)).label
