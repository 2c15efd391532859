def only_public_api(endpoints):
    """OpenAPI preprocessing hook: the schema documents our public /api/ only, not the
    Wagtail admin's internal API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]
