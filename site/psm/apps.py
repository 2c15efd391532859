from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PsmConfig(AppConfig):
    name = "psm"
    verbose_name = _("Piano Strategico Metropolitano")

    def ready(self):
        from psm import page_cache, signals

        signals.connect()
        page_cache.connect()
