"""/api/docs/: the OpenAPI schema rendered as a plain page (Swagger UI would need a CDN)."""

from django.core.cache import cache
from django.shortcuts import render
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator

DOCS_CACHE_KEY = "api:docs:schema:v1"


def _schema() -> dict:
    schema = cache.get(DOCS_CACHE_KEY)
    if schema is None:
        schema = SchemaGenerator().get_schema(request=None, public=True)
        cache.set(DOCS_CACHE_KEY, schema, 600)
    return schema


@require_GET
def docs(request):
    schema = _schema()
    endpoints = []
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if method.startswith("x-") or not isinstance(operation, dict):
                continue
            endpoints.append(
                {
                    "path": path,
                    "method": method.upper(),
                    "summary": operation.get("description") or operation.get("summary") or "",
                    "tags": operation.get("tags", []),
                    "parameters": [
                        {
                            "name": p.get("name"),
                            "where": p.get("in"),
                            "required": p.get("required", False),
                            "description": p.get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                }
            )
    return render(
        request,
        "proposals/api_docs.html",
        {"info": schema.get("info", {}), "endpoints": endpoints},
    )
