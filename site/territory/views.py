from django.http import JsonResponse
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET

from territory.models import Comune


@require_GET
@cache_page(60 * 60)
def comuni_points(request):
    """The 312 comuni as points (name, lat, lon): the map's reference layer when no tile
    server is configured, and a public list for anyone who needs it."""
    rows = Comune.objects.order_by("name").values_list(
        "istat_code", "name", "latitude", "longitude"
    )
    return JsonResponse(
        {
            "attribution": "ISTAT, ANPR, Città metropolitana di Torino",
            "comuni": [
                {"code": code, "name": name, "lat": float(lat), "lon": float(lon)}
                for code, name, lat, lon in rows
            ],
        }
    )
