"""Existing calls' gender quotas become gender caps.

The old rule: among the selected who declared "donna" or "uomo", each of the two is at least
p %. Said the other way round, neither is above (100 - p) % of them. The new rule caps each of
the two at (100 - p) % of the seats, and never counts anyone outside the binary: the same
balance between women and men, without passing over people who declared neither.
A minimum above 50 % could never be met by both; it becomes the strictest cap, 50 %.
A 0 % minimum asked nothing and is removed.
"""

from decimal import Decimal

from django.db import migrations

OLD, NEW = "gender_share", "gender_cap"


def share_to_cap(apps, schema_editor):
    CallQuota = apps.get_model("leadership", "CallQuota")
    for quota in CallQuota.objects.filter(kind=OLD):
        minimum = min(quota.value, Decimal("50"))
        if minimum <= 0:
            quota.delete()
            continue
        quota.kind = NEW
        quota.value = Decimal("100") - minimum
        quota.save(update_fields=["kind", "value"])


def cap_to_share(apps, schema_editor):
    CallQuota = apps.get_model("leadership", "CallQuota")
    for quota in CallQuota.objects.filter(kind=NEW):
        quota.kind = OLD
        quota.value = max(Decimal("0"), Decimal("100") - quota.value)
        quota.save(update_fields=["kind", "value"])


class Migration(migrations.Migration):
    dependencies = [("leadership", "0004_quotas_as_caps_and_zones")]

    operations = [migrations.RunPython(share_to_cap, cap_to_share)]
