"""What a consultation page lists inline: its proposal categories and linked plan actions."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.models import Orderable, TranslatableMixin


class Category(TranslatableMixin, Orderable):
    """A proposal category. Translated with its page (wagtail-localize): the English row has
    the Italian one's ``translation_key``; proposals point at the Italian row whatever the
    language they are read in (``psm.localisation.attach_reading_rows`` gives the English
    name)."""

    page = ParentalKey(
        "consultations.ConsultationPage", on_delete=models.CASCADE, related_name="categories"
    )
    name = models.CharField(_("nome"), max_length=80)

    panels = [FieldPanel("name")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("categoria")
        verbose_name_plural = _("categorie")

    def __str__(self) -> str:
        return self.name


class ConsultationAction(Orderable):
    page = ParentalKey(
        "consultations.ConsultationPage", on_delete=models.CASCADE, related_name="linked_actions"
    )
    action = models.ForeignKey(
        "psm.ActionPage", verbose_name=_("azione"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("action", page_type="psm.ActionPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("azione collegata")
        verbose_name_plural = _("azioni collegate")
