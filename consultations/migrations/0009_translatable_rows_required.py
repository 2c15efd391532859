from django.db import migrations

from psm.translatable_rows import require_operations


class Migration(migrations.Migration):
    dependencies = [("consultations", "0008_translatable_rows")]

    operations = [
    *require_operations("category"),
    ]
