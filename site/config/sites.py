"""The django.contrib.sites row follows the settings: allauth greets people with its name
("Ciao da …!") and builds links without a request from its domain. Written after every
``migrate`` (the same moment Django's sites app creates its default "example.com" row), so a
deployment that changes SITE_NAME or BASE_URL gets them on its next migration."""

from urllib.parse import urlsplit

from django.conf import settings


def site_row_values() -> dict[str, str]:
    return {"domain": urlsplit(settings.BASE_URL).netloc or "localhost", "name": settings.SITE_NAME}


def site_row_sync(**kwargs) -> None:
    """post_migrate receiver (connected in ``ConfigConfig.ready``), acting once per
    ``migrate``: when the sites app's turn comes (its own receiver may run before or after;
    either way the row ends up with our values)."""
    app_config = kwargs.get("app_config")
    if app_config is None or app_config.label != "sites":
        return
    from django.contrib.sites.models import Site

    using = kwargs.get("using", "default")
    values = site_row_values()
    Site.objects.using(using).update_or_create(pk=settings.SITE_ID, defaults=values)
    Site.objects.clear_cache()
