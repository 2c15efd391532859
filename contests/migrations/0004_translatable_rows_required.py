from django.db import migrations

from psm.translatable_rows import require_operations


class Migration(migrations.Migration):
    dependencies = [("contests", "0003_translatable_rows")]

    operations = [
        *require_operations("contestprize"),
        *require_operations("contestdocument"),
        *require_operations("contestanswer"),
        *require_operations("contestcriterion"),
    ]
