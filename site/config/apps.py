from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConfigConfig(AppConfig):
    name = "config"
    verbose_name = _("Piattaforma")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from config import converters
        from config.sites import site_row_sync

        converters.register()
        post_migrate.connect(site_row_sync, dispatch_uid="config.site_row_sync")
