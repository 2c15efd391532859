"""Consultations as pages: the question, the rules and the phases.

Phases declare which verbs they allow (read, submit, comment, vote, read_answers) as data;
eligibility (age, territory, blocks) is a method over the page's own fields. Permission checks
that combine them live in ``consultations.rules`` and are called by the services.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
    TabbedInterface,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from accounts.models import age_on

RICH_FEATURES = ["bold", "italic", "link", "ul", "ol", "h3"]


# --------------------------------------------------------------------------- verbs and phases
class Verb(models.TextChoices):
    READ = "read", _("leggere")
    SUBMIT = "submit", _("proporre")
    COMMENT = "comment", _("commentare")
    VOTE = "vote", _("votare")
    READ_ANSWERS = "read_answers", _("leggere le risposte")


class PhaseKind(models.TextChoices):
    INFORMATION = "information", _("Informazione")
    PROPOSALS = "proposals", _("Proposte")
    DISCUSSION = "discussion", _("Discussione")
    VOTING = "voting", _("Voto")
    RESULTS = "results", _("Risultati")


#: What each phase kind allows (reading is always allowed while a phase runs).
PHASE_VERBS: dict[str, frozenset[str]] = {
    PhaseKind.INFORMATION: frozenset({Verb.READ}),
    PhaseKind.PROPOSALS: frozenset({Verb.READ, Verb.SUBMIT, Verb.COMMENT}),
    PhaseKind.DISCUSSION: frozenset({Verb.READ, Verb.COMMENT}),
    PhaseKind.VOTING: frozenset({Verb.READ, Verb.VOTE, Verb.COMMENT}),
    PhaseKind.RESULTS: frozenset({Verb.READ, Verb.READ_ANSWERS}),
}

#: How a refusal names the verb's phase ("La fase di voto apre il 3 marzo").
VERB_PHASE_NAMES = {
    Verb.SUBMIT: _("La fase delle proposte"),
    Verb.COMMENT: _("La fase di discussione"),
    Verb.VOTE: _("La fase di voto"),
    Verb.READ_ANSWERS: _("La fase dei risultati"),
    Verb.READ: _("La consultazione"),
}


class TerritoryScope(models.TextChoices):
    ALL = "all", _("Tutta la Città metropolitana (e chi vive fuori area)")
    COMUNI = "comuni", _("Solo alcuni comuni")
    ZONES = "zones", _("Solo alcune zone altimetriche")


class VoteMode(models.TextChoices):
    SUPPORT = "support", _("Un sostegno per proposta, senza limiti")
    LIMITED = "limited", _("Al massimo N sostegni a persona")
    BUDGET = "budget", _("Bilancio: una scelta di proposte entro il budget")


class ConsultationStatus(models.TextChoices):
    UPCOMING = "upcoming", _("In arrivo")
    OPEN = "open", _("Aperta")
    CLOSED = "closed", _("Conclusa")


class AgeBand(models.TextChoices):
    B14_17 = "14-17", "14–17"
    B18_24 = "18-24", "18–24"
    B25_29 = "25-29", "25–29"
    B30_35 = "30-35", "30–35"
    OTHER = "other", _("altra età o non indicata")


def age_band_for(age: int | None) -> str:
    if age is None:
        return AgeBand.OTHER
    for band, low, high in (
        (AgeBand.B14_17, 14, 17),
        (AgeBand.B18_24, 18, 24),
        (AgeBand.B25_29, 25, 29),
        (AgeBand.B30_35, 30, 35),
    ):
        if low <= age <= high:
            return band
    return AgeBand.OTHER


def _italian_case(text: str) -> str:
    # Italian writes month names in lower case ("3 marzo"); Django's catalogue capitalises them.
    return text.lower() if (get_language() or "it").startswith("it") else text


def _local_day(moment: datetime.datetime) -> str:
    return _italian_case(date_format(timezone.localtime(moment), "j F"))


def _local_day_time(moment: datetime.datetime) -> str:
    return _italian_case(date_format(timezone.localtime(moment), "j F Y, H:i"))


# --------------------------------------------------------------------------- pages
class ConsultationIndexPage(Page):
    """All consultations, with filters (status, action)."""

    intro = RichTextField(_("introduzione"), blank=True, features=["bold", "italic", "link"])

    parent_page_types = ["psm.HomePage"]
    subpage_types = ["consultations.ConsultationPage"]
    max_count = 1

    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("indice delle consultazioni")

    def get_context(self, request, *args, **kwargs):
        from consultations.selectors import consultations_for_index

        context = super().get_context(request, *args, **kwargs)
        context.update(consultations_for_index(request=request))
        return context


class ConsultationPage(Page):
    question = RichTextField(_("domanda"), features=["bold", "italic", "link"])
    context = RichTextField(_("contesto"), blank=True, features=RICH_FEATURES)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("immagine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    min_age = models.PositiveSmallIntegerField(_("età minima"), default=14)
    max_age = models.PositiveSmallIntegerField(_("età massima"), default=35)
    territory_scope = models.CharField(
        _("territorio"), max_length=10, choices=TerritoryScope.choices, default=TerritoryScope.ALL
    )
    eligible_comuni = ParentalManyToManyField(
        "territory.Comune",
        verbose_name=_("comuni ammessi"),
        blank=True,
        related_name="+",
        help_text=_("Usato solo se il territorio è «Solo alcuni comuni»."),
    )
    eligible_altimetric_zones = models.JSONField(
        _("zone altimetriche ammesse"),
        default=list,
        blank=True,
        help_text=_(
            "Codici ISTAT (1 montagna interna, 3 collina interna, 5 pianura); "
            "usato solo se il territorio è «Solo alcune zone altimetriche»."
        ),
    )
    vote_mode = models.CharField(
        _("modalità di voto"), max_length=10, choices=VoteMode.choices, default=VoteMode.SUPPORT
    )
    max_supports = models.PositiveIntegerField(
        _("sostegni per persona"),
        null=True,
        blank=True,
        help_text=_("Solo per la modalità «Al massimo N sostegni a persona»."),
    )
    total_budget = models.DecimalField(
        _("budget totale (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Solo per la modalità «Bilancio»."),
    )
    premoderation = models.BooleanField(
        _("moderazione preventiva"),
        default=False,
        help_text=_("Le proposte vengono pubblicate solo dopo l'approvazione."),
    )
    answer_deadline_days = models.PositiveSmallIntegerField(
        _("giorni per la risposta ufficiale"), default=60
    )
    report_threshold = models.PositiveSmallIntegerField(
        _("segnalazioni prima di avvisare chi modera"), default=3
    )

    parent_page_types = ["psm.ActionPage", "consultations.ConsultationIndexPage"]
    subpage_types: list[str] = []

    content_panels = Page.content_panels + [
        FieldPanel("question"),
        FieldPanel("context"),
        FieldPanel("image"),
        InlinePanel("linked_actions", label=_("Azioni del piano collegate")),
        InlinePanel("phases", label=_("Fasi"), min_num=1),
        InlinePanel("categories", label=_("Categorie")),
    ]
    rules_panels = [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("min_age"), FieldPanel("max_age")])],
            heading=_("Età"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("territory_scope"),
                FieldPanel("eligible_comuni"),
                FieldPanel("eligible_altimetric_zones"),
            ],
            heading=_("Territorio"),
        ),
        MultiFieldPanel(
            [FieldPanel("vote_mode"), FieldPanel("max_supports"), FieldPanel("total_budget")],
            heading=_("Voto"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("premoderation"),
                FieldPanel("report_threshold"),
                FieldPanel("answer_deadline_days"),
            ],
            heading=_("Moderazione e risposte"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Contenuto")),
            ObjectList(rules_panels, heading=_("Regole")),
            ObjectList(Page.promote_panels, heading=_("Promozione")),
            ObjectList(Page.settings_panels, heading=_("Impostazioni")),
        ]
    )
    search_fields = Page.search_fields + [
        index.SearchField("question"),
        index.SearchField("context"),
    ]

    class Meta:
        verbose_name = _("consultazione")
        verbose_name_plural = _("consultazioni")

    # ---------------------------------------------------------------- phases
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

    # ---------------------------------------------------------------- eligibility
    def territory_error(self, user) -> str | None:
        if self.territory_scope == TerritoryScope.ALL:
            return None
        if user.lives_outside_area or user.comune_id is None:
            return _(
                "Questa consultazione è rivolta solo a chi vive in alcune zone della Città "
                "metropolitana: indica il tuo comune di residenza nel profilo."
            )
        if self.territory_scope == TerritoryScope.COMUNI:
            allowed = {c.pk for c in self.eligible_comuni.all()}
            if user.comune_id not in allowed:
                names = sorted(c.name for c in self.eligible_comuni.all())
                shown = ", ".join(names[:8]) + ("…" if len(names) > 8 else "")
                return _("Questa consultazione è rivolta a chi vive a: %(comuni)s.") % {
                    "comuni": shown
                }
            return None
        zones = {int(z) for z in (self.eligible_altimetric_zones or [])}
        if user.comune.altimetric_zone not in zones:
            from territory.models import AltimetricZone

            labels = ", ".join(
                str(AltimetricZone(z).label).lower() for z in sorted(zones) if z in AltimetricZone
            )
            return _("Questa consultazione è rivolta a chi vive in comuni di %(zones)s.") % {
                "zones": labels or _("zone non indicate")
            }
        return None

    def age_error(self, user, day: datetime.date) -> str | None:
        age = user.age_on(day) if getattr(user, "birth_date", None) else None
        range_msg = _("Questa consultazione è rivolta a chi ha tra %(min)s e %(max)s anni.") % {
            "min": self.min_age,
            "max": self.max_age,
        }
        if age is None:
            return _("%(range)s Indica la tua data di nascita nel profilo.") % {"range": range_msg}
        if not self.min_age <= age <= self.max_age:
            return range_msg
        return None

    def eligibility_error(self, user, now: datetime.datetime | None = None) -> str | None:
        """None if ``user`` may take part, otherwise why not, in plain Italian."""
        now = now or timezone.now()
        if user is None or not user.is_authenticated:
            return _("Per partecipare accedi o registrati.")
        if not user.is_active:
            return _("Il tuo account non è attivo.")
        if self.is_blocked(user):
            return _(
                "Chi modera questa consultazione ha sospeso la tua partecipazione. "
                "Puoi ancora leggere proposte e commenti."
            )
        return self.age_error(user, timezone.localdate(now)) or self.territory_error(user)

    def is_blocked(self, user) -> bool:
        return ParticipantBlock.objects.filter(
            consultation=self, user=user, lifted_at__isnull=True
        ).exists()

    def amendable_actions(self) -> list:
        """Plan actions whose text people may propose to change: the parent and linked ones."""
        from psm.models import ActionPage

        ids = [link.action_id for link in self.linked_actions.all()]
        parent = self.get_parent()
        if parent is not None and parent.specific_class is ActionPage:
            ids.append(parent.pk)
        return list(ActionPage.objects.filter(pk__in=ids).order_by("code"))

    # ---------------------------------------------------------------- page
    def rules_in_words(self) -> list[str]:
        lines = [
            _("Possono partecipare le persone tra %(min)s e %(max)s anni.")
            % {"min": self.min_age, "max": self.max_age}
        ]
        if self.territory_scope == TerritoryScope.ALL:
            lines.append(_("Vale per tutta la Città metropolitana, anche per chi vive fuori area."))
        elif self.territory_scope == TerritoryScope.COMUNI:
            names = sorted(c.name for c in self.eligible_comuni.all())
            lines.append(_("Vale per chi vive a: %(comuni)s.") % {"comuni": ", ".join(names)})
        else:
            from territory.models import AltimetricZone

            labels = ", ".join(
                str(AltimetricZone(int(z)).label).lower()
                for z in sorted(self.eligible_altimetric_zones or [])
                if int(z) in AltimetricZone
            )
            lines.append(_("Vale per chi vive in comuni di %(zones)s.") % {"zones": labels})
        if self.vote_mode == VoteMode.SUPPORT:
            lines.append(_("Puoi sostenere tutte le proposte che vuoi, una volta ciascuna."))
        elif self.vote_mode == VoteMode.LIMITED:
            lines.append(
                _("Puoi sostenere al massimo %(n)s proposte.") % {"n": self.max_supports or 0}
            )
        else:
            lines.append(
                _(
                    "Scegli le proposte da finanziare senza superare il budget di %(budget)s €; "
                    "puoi cambiare la tua scelta finché il voto è aperto."
                )
                % {"budget": self.total_budget or 0}
            )
        if self.premoderation:
            lines.append(_("Le proposte vengono pubblicate dopo una verifica di chi modera."))
        lines.append(
            _("Ogni proposta riceve una risposta ufficiale entro %(days)s giorni dalla fine.")
            % {"days": self.answer_deadline_days}
        )
        return lines

    def get_context(self, request, *args, **kwargs):
        from consultations.selectors import consultation_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(consultation_page_context(consultation=self, request=request))
        return context


class Category(Orderable):
    page = ParentalKey(ConsultationPage, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("nome"), max_length=80)

    panels = [FieldPanel("name")]

    class Meta(Orderable.Meta):
        verbose_name = _("categoria")
        verbose_name_plural = _("categorie")

    def __str__(self) -> str:
        return self.name


class ConsultationAction(Orderable):
    page = ParentalKey(ConsultationPage, on_delete=models.CASCADE, related_name="linked_actions")
    action = models.ForeignKey(
        "psm.ActionPage", verbose_name=_("azione"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("action", page_type="psm.ActionPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("azione collegata")
        verbose_name_plural = _("azioni collegate")


class Phase(Orderable):
    page = ParentalKey(ConsultationPage, on_delete=models.CASCADE, related_name="phases")
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


# --------------------------------------------------------------------------- rows
class Participation(models.Model):
    """A snapshot of who took part, kept so statistics survive account deletion."""

    consultation = models.ForeignKey(
        ConsultationPage, on_delete=models.CASCADE, related_name="participations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consultation_participations",
    )
    age_band = models.CharField(_("fascia d'età"), max_length=6, choices=AgeBand.choices)
    gender = models.CharField(_("genere"), max_length=20, blank=True)
    comune = models.ForeignKey(
        "territory.Comune", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    altimetric_zone = models.PositiveSmallIntegerField(_("zona altimetrica"), null=True, blank=True)
    first_at = models.DateTimeField(_("prima partecipazione"), default=timezone.now)

    class Meta:
        verbose_name = _("partecipazione")
        verbose_name_plural = _("partecipazioni")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "user"], name="participation_once_per_consultation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.consultation_id}"

    @classmethod
    def snapshot_fields(cls, user, day: datetime.date) -> dict:
        return {
            "age_band": age_band_for(age_on(user.birth_date, day) if user.birth_date else None),
            "gender": user.gender or "",
            "comune_id": user.comune_id,
            "altimetric_zone": user.comune.altimetric_zone if user.comune_id else None,
        }


class Follow(models.Model):
    consultation = models.ForeignKey(
        ConsultationPage, on_delete=models.CASCADE, related_name="follows"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultation_follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("iscrizione agli aggiornamenti")
        verbose_name_plural = _("iscrizioni agli aggiornamenti")
        constraints = [models.UniqueConstraint(fields=["consultation", "user"], name="follow_once")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.consultation_id}"


class ParticipantBlock(models.Model):
    consultation = models.ForeignKey(
        ConsultationPage, on_delete=models.CASCADE, related_name="blocks"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultation_blocks"
    )
    reason = models.TextField(_("motivo"))
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("sospeso/a da"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(_("revocata il"), null=True, blank=True)

    class Meta:
        verbose_name = _("sospensione")
        verbose_name_plural = _("sospensioni")

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.consultation_id}"
