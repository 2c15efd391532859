"""Workshop headcounts and paper tallies (equity.services, equity.views.counts): who may enter
them, what is refused, the audit trail, and how the dashboard counts them."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from equity import services
from equity.models import AgeBand, PaperTally, WorkshopHeadcount
from equity.selectors import cached_territorial_participation, territorial_participation
from territory.models import TORINO_ISTAT_CODE, Comune
from tests.consultations.factories import make_consultation, make_facilitator
from tests.equity.factories import PaperTallyFactory, WorkshopHeadcountFactory
from tests.equity.test_territory_dashboard import assert_no_hidden_figure_can_be_recomputed
from tests.factories import UserFactory
from tests.workshops.factories import LiveSessionFactory
from workshops.models import Admission

pytestmark = pytest.mark.django_db

PINEROLO, AIRASCA = "001191", "001002"


@pytest.fixture
def consultation(plan):
    return make_consultation(phase="proposals")


@pytest.fixture
def session(plan):
    session = LiveSessionFactory(comune_id=PINEROLO)
    for i in range(4):
        Admission.objects.create(session=session, participant_key=f"device-{i}")
    return session


def totals():
    return {c.key: c.count for c in territorial_participation().source_totals}


def comune_count(name):
    return next((c.count for c in territorial_participation().comuni if c.label == name), None)


# --------------------------------------------------------------------------- services
def test_the_session_facilitator_enters_a_headcount_which_replaces_the_admissions(session):
    assert totals()["('s', 'workshops')"] == 4
    entry = services.headcount_add(
        user=session.facilitator, session=session, count=9, age_band=AgeBand.AGE_14_17
    )
    services.headcount_add(
        user=session.facilitator,
        session=session,
        count=6,
        comune=Comune.objects.get(pk=TORINO_ISTAT_CODE),
    )
    assert entry.entered_by == session.facilitator
    assert totals()["('s', 'workshops')"] == 15  # the room, not the 4 phones
    dashboard = territorial_participation()
    lines = {c.label: c.count for c in dashboard.comuni}
    assert lines["Pinerolo"] == 9  # no comune given: where the workshop was
    assert lines["Torino"] == 6  # the comune of residence given


def test_other_people_may_not_enter_a_headcount(session, consultation):
    for user in (UserFactory(), make_facilitator(consultation), LiveSessionFactory().facilitator):
        with pytest.raises(PermissionDenied):
            services.headcount_add(user=user, session=session, count=3)
    assert not WorkshopHeadcount.objects.exists()


def test_a_workshop_on_a_consultation_is_counted_by_its_moderators_only(consultation):
    session = LiveSessionFactory(page=consultation)
    moderator = make_facilitator(consultation)
    session.facilitator = moderator
    session.save()
    services.headcount_add(user=moderator, session=session, count=3)
    # the session's facilitator who no longer moderates the consultation may not
    outsider = LiveSessionFactory(page=consultation).facilitator
    with pytest.raises(PermissionDenied):
        services.headcount_add(user=outsider, session=session, count=3)


@pytest.mark.parametrize("count", [0, -1, 5001, None])
def test_impossible_counts_are_refused(session, count):
    with pytest.raises(ValidationError):
        services.headcount_add(user=session.facilitator, session=session, count=count)
    assert not WorkshopHeadcount.objects.exists()


def test_paper_is_counted_by_the_consultation_facilitators_only(consultation):
    moderator = make_facilitator(consultation)
    entry = services.paper_tally_add(
        user=moderator,
        consultation=consultation,
        count=7,
        collected_on=timezone.localdate(),
        comune=Comune.objects.get(pk=PINEROLO),
        place="Biblioteca",
    )
    assert entry.place == "Biblioteca"
    assert entry.entered_by == moderator
    for user in (UserFactory(), make_facilitator(make_consultation(phase="proposals"))):
        with pytest.raises(PermissionDenied):
            services.paper_tally_add(
                user=user, consultation=consultation, count=1, collected_on=timezone.localdate()
            )
    with pytest.raises(ValidationError):
        services.paper_tally_add(
            user=moderator,
            consultation=consultation,
            count=1,
            collected_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert PaperTally.objects.count() == 1
    assert totals()["('s', 'paper')"] == 7


def test_a_withdrawn_entry_stays_on_record_and_counts_no_more(session, consultation):
    entry = services.headcount_add(user=session.facilitator, session=session, count=20)
    with pytest.raises(ValidationError):
        services.count_withdraw(user=session.facilitator, entry=entry, reason="  ")
    with pytest.raises(PermissionDenied):
        services.count_withdraw(user=UserFactory(), entry=entry, reason="sbagliato")
    services.count_withdraw(user=session.facilitator, entry=entry, reason="contati due volte")
    entry.refresh_from_db()
    assert entry.withdrawn_by == session.facilitator
    assert entry.withdrawal_reason == "contati due volte"
    with pytest.raises(ValidationError):
        services.count_withdraw(user=session.facilitator, entry=entry, reason="ancora")
    assert totals()["('s', 'workshops')"] == 4  # back to the admissions
    tally = PaperTallyFactory(consultation=consultation, count=5)
    moderator = make_facilitator(consultation)
    services.count_withdraw(user=moderator, entry=tally, reason="doppione")
    assert totals()["('s', 'paper')"] == 0


def test_paper_and_headcounts_are_protected_like_every_other_figure(consultation, session):
    PaperTallyFactory(consultation=consultation, count=3, comune_id=AIRASCA)
    WorkshopHeadcountFactory(session=session, count=30)
    dashboard = territorial_participation()
    assert dashboard.total == 33
    labels = {c.label for c in dashboard.comuni}
    assert "Airasca" not in labels  # 3 paper sheets: never named
    paper = next(c for c in dashboard.source_totals if c.key == "('s', 'paper')")
    assert paper.suppressed
    assert_no_hidden_figure_can_be_recomputed(dashboard.figures)
    assert_no_hidden_figure_can_be_recomputed(dashboard.time_figures)


def test_a_new_entry_empties_the_cached_dashboard(session, django_capture_on_commit_callbacks):
    assert cached_territorial_participation("it").total == 4
    with django_capture_on_commit_callbacks(execute=True):
        services.headcount_add(user=session.facilitator, session=session, count=12)
    assert cached_territorial_participation("it").total == 12


# --------------------------------------------------------------------------- HTTP
def test_the_facilitator_enters_and_withdraws_a_headcount_over_http(client, session):
    client.force_login(session.facilitator)
    url = reverse("equity:headcount", kwargs={"pk": session.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert "Nessuna presenza registrata" in page.content.decode()
    response = client.post(url, {"count": "14", "comune": PINEROLO, "age_band": "18_24"})
    assert response.status_code == 302
    entry = WorkshopHeadcount.objects.get()
    assert (entry.count, entry.comune_id, entry.age_band) == (14, PINEROLO, "18_24")
    html = client.get(url).content.decode()
    assert "Presenze registrate: 14" in html
    assert "18–24 anni" in html
    withdraw = reverse("equity:headcount_withdraw", kwargs={"pk": session.pk, "entry_pk": entry.pk})
    client.post(withdraw, {"reason": "errore di battitura"})
    entry.refresh_from_db()
    assert entry.is_withdrawn
    html = client.get(url).content.decode()
    assert "errore di battitura" in html
    assert "Presenze registrate: 0" in html


def test_a_bad_count_shows_the_form_again(client, session):
    client.force_login(session.facilitator)
    url = reverse("equity:headcount", kwargs={"pk": session.pk})
    response = client.post(url, {"count": "0"})
    assert response.status_code == 200
    assert not WorkshopHeadcount.objects.exists()


def test_the_counts_pages_refuse_everybody_else(client, session, consultation):
    entry = WorkshopHeadcountFactory(session=session)
    tally = PaperTallyFactory(consultation=consultation)
    urls = [
        ("get", reverse("equity:headcount", kwargs={"pk": session.pk}), {}),
        ("post", reverse("equity:headcount", kwargs={"pk": session.pk}), {"count": "3"}),
        (
            "post",
            reverse("equity:headcount_withdraw", kwargs={"pk": session.pk, "entry_pk": entry.pk}),
            {"reason": "x"},
        ),
        ("get", reverse("equity:paper", kwargs={"pk": consultation.pk}), {}),
        ("post", reverse("equity:paper", kwargs={"pk": consultation.pk}), {"count": "3"}),
        (
            "post",
            reverse("equity:paper_withdraw", kwargs={"pk": consultation.pk, "entry_pk": tally.pk}),
            {"reason": "x"},
        ),
    ]
    for method, url, data in urls:
        assert getattr(client, method)(url, data).status_code == 302  # to log in
    client.force_login(make_facilitator(make_consultation(phase="proposals")))
    for method, url, data in urls:
        assert getattr(client, method)(url, data).status_code == 403, url
    assert WorkshopHeadcount.objects.active().count() == 1
    assert PaperTally.objects.active().count() == 1
    # an entry of another session is not found through this one
    other = LiveSessionFactory()
    client.force_login(other.facilitator)
    wrong = reverse("equity:headcount_withdraw", kwargs={"pk": other.pk, "entry_pk": entry.pk})
    assert client.post(wrong, {"reason": "x"}).status_code == 404


def test_the_moderator_enters_paper_over_http(client, consultation):
    moderator = make_facilitator(consultation)
    client.force_login(moderator)
    url = reverse("equity:paper", kwargs={"pk": consultation.pk})
    assert client.get(url).status_code == 200
    day = timezone.localdate().isoformat()
    response = client.post(url, {"count": "25", "collected_on": day, "place": "Scuola Buniva"})
    assert response.status_code == 302
    assert PaperTally.objects.get().count == 25
    index = client.get(reverse("equity:counts")).content.decode()
    assert url in index


def test_the_index_lists_only_what_the_person_may_count(client, session, consultation):
    client.force_login(session.facilitator)
    html = client.get(reverse("equity:counts")).content.decode()
    assert reverse("equity:headcount", kwargs={"pk": session.pk}) in html
    assert reverse("equity:paper", kwargs={"pk": consultation.pk}) not in html
    client.force_login(UserFactory())
    html = client.get(reverse("equity:counts")).content.decode()
    assert "Non conduci nessun laboratorio" in html
