import pytest

from config.celery import app as celery_app
from tests.consultations.factories import make_consultation, make_facilitator
from tests.proposals.factories import ProposalFactory


@pytest.fixture(autouse=True)
def eager_celery():
    """Run tasks in-process even when REDIS_URL points Celery at a broker: these tests check
    what the tasks do, not the transport (no stray messages on a shared broker)."""
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates)
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


# The consultation, its facilitator and a proposal most moderation tests act on.
@pytest.fixture
def consultation(plan):
    return make_consultation(report_threshold=3)


@pytest.fixture
def facilitator(consultation):
    return make_facilitator(consultation)


@pytest.fixture
def proposal(consultation):
    return ProposalFactory(consultation=consultation)
