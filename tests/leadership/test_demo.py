from io import StringIO

from django.apps import apps
from django.urls import reverse

from accounts.demo import demo_accounts_load
from leadership.models import Application, CallPage, Cohort, QuotaKind, SelectionRun
from leadership.models import ApplicationStatus as S


def test_demo_data_loads_twice(plan, settings, tmp_path, client):
    accounts = demo_accounts_load()
    config = apps.get_app_config("leadership")
    config.load_demo_data(accounts=accounts, stdout=StringIO())
    config.load_demo_data(accounts=accounts, stdout=StringIO())
    call = CallPage.objects.get(locale__language_code="it", slug="bando-2027")
    assert call.title == "Leadership civica giovanile 2027"
    assert call.is_open()
    assert Application.objects.filter(call=call, status=S.UNDER_REVIEW).count() == 5
    pilot = CallPage.objects.get(locale__language_code="it", slug="bando-2027-pilota")
    assert SelectionRun.objects.filter(call=pilot).exists()
    cohort = Cohort.objects.get(call=pilot)
    assert cohort.stages.count() == 6
    assert Application.objects.filter(call=pilot, status=S.ACCEPTED).count() == 4
    # the new balance rules: a gender cap on both calls, a zona quota, and their effect shown
    assert call.quotas.filter(kind=QuotaKind.ZONA_MAX_SHARE).exists()
    assert pilot.quotas.filter(kind=QuotaKind.GENDER_MAX_SHARE).exists()
    assert pilot.quotas.filter(kind=QuotaKind.ZONA_MIN_SEATS, zona_id=10).exists()
    run = SelectionRun.objects.get(call=pilot)
    assert run.moves  # at least the demo's motivated correction
    assert "quota_effects" in run.report
    report = client.get(reverse("leadership:report", args=[pilot.pk])).content.decode()
    assert "Effetto delle quote sulla graduatoria" in report
    client.force_login(accounts["coordinator"])
    dashboard = client.get(reverse("leadership:dashboard", args=[pilot.pk])).content.decode()
    assert "Effetto delle quote sulla graduatoria" in dashboard
    assert "almeno 1 posto (10 – Chivassese)" in dashboard


def test_demo_has_a_completed_pathway_with_a_verifiable_certificate(plan, settings, client):
    from leadership.demo import PREVIOUS_SLUG
    from leadership.models import Certificate

    accounts = demo_accounts_load()
    config = apps.get_app_config("leadership")
    config.load_demo_data(accounts=accounts, stdout=StringIO())
    config.load_demo_data(accounts=accounts, stdout=StringIO())  # idempotent
    previous = CallPage.objects.get(locale__language_code="it", slug=PREVIOUS_SLUG)
    assert previous.is_closed()
    certificate = Certificate.objects.get(
        application__call=previous, application__applicant=accounts["participant"]
    )
    assert certificate.application.status == S.COMPLETED
    assert Application.objects.filter(call=previous, status=S.COMPLETED).count() >= 2
    programme = client.get(previous.get_parent().url).content.decode()
    assert reverse("leadership:verify") in programme
    page = client.get(reverse("leadership:verify_code", args=[certificate.code]))
    assert page.status_code == 200
    assert certificate.holder_name in page.content.decode()
