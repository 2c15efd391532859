import pytest

from config.celery import app as celery_app
from tests.consultations.factories import make_consultation, make_facilitator
from tests.proposals.factories import ProposalFactory


@pytest.fixture(autouse=True)
def eager_celery():
    """Tasks run in-process (the notifications are what these tests check)."""
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates)
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


@pytest.fixture
def consultation(plan):
    """A consultation under action 5.2.1, where the records of these tests live."""
    return make_consultation(phase="proposals")


@pytest.fixture
def facilitator(consultation):
    return make_facilitator(consultation)


@pytest.fixture
def proposal(consultation):
    return ProposalFactory(consultation=consultation, status="accepted")
