"""The demo: records at several statuses under several Axis 5 actions, linked from the demo
proposals that led to them, published through the real publish action; loading twice adds
nothing."""

from io import StringIO

import pytest
from django.apps import apps

from accountability.models import ImplementationRecord, RecordStatus
from accounts.demo import demo_accounts_load

pytestmark = pytest.mark.django_db


def test_demo_records_load_twice(plan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    accounts = demo_accounts_load()
    for label in ("consultations", "proposals", "accountability"):
        apps.get_app_config(label).load_demo_data(accounts=accounts, stdout=StringIO())
    apps.get_app_config("accountability").load_demo_data(accounts=accounts, stdout=StringIO())

    records = ImplementationRecord.objects.published()
    assert records.count() == 4
    assert {r.status for r in records} == {
        RecordStatus.PLANNED,
        RecordStatus.IN_PROGRESS,
        RecordStatus.COMPLETED,
    }
    assert len({r.action_id for r in records}) == 3
    schools = records.get(title__startswith="Referenti")
    assert [c.status for c in schools.status_changes.all()] == ["planned", "in_progress"]
    assert schools.updates.count() == 2
    assert schools.proposals.get().author == accounts["participant"]
    library = records.get(title__contains="Usseaux")
    assert library.proposals.count() == 2
    assert library.comuni.get().name == "Usseaux"
    assert [c.status for c in library.status_changes.all()] == [
        "planned",
        "in_progress",
        "completed",
    ]
