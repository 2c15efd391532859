import pytest

from tests.leadership import factories


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def call(plan):
    return factories.make_call()


@pytest.fixture
def coordinator(db):
    return factories.coordinator()


@pytest.fixture
def reviewers(db):
    return [factories.reviewer() for _ in range(3)]
