"""Finding 5 of issue 11: a submitted review cannot be erased by a conflict declared later, and
the reviewer and coordinator roles are checked at every request, by views and services."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role
from leadership.models import ConflictOfInterest, Review, SelectionRun
from leadership.selectors import call_scores
from leadership.services.reviews import (
    conflict_declare,
    review_assign,
    review_submit,
    review_unassign,
)
from leadership.services.selection import selection_confirm
from tests.leadership import factories
from tests.leadership.test_selection_flow import _reviewed_call


def _take_role(user, role: Role) -> None:
    user.groups.remove(Group.objects.get(name=role.value))


def _errors(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


@pytest.fixture
def confirmed(plan, coordinator):
    call, applications = _reviewed_call(coordinator)
    selection_confirm(call=call, actor=coordinator)
    review = Review.objects.filter(application=applications[0]).get()
    return call, review


def test_a_conflict_declared_after_the_selection_keeps_the_review(confirmed, client):
    call, review = confirmed
    scores_before = call_scores(call)
    client.force_login(review.reviewer)
    url = reverse("leadership:conflict", args=[review.pk])
    response = client.post(url, {"reason": "È mia cugina", "confirm": "1"}, follow=True)
    assert response.status_code == 200
    kept = Review.objects.get(pk=review.pk)
    assert kept.submitted_at == review.submitted_at
    assert kept.scores == review.scores
    assert (
        call_scores(call)[review.application_id].mean == scores_before[review.application_id].mean
    )
    conflict = ConflictOfInterest.objects.get(reviewer=review.reviewer)
    assert conflict.after_submission
    assert conflict.reason == "È mia cugina"
    assert conflict.declared_at is not None
    assert SelectionRun.objects.filter(call=call).exists()


def test_a_late_conflict_is_flagged_to_the_coordinator(confirmed, coordinator, client):
    call, review = confirmed
    conflict_declare(application=review.application, reviewer=review.reviewer, reason="Vicina")
    client.force_login(coordinator)
    dashboard = client.get(reverse("leadership:dashboard", args=[call.pk])).content.decode()
    assert "Conflitti di interessi dichiarati dopo" in dashboard
    assert "Vicina" in dashboard
    page = client.get(
        reverse("leadership:coordinator_application", args=[review.application_id])
    ).content.decode()
    assert "Vicina" in page


def test_a_late_conflict_needs_a_reason(confirmed):
    _call, review = confirmed
    with pytest.raises(ValidationError):
        conflict_declare(application=review.application, reviewer=review.reviewer, reason=" ")
    assert Review.objects.filter(pk=review.pk).exists()
    assert not ConflictOfInterest.objects.exists()


def test_a_submitted_review_is_kept_also_before_the_selection(plan, coordinator):
    call = factories.make_call(reviewers_per_application=1)
    application = factories.submitted_application(call)
    reviewer = factories.reviewer()
    review = review_assign(application=application, reviewer=reviewer, actor=coordinator)
    review_submit(
        review=review,
        reviewer=reviewer,
        scores={str(c.pk): 3 for c in call.criteria.all()},
        comment="",
    )
    conflict_declare(application=application, reviewer=reviewer, reason="Ex compagna di scuola")
    assert Review.objects.get(pk=review.pk).is_submitted
    with pytest.raises(ValidationError):
        review_unassign(review=review, actor=coordinator)


def test_an_unsubmitted_assignment_is_still_handed_back(plan, coordinator):
    call = factories.make_call()
    application = factories.submitted_application(call)
    reviewer = factories.reviewer()
    review = review_assign(application=application, reviewer=reviewer, actor=coordinator)
    conflict = conflict_declare(application=application, reviewer=reviewer, reason="")
    assert not conflict.after_submission
    assert not Review.objects.filter(pk=review.pk).exists()


def test_a_conflict_needs_the_reviewer_role(plan, coordinator, user):
    call = factories.make_call()
    application = factories.submitted_application(call)
    with pytest.raises(PermissionDenied):
        conflict_declare(application=application, reviewer=user, reason="x")
    assert not ConflictOfInterest.objects.exists()


@pytest.fixture
def assigned(plan, coordinator):
    call = factories.make_call(documents_reveal_identity=True)
    application = factories.submitted_application(call)
    reviewer = factories.reviewer()
    return review_assign(application=application, reviewer=reviewer, actor=coordinator)


def test_a_removed_reviewer_is_refused_on_the_open_pages(assigned, client):
    review = assigned
    reviewer = review.reviewer
    client.force_login(reviewer)
    detail = reverse("leadership:review_detail", args=[review.pk])
    document = reverse("leadership:document", args=[review.application.documents.first().pk])
    assert client.get(detail).status_code == 200
    assert client.get(document).status_code == 200
    _take_role(reviewer, Role.REVIEWER)
    scores = {f"c{c.pk}": "4" for c in review.application.call.criteria.all()}
    assert client.get(detail).status_code == 403
    assert client.post(detail, {**scores, "comment": "x"}).status_code == 403
    assert client.post(reverse("leadership:conflict", args=[review.pk])).status_code == 403
    assert client.get(document).status_code == 404
    review.refresh_from_db()
    assert not review.is_submitted
    assert Review.objects.filter(pk=review.pk).exists()


def test_services_check_the_reviewer_role_too(assigned):
    review = assigned
    reviewer = review.reviewer
    _take_role(reviewer, Role.REVIEWER)
    with pytest.raises(PermissionDenied):
        review_submit(
            review=review,
            reviewer=reviewer,
            scores={str(c.pk): 3 for c in review.application.call.criteria.all()},
            comment="",
        )
    with pytest.raises(PermissionDenied):
        conflict_declare(application=review.application, reviewer=reviewer, reason="x")


def test_an_assignment_taken_away_refuses_the_old_page(assigned, coordinator, client):
    review = assigned
    client.force_login(review.reviewer)
    detail = reverse("leadership:review_detail", args=[review.pk])
    review_unassign(review=review, actor=coordinator)
    scores = {f"c{c.pk}": "4" for c in review.application.call.criteria.all()}
    assert client.get(detail).status_code == 404
    assert client.post(detail, scores).status_code == 404
    assert client.post(reverse("leadership:conflict", args=[review.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        review_submit(review=review, reviewer=review.reviewer, scores={}, comment="")


def test_a_removed_coordinator_is_refused_on_every_coordination_page(assigned, coordinator, client):
    review = assigned
    call = review.application.call
    client.force_login(coordinator)
    dashboard = reverse("leadership:dashboard", args=[call.pk])
    assert client.get(dashboard).status_code == 200
    _take_role(coordinator, Role.COORDINATOR)
    coordinator.is_staff = False
    coordinator.save()
    application = reverse("leadership:coordinator_application", args=[review.application_id])
    for url in (dashboard, application, reverse("leadership:coordination")):
        assert client.get(url).status_code == 403, url
    posts = [
        reverse("leadership:assign", args=[call.pk]),
        reverse("leadership:confirm", args=[call.pk]),
        reverse("leadership:adjust", args=[call.pk, review.application_id]),
        reverse("leadership:adjust", args=[call.pk, 999999]),
        application,
    ]
    for url in posts:
        assert client.post(url, {"action": "unassign", "review": review.pk}).status_code == 403
    assert Review.objects.filter(pk=review.pk).exists()


@pytest.mark.parametrize("value", ["x", "²", "", "-1", "9" * 25, "1e3"])
@pytest.mark.parametrize("field", ["reviewer", "review"])
def test_tampered_ids_in_coordination_get_a_message(assigned, coordinator, client, field, value):
    review = assigned
    client.force_login(coordinator)
    url = reverse("leadership:coordinator_application", args=[review.application_id])
    action = "assign" if field == "reviewer" else "unassign"
    response = client.post(url, {"action": action, field: value}, follow=True)
    assert response.status_code == 200
    assert any("elenco" in e for e in _errors(response))
    assert Review.objects.filter(application=review.application).count() == 1
