"""Drill: schemathesis against the public API's own OpenAPI schema (/api/schema/).

The schema is loaded from the application in-process (WSGI, ``config.wsgi.application``),
over a database seeded with a few consultations (results public or not), published and
hidden proposals, supports and official answers. Every operation is called with generated
valid and invalid parameters; each answer must not be a server error, must use a status
code the schema documents, and must match the documented content type and body.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.throttling import AnonRateThrottle
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from proposals.moderation import services as moderation
from tests.consultations.factories import make_consultation, make_facilitator, participation
from tests.proposals.factories import CommentFactory, ProposalFactory, vote

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
API_FUZZ = settings(
    max_examples=75,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


def _seed() -> None:
    """Two consultations with public results, one still voting; answered proposals."""
    public = make_consultation(phases=("voting",), results_public=True)
    running = make_consultation(phases=("proposals", "voting"))
    facilitator = make_facilitator(public)
    for consultation in (public, running):
        proposals = [ProposalFactory(consultation=consultation, cost=1000 * n) for n in range(4)]
        ProposalFactory(consultation=consultation, visibility="hidden")
        for proposal in proposals[:3]:
            vote(proposal)
        CommentFactory(proposal=proposals[0])
    for index, proposal in enumerate(public.proposals.order_by("pk")[:3]):
        status = ("accepted", "rejected", "in_review")[index]
        moderation.proposal_answer(
            actor=facilitator, proposal=proposal, status=status, answer=f"Risposta {index}"
        )
    for age in (16, 20, 25, 30):
        participation(public, age=age)


@pytest.fixture
def api_schema(db, plan, monkeypatch):
    """The schema as the application serves it, with the anonymous throttle lifted (the
    drill sends hundreds of requests a minute from one address)."""
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "1000000/minute"})
    _seed()
    # Like Django's test client: the test's transaction must survive each WSGI request
    # (request_finished would close the database connection, on PostgreSQL).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _operations() -> list[tuple[str, str]]:
    """(method, path) of every documented operation, read from the schema generator."""
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    return [(method.upper(), path) for path, item in paths.items() for method in item]


def _seeded_ids(path: str) -> list[int]:
    from consultations.models import ConsultationPage
    from proposals.models import Proposal, StatusChange

    model = {"answers": StatusChange, "proposals": Proposal}.get(path.split("/")[2])
    model = model or ConsultationPage
    return list(model.objects.order_by("pk").values_list("pk", flat=True)[:20])


def _strategy(operation, path: str):
    """Valid and invalid requests, and (for paths with an id) the seeded objects' ids."""
    strategies = [
        operation.as_strategy(),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    ]
    if "{id}" in path:
        seeded = st.sampled_from(_seeded_ids(path))
        strategies.append(
            seeded.flatmap(lambda pk: operation.as_strategy(path_parameters={"id": pk}))
        )
    return st.one_of(strategies)


OPERATIONS = _operations()


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_every_api_operation_answers_as_documented(api_schema, method, path):
    operation = api_schema[path][method]

    @API_FUZZ
    @given(case=_strategy(operation, path))
    def check(case):
        case.call_and_validate(checks=CHECKS)

    check()
