"""Live workshop pages through HTTP: join, phone, projector, console, archive, exports."""

import pytest
from django.urls import reverse

from accounts.models import Role
from consultations.models import ConsultationPage
from psm.models import ActionPage
from tests.consultations.factories import make_facilitator
from tests.factories import UserFactory
from tests.workshops.factories import ActivityFactory, LiveSessionFactory
from workshops import services
from workshops.models import Activity, Answer, Idea, LiveSession
from workshops.views.phones import DEVICE_COOKIE

pytestmark = pytest.mark.django_db


def participate_url(session):
    return reverse("live:participate", kwargs={"code": session.code})


def answer_url(activity):
    return reverse(
        "live:answer", kwargs={"code": activity.session.code, "activity_pk": activity.pk}
    )


def test_join_by_code_as_typed(client, plan):
    session = LiveSessionFactory(code="HKMNPR")
    response = client.get(reverse("live:join"), {"code": " hkm-npr "})
    assert response.status_code == 302
    assert response["Location"] == participate_url(session)


def test_join_with_unknown_code_explains(client, plan):
    response = client.get(reverse("live:join"), {"code": "XXXXXX"})
    assert response.status_code == 200
    assert "Nessun laboratorio aperto con questo codice" in response.content.decode()


def test_lower_case_url_redirects_and_unknown_code_is_a_friendly_404(client, plan):
    session = LiveSessionFactory(code="HKMNPR")
    assert client.get("/laboratori/hkmnpr/")["Location"] == participate_url(session)
    response = client.get("/laboratori/AAAAAA/")
    assert response.status_code == 404
    assert "Laboratorio non trovato" in response.content.decode()


def test_ended_session_links_to_its_results(client, plan):
    session = LiveSessionFactory(closed=True)
    response = client.get(participate_url(session))
    assert response.status_code == 404
    assert reverse("live:archive", kwargs={"pk": session.pk}) in response.content.decode()


def test_phone_votes_once_without_an_account(client, plan):
    activity = ActivityFactory()
    page = client.get(participate_url(activity.session))
    assert page.status_code == 200
    assert DEVICE_COOKIE in page.cookies
    assert activity.prompt in page.content.decode()
    response = client.post(answer_url(activity), {"choice": "1"}, follow=True)
    assert "Risposta registrata" in response.content.decode()
    assert "Hai risposto" in response.content.decode()
    again = client.post(answer_url(activity), {"choice": "2"}, follow=True)
    assert "Hai già risposto" in again.content.decode()
    answer = Answer.objects.get()
    assert answer.value == 1
    assert answer.participant_key.startswith("d")
    assert answer.user is None


def test_two_devices_two_answers(client, plan):
    activity = ActivityFactory()
    client.post(answer_url(activity), {"choice": "0"})
    client.cookies.clear()
    client.post(answer_url(activity), {"choice": "0"})
    assert Answer.objects.count() == 2


def test_logged_in_phone_answers_as_the_person(client, plan, user):
    activity = ActivityFactory(kind=Activity.Kind.SCALE_1_5, options=[])
    client.force_login(user)
    client.post(answer_url(activity), {"scale": "4"})
    assert Answer.objects.get().participant_key == f"u{user.pk}"


@pytest.mark.parametrize("data", [{}, {"choice": "9"}, {"choice": "<script>"}])
def test_bad_answers_get_a_message_not_an_error(client, plan, data):
    activity = ActivityFactory()
    response = client.post(answer_url(activity), data, follow=True)
    assert response.status_code == 200
    assert "Scegli una risposta" in response.content.decode()
    assert not Answer.objects.exists()


def test_ranking_form_without_javascript(client, plan):
    activity = ActivityFactory(kind=Activity.Kind.RANKING)
    page = client.get(participate_url(activity.session)).content.decode()
    assert "Posizione 3" in page
    client.post(answer_url(activity), {"position_1": "2", "position_2": "0", "position_3": "1"})
    assert Answer.objects.get().value == [2, 0, 1]
    client.cookies.clear()
    response = client.post(
        answer_url(activity), {"position_1": "2", "position_2": "2", "position_3": "1"}, follow=True
    )
    assert "posizione diversa" in response.content.decode()


def test_multiple_choice_and_ideas_forms(client, plan):
    session = LiveSessionFactory()
    multiple = ActivityFactory(session=session, kind=Activity.Kind.MULTIPLE_CHOICE)
    client.post(answer_url(multiple), {"choices": ["0", "2"]})
    assert Answer.objects.get().value == [0, 2]
    ideas = ActivityFactory(session=session, kind=Activity.Kind.IDEAS, options=[])
    url = reverse("live:idea", kwargs={"code": session.code, "activity_pk": ideas.pk})
    response = client.post(url, {"text": "Una sala prove musicale"}, follow=True)
    assert "Idea inviata" in response.content.decode()
    assert "Una sala prove musicale" in response.content.decode()  # listed as "le tue idee"
    assert Idea.objects.get().approved is False


def test_answer_to_an_activity_of_another_session_is_refused(client, plan):
    activity = ActivityFactory()
    other = LiveSessionFactory()
    url = reverse("live:answer", kwargs={"code": other.code, "activity_pk": activity.pk})
    response = client.post(url, {"choice": "0"}, follow=True)
    assert "non è più disponibile" in response.content.decode()
    assert not Answer.objects.exists()


def test_answer_after_the_session_closed_explains(client, plan):
    activity = ActivityFactory()
    services.session_close(session=activity.session, actor=activity.session.facilitator)
    response = client.post(answer_url(activity), {"choice": "0"}, follow=True)
    assert response.status_code == 404  # the "laboratorio terminato" page
    body = response.content.decode()
    assert "non è più disponibile" in body
    assert "Il laboratorio è terminato" in body
    assert not Answer.objects.exists()


def test_qr_code_is_an_svg_of_the_join_url(client, plan):
    session = LiveSessionFactory()
    response = client.get(reverse("live:qr", kwargs={"code": session.code}))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content


def test_projector_shows_results_only_when_revealed(client, plan):
    activity = ActivityFactory()
    services.answer_submit(
        activity=activity, participant=services.Participant(key="dprojector-test-1"), value=0
    )
    client.force_login(activity.session.facilitator)
    url = reverse("live:projector", kwargs={"pk": activity.session.pk})
    page = client.get(url).content.decode()
    assert activity.session.code in page
    assert "I risultati compariranno qui" in page
    assert "data-live-results" not in page
    services.activity_set_results_visible(
        activity=activity, actor=activity.session.facilitator, visible=True
    )
    page = client.get(url).content.decode()
    assert "data-live-results" in page
    assert "live-pct-100" in page
    fragment = client.get(url, {"fragment": "1"}).content.decode()
    assert "<html" not in fragment
    assert "data-live-key" in fragment


def test_console_refuses_others_with_a_plain_message(client, plan, user):
    session = LiveSessionFactory()
    url = reverse("live:console", kwargs={"pk": session.pk})
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 403
    assert "Solo chi conduce" in response.content.decode()
    action = client.post(
        reverse("live:console_action", kwargs={"pk": session.pk}), {"action": "next"}
    )
    assert action.status_code == 403


def test_facilitator_runs_the_session_from_the_console(client, plan):
    session = LiveSessionFactory()
    client.force_login(session.facilitator)
    add = reverse("live:activity_add", kwargs={"pk": session.pk})
    response = client.post(
        add, {"kind": "single_choice", "prompt": "Dove?", "options": "Qui\nLà\n"}, follow=True
    )
    assert "Attività aggiunta" in response.content.decode()
    activity = session.activities.get()
    assert activity.options == ["Qui", "Là"]
    action = reverse("live:console_action", kwargs={"pk": session.pk})
    client.post(action, {"action": "next"})
    activity.refresh_from_db()
    assert activity.is_open
    client.post(action, {"action": "reveal", "activity": activity.pk})
    activity.refresh_from_db()
    assert activity.results_visible
    page = client.get(reverse("live:console", kwargs={"pk": session.pk}))
    assert page.status_code == 200
    assert "Dove?" in page.content.decode()
    response = client.post(action, {"action": "close_session"}, follow=True)
    assert "Laboratorio chiuso" in response.content.decode()
    session.refresh_from_db()
    assert session.status == LiveSession.Status.CLOSED


@pytest.mark.parametrize(
    "data",
    [
        {"action": "explode"},
        {"action": "open", "activity": "abc"},
        {"action": "approve", "idea": "99999"},
    ],
)
def test_console_bad_input_is_explained(client, plan, data):
    session = LiveSessionFactory()
    client.force_login(session.facilitator)
    response = client.post(
        reverse("live:console_action", kwargs={"pk": session.pk}), data, follow=True
    )
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()


def test_invalid_activity_is_not_added(client, plan):
    session = LiveSessionFactory()
    client.force_login(session.facilitator)
    response = client.post(
        reverse("live:activity_add", kwargs={"pk": session.pk}),
        {"kind": "ranking", "prompt": "Ordina", "options": "Solo una"},
        follow=True,
    )
    assert "due opzioni" in response.content.decode()
    assert not session.activities.exists()


def test_create_session_page(client, plan, user):
    page = ActionPage.objects.live().order_by("path").first()
    client.force_login(user)
    response = client.post(reverse("live:create"), {"page": page.pk, "title": "Prova"})
    assert response.status_code == 200
    assert "facilitatore" in response.content.decode()
    facilitator = UserFactory(roles=[Role.FACILITATOR], facilitator=True)
    client.force_login(facilitator)
    response = client.post(reverse("live:create"), {"page": page.pk, "title": "Prova"})
    session = LiveSession.objects.get()
    assert response["Location"] == reverse("live:console", kwargs={"pk": session.pk})


def test_archive_and_csv(client, plan):
    activity = ActivityFactory(options=["=SOMMA(A1)", "Normale"])
    services.answer_submit(
        activity=activity, participant=services.Participant(key="darchive-test-1"), value=0
    )
    session = activity.session
    archive = reverse("live:archive", kwargs={"pk": session.pk})
    assert activity.prompt not in client.get(archive).content.decode()  # not revealed yet
    services.session_close(session=session, actor=session.facilitator)
    assert activity.prompt in client.get(archive).content.decode()
    csv_url = reverse("live:results_csv", kwargs={"pk": session.pk})
    client.force_login(UserFactory())
    assert client.get(csv_url).status_code == 403
    client.force_login(session.facilitator)
    response = client.get(csv_url)
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "'=SOMMA(A1),1,100,1" in body


def test_approved_ideas_become_proposals_once(client, plan):
    from proposals.models import Proposal, Source

    action = ActionPage.objects.live().order_by("path").first()
    consultation = action.add_child(
        instance=ConsultationPage(
            title="Spazi giovani", slug="spazi-giovani-live", question="<p>Dove?</p>"
        )
    )
    session = LiveSessionFactory(
        page=consultation, facilitator=make_facilitator(consultation, is_staff=True)
    )
    activity = ActivityFactory(session=session, kind=Activity.Kind.IDEAS, options=[])
    for n, text in enumerate(["Sala prove", "Orto condiviso", "Non approvata"]):
        services.idea_submit(
            activity=activity,
            participant=services.Participant(key=f"didea-{n}-abcdefgh"),
            text=text,
        )
    for idea in Idea.objects.exclude(text="Non approvata"):
        services.idea_set_approved(idea=idea, actor=session.facilitator, approved=True)
    client.force_login(session.facilitator)
    url = reverse("live:ideas_to_proposals", kwargs={"pk": session.pk})
    response = client.post(url, follow=True)
    assert "Proposte create dalle idee approvate: 2" in response.content.decode()
    client.post(url)
    proposals = Proposal.objects.order_by("pk")
    assert proposals.count() == 2
    assert all(p.source == Source.IN_PERSON and p.in_person_date for p in proposals)
    assert proposals[0].title.startswith("Dal laboratorio del ")
    assert proposals[0].title.endswith("Sala prove")


def test_ideas_of_a_session_on_an_action_page_stay_ideas(client, plan):
    session = LiveSessionFactory()
    client.force_login(session.facilitator)
    response = client.post(
        reverse("live:ideas_to_proposals", kwargs={"pk": session.pk}), follow=True
    )
    assert "non è collegato a una consultazione" in response.content.decode()


def _session_with_activities(count: int):
    session = LiveSessionFactory(closed=True)
    kinds = [Activity.Kind.SINGLE_CHOICE, Activity.Kind.IDEAS, Activity.Kind.RANKING]
    for n in range(count):
        kind = kinds[n % len(kinds)]
        activity = ActivityFactory(
            session=session,
            kind=kind,
            options=[] if kind == Activity.Kind.IDEAS else ["a", "b", "c"],
            closed=True,
            on_screen=False,
        )
        if kind == Activity.Kind.IDEAS:
            Idea.objects.create(
                activity=activity, text=f"Idea {n}", participant_key="d1", approved=True
            )
        else:
            value = 1 if kind == Activity.Kind.SINGLE_CHOICE else [2, 0, 1]
            Answer.objects.create(activity=activity, participant_key="d1", value=value)
    return session


def test_archive_and_console_queries_do_not_grow_with_activities(
    client, plan, django_assert_num_queries
):
    small, large = _session_with_activities(1), _session_with_activities(6)
    counts = {}
    for session in (small, large):
        client.force_login(session.facilitator)
        for name in ("live:archive", "live:console"):
            url = reverse(name, kwargs={"pk": session.pk})
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            client.get(url)  # warm caches (site root, session)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[(name, session.pk)] = len(queries)
    assert counts[("live:archive", small.pk)] == counts[("live:archive", large.pk)]
    assert counts[("live:console", small.pk)] == counts[("live:console", large.pk)]
    with django_assert_num_queries(counts[("live:archive", large.pk)]):
        client.get(reverse("live:archive", kwargs={"pk": large.pk}))


def test_admin_offers_a_workshop_on_action_pages_to_facilitators(client, plan):
    page = ActionPage.objects.live().order_by("path").first()
    editor = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(editor)
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    assert f"{reverse('live:create')}?page={page.pk}" in response.content.decode()
    listing = client.get(f"/admin/pages/{page.get_parent().pk}/")
    assert listing.status_code == 200
    assert f"{reverse('live:create')}?page={page.pk}" in listing.content.decode()
    create = client.get(reverse("live:create"), {"page": page.pk})
    assert f'<option value="{page.pk}" selected' in create.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/laboratori/sessione/9223372036854775808/",
        "/laboratori/sessione/99999999999999999999999/schermo/",
        "/laboratori/api/consultation/9223372036854775808/totals.json",
        "/laboratori/HKMNPR/attivita/9223372036854775808/risposta/",
    ],
)
def test_absurd_ids_are_not_found_never_an_error(client, plan, url):
    LiveSessionFactory(code="HKMNPR")
    assert client.get(url).status_code in {404, 405}
    assert client.post(url).status_code in {302, 403, 404, 405}


def test_absurd_ids_in_console_forms_are_explained(client, plan):
    session = LiveSessionFactory()
    client.force_login(session.facilitator)
    response = client.post(
        reverse("live:console_action", kwargs={"pk": session.pk}),
        {"action": "open", "activity": "9223372036854775808"},
        follow=True,
    )
    assert "Attività non trovata" in response.content.decode()
