"""Template tags other apps' templates use to show consultations (psm never imports us)."""

from django import template

from consultations.models import ConsultationStatus
from consultations.selectors import consultations_by_status

register = template.Library()

HOME_CLOSED_SHOWN = 3


@register.inclusion_tag("consultations/includes/home_list.html")
def home_consultations():
    groups = consultations_by_status()
    return {
        "open": groups[ConsultationStatus.OPEN],
        "upcoming": groups[ConsultationStatus.UPCOMING],
        "closed": groups[ConsultationStatus.CLOSED][:HOME_CLOSED_SHOWN],
    }


@register.inclusion_tag("consultations/includes/action_list.html")
def action_consultations(action):
    groups = consultations_by_status(action=action)
    return {
        "action": action,
        "open": groups[ConsultationStatus.OPEN],
        "upcoming": groups[ConsultationStatus.UPCOMING],
        "closed": groups[ConsultationStatus.CLOSED],
    }
