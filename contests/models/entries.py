"""Entries: by a person or a team, drafts, files, the submission with its protocol number."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.files import private_storage_callable


def https_link(value: str) -> str:
    """``value`` if it is a valid https URL, else an empty string."""
    try:
        URLValidator(schemes=["https"])(value)
    except ValidationError:
        return ""
    return value


class EntrantKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Singola persona")
    GROUP = "group", _("Gruppo informale")
    SCHOOL = "school", _("Classe o scuola")
    ASSOCIATION = "association", _("Associazione")


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("Bozza")
    SUBMITTED = "submitted", _("Consegnato")
    WITHDRAWN = "withdrawn", _("Ritirato")


class Entry(models.Model):
    contest = models.ForeignKey(
        "contests.ContestPage", on_delete=models.CASCADE, related_name="entries"
    )
    #: The entry's name for the jury: random, carries nothing of who entered.
    code = models.CharField(_("codice"), max_length=12, unique=True)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referente"),
        on_delete=models.PROTECT,
        related_name="contest_entries",
    )
    kind = models.CharField(_("chi partecipa"), max_length=12, choices=EntrantKind.choices)
    organisation = models.CharField(
        _("nome della scuola o dell'associazione"), max_length=200, blank=True
    )
    title = models.CharField(_("titolo del progetto"), max_length=160, blank=True)
    summary = models.TextField(_("descrizione del progetto"), blank=True)
    video_url = models.URLField(_("video (link facoltativo)"), blank=True)
    status = models.CharField(
        _("stato"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    protocol = models.CharField(_("protocollo"), max_length=30, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    draft_saved_at = models.DateTimeField(_("bozza salvata il"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("consegnato il"), null=True, blank=True)
    #: Set when the contact withdraws the entry; its protocol (if any) stays, and so does the
    #: receipt that carries it.
    withdrawn_at = models.DateTimeField(_("ritirato il"), null=True, blank=True)

    class Meta:
        verbose_name = _("progetto in concorso")
        verbose_name_plural = _("progetti in concorso")
        ordering = ["pk"]
        constraints = [
            # a contact who withdrew may enter again before the deadline
            models.UniqueConstraint(
                fields=["contest", "contact"],
                condition=~Q(status="withdrawn"),
                name="one_entry_per_contact",
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def video_link(self) -> str:
        """The video link, only if it is an https address (what a page may put in an href)."""
        return https_link(self.video_url)

    @property
    def is_draft(self) -> bool:
        return self.status == EntryStatus.DRAFT

    @property
    def is_withdrawn(self) -> bool:
        return self.status == EntryStatus.WITHDRAWN

    @property
    def is_team(self) -> bool:
        return self.kind != EntrantKind.INDIVIDUAL


class MemberRole(models.TextChoices):
    DESIGN = "design", _("Progettazione")
    RESEARCH = "research", _("Ricerca e rilievi")
    GRAPHICS = "graphics", _("Grafica e comunicazione")
    COMMUNITY = "community", _("Relazioni con la comunità")
    TEACHER = "teacher", _("Insegnante di riferimento")
    OTHER = "other", _("Altro")


class EntryMember(models.Model):
    """A team member: invited by e-mail, a member once they accept with that address's account.

    The contact person is a member too (accepted from the start)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="members")
    email = models.EmailField(_("indirizzo e-mail"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contest_memberships",
    )
    role = models.CharField(_("ruolo"), max_length=12, choices=MemberRole.choices)
    invited_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(_("accettato il"), null=True, blank=True)

    class Meta:
        verbose_name = _("componente della squadra")
        verbose_name_plural = _("componenti della squadra")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "email"], name="one_invitation_per_email"),
            models.UniqueConstraint(
                fields=["entry", "user"], condition=Q(user__isnull=False), name="one_member_row"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.email}"

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None


class FileKind(models.TextChoices):
    BOARD = "board", _("Tavola (PDF)")
    IMAGE = "image", _("Immagine")


class EntryFile(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("tipo"), max_length=6, choices=FileKind.choices)
    file = models.FileField(storage=private_storage_callable, upload_to="contests/%Y/%m/")
    #: Shown to the team only: the jury sees the file as "<code>-<n>".
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    #: What the file's metadata says that may name someone (author, artist…), for the warning.
    metadata_names = models.JSONField(default=list, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("file del progetto")
        verbose_name_plural = _("file del progetto")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.kind} {self.pk}"

    @property
    def extension(self) -> str:
        return "pdf" if self.kind == FileKind.BOARD else self.file.name.rsplit(".", 1)[-1]


class EntryEventKind(models.TextChoices):
    STARTED = "started", _("Iscrizione")
    SUBMITTED = "submitted", _("Consegna")
    WITHDRAWN = "withdrawn", _("Ritiro")


class EntryEvent(models.Model):
    """The audit trail of an entry's state: who registered, submitted or withdrew it, and when."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("che cosa"), max_length=10, choices=EntryEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chi"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("motivo"), max_length=500, blank=True)
    at = models.DateTimeField(_("quando"))

    class Meta:
        verbose_name = _("evento del progetto")
        verbose_name_plural = _("eventi del progetto")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.kind}"
