"""Quotas as a call sets them: validation, units, the pure selection's input, the migration of
the old gender quota, and their effect shown to the coordinator and in the public report."""

import importlib
from decimal import Decimal
from fractions import Fraction

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from leadership.models import Application, CallQuota, QuotaKind, Review, SelectionRun
from leadership.models import ApplicationStatus as S
from leadership.selectors import call_quotas
from leadership.services.reviews import review_submit, reviews_assign_automatically
from leadership.services.selection import selection_confirm, selection_publish_report
from territory.models import TORINO_ISTAT_CODE, Comune, ZonaOmogenea
from tests.leadership import factories

MOUNTAIN = "001259"  # Sauze d'Oulx
CHIVASSO = "001082"


def _quota(call, kind, value, zona=None):
    return CallQuota.objects.create(call=call, kind=kind, value=Decimal(value), zona_id=zona)


def test_quota_values_are_checked_and_shown_with_their_unit(call):
    cap = CallQuota(call=call, kind=QuotaKind.GENDER_MAX_SHARE, value=Decimal("60"))
    cap.full_clean()
    assert cap.display_value == "nessun genere oltre il 60 % dei posti"
    for kind, value, zona in [
        (QuotaKind.GENDER_MAX_SHARE, "0", None),
        (QuotaKind.ZONA_MAX_SHARE, "120", None),
        (QuotaKind.CATEGORY_MIN_SEATS, "1.5", None),
        (QuotaKind.MOUNTAIN_MIN_SHARE, "20", 3),
    ]:
        with pytest.raises(ValidationError):
            CallQuota(call=call, kind=kind, value=Decimal(value), zona_id=zona).full_clean()
    assert (
        CallQuota(
            call=call, kind=QuotaKind.MOUNTAIN_MIN_SHARE, value=Decimal("12.50")
        ).display_value
        == "almeno il 12,5 % dei posti"
    )
    assert (
        CallQuota(call=call, kind=QuotaKind.ZONA_MIN_SEATS, value=Decimal("2")).display_value
        == "almeno 2 posti (in ogni zona)"
    )
    one_zone = CallQuota(call=call, kind=QuotaKind.ZONA_MIN_SEATS, value=Decimal("1"), zona_id=5)
    assert one_zone.display_value == f"almeno 1 posto ({ZonaOmogenea.objects.get(pk=5)})"


def test_the_call_page_shows_each_quota_with_its_unit(client, call):
    _quota(call, QuotaKind.GENDER_MAX_SHARE, "60")
    _quota(call, QuotaKind.ZONA_MIN_SEATS, "2")
    call.save_revision().publish()
    page = client.get(call.url).content.decode()
    assert "Tetto per genere: nessun genere oltre il 60 % dei posti" in page
    assert "Posti minimi per zona omogenea: almeno 2 posti (in ogni zona)" in page


def test_call_quotas_feed_the_pure_selection(call):
    _quota(call, QuotaKind.GENDER_MAX_SHARE, "60")
    _quota(call, QuotaKind.ZONA_MIN_SEATS, "1")  # every zona
    _quota(call, QuotaKind.ZONA_MIN_SEATS, "2", zona=6)
    _quota(call, QuotaKind.ZONA_MAX_SHARE, "50")
    quotas = call_quotas(call)
    assert quotas.gender_cap == Fraction(3, 5)
    assert quotas.zona_cap == Fraction(1, 2)
    seats = dict(quotas.zona_seats)
    assert len(seats) == ZonaOmogenea.objects.count() == 11
    assert seats[6] == 2
    assert seats[1] == 1


def test_old_gender_minimums_become_caps(call):
    migration = importlib.import_module("leadership.migrations.0005_gender_share_to_cap")
    rows = [
        CallQuota.objects.create(call=call, kind="gender_share", value=Decimal(v))
        for v in ("40", "50", "70", "0")
    ]
    migration.share_to_cap(django_apps, None)
    assert [
        (q.kind, q.value)
        for q in CallQuota.objects.filter(pk__in=[r.pk for r in rows]).order_by("pk")
    ] == [
        ("gender_cap", Decimal("60")),
        ("gender_cap", Decimal("50")),
        ("gender_cap", Decimal("50")),
    ]
    migration.cap_to_share(django_apps, None)
    assert (
        list(CallQuota.objects.filter(pk__in=[r.pk for r in rows]).values_list("kind", flat=True))
        == ["gender_share"] * 3
    )


def _scored_call(coordinator, people, *, seats, quotas):
    """A closed call whose applications (in ``people`` order) score from best to worst."""
    call = factories.make_call(seats=seats, quotas=quotas, reviewers_per_application=1)
    reviewer = factories.reviewer()
    applications = [factories.submitted_application(call, **fields) for fields in people]
    reviews_assign_automatically(call=call, actor=coordinator)
    for i, application in enumerate(applications):
        review_submit(
            review=Review.objects.get(application=application, reviewer=reviewer),
            reviewer=reviewer,
            scores={str(c.pk): max(0, 5 - i) for c in call.criteria.all()},
            comment="",
        )
    return call, applications


@pytest.fixture
def zoned(plan):
    Comune.objects.filter(pk=TORINO_ISTAT_CODE).update(zona_omogenea_id=1)
    Comune.objects.filter(pk=MOUNTAIN).update(zona_omogenea_id=6)
    Comune.objects.filter(pk=CHIVASSO).update(zona_omogenea_id=10)


def test_the_issue_case_the_non_binary_candidate_keeps_the_seat(plan, coordinator):
    people = [
        {"gender": "donna"},
        {"gender": "donna"},
        {"gender": "non_binario"},
        {"gender": "uomo"},
    ]
    call, apps = _scored_call(
        coordinator, people, seats=3, quotas={QuotaKind.GENDER_MAX_SHARE: "67"}
    )
    selection_confirm(call=factories.close_call(call), actor=coordinator)
    statuses = [Application.objects.get(pk=a.pk).status for a in apps]
    assert statuses == [S.SELECTED, S.SELECTED, S.SELECTED, S.WAITLISTED]


def test_the_coordinator_sees_units_labels_and_every_move(client, zoned, coordinator):
    torino = Comune.objects.get(pk=TORINO_ISTAT_CODE)
    chivasso = Comune.objects.get(pk=CHIVASSO)
    people = [
        {"gender": "uomo", "comune": torino},
        {"gender": "uomo", "comune": torino},
        {"gender": "uomo", "comune": torino},
        {"gender": "non_binario", "comune": torino},
        {"gender": "donna", "comune": chivasso},
    ]
    call, apps = _scored_call(
        coordinator,
        people,
        seats=3,
        quotas={QuotaKind.GENDER_MAX_SHARE: "67"},
    )
    _quota(call, QuotaKind.ZONA_MIN_SEATS, "1", zona=10)
    client.force_login(coordinator)
    url = reverse("leadership:dashboard", args=[call.pk])
    page = client.get(url).content.decode()
    assert "nessun genere oltre il 67 % dei posti" in page
    assert "almeno 1 posto (10 – Chivassese)" in page
    assert "Non binario" in page
    assert "non_binario" not in page
    # the third man is passed over (cap and zona), so is the non-binary person (the zona seat
    # only), and the woman from Chivasso comes up
    assert "Effetto delle quote sulla graduatoria" in page
    assert "scende di 1 posizione" in page
    assert "sale di 2 posizioni" in page
    assert "Tetto per genere" in page
    assert "Posti minimi per zona omogenea" in page
    one = client.get(reverse("leadership:coordinator_application", args=[apps[3].pk]))
    assert "Non binario" in one.content.decode()
    other = client.get(reverse("leadership:coordinator_application", args=[apps[4].pk]))
    assert "10 – Chivassese" in other.content.decode()
    # the call is still open: the button is disabled and says why; the server refuses too
    assert "Non si può ancora confermare" in page
    assert "disabled" in page
    response = client.post(reverse("leadership:confirm", args=[call.pk]), follow=True)
    assert "ancora aperte" in response.content.decode()
    assert not SelectionRun.objects.filter(call=call).exists()

    factories.close_call(call)
    page = client.get(url).content.decode()
    assert "Non si può ancora confermare" not in page
    client.post(reverse("leadership:confirm", args=[call.pk]))
    statuses = [Application.objects.get(pk=a.pk).status for a in apps]
    assert statuses == [S.SELECTED, S.SELECTED, S.WAITLISTED, S.WAITLISTED, S.SELECTED]
    run = SelectionRun.objects.get(call=call)
    moved = {m["application"]: (m["before"], m["after"], m["rules"]) for m in run.moves}
    assert moved == {
        apps[2].pk: (3, 4, ["gender_cap", "zona_seats"]),
        apps[3].pk: (4, 5, ["zona_seats"]),
        apps[4].pk: (5, 3, ["gender_cap", "zona_seats"]),
    }
    # after confirmation the coordinator still sees the moves
    assert "scende di" in client.get(url).content.decode()


def test_the_public_report_shows_protected_effects_and_no_names(client, plan, coordinator):
    people = [{"gender": "uomo"}] * 8 + [{"gender": "donna"}] * 4
    call, apps = _scored_call(
        coordinator, people, seats=6, quotas={QuotaKind.GENDER_MAX_SHARE: "50"}
    )
    call = factories.close_call(call)
    selection_confirm(call=call, actor=coordinator)
    selection_publish_report(call=call, actor=coordinator, published=True)
    report = SelectionRun.objects.get(call=call).report["quota_effects"]
    assert set(report["rules"]) == {"gender_cap"}
    page = client.get(reverse("leadership:report", args=[call.pk])).content.decode()
    assert "Effetto delle quote sulla graduatoria" in page
    assert "Tetto per genere" in page
    for application in apps:
        assert application.applicant.public_name not in page
        assert application.protocol not in page
    # fewer than ten people moved: only the total may be published, small counts are hidden
    assert report["moved"] == 8
    assert report["rules"]["gender_cap"] == [None, None]
    assert "Candidature spostate: 8" in page
