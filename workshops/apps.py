from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    """Live workshops: join code, activities voted on phones, results on a projector.

    The label stays ``live`` (tables ``live_*``, permissions ``live.*``, templates ``live/``).
    """

    name = "workshops"
    label = "live"
    verbose_name = _("Laboratori dal vivo")
    default_auto_field = "django.db.models.BigAutoField"

    # Models are not loaded when the AppConfig module is imported: services are read on call.
    def export_personal_data(self, user) -> dict:
        from workshops.services import live_personal_data_export

        return live_personal_data_export(user=user)

    def anonymise_personal_data(self, user) -> None:
        from workshops.services import live_personal_data_anonymise

        live_personal_data_anonymise(user=user)

    def load_demo_data(self, *, accounts, stdout) -> None:
        from workshops.demo import live_demo_load

        live_demo_load(accounts=accounts, stdout=stdout)
