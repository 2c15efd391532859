from io import StringIO

from django.apps import apps

from accounts.demo import demo_accounts_load
from leadership.models import Application, CallPage, Cohort, SelectionRun
from leadership.models import ApplicationStatus as S


def test_demo_data_loads_twice(plan, settings, tmp_path):
    accounts = demo_accounts_load()
    config = apps.get_app_config("leadership")
    config.load_demo_data(accounts=accounts, stdout=StringIO())
    config.load_demo_data(accounts=accounts, stdout=StringIO())
    call = CallPage.objects.get(slug="bando-2027")
    assert call.title == "Leadership civica giovanile 2027"
    assert call.is_open()
    assert Application.objects.filter(call=call, status=S.UNDER_REVIEW).count() == 5
    pilot = CallPage.objects.get(slug="bando-2027-pilota")
    assert SelectionRun.objects.filter(call=pilot).exists()
    cohort = Cohort.objects.get(call=pilot)
    assert cohort.stages.count() == 6
    assert Application.objects.filter(call=pilot, status=S.ACCEPTED).count() == 4
