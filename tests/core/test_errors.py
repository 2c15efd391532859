"""One vocabulary for refusals: both of Django's exceptions read the same way to a person."""

from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from core.errors import REFUSALS, message_refusal, refusal_message


def test_validation_error_reads_as_its_messages():
    error = ValidationError(["Il titolo è obbligatorio.", "Il testo è troppo lungo."])
    assert refusal_message(error) == "Il titolo è obbligatorio. Il testo è troppo lungo."


def test_validation_error_with_params_is_formatted():
    error = ValidationError("Al massimo %(n)s sostegni.", params={"n": 3})
    assert refusal_message(error) == "Al massimo 3 sostegni."


def test_permission_denied_reads_as_its_reason():
    assert refusal_message(PermissionDenied("Chi modera non vota.")) == "Chi modera non vota."


def test_permission_denied_without_reason_gets_a_generic_one():
    assert refusal_message(PermissionDenied()) == "Non hai i permessi per questa operazione."


def test_views_catch_exactly_the_two_refusals():
    assert set(REFUSALS) == {PermissionDenied, ValidationError}


def test_message_refusal_adds_an_error_message():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    message_refusal(request, ValidationError("Testo vuoto."))
    stored = list(get_messages(request))
    assert [(m.level_tag, m.message) for m in stored] == [("error", "Testo vuoto.")]
