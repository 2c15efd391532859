from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_accounts_load


class Command(BaseCommand):
    help = "Carica account e contenuti dimostrativi. Rifiuta di girare in produzione."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "I dati dimostrativi non si caricano con le impostazioni di produzione."
            )
        accounts = demo_accounts_load()
        for config in apps.get_app_configs():
            loader = getattr(config, "load_demo_data", None)
            if callable(loader):
                loader(accounts=accounts, stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"Dati dimostrativi pronti. Account (password «{DEMO_PASSWORD}»):")
        )
        for spec in DEMO_ACCOUNTS:
            roles = ", ".join(str(role.label) for role in spec.roles) or (
                "amministrazione" if spec.superuser else "partecipante"
            )
            self.stdout.write(f"  {spec.email:<40} {roles}")
