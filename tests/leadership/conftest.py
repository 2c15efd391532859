import pytest

from config.celery import app as celery_app
from tests.leadership import factories


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in the test (also when REDIS_URL points Celery at a real broker)."""
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates)
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


@pytest.fixture
def call(plan):
    return factories.make_call()


@pytest.fixture
def coordinator(db):
    return factories.coordinator()


@pytest.fixture
def reviewers(db):
    return [factories.reviewer() for _ in range(3)]
