"""Demo accounts for ``make run`` (``manage.py load_demo``, in ``config``). Each app may add demo
content through an optional ``load_demo_data(*, accounts, stdout)`` method on its AppConfig,
called by ``load_demo`` with the accounts made here."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import Role, User, role_group
from territory.models import TORINO_ISTAT_CODE, Comune

DEMO_PASSWORD = "demo-psm-2026"


@dataclass(frozen=True)
class DemoAccount:
    key: str
    email: str
    display_name: str
    roles: tuple[Role, ...] = ()
    superuser: bool = False
    birth_year: int = 2004
    gender: str = ""


DEMO_ACCOUNTS = (
    DemoAccount(
        "admin", "admin@demo.psm-giovani.it", "Amministrazione", superuser=True, birth_year=1980
    ),
    DemoAccount(
        "editor", "redazione@demo.psm-giovani.it", "Redazione PSM", (Role.EDITOR,), birth_year=1990
    ),
    DemoAccount(
        "facilitator",
        "facilitatrice@demo.psm-giovani.it",
        "Giulia (facilitatrice)",
        (Role.FACILITATOR,),
        birth_year=1992,
        gender="donna",
    ),
    DemoAccount(
        "coordinator",
        "coordinamento@demo.psm-giovani.it",
        "Coordinamento leadership",
        (Role.COORDINATOR,),
        birth_year=1985,
    ),
    DemoAccount(
        "reviewer",
        "valutatore@demo.psm-giovani.it",
        "Marco (valutatore)",
        (Role.REVIEWER,),
        birth_year=1988,
        gender="uomo",
    ),
    DemoAccount(
        "reviewer2",
        "valutatrice@demo.psm-giovani.it",
        "Sara (valutatrice)",
        (Role.REVIEWER,),
        birth_year=1991,
        gender="donna",
    ),
    DemoAccount(
        "participant", "giovane@demo.psm-giovani.it", "Aisha", birth_year=2007, gender="donna"
    ),
    DemoAccount(
        "participant2", "giovane2@demo.psm-giovani.it", "Luca", birth_year=2001, gender="uomo"
    ),
    DemoAccount(
        "participant3", "giovane3@demo.psm-giovani.it", "Sam", birth_year=1999, gender="non_binario"
    ),
)


def demo_accounts_load() -> dict[str, User]:
    """Create (or find) the demo accounts; verified e-mail, known password."""
    towns = [TORINO_ISTAT_CODE, "001263", "001078"]  # Torino, Sestriere, Chieri
    comuni = {c.pk: c for c in Comune.objects.filter(pk__in=towns)}
    accounts: dict[str, User] = {}
    for index, spec in enumerate(DEMO_ACCOUNTS):
        user = User.objects.filter(email=spec.email).first()
        if user is None:
            user = User(
                email=spec.email,
                display_name=spec.display_name,
                birth_date=timezone.datetime(spec.birth_year, 5, 15).date(),
                comune=comuni.get(towns[index % len(towns)]),
                gender=spec.gender,
                is_staff=spec.superuser or bool(set(spec.roles) - {Role.REVIEWER}),
                is_superuser=spec.superuser,
                privacy_notice_version="2026-11",
                privacy_accepted_at=timezone.now(),
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        for role in spec.roles:
            user.groups.add(role_group(role))
        accounts[spec.key] = user
    return accounts
