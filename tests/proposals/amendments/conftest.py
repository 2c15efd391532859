"""An action with a text of three paragraphs, a consultation under it open to proposals, its
facilitator, and a helper that submits an amendment through the real service."""

import pytest

from config.celery import app as celery_app
from proposals.services import proposals as proposal_services
from psm.models import ActionPage
from tests.consultations.factories import make_consultation, make_facilitator
from tests.factories import UserFactory

TEXT = (
    "Coinvolgere i giovani nella definizione delle strategie del piano.\n\n"
    "Organizzare ogni anno un incontro pubblico in ciascuna zona omogenea.\n\n"
    "Pubblicare online i risultati delle consultazioni."
)
WHY = "Il testo attuale non dice chi decide e quando: proponiamo di scriverlo chiaramente."


@pytest.fixture(autouse=True)
def eager_celery():
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates)
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


def publish_text(action: ActionPage, text: str) -> ActionPage:
    """What an editor does in Wagtail: a new revision of the action page, published."""
    action = ActionPage.objects.get(pk=action.pk)
    action.official_text = text
    action.save_revision().publish()
    return ActionPage.objects.get(pk=action.pk)


@pytest.fixture
def action(plan):
    return publish_text(ActionPage.objects.get(locale__language_code="it", code="5.2.1"), TEXT)


@pytest.fixture
def consultation(action):
    return make_consultation(phase="proposals", parent=action)


@pytest.fixture
def facilitator(consultation):
    return make_facilitator(consultation)


@pytest.fixture
def submit(consultation, action):
    def _submit(text, *, paragraph=None, author=None, title="Chi decide le priorità"):
        return proposal_services.proposal_submit(
            consultation=consultation,
            author=author or UserFactory(),
            kind="amendment",
            title=title,
            body=WHY,
            amended_action=action,
            amended_text=text,
            paragraph=paragraph,
        )

    return _submit
