"""Review: automatic assignment, conflicts of interest, blindness, aggregation."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from leadership import selectors
from leadership.models import ApplicationStatus as S
from leadership.models import ConflictOfInterest, Review
from leadership.services.reviews import (
    conflict_declare,
    review_assign,
    review_submit,
    review_unassign,
    reviews_assign_automatically,
)
from tests.factories import UserFactory
from tests.leadership import factories


@pytest.fixture
def applications(call):
    return [factories.submitted_application(call) for _ in range(4)]


def test_automatic_assignment_balances_and_skips_conflicts(
    call, applications, reviewers, coordinator
):
    ConflictOfInterest.objects.create(
        call=call, reviewer=reviewers[0], application=applications[0], reason="cugina"
    )
    with pytest.raises(PermissionDenied):
        reviews_assign_automatically(call=call, actor=reviewers[0])
    outcome = reviews_assign_automatically(call=call, actor=coordinator)
    assert outcome["created"] == 8
    assert outcome["short"] == []
    assert not Review.objects.filter(reviewer=reviewers[0], application=applications[0]).exists()
    loads = sorted(Review.objects.filter(reviewer=r).count() for r in reviewers)
    assert loads[-1] - loads[0] <= 1
    for application in applications:
        application.refresh_from_db()
        assert application.status == S.UNDER_REVIEW
        assert application.reviews.count() == 2
    # running again changes nothing
    assert reviews_assign_automatically(call=call, actor=coordinator)["created"] == 0


def test_reviewer_never_reviews_own_application(call, coordinator):
    reviewer = factories.reviewer()
    own = factories.submitted_application(call, applicant=reviewer)
    reviews_assign_automatically(call=call, actor=coordinator)
    assert not Review.objects.filter(application=own, reviewer=reviewer).exists()
    with pytest.raises(ValidationError):
        review_assign(application=own, reviewer=reviewer, actor=coordinator)


def test_manual_assignment_refuses_conflicts(call, applications, reviewers, coordinator):
    conflict_declare(application=applications[1], reviewer=reviewers[1], reason="")
    with pytest.raises(ValidationError):
        review_assign(application=applications[1], reviewer=reviewers[1], actor=coordinator)
    review = review_assign(application=applications[1], reviewer=reviewers[2], actor=coordinator)
    review_unassign(review=review, actor=coordinator)
    assert not Review.objects.filter(pk=review.pk).exists()


def test_declaring_a_conflict_removes_the_assignment(call, applications, reviewers, coordinator):
    reviews_assign_automatically(call=call, actor=coordinator)
    review = Review.objects.filter(reviewer=reviewers[0]).first()
    conflict_declare(application=review.application, reviewer=reviewers[0], reason="x")
    assert not Review.objects.filter(pk=review.pk).exists()
    reviews_assign_automatically(call=call, actor=coordinator)
    assert not Review.objects.filter(reviewer=reviewers[0], application=review.application).exists()


def _score_all(call, value_for):
    for review in Review.objects.filter(application__call=call):
        review_submit(
            review=review,
            reviewer=review.reviewer,
            scores={str(c.pk): value_for(review) for c in call.criteria.all()},
            comment="ok",
        )


def test_review_submission_validates_scores(call, applications, reviewers, coordinator):
    reviews_assign_automatically(call=call, actor=coordinator)
    review = Review.objects.first()
    criterion = call.criteria.first()
    with pytest.raises(ValidationError):
        review_submit(review=review, reviewer=review.reviewer, scores={}, comment="")
    with pytest.raises(ValidationError):
        review_submit(
            review=review,
            reviewer=review.reviewer,
            scores={str(c.pk): 99 for c in call.criteria.all()},
            comment="",
        )
    with pytest.raises(PermissionDenied):
        review_submit(
            review=review, reviewer=coordinator, scores={str(criterion.pk): 1}, comment=""
        )


def test_weighted_mean_z_scores_and_disagreement(call, applications, reviewers, coordinator):
    reviews_assign_automatically(call=call, actor=coordinator)
    harsh = reviewers[0]
    _score_all(call, lambda review: 0 if review.reviewer_id == harsh.pk else 5)
    scores = selectors.call_scores(call)
    for entry in scores.values():
        assert entry.reviews == 2
        assert 0 <= entry.mean <= 5
        assert entry.flagged == (entry.spread > float(call.disagreement_threshold))
    # weighted mean: motivazione (peso 2) = 5, esperienza (peso 1) = 2 → 4
    weights = {str(c.pk): float(c.weight) for c in call.criteria.all()}
    motivation, experience = call.criteria.all()
    assert selectors.weighted_score(
        {str(motivation.pk): 5, str(experience.pk): 2}, weights
    ) == pytest.approx(4)
    assert any(entry.flagged for entry in scores.values())


def test_z_scores_remove_a_reviewer_bias(db):
    from leadership.models import CallPage

    call = CallPage(disagreement_threshold=1)
    # two reviewers rank three applications the same way; "b" is much harsher
    values = {("a", 1): 5, ("a", 2): 4, ("a", 3): 3, ("b", 1): 3, ("b", 2): 2, ("b", 3): 1}
    reviews = [(app, reviewer, {"x": v}) for (reviewer, app), v in values.items()]
    scores = selectors.call_scores(call, reviews=reviews, weights={"x": 1.0})
    assert scores[1].mean == pytest.approx(4)
    assert scores[1].spread == pytest.approx(2)
    assert scores[1].flagged
    assert scores[1].normalised > scores[2].normalised > scores[3].normalised
    assert scores[2].normalised == pytest.approx(0)
    assert scores[1].normalised == pytest.approx(-scores[3].normalised)


# --------------------------------------------------------------------------- blindness over HTTP


def test_reviewer_page_is_blind_and_peers_hidden_until_submitted(
    client, call, applications, reviewers, coordinator
):
    reviews_assign_automatically(call=call, actor=coordinator)
    first, second = Review.objects.filter(application=applications[0])
    review_submit(
        review=second,
        reviewer=second.reviewer,
        scores={str(c.pk): 3 for c in call.criteria.all()},
        comment="Commento segreto del collega",
    )
    client.force_login(first.reviewer)
    url = reverse("leadership:review_detail", args=[first.pk])
    page = client.get(url).content.decode()
    person = applications[0].applicant
    assert person.display_name not in page
    assert person.email not in page
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert applications[0].applicant.comune.name not in main
    assert "Commento segreto del collega" not in page
    # documents are not reachable while the call keeps review blind
    document = applications[0].documents.first()
    assert client.get(reverse("leadership:document", args=[document.pk])).status_code == 404
    coordinator_page = reverse("leadership:coordinator_application", args=[applications[0].pk])
    assert client.get(coordinator_page).status_code == 403
    # after submitting, the peer review becomes visible
    client.post(url, {**{f"c{c.pk}": "4" for c in call.criteria.all()}, "comment": "Mio commento"})
    assert "Commento segreto del collega" in client.get(url).content.decode()


def test_reviewer_cannot_open_someone_elses_assignment(
    client, call, applications, reviewers, coordinator
):
    reviews_assign_automatically(call=call, actor=coordinator)
    review = Review.objects.first()
    intruder = factories.reviewer()
    client.force_login(intruder)
    assert client.get(reverse("leadership:review_detail", args=[review.pk])).status_code == 404


def test_documents_open_to_assigned_reviewers_only_when_the_call_allows(client, plan, coordinator):
    call = factories.make_call(documents_reveal_identity=True, slug="bando-documenti")
    application = factories.submitted_application(call)
    reviewer = factories.reviewer()
    review_assign(application=application, reviewer=reviewer, actor=coordinator)
    document = application.documents.first()
    url = reverse("leadership:document", args=[document.pk])
    client.force_login(reviewer)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    client.force_login(factories.reviewer())
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    assert client.get(url).status_code == 200


def test_review_area_requires_the_role(client, user):
    client.force_login(user)
    assert client.get(reverse("leadership:review_list")).status_code == 403
