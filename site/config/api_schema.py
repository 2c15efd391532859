def only_public_api(endpoints):
    """OpenAPI preprocessing hook: the schema documents our public /api/ only, not the
    Wagtail admin's internal API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]


_JSON_ERROR = {"$ref": "#/components/schemas/ApiError"}
_ERRORS = {
    "ApiError": {
        "type": "object",
        "description": "Una risposta di errore con il motivo.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "InvalidParameters": {
        "type": "object",
        "description": "Parametri non validi: per ciascuno, che cosa non va.",
        "additionalProperties": {
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
        },
    },
}


def _response(description: str, schema: dict, *, html: bool = False) -> dict:
    content = {"application/json": {"schema": schema}}
    if html:  # a path Django cannot route at all gets the site's own 404 page
        content["text/html"] = {"schema": {"type": "string"}}
    return {"description": description, "content": content}


def _bad_request(operation: dict) -> dict:
    """Any request with control characters gets the middleware's plain-text 400; operations
    with query parameters also answer a JSON 400 naming the bad ones."""
    response = {
        "description": "Richiesta non valida.",
        "content": {"text/plain": {"schema": {"type": "string"}}},
    }
    if any(p.get("in") == "query" for p in operation.get("parameters", [])):
        response["content"]["application/json"] = {
            "schema": {"$ref": "#/components/schemas/InvalidParameters"}
        }
    return response


def document_errors(result, generator, request, public):
    """OpenAPI postprocessing hook: the answers every operation can also give.

    404 for an unknown id, a page past the end or results not public yet; 429 when the
    anonymous throttle applies; 400 for control characters in the request or a bad filter. (Found by the bad-input drill: schemathesis saw them undocumented.)
    """
    result.setdefault("components", {}).setdefault("schemas", {}).update(_ERRORS)
    for item in result.get("paths", {}).values():
        for operation in item.values():
            responses = operation.setdefault("responses", {})
            responses.setdefault("404", _response("Non trovato.", _JSON_ERROR, html=True))
            responses.setdefault(
                "429", _response("Troppe richieste: riprova tra poco.", _JSON_ERROR)
            )
            responses.setdefault("400", _bad_request(operation))
    return result
