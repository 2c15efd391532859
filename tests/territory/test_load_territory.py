import datetime
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


def test_load_is_idempotent_and_never_overrides_a_zone_chosen_in_the_admin(capsys):
    zone = ZonaOmogenea.objects.get(number=3)
    Comune.objects.filter(name="Pinerolo").update(zona_omogenea=zone)  # the file says 5
    call_command("load_territory")
    out = capsys.readouterr().out
    assert "comuni: 0 creati, 0 aggiornati, 312 invariati" in out
    assert "zone dei comuni: 0 creati, 0 aggiornati, 180 invariati" in out
    assert Comune.objects.get(name="Pinerolo").zona_omogenea == zone
    assert Comune.objects.count() == 312


def test_load_repairs_a_changed_row():
    Comune.objects.filter(pk=TORINO_ISTAT_CODE).update(population=1)
    call_command("load_territory", stdout=io.StringIO())
    assert Comune.objects.get(pk=TORINO_ISTAT_CODE).population == 862_786


def test_zones_come_only_from_the_sourced_file_with_their_source():
    assigned = Comune.objects.filter(zona_omogenea__isnull=False)
    assert assigned.count() == 180
    assert Comune.objects.filter(zona_omogenea__isnull=True).count() == 132
    assert not assigned.filter(zona_omogenea_source="").exists()
    pinerolo = Comune.objects.get(name="Pinerolo")
    assert pinerolo.zona_omogenea_id == 5
    assert pinerolo.zona_omogenea_source.startswith("https://www.ecodelchisone.it/")
    # Zones 6, 7 and 9 have no comune-by-comune source: nobody guesses them.
    assert not Comune.objects.filter(zona_omogenea__in=[6, 7]).exists()
    assert set(Comune.objects.filter(zona_omogenea=9).values_list("name", flat=True)) == {
        "Val di Chy",
        "Valchiusa",
    }


def test_a_reload_assigns_an_emptied_zone_again_but_not_a_changed_one():
    Comune.objects.filter(name="Pinerolo").update(zona_omogenea=None, zona_omogenea_source="")
    call_command("load_territory", stdout=io.StringIO())
    assert Comune.objects.get(name="Pinerolo").zona_omogenea_id == 5


def test_residents_aged_14_to_35_and_their_date_are_loaded():
    comuni = Comune.objects.all()
    assert not comuni.filter(population_14_35__isnull=True).exists()
    assert sum(comuni.values_list("population_14_35", flat=True)) == 468_730
    agliè = Comune.objects.get(pk="001001")
    assert agliè.population_14_35 == 563
    assert agliè.population_14_35_date == datetime.date(2023, 1, 1)
    assert Comune.objects.get(pk="001168").name == "None"  # never read as a null
    assert Comune.objects.get(pk="001168").population_14_35 is not None
