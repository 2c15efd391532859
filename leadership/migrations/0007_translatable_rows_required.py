from django.db import migrations

from psm.translatable_rows import require_operations


class Migration(migrations.Migration):
    dependencies = [("leadership", "0006_translatable_rows")]

    operations = [
    *require_operations("calldocument"),
    *require_operations("callquestion"),
    *require_operations("callcriterion"),
    *require_operations("callfaq"),
    ]
