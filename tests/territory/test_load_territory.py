import io

import pytest
from django.core.management import call_command

from territory.models import TORINO_ISTAT_CODE, Comune, MountainStatus, ZonaOmogenea

pytestmark = pytest.mark.django_db


def test_all_312_comuni_and_11_zones_are_loaded():
    assert Comune.objects.count() == 312
    assert ZonaOmogenea.objects.count() == 11
    assert sum(Comune.objects.values_list("population", flat=True)) == 2_217_941


def test_the_comune_named_none_is_a_real_name():
    comune = Comune.objects.get(pk="001168")
    assert comune.name == "None"


def test_leading_zeros_and_classification_are_kept():
    torino = Comune.objects.get(pk=TORINO_ISTAT_CODE)
    assert torino.name == "Torino"
    assert torino.population == 862_786
    sestriere = Comune.objects.get(name="Sestriere")
    assert sestriere.altitude_m == 2035
    assert sestriere.mountain_status == MountainStatus.TOTALLY
    assert sestriere.is_mountain
    assert Comune.objects.get(pk="001316").altitude_m is None  # Mappano: created after 2015


def test_load_is_idempotent_and_never_touches_zone_assignment(capsys):
    zone = ZonaOmogenea.objects.get(number=5)
    Comune.objects.filter(name="Pinerolo").update(zona_omogenea=zone)
    call_command("load_territory")
    out = capsys.readouterr().out
    assert "0 creati, 0 aggiornati, 312 invariati" in out
    assert Comune.objects.get(name="Pinerolo").zona_omogenea == zone
    assert Comune.objects.count() == 312


def test_load_repairs_a_changed_row():
    Comune.objects.filter(pk=TORINO_ISTAT_CODE).update(population=1)
    call_command("load_territory", stdout=io.StringIO())
    assert Comune.objects.get(pk=TORINO_ISTAT_CODE).population == 862_786


def test_zones_are_not_guessed():
    assert not Comune.objects.filter(zona_omogenea__isnull=False).exists()
