"""Loading the territory from the ISTAT/ANPR files shipped in ``data/``."""

import csv
import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from territory.models import Comune, ZonaOmogenea

COMUNI_CSV = "comuni-to.csv"
ZONE_CSV = "zone-omogenee.csv"
#: comune → zona omogenea for the comuni a public source lists (data/SOURCES.md).
ZONE_COMUNI_CSV = "zone-comuni.csv"
#: ISTAT residents aged 14–35 per comune (the equity dashboard's denominator).
YOUTH_CSV = "popolazione-14-35.csv"


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _read(path: Path) -> list[dict[str, str]]:
    # csv.DictReader keeps every value a string: the comune named "None" stays "None".
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _comune_values(row: dict[str, str]) -> dict:
    altitude = row["altitudine_centro_m"].strip()
    return {
        "name": row["nome"],
        "cadastral_code": row["codice_catastale"],
        "population": int(row["popolazione"]),
        "population_date": row["popolazione_data"],
        "area_km2": Decimal(row["superficie_kmq"]),
        "altitude_m": int(altitude) if altitude else None,
        "altimetric_zone": int(row["zona_altimetrica_cod"]),
        "mountain_status": row["comune_montano_cod"],
        "latitude": Decimal(row["lat"]).quantize(Decimal("0.000001")),
        "longitude": Decimal(row["lon"]).quantize(Decimal("0.000001")),
    }


def _upsert(model, pk_name: str, pk, values: dict, report: LoadReport) -> None:
    obj = model.objects.filter(**{pk_name: pk}).first()
    if obj is None:
        model.objects.create(**{pk_name: pk}, **values)
        report.created += 1
        return
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if not changed:
        report.unchanged += 1
        return
    for field in changed:
        setattr(obj, field, values[field])
    obj.save(update_fields=changed)
    report.updated += 1


def _code(row: dict[str, str]) -> str:
    return row["codice_istat"].strip().zfill(6)


def _assign_sourced_zones(rows: list[dict[str, str]], report: LoadReport) -> None:
    """Give each listed comune its zone and the source that says so, without overriding a
    different zone an administrator chose in the admin (``unchanged`` counts those too)."""
    comuni = Comune.objects.in_bulk([_code(row) for row in rows])
    for row in rows:
        comune = comuni.get(_code(row))
        if comune is None:
            continue
        zone, source = int(row["zona_num"]), row["fonte"].strip()
        if comune.zona_omogenea_id not in (None, zone):
            report.unchanged += 1  # an administrator's decision stands
            continue
        if comune.zona_omogenea_id == zone and comune.zona_omogenea_source == source:
            report.unchanged += 1
            continue
        report.updated += 1
        comune.zona_omogenea_id, comune.zona_omogenea_source = zone, source
        comune.save(update_fields=["zona_omogenea", "zona_omogenea_source"])


def _youth_values(row: dict[str, str]) -> dict:
    return {
        "population_14_35": int(row["pop_14_35"]),
        "population_14_35_date": datetime.date.fromisoformat(row["data_riferimento"]),
    }


@transaction.atomic
def territory_load(*, data_dir: Path | None = None) -> dict[str, LoadReport]:
    """Create or refresh zones and comuni, the residents aged 14–35 and the zones a public
    source gives. Idempotent; a zone set in the admin is never overridden."""
    data_dir = Path(data_dir or settings.DATA_DIR)
    zones, comuni = LoadReport(), LoadReport()
    for row in _read(data_dir / ZONE_CSV):
        values = {
            "name": row["zona_nome"],
            "number_verified": row["numero_zona_verificato"].lower().startswith("si"),
        }
        _upsert(ZonaOmogenea, "number", int(row["zona_num"]), values, zones)
    for row in _read(data_dir / COMUNI_CSV):
        _upsert(Comune, "istat_code", _code(row), _comune_values(row), comuni)
    youth, assigned = LoadReport(), LoadReport()
    for row in _read(data_dir / YOUTH_CSV):
        if Comune.objects.filter(pk=_code(row)).exists():
            _upsert(Comune, "istat_code", _code(row), _youth_values(row), youth)
    _assign_sourced_zones(_read(data_dir / ZONE_COMUNI_CSV), assigned)
    return {
        "zone": zones,
        "comuni": comuni,
        "popolazione 14-35": youth,
        "zone dei comuni": assigned,
    }
