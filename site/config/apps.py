from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConfigConfig(AppConfig):
    name = "config"
    verbose_name = _("Piattaforma")

    def ready(self) -> None:
        from config import converters

        converters.register()
