from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Proposte")

    def export_personal_data(self, user) -> dict:
        from proposals.services import personal_data_export

        return personal_data_export(user=user)

    def anonymise_personal_data(self, user) -> None:
        from proposals.services import personal_data_anonymise

        personal_data_anonymise(user=user)

    def load_demo_data(self, *, accounts, stdout) -> None:
        from proposals.demo import load_demo_proposals

        load_demo_proposals(accounts=accounts, stdout=stdout)
