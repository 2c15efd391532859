from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PsmConfig(AppConfig):
    name = "psm"
    verbose_name = _("Piano Strategico Metropolitano")
