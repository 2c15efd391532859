"""Validation of what participants type, shared by proposals and comments: each function
returns the clean value or raises ``ValidationError`` with a plain-Italian reason."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from consultations.models import Category, ConsultationPage

TITLE_MIN, TITLE_MAX = 5, 140
BODY_MIN, BODY_MAX = 20, 5000
COMMENT_MAX = 2000
# A generous box around the Città metropolitana di Torino.
LAT_RANGE = (Decimal("44.0"), Decimal("46.0"))
LON_RANGE = (Decimal("6.3"), Decimal("8.6"))


def clean_text(value: str | None, *, field: str, minimum: int, maximum: int) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    text = "".join(ch for ch in text if ch in "\n\t" or ch.isprintable())
    if len(text) < minimum:
        raise ValidationError(
            _("%(field)s: scrivi almeno %(n)s caratteri.") % {"field": field, "n": minimum}
        )
    if len(text) > maximum:
        raise ValidationError(
            _("%(field)s: al massimo %(n)s caratteri.") % {"field": field, "n": maximum}
        )
    return text


def clean_point(latitude, longitude) -> tuple[Decimal | None, Decimal | None]:
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    if latitude in (None, "") or longitude in (None, ""):
        raise ValidationError(
            _("Per indicare un punto servono sia la latitudine sia la longitudine.")
        )
    try:
        lat = Decimal(str(latitude)).quantize(Decimal("0.000001"))
        lon = Decimal(str(longitude)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Le coordinate del punto non sono valide.")) from None
    if not (lat.is_finite() and lon.is_finite()):
        raise ValidationError(_("Le coordinate del punto non sono valide."))
    if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
        raise ValidationError(_("Il punto indicato è fuori dalla Città metropolitana di Torino."))
    return lat, lon


def clean_category(consultation: ConsultationPage, category) -> Category | None:
    if category is None:
        return None
    if category.page_id != consultation.pk:
        raise ValidationError(_("La categoria scelta non appartiene a questa consultazione."))
    return category


def clean_cost(consultation: ConsultationPage, cost) -> Decimal | None:
    if cost in (None, ""):
        return None
    try:
        value = Decimal(str(cost)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Il costo stimato non è un numero valido.")) from None
    if not value.is_finite():
        raise ValidationError(_("Il costo stimato non è un numero valido."))
    if value < 0:
        raise ValidationError(_("Il costo stimato non può essere negativo."))
    if consultation.total_budget is not None and value > consultation.total_budget:
        raise ValidationError(
            _("Il costo stimato supera il budget totale di %(budget)s €.")
            % {"budget": consultation.total_budget}
        )
    return value
