from io import StringIO

from django.core.management import call_command
from django.urls import reverse


def test_the_demo_shows_the_dashboard_with_numbers(plan, settings, client):
    settings.DEMO_DATA_ALLOWED = True
    call_command("load_demo", stdout=StringIO())
    html = client.get(reverse("equity:territory")).content.decode()
    assert "Pinerolo" in html  # the demo workshop's 18 admissions
    assert "Nessuna partecipazione registrata finora" not in html


def test_the_demo_counts_the_workshop_room_and_the_paper(plan, settings, client):
    from equity.models import PaperTally, WorkshopHeadcount
    from equity.selectors import territorial_participation
    from workshops.demo import DEMO_TITLE
    from workshops.models import Admission, LiveSession

    settings.DEMO_DATA_ALLOWED = True
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())  # idempotent
    assert WorkshopHeadcount.objects.count() == 3
    assert PaperTally.objects.count() == 2
    totals = {c.key: c.count for c in territorial_participation().source_totals}
    pinerolo = LiveSession.objects.get(title=DEMO_TITLE)
    others = Admission.objects.exclude(session=pinerolo).count()  # the other demo workshops' phones
    assert totals["('s', 'workshops')"] == 25 + others  # Pinerolo's room, not its 18 phones
    assert totals["('s', 'paper')"] >= 19
