from django.core.management.base import BaseCommand

from psm.services import psm_load


class Command(BaseCommand):
    help = (
        "Carica il Piano Strategico Metropolitano (6 assi; strategie e azioni dell'Asse 5) "
        "come pagine, con la traduzione inglese. Idempotente: le pagine già presenti non vengono mai sovrascritte."
    )

    def handle(self, *args, **options):
        report = psm_load()
        self.stdout.write(
            f"PSM: {len(report.created)} pagine create, {len(report.kept)} già presenti, "
            f"{len(report.summarised)} sintesi in linguaggio semplice aggiunte, "
            f"{len(report.translated)} pagine tradotte in inglese"
        )
