"""Loading the territory from the ISTAT/ANPR files shipped in ``data/``."""

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from territory.models import Comune, ZonaOmogenea

COMUNI_CSV = "comuni-to.csv"
ZONE_CSV = "zone-omogenee.csv"


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


@transaction.atomic
def territory_load(*, data_dir: Path | None = None) -> dict[str, LoadReport]:
    """Create or refresh zones and comuni. Idempotent; never touches a comune's zone."""
    data_dir = Path(data_dir or settings.DATA_DIR)
    zones, comuni = LoadReport(), LoadReport()
    for row in _read(data_dir / ZONE_CSV):
        values = {
            "name": row["zona_nome"],
            "number_verified": row["numero_zona_verificato"].lower().startswith("si"),
        }
        _upsert(ZonaOmogenea, "number", int(row["zona_num"]), values, zones)
    for row in _read(data_dir / COMUNI_CSV):
        code = row["codice_istat"].strip().zfill(6)
        _upsert(Comune, "istat_code", code, _comune_values(row), comuni)
    return {"zone": zones, "comuni": comuni}
