"""Amendments to the text of a plan action, and the change sets that carry them into a
published revision of the action page (see ``docs/amendments.md``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proposals.models.choices import AmendmentState, ChangeSetState
from proposals.models.participation import Proposal


class ChangeSet(models.Model):
    """The next version of one action's official text, built from accepted amendments.

    Opened by the first accepted amendment, added to by the following ones (each merged
    three-way into ``text``), published once as one Wagtail revision of the action page.
    ``base_text`` is the published text it started from, ``published_text`` what it became.
    """

    action = models.ForeignKey(
        "psm.ActionPage",
        verbose_name=_("azione"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    state = models.CharField(
        _("stato"), max_length=10, choices=ChangeSetState.choices, default=ChangeSetState.OPEN
    )
    base_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("revisione di partenza"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    base_text = models.TextField(_("testo di partenza"))
    text = models.TextField(_("testo in preparazione"))
    created_at = models.DateTimeField(_("aperta il"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aperta da"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    previous_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("revisione pubblicata prima"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    previous_text = models.TextField(_("testo pubblicato prima"), blank=True)
    published_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("revisione pubblicata"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_text = models.TextField(_("testo pubblicato"), blank=True)
    published_at = models.DateTimeField(_("pubblicata il"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pubblicata da"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("modifica al testo di un'azione")
        verbose_name_plural = _("modifiche al testo delle azioni")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["action"],
                condition=Q(state="open"),
                name="one_open_change_set_per_action",
            )
        ]

    def __str__(self) -> str:
        return f"{self.action_id} @ {self.created_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.state == ChangeSetState.OPEN


class Amendment(models.Model):
    """What an amendment proposal was written against, and where it stands.

    ``base_revision`` / ``base_text``: the published revision of the action page (and its
    text) the person saw; every diff of the amendment is against it, whatever happens to
    the page later. ``paragraph`` (1-based) when the amendment rewrites one paragraph;
    the proposal's ``amended_text`` is always the whole proposed text.
    """

    proposal = models.OneToOneField(
        Proposal, on_delete=models.CASCADE, related_name="amendment", verbose_name=_("proposta")
    )
    base_revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("revisione di partenza"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    base_text = models.TextField(_("testo di partenza"))
    paragraph = models.PositiveSmallIntegerField(_("paragrafo"), null=True, blank=True)
    state = models.CharField(
        _("stato"), max_length=12, choices=AmendmentState.choices, default=AmendmentState.PROPOSED
    )
    change_set = models.ForeignKey(
        ChangeSet,
        verbose_name=_("modifica"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="amendments",
    )

    class Meta:
        verbose_name = _("emendamento")
        verbose_name_plural = _("emendamenti")

    def __str__(self) -> str:
        return f"{self.proposal_id} ({self.state})"
