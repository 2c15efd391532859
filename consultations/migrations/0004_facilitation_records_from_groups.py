"""Facilitators made before facilitation became data were members of a group named
"Facilitazione: <title> [#<page id>]": each membership becomes a Facilitation row (no one is
recorded as having granted it)."""

import re

from django.db import migrations

GROUP_NAME = re.compile(r"^Facilitazione: .* \[#(\d+)\]$")


def records_from_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Facilitation = apps.get_model("consultations", "Facilitation")
    for group in Group.objects.filter(name__startswith="Facilitazione: "):
        match = GROUP_NAME.match(group.name)
        if not match or not Page.objects.filter(pk=int(match.group(1))).exists():
            continue
        for user in group.user_set.all():
            Facilitation.objects.get_or_create(
                page_id=int(match.group(1)), user=user, defaults={"group": group}
            )


class Migration(migrations.Migration):
    dependencies = [("consultations", "0003_facilitation_records")]
    operations = [migrations.RunPython(records_from_groups, migrations.RunPython.noop)]
