"""HTTP behaviour: the call page, the home list, applying, privacy between candidates."""

import datetime
import json

import pytest
import time_machine
from django.urls import reverse

from leadership.models import Application
from leadership.models import ApplicationStatus as S
from leadership.services.applications import application_start
from leadership.services.reviews import (
    conflict_declare,
    review_submit,
    reviews_assign_automatically,
)
from tests.leadership import factories


def test_call_page_shows_countdown_eligibility_and_steps(client, call):
    page = client.get(call.url).content.decode()
    assert "data-countdown" in page
    assert "Chi può candidarsi" in page
    assert "Come funziona" in page
    assert "Accedi per candidarti" in page


def test_home_lists_open_calls_only(client, call):
    factories.make_call(
        slug="bando-chiuso",
        title="Bando chiuso",
        opens_in=datetime.timedelta(days=-20),
        closes_in=datetime.timedelta(days=-1),
    )
    page = client.get("/").content.decode()
    assert call.title in page
    assert "Bando chiuso" not in page


def test_apply_flow_over_http(client, call, user):
    client.force_login(user)
    url = reverse("leadership:apply", args=[call.pk])
    assert "Inizia la candidatura" in client.get(url).content.decode()
    client.post(url)
    application = Application.objects.get(call=call, applicant=user)
    question = call.questions.first()
    response = client.post(
        reverse("leadership:autosave", args=[application.pk]),
        {"category": "studente", question.field_name: "Bozza automatica"},
    )
    assert response.status_code == 200
    assert json.loads(response.content)["ok"]
    application.refresh_from_db()
    assert application.answers[question.field_name] == "Bozza automatica"
    page = client.get(url).content.decode()
    assert "Bozza automatica" in page
    assert "Curriculum vitae" in page  # listed as missing
    client.post(
        reverse("leadership:upload", args=[application.pk]),
        {"requirement": call.documents.first().pk, "file": factories.pdf_upload()},
    )
    assert application.documents.count() == 1
    response = client.post(
        reverse("leadership:submit", args=[application.pk]),
        {"category": "studente", question.field_name: "Risposta finale"},
        follow=True,
    )
    application.refresh_from_db()
    assert application.status == S.ELIGIBLE
    assert application.answers[question.field_name] == "Risposta finale"
    assert application.protocol in response.content.decode()


def test_upload_of_a_non_pdf_explains_the_refusal(client, call, user):
    client.force_login(user)
    application = application_start(call=call, applicant=user)
    response = client.post(
        reverse("leadership:upload", args=[application.pk]),
        {
            "requirement": call.documents.first().pk,
            "file": factories.pdf_upload("cv.pdf", b"MZ\x90\x00 not a pdf"),
        },
        follow=True,
    )
    assert "non è un PDF" in response.content.decode()
    assert application.documents.count() == 0


def test_late_submission_over_http_gets_a_clear_message(client, call, user):
    client.force_login(user)
    application = application_start(call=call, applicant=user)
    factories.fill_draft(application)
    with time_machine.travel(call.closes_at + datetime.timedelta(seconds=1)):
        response = client.post(reverse("leadership:submit", args=[application.pk]), follow=True)
    assert response.status_code == 200
    assert "si è chiuso" in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.DRAFT


def test_autosave_after_closing_answers_409(client, call, user):
    client.force_login(user)
    application = application_start(call=call, applicant=user)
    with time_machine.travel(call.closes_at + datetime.timedelta(seconds=1)):
        response = client.post(reverse("leadership:autosave", args=[application.pk]), {})
    assert response.status_code == 409


def test_candidates_never_see_each_other(client, call, user, other_user):
    mine = factories.submitted_application(call, user)
    theirs = factories.submitted_application(call, other_user)
    client.force_login(user)
    for name, args in [
        ("leadership:autosave", [theirs.pk]),
        ("leadership:withdraw", [theirs.pk]),
        ("leadership:seat", [theirs.pk]),
        ("leadership:submit", [theirs.pk]),
    ]:
        assert client.post(reverse(name, args=args)).status_code == 404
    document = theirs.documents.first()
    assert client.get(reverse("leadership:document", args=[document.pk])).status_code == 404
    assert (
        client.get(reverse("leadership:document", args=[mine.documents.first().pk])).status_code
        == 200
    )
    page = client.get(reverse("leadership:my_applications")).content.decode()
    assert mine.protocol in page
    assert theirs.protocol not in page
    assert (
        client.get(reverse("leadership:coordinator_application", args=[theirs.pk])).status_code
        == 403
    )


def test_my_applications_query_count_is_constant(client, plan, user, django_assert_max_num_queries):
    client.force_login(user)
    for i in range(3):
        call = factories.make_call(slug=f"bando-q{i}")
        factories.submitted_application(call, user)
    with django_assert_max_num_queries(12):
        client.get(reverse("leadership:my_applications"))


def test_coordinator_dashboard(client, call, coordinator, user):
    factories.submitted_application(call)
    url = reverse("leadership:dashboard", args=[call.pk])
    client.force_login(user)
    assert client.get(url).status_code == 403
    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert "Assegna automaticamente" in page


def test_anonymous_users_are_sent_to_login(client, call):
    response = client.get(reverse("leadership:apply", args=[call.pk]))
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_personal_data_export_and_anonymisation(call, user):
    from accounts.services import user_delete, user_export_data

    application = factories.submitted_application(call, user)
    data = user_export_data(user=user)
    assert data["leadership"]["applications"][0]["protocol"] == application.protocol
    assert data["leadership"]["application_documents"][0]["original_name"] == "cv.pdf"
    path = application.documents.first().file.path
    user_delete(user=user)
    # no confirmed selection yet: the application goes, its documents' files too
    assert not type(application).objects.filter(pk=application.pk).exists()
    import os

    assert not os.path.exists(path)


@pytest.mark.parametrize("code", ["", "ZZZZ"])
def test_verification_page_renders(client, db, code):
    assert client.get(reverse("leadership:verify") + f"?code={code}").status_code == 200


@pytest.mark.parametrize("path_id", [2**63, 2**64, 10**30])
def test_absurd_ids_are_404_not_500(client, user, path_id):
    client.force_login(user)
    for path in (
        f"/programma/bandi/{path_id}/candidatura/",
        f"/programma/documenti/{path_id}/",
        f"/programma/percorso/{path_id}/",
    ):
        assert client.get(path).status_code == 404


def test_coordinator_adjusts_assignments_by_hand(client, call, coordinator, reviewers):
    from leadership.models import Review

    application = factories.submitted_application(call)
    url = reverse("leadership:coordinator_application", args=[application.pk])
    client.force_login(coordinator)
    client.post(url, {"action": "assign", "reviewer": reviewers[0].pk})
    review = Review.objects.get(application=application, reviewer=reviewers[0])
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    conflict_declare(application=application, reviewer=reviewers[1], reason="")
    response = client.post(url, {"action": "assign", "reviewer": reviewers[1].pk}, follow=True)
    assert "conflitto di interessi" in response.content.decode()
    client.post(url, {"action": "unassign", "review": review.pk})
    assert not Review.objects.filter(pk=review.pk).exists()


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm the per-process caches (site root, content types)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_review_list_and_dashboard_queries_do_not_grow(client, call, coordinator, reviewers):
    from leadership.models import Review

    def grow(n):
        for _ in range(n):
            factories.submitted_application(call)
        reviews_assign_automatically(call=call, actor=coordinator)
        for review in Review.objects.filter(submitted_at__isnull=True):
            review_submit(
                review=review,
                reviewer=review.reviewer,
                scores={str(c.pk): 3 for c in call.criteria.all()},
                comment="",
            )

    grow(2)
    client.force_login(reviewers[0])
    small_reviews = _count_queries(client, reverse("leadership:review_list"))
    client.force_login(coordinator)
    small_dashboard = _count_queries(client, reverse("leadership:dashboard", args=[call.pk]))
    grow(4)
    client.force_login(reviewers[0])
    assert _count_queries(client, reverse("leadership:review_list")) == small_reviews
    client.force_login(coordinator)
    assert (
        _count_queries(client, reverse("leadership:dashboard", args=[call.pk])) == small_dashboard
    )
