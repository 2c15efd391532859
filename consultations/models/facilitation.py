"""Facilitation as data: who facilitates which page subtree (an action of the plan, and so
every consultation under it, or one consultation), who assigned them and when, and the log of
every assignment and removal. ``consultations.services.facilitation`` is the one way to change
them; it keeps the Wagtail page permissions of the subtree's group in step."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class Facilitation(models.Model):
    """``user`` facilitates ``page`` and everything under it, through ``group`` (the subtree's
    Wagtail group that holds its page permissions)."""

    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="facilitations",
        verbose_name=_("pagina"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="facilitations",
        verbose_name=_("persona"),
    )
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assegnata da"),
    )
    granted_at = models.DateTimeField(_("assegnata il"), auto_now_add=True)

    class Meta:
        verbose_name = _("facilitazione")
        verbose_name_plural = _("facilitazioni")
        constraints = [
            models.UniqueConstraint(fields=["page", "user"], name="facilitation_once_per_page")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.page}"


class FacilitationLogVerb(models.TextChoices):
    GRANT = "grant", _("assegnata")
    REVOKE = "revoke", _("tolta")


class FacilitationLog(models.Model):
    """One assignment or removal: who did it, when, to whom, on which page. Kept when the page
    goes (its title is copied); a deleted account stays as the emptied account row."""

    verb = models.CharField(_("azione"), max_length=8, choices=FacilitationLogVerb.choices)
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    page_title = models.CharField(_("pagina"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("quando"), auto_now_add=True)

    class Meta:
        verbose_name = _("registro delle facilitazioni")
        verbose_name_plural = _("registro delle facilitazioni")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_verb_display()}: {self.page_title}"
