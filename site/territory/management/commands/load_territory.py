from django.core.management.base import BaseCommand

from territory.services import territory_load


class Command(BaseCommand):
    help = "Carica (o aggiorna) le zone omogenee e i 312 comuni dai file in data/. Idempotente."

    def handle(self, *args, **options):
        reports = territory_load()
        for name, report in reports.items():
            self.stdout.write(
                f"{name}: {report.created} creati, {report.updated} aggiornati, "
                f"{report.unchanged} invariati"
            )
