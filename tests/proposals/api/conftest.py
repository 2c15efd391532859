import pytest

from config.celery import app as celery_app


@pytest.fixture(autouse=True)
def eager_celery():
    """Run tasks in-process even when REDIS_URL points Celery at a broker: these tests check
    what the tasks do, not the transport (no stray messages on a shared broker)."""
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates)
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous
