from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    """Live workshops: join code, activities voted on phones, results on a projector."""

    name = "consultations.live"
    label = "live"
    verbose_name = _("Laboratori dal vivo")
    default_auto_field = "django.db.models.BigAutoField"

    def export_personal_data(self, user) -> dict:
        from consultations.live.services import live_personal_data_export

        return live_personal_data_export(user=user)

    def anonymise_personal_data(self, user) -> None:
        from consultations.live.services import live_personal_data_anonymise

        live_personal_data_anonymise(user=user)

    def load_demo_data(self, *, accounts, stdout) -> None:
        from consultations.live.services import live_demo_load

        live_demo_load(accounts=accounts, stdout=stdout)
