"""factory_boy factories shared by the whole suite. Each app adds its own module beside this."""

import datetime

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import Role, User, role_group
from territory.models import TORINO_ISTAT_CODE, Comune


def years_ago(years: int, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return day - datetime.timedelta(days=days)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persona{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Persona {n}")
    birth_date = factory.LazyFunction(lambda: years_ago(20))
    comune = factory.LazyFunction(lambda: Comune.objects.filter(pk=TORINO_ISTAT_CODE).first())
    gender = ""
    privacy_notice_version = "2026-11"
    privacy_accepted_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", "una-password-sicura-42")

    class Params:
        facilitator = factory.Trait(is_staff=True)
        editor = factory.Trait(is_staff=True)
        # An account old enough for its reports to count (proposals.services.reports).
        established = factory.Trait(
            date_joined=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30))
        )

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """A verified primary e-mail, as after clicking the confirmation link."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)
        if create:
            obj.save()

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        for role in extracted or []:
            obj.groups.add(role_group(Role(role)))


PASSWORD = "una-password-sicura-42"


class ResidenceCheckFactory(factory.django.DjangoModelFactory):
    """A confirmation row as ``accounts.identity.residence_confirm`` writes it (the service is
    the way to confirm; this is for rows in lists and exports)."""

    class Meta:
        model = "accounts.ResidenceCheck"

    user = factory.SubFactory(UserFactory)
    comune = factory.LazyFunction(lambda: Comune.objects.filter(pk=TORINO_ISTAT_CODE).first())
    outcome = "confirmed"
    official = factory.SubFactory(UserFactory)
    place = "Sportello di via Maria Vittoria"
    document = "carta d'identità"
