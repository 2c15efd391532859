"""Phases and eligibility as data, and the plain-Italian reasons for every refusal."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from consultations import rules
from consultations.models import (
    ConsultationPage,
    ParticipantBlock,
    Participation,
    Phase,
    PhaseKind,
    TerritoryScope,
    age_band_for,
)
from consultations.services import participated_key, participation_ensure, participation_record
from core.errors import REFUSALS
from proposals.services import proposals as proposal_services
from psm.models import ActionPage
from territory.models import TORINO_ISTAT_CODE, Comune
from tests.consultations.factories import make_consultation
from tests.factories import UserFactory, years_ago

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "verbs"),
    [
        ("information", {"read"}),
        ("proposals", {"read", "submit", "comment"}),
        ("discussion", {"read", "comment"}),
        ("voting", {"read", "vote", "comment"}),
        ("results", {"read", "read_answers"}),
    ],
)
def test_phase_allows_verbs_as_data(kind, verbs):
    phase = Phase(kind=kind)
    for verb in ("read", "submit", "comment", "vote", "read_answers"):
        assert phase.allows(verb) is (verb in verbs)


def test_status_and_current_phase(plan):
    consultation = make_consultation(phase="information")
    now = timezone.now()
    assert consultation.status() == "open"  # information running, active phases ahead
    assert consultation.current_phase().kind == PhaseKind.INFORMATION
    assert consultation.status(now - datetime.timedelta(days=5)) == "upcoming"
    assert consultation.status(now + datetime.timedelta(days=40)) == "closed"
    assert make_consultation(phase="results").status() == "closed"
    assert make_consultation(phase="voting").phase_allowing("vote").kind == "voting"


def test_refusal_names_the_opening_day(plan):
    rome = timezone.get_fixed_timezone(60)
    opening = datetime.datetime(2027, 3, 3, 10, 0, tzinfo=rome)
    consultation = make_consultation(phase="proposals")
    consultation.phases.filter(kind="voting").update(
        starts_at=opening, ends_at=opening + datetime.timedelta(days=10)
    )
    with time_machine.travel(opening - datetime.timedelta(days=3), tick=False):
        consultation = ConsultationPage.objects.get(pk=consultation.pk)
        consultation.phases.filter(kind="proposals").update(
            starts_at=opening - datetime.timedelta(days=10),
            ends_at=opening - datetime.timedelta(days=1),
        )
        consultation = ConsultationPage.objects.get(pk=consultation.pk)
        assert consultation.phase_error("vote") == "La fase di voto apre il 3 marzo 2027, 10:00."


def test_refusal_after_closing(plan):
    consultation = make_consultation(phase="results")
    assert consultation.phase_error("submit").startswith("La fase delle proposte si è chiusa il")


def test_age_range_refusal(plan):
    consultation = make_consultation(phase="proposals")
    assert consultation.eligibility_error(UserFactory(birth_date=years_ago(20))) is None
    assert consultation.eligibility_error(UserFactory(birth_date=years_ago(14))) is None
    assert consultation.eligibility_error(UserFactory(birth_date=years_ago(35))) is None
    too_young = UserFactory(birth_date=years_ago(14, days=-1))
    assert (
        consultation.eligibility_error(too_young)
        == "Questa consultazione è rivolta a chi ha tra 14 e 35 anni."
    )
    assert consultation.eligibility_error(UserFactory(birth_date=years_ago(36))) is not None
    no_birth_date = UserFactory(birth_date=None)
    assert "data di nascita" in consultation.eligibility_error(no_birth_date)


def test_age_is_computed_on_todays_date(plan):
    consultation = make_consultation(phase="proposals", max_age=17)
    almost_18 = UserFactory(birth_date=years_ago(18, days=-1))  # 18 tomorrow
    assert consultation.eligibility_error(almost_18) is None
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        assert consultation.eligibility_error(almost_18) is not None


def test_territory_comuni(plan):
    sestriere = Comune.objects.get(name="Sestriere")
    torino = Comune.objects.get(name="Torino")
    consultation = make_consultation(
        phase="proposals", territory_scope=TerritoryScope.COMUNI, eligible_comuni=[sestriere]
    )
    assert consultation.eligibility_error(UserFactory(comune=sestriere)) is None
    refusal = consultation.eligibility_error(UserFactory(comune=torino))
    assert refusal == "Questa consultazione è rivolta a chi vive a: Sestriere."


def test_territory_altimetric_zones(plan):
    consultation = make_consultation(
        phase="proposals", territory_scope=TerritoryScope.ZONES, eligible_altimetric_zones=[1]
    )
    mountain = Comune.objects.filter(altimetric_zone=1).first()
    plain = Comune.objects.get(name="Torino")
    assert consultation.eligibility_error(UserFactory(comune=mountain)) is None
    assert "montagna interna" in consultation.eligibility_error(UserFactory(comune=plain))


def test_outside_area_only_for_scope_all(plan):
    outsider = UserFactory(comune=None, lives_outside_area=True)
    assert make_consultation(phase="proposals").eligibility_error(outsider) is None
    zones = make_consultation(
        phase="proposals", territory_scope=TerritoryScope.ZONES, eligible_altimetric_zones=[5]
    )
    assert zones.eligibility_error(outsider) is not None


def test_blocked_participant_refused_until_lifted(plan):
    consultation = make_consultation(phase="proposals")
    person = UserFactory()
    block = ParticipantBlock.objects.create(consultation=consultation, user=person, reason="spam")
    assert "sospeso" in consultation.eligibility_error(person)
    with pytest.raises(REFUSALS):
        proposal_services.proposal_submit(
            consultation=consultation,
            author=person,
            title="Titolo valido",
            body="Un testo lungo abbastanza per passare.",
        )
    block.lifted_at = timezone.now()
    block.save()
    assert consultation.eligibility_error(person) is None


def test_facilitator_of_uses_wagtail_page_permissions(plan):
    from tests.consultations.factories import make_facilitator

    here = make_consultation(phase="proposals")
    other = make_consultation(phase="proposals")
    facilitator = make_facilitator(here)
    assert rules.is_facilitator_of(facilitator, here)
    assert not rules.is_facilitator_of(facilitator, other)
    # A facilitator of the whole action subtree moderates every consultation under it.
    action = ActionPage.objects.get(locale__language_code="it", code="5.2.1")
    area = make_facilitator(action)
    assert rules.is_facilitator_of(area, here)
    assert rules.is_facilitator_of(area, other)


def test_participation_snapshot_written_once(plan):
    consultation = make_consultation(phase="proposals")
    person = UserFactory(birth_date=years_ago(16), gender="donna")
    first = participation_record(consultation=consultation, user=person)
    again = participation_record(consultation=consultation, user=person)
    assert first.pk == again.pk
    assert (first.age_band, first.gender, first.comune_id, first.altimetric_zone) == (
        "14-17",
        "donna",
        TORINO_ISTAT_CODE,
        5,
    )


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (None, "other"),
        (13, "other"),
        (14, "14-17"),
        (18, "18-24"),
        (29, "25-29"),
        (35, "30-35"),
        (36, "other"),
    ],
)
def test_age_bands(age, band):
    assert age_band_for(age) == band


def test_rules_in_words(plan):
    consultation = make_consultation(
        phase="proposals", vote_mode="limited", max_supports=3, premoderation=True
    )
    lines = " ".join(str(line) for line in consultation.rules_in_words())
    assert "tra 14 e 35 anni" in lines
    assert "al massimo 3 proposte" in lines
    assert "dopo una verifica" in lines


def test_participation_is_remembered_only_once_committed(plan, django_capture_on_commit_callbacks):
    consultation = make_consultation(phase="proposals")
    person = UserFactory(birth_date=years_ago(20))
    key = participated_key(consultation.pk, person.pk)

    # A vote whose transaction rolls back takes the new row with it, and the fact too.
    def failing_vote():
        with transaction.atomic():
            participation_ensure(consultation=consultation, user=person)
            raise RuntimeError("the vote failed")

    with pytest.raises(RuntimeError):
        failing_vote()
    assert cache.get(key) is None
    assert not Participation.objects.filter(consultation=consultation, user=person).exists()
    with django_capture_on_commit_callbacks(execute=True):
        participation_ensure(consultation=consultation, user=person)
    assert cache.get(key)
    Participation.objects.filter(consultation=consultation, user=person).delete()
    assert cache.get(key) is None  # participation_forget
