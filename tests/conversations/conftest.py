import uuid

import pytest

from tests.consultations.factories import make_facilitator
from tests.conversations.factories import ConversationFactory


@pytest.fixture(autouse=True)
def private_cache(settings):
    """Each test its own local-memory cache: the recompute's debounce key never leaks."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"conversations-test-{uuid.uuid4().hex}",
        }
    }


@pytest.fixture
def conversation(plan):
    return ConversationFactory()


@pytest.fixture
def facilitator(conversation):
    return make_facilitator(conversation.consultation)
