"""Implementation records ("interventi"): what the Città metropolitana does under each action
of the plan, and which contributions led to it.

A record is a Wagtail snippet with drafts and revisions (``DraftStateMixin`` +
``RevisionMixin``): editors and the action's facilitators prepare it in the admin, and only the
published version is public. Its dated updates (text and photos) are children of the record
(``ParentalKey``), so they are drafted, reviewed and published with it. The public timeline of
status changes (``StatusChange``) and the ledger of announced updates (``UpdateAnnouncement``)
are *not* part of the revision: ``accountability.services.record_published`` writes them when
a version goes live, so reverting to an old revision never rewrites history.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
)
from wagtail.search import index


class RecordStatus(models.TextChoices):
    PLANNED = "planned", _("In programma")
    IN_PROGRESS = "in_progress", _("In corso")
    COMPLETED = "completed", _("Concluso")
    SUSPENDED = "suspended", _("Sospeso")
    CANCELLED = "cancelled", _("Non realizzato")


class RecordQuerySet(models.QuerySet):
    def published(self):
        """What the public sees: the live version of each record."""
        return self.filter(live=True)


class ImplementationRecord(
    PreviewableMixin, DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, ClusterableModel
):
    action = models.ForeignKey(
        "psm.ActionPage",
        verbose_name=_("azione del piano"),
        on_delete=models.PROTECT,
        related_name="implementation_records",
    )
    title = models.CharField(_("titolo"), max_length=160)
    description = models.TextField(_("descrizione"))
    status = models.CharField(
        _("stato"), max_length=12, choices=RecordStatus.choices, default=RecordStatus.PLANNED
    )
    status_note = models.TextField(
        _("nota sullo stato"),
        blank=True,
        help_text=_(
            "Pubblica: spiega il cambio di stato (perché, che cosa succede ora). Compare nella "
            "cronologia quando pubblichi un nuovo stato."
        ),
    )
    progress = models.PositiveSmallIntegerField(
        _("avanzamento (%)"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Da 0 a 100."),
    )
    start_date = models.DateField(_("data di inizio"), null=True, blank=True)
    end_date = models.DateField(_("data di fine (prevista o effettiva)"), null=True, blank=True)
    budget = models.DecimalField(
        _("risorse stanziate (€)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    office = models.CharField(_("ufficio responsabile"), max_length=200, blank=True)
    comuni = ParentalManyToManyField(
        "territory.Comune",
        verbose_name=_("comuni interessati"),
        blank=True,
        related_name="implementation_records",
        help_text=_("Lascia vuoto se l'intervento riguarda tutto il territorio metropolitano."),
    )
    proposals = ParentalManyToManyField(
        "proposals.Proposal",
        verbose_name=_("proposte ed emendamenti da cui nasce"),
        blank=True,
        related_name="implementation_records",
        limit_choices_to={"visibility": "published"},
        help_text=_(
            "Proposte (anche vincitrici di un bilancio partecipativo) ed emendamenti pubblicati."
        ),
    )
    ideas = ParentalManyToManyField(
        "live.Idea",
        verbose_name=_("idee dei laboratori da cui nasce"),
        blank=True,
        related_name="implementation_records",
        limit_choices_to={"approved": True},
    )
    created_at = models.DateTimeField(_("creato il"), default=timezone.now)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="implementation_record")

    objects = RecordQuerySet.as_manager()

    search_fields = [
        index.SearchField("title"),
        index.SearchField("description"),
        index.AutocompleteField("title"),
        index.FilterField("status"),
    ]

    class Meta:
        verbose_name = _("intervento")
        verbose_name_plural = _("interventi")
        ordering = ["action__code", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="record_progress_0_100",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="record_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="record_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def revisions(self):
        return self._revisions

    def get_absolute_url(self) -> str:
        return reverse("accountability:detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("La data di fine non può precedere quella di inizio.")
        if self.status == RecordStatus.COMPLETED and self.progress != 100:
            errors["progress"] = _("Un intervento concluso ha l'avanzamento al 100%.")
        if self.status == RecordStatus.PLANNED and self.progress not in (0, None):
            errors["progress"] = _(
                "Un intervento in programma non è ancora iniziato: l'avanzamento è 0%. "
                "Se è iniziato, scegli lo stato «In corso»."
            )
        if errors:
            raise ValidationError(errors)

    # Preview in the admin shows the public page with the draft.
    def get_preview_template(self, request, mode_name):
        return "accountability/record_detail.html"

    def get_preview_context(self, request, mode_name):
        from accountability.selectors import record_page_context

        return record_page_context(record=self, viewer=request, preview=True)


class RecordUpdate(Orderable):
    """A dated update on a record: what happened, with photos (each with its alternative text)."""

    record = ParentalKey(ImplementationRecord, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("data"))
    title = models.CharField(_("titolo"), max_length=160)
    text = models.TextField(_("testo"))
    photos = StreamField(
        [("photo", ImageBlock(label=_("foto")))],
        verbose_name=_("foto"),
        blank=True,
        help_text=_("Scrivi per ogni foto il testo alternativo: che cosa mostra."),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("aggiornamento")
        verbose_name_plural = _("aggiornamenti")

    def __str__(self) -> str:
        return self.title


class StatusChange(models.Model):
    """One row of a record's public timeline: the status it reached, when, and why."""

    record = models.ForeignKey(
        ImplementationRecord, on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(_("stato"), max_length=12, choices=RecordStatus.choices)
    progress = models.PositiveSmallIntegerField(_("avanzamento (%)"))
    note = models.TextField(_("nota"), blank=True)
    changed_at = models.DateTimeField(_("data"), default=timezone.now)

    class Meta:
        verbose_name = _("cambio di stato di un intervento")
        verbose_name_plural = _("cambi di stato degli interventi")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.record_id}: {self.status}"


class UpdateAnnouncement(models.Model):
    """An update whose publication was announced: each update is announced once, when it first
    goes live (and not again when a later version of the record is published)."""

    update = models.OneToOneField(
        RecordUpdate, on_delete=models.CASCADE, related_name="announcement"
    )
    announced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("annuncio di un aggiornamento")
        verbose_name_plural = _("annunci degli aggiornamenti")

    def __str__(self) -> str:
        return str(self.update_id)


class StatementOutcome(models.Model):
    """A consensus statement of a conversation (agreed by every opinion group) that a
    facilitator carried into the loop: a proposal of its consultation, or an input of an
    implementation record (``accountability.statement_outcomes``). One proposal per statement,
    one link per statement and record. Not part of the record's revisions: like the timeline,
    it is written once and shown on the record's page and beside the statement."""

    statement = models.ForeignKey(
        "conversations.Statement",
        on_delete=models.CASCADE,
        related_name="outcomes",
        verbose_name=_("affermazione"),
    )
    proposal = models.OneToOneField(
        "proposals.Proposal",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="statement_origin",
        verbose_name=_("proposta nata dall'affermazione"),
    )
    record = models.ForeignKey(
        ImplementationRecord,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="statement_inputs",
        verbose_name=_("intervento a cui contribuisce"),
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("data"), default=timezone.now)

    class Meta:
        verbose_name = _("affermazione portata nel percorso")
        verbose_name_plural = _("affermazioni portate nel percorso")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(proposal__isnull=False, record__isnull=True)
                | Q(proposal__isnull=True, record__isnull=False),
                name="statement_outcome_one_target",
            ),
            models.UniqueConstraint(
                fields=["statement"],
                condition=Q(proposal__isnull=False),
                name="statement_outcome_one_proposal",
            ),
            models.UniqueConstraint(
                fields=["statement", "record"],
                condition=Q(record__isnull=False),
                name="statement_outcome_once_per_record",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id} → {self.proposal_id or self.record_id}"
