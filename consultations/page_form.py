"""The Wagtail admin forms of a consultation page and of a consultation template: proper
widgets for the territory and a new page's address made unique under its action."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from territory.models import AltimetricZone

#: The zones the Città metropolitana's comuni fall in (ISTAT: no coastal zones in Piedmont).
INNER_ZONES = [
    (zone.value, zone.label)
    for zone in (AltimetricZone.INNER_MOUNTAIN, AltimetricZone.INNER_HILL, AltimetricZone.PLAIN)
]

#: How many numbered variants of a taken address to try for a new page.
SLUG_ATTEMPTS = 100


class FilterableCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes in a scrolling box with a text filter above them. The filter needs
    JavaScript (``js/filterable-choices.js``) and stays hidden without it: the plain list of
    checkboxes still works."""

    # In the app's own templates: the form renderer reads app directories only.
    template_name = "consultations/widgets/filterable_checkboxes.html"

    class Media:
        js = ["js/filterable-choices.js"]
        css = {"all": ["css/filterable-choices.css"]}


def free_slug(slug: str, *, parent, limit: int = SLUG_ATTEMPTS) -> str:
    """``slug`` if no child of ``parent`` uses it, else the first free ``slug-2``,
    ``slug-3``…"""
    taken = set(parent.get_children().filter(slug__startswith=slug).values_list("slug", flat=True))
    if slug not in taken:
        return slug
    for number in range(2, limit + 2):
        candidate = f"{slug}-{number}"
        if candidate not in taken:
            return candidate
    return slug  # Wagtail's own check then explains the clash


def altimetric_zones_field() -> forms.TypedMultipleChoiceField:
    return forms.TypedMultipleChoiceField(
        label=_("zone altimetriche ammesse"),
        choices=INNER_ZONES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Usate solo se il territorio è «Solo alcune zone altimetriche»."),
    )


class ConsultationTemplateForm(WagtailAdminModelForm):
    """The snippet form of ``ConsultationTemplate``: the same territory widgets."""

    eligible_altimetric_zones = altimetric_zones_field()


class ConsultationPageForm(WagtailAdminPageForm):
    eligible_altimetric_zones = altimetric_zones_field()

    def clean_slug(self):
        """A new consultation whose address is already taken under the same action (often
        an earlier attempt saved as a draft and left there) gets the next free one
        (``…-2``) instead of a refusal; an existing page keeps Wagtail's check."""
        slug = self.cleaned_data["slug"]
        if slug and self.instance.pk is None and self.parent_page is not None:
            slug = free_slug(slug, parent=self.parent_page)
        return slug
