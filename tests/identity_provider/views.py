"""The test identity provider's pages (tests only): choose a test person or cancel, then send
the signed answer back to the service provider with a "Continua" button (no script: the
site's CSP applies here too)."""

from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.utils.html import format_html, format_html_join
from django.views.decorators.csrf import csrf_exempt

from tests.identity_provider import idp

QUERY_FIELDS = ("SAMLRequest", "RelayState", "SigAlg", "Signature")


def _page(title: str, body) -> HttpResponse:
    return HttpResponse(
        format_html(
            '<!doctype html><html lang="it"><head><meta charset="utf-8"><title>{}</title></head>'
            "<body><main><h1>{}</h1>{}</main></body></html>",
            title,
            title,
            body,
        )
    )


def _hidden(values: dict) -> str:
    return format_html_join(
        "", '<input type="hidden" name="{}" value="{}">', ((k, v) for k, v in values.items())
    )


@csrf_exempt
def sso(request, kind: str):
    if kind not in idp.KINDS:
        return HttpResponseBadRequest()
    base = f"{request.scheme}://{request.get_host()}"
    if request.method == "GET":
        query = {key: request.GET[key] for key in QUERY_FIELDS if key in request.GET}
        idp.parse_request(idp.server(base, kind), query)  # refuses a bad signature
        choices = format_html_join(
            "",
            '<p><input type="radio" name="persona" id="p-{}" value="{}"{}>'
            '<label for="p-{}">{}</label></p>',
            (
                (key, key, " checked" if i == 0 else "", key, person.label)
                for i, (key, person) in enumerate(idp.people().items())
            ),
        )
        return _page(
            f"Gestore di prova {kind.upper()}",
            format_html(
                '<form method="post"><fieldset><legend>Chi entra</legend>{}</fieldset>{}'
                '<button type="submit" name="azione" value="autorizza">Autorizza</button> '
                '<button type="submit" name="azione" value="annulla">Annulla</button></form>',
                choices,
                _hidden(query),
            ),
        )
    query = {key: request.POST[key] for key in QUERY_FIELDS if key in request.POST}
    person = None
    if request.POST.get("azione") == "autorizza":
        person = idp.people()[request.POST["persona"]]
    answer = idp.answer(base, kind, query, person=person)
    return _page(
        "Ritorno al servizio",
        format_html(
            '<form method="post" action="{}">{}<button type="submit">Continua</button></form>',
            answer.acs_url,
            _hidden({"SAMLResponse": answer.saml_response, "RelayState": answer.relay_state}),
        ),
    )


def slo(request, kind: str):
    """Single logout at the provider: our LogoutRequest (signature checked), answered at once
    with a signed LogoutResponse back to the service (HTTP-Redirect)."""
    if kind not in idp.KINDS:
        return HttpResponseBadRequest()
    base = f"{request.scheme}://{request.get_host()}"
    query = {key: request.GET[key] for key in QUERY_FIELDS if key in request.GET}
    return HttpResponseRedirect(idp.logout_answer(base, kind, query))
