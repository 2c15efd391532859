from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultazioni")

    def ready(self):
        # psm must not import consultations, so the action page learns here that a
        # consultation may live under it (psm.ActionPage declares no subpages of its own).
        from psm.models import ActionPage

        ActionPage.subpage_types = ["consultations.ConsultationPage"]
