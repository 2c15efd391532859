"""Factories for the live workshops."""

import factory

from accounts.models import Role
from psm.models import ActionPage
from tests.factories import UserFactory
from workshops.models import JOIN_CODE_ALPHABET, Activity, LiveSession


def _code(n: int) -> str:
    size = len(JOIN_CODE_ALPHABET)
    digits = []
    for _i in range(6):
        digits.append(JOIN_CODE_ALPHABET[n % size])
        n //= size
    return "".join(reversed(digits))


class LiveSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiveSession

    page = factory.LazyFunction(lambda: ActionPage.objects.live().order_by("path").first())
    facilitator = factory.SubFactory(UserFactory, roles=[Role.FACILITATOR], facilitator=True)
    title = factory.Sequence(lambda n: f"Laboratorio {n}")
    code = factory.Sequence(lambda n: _code(n + 1000))

    class Params:
        closed = factory.Trait(status=LiveSession.Status.CLOSED)


class ActivityFactory(factory.django.DjangoModelFactory):
    """An activity, by default open and shown on the session's screen."""

    class Meta:
        model = Activity
        skip_postgeneration_save = True

    session = factory.SubFactory(LiveSessionFactory)
    order = factory.Sequence(lambda n: n + 1)
    kind = Activity.Kind.SINGLE_CHOICE
    prompt = "Quale spazio rigeneriamo per primo?"
    options = factory.LazyFunction(lambda: ["La stazione", "Il cortile", "Il mercato"])
    state = Activity.State.OPEN

    class Params:
        draft = factory.Trait(state=Activity.State.DRAFT)
        closed = factory.Trait(state=Activity.State.CLOSED)
        revealed = factory.Trait(results_visible=True)

    @factory.post_generation
    def on_screen(obj, create, extracted, **kwargs):
        if create and (extracted or (extracted is None and obj.state == Activity.State.OPEN)):
            obj.session.current_activity = obj
            obj.session.save(update_fields=["current_activity"])
