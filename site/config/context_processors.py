from django.conf import settings


def platform(request):
    """Values every template needs: the site name and the data attribution."""
    return {
        "PLATFORM_NAME": settings.SITE_NAME,
        "DATA_ATTRIBUTION": "Fonte: ISTAT, ANPR, Città metropolitana di Torino",
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
    }
