"""The jury through the shared engine: assignment, conflicts, scores, ranking; the public vote;
results and the follow-up record."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError

from accountability.models import ImplementationRecord
from contests.models import ContestJuror, JuryAssignment, PublicVote
from contests.selectors import codesign_of, contest_ranking, jury_scores
from contests.services.codesign import codesign_session_open
from contests.services.jury import (
    jury_assign,
    jury_confirm_no_conflict,
    jury_declare_conflict,
    jury_submit,
)
from contests.services.notices import contest_notices_send
from contests.services.results import agreement_attach, follow_up_create, results_confirm
from contests.services.vote import public_vote_cast
from notifications.models import EmailDelivery
from tests.contests import factories
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def jury(plan):
    return [UserFactory(display_name="Giurata Uno"), UserFactory(display_name="Giurato Due")]


@pytest.fixture
def contest(jury):
    return factories.make_contest(jurors=jury)


def _entries(contest, n=3):
    now = factories.at(contest, "open")
    return [factories.submitted_team(contest, title=f"Progetto {i}", now=now)[0] for i in range(n)]


def _score(assignment, juror, quality, feasibility, now):
    criteria = {c.name: str(c.pk) for c in assignment.entry.contest.criteria.all()}
    jury_confirm_no_conflict(assignment=assignment, juror=juror)
    return jury_submit(
        assignment=assignment,
        juror=juror,
        scores={criteria["Qualità"]: quality, criteria["Fattibilità"]: feasibility},
        comment="Motivazione della giuria.",
        now=now,
    )


def test_assignment_gives_each_entry_every_juror_and_an_e_mail(contest, jury, staff):
    entries = _entries(contest)
    done = jury_assign(contest=contest, actor=staff)
    assert done == {"created": 6, "short": []}
    assert JuryAssignment.objects.filter(entry__in=entries).count() == 6
    assert (
        EmailDelivery.objects.filter(idempotency_key__startswith="contests:assigned:").count() == 6
    )
    body = EmailDelivery.objects.filter(user=jury[0]).first().body
    assert entries[0].contact.email not in body
    assert jury_assign(contest=contest, actor=staff)["created"] == 0  # nothing twice


def test_only_who_manages_assigns(contest):
    with pytest.raises(PermissionDenied):
        jury_assign(contest=contest, actor=UserFactory())


def test_a_juror_in_a_team_or_with_a_conflict_is_not_assigned(plan, staff):
    jurors = [UserFactory(), UserFactory(), UserFactory()]
    contest = factories.make_contest(jurors=jurors[:2])
    now = factories.at(contest, "open")
    entry, people = factories.submitted_team(contest, now=now)
    # a team member joins the jury afterwards: never assigned to their own team's entry
    ContestJuror.objects.create(contest=contest, user=people[1])
    jury_assign(contest=contest, actor=staff)
    assert people[1].pk not in set(entry.assignments.values_list("juror_id", flat=True))
    assignment = entry.assignments.get(juror=jurors[0])
    jury_declare_conflict(assignment=assignment, juror=jurors[0], reason="")
    assert not entry.assignments.filter(juror=jurors[0]).exists()
    ContestJuror.objects.create(contest=contest, user=jurors[2])
    done = jury_assign(contest=contest, actor=staff)
    assert done["created"] == 1
    assert set(entry.assignments.values_list("juror_id", flat=True)) == {jurors[1].pk, jurors[2].pk}


def test_scores_need_the_conflict_confirmation_and_the_jury_phase(contest, jury, staff):
    entry = _entries(contest, 1)[0]
    jury_assign(contest=contest, actor=staff)
    assignment = entry.assignments.get(juror=jury[0])
    criteria = [str(c.pk) for c in contest.criteria.all()]
    in_jury = factories.at(contest, "jury")
    with pytest.raises(ValidationError, match="conflitti"):
        jury_submit(
            assignment=assignment,
            juror=jury[0],
            scores=dict.fromkeys(criteria, 5),
            comment="x",
            now=in_jury,
        )
    jury_confirm_no_conflict(assignment=assignment, juror=jury[0])
    with pytest.raises(ValidationError, match="dopo la consegna"):
        jury_submit(
            assignment=assignment,
            juror=jury[0],
            scores=dict.fromkeys(criteria, 5),
            comment="x",
            now=factories.at(contest, "open"),
        )
    with pytest.raises(ValidationError, match="va da 0 a 10"):
        jury_submit(
            assignment=assignment,
            juror=jury[0],
            scores=dict.fromkeys(criteria, 11),
            comment="x",
            now=in_jury,
        )
    with pytest.raises(PermissionDenied):
        jury_submit(
            assignment=assignment,
            juror=jury[1],
            scores=dict.fromkeys(criteria, 5),
            comment="x",
            now=in_jury,
        )
    jury_submit(
        assignment=assignment,
        juror=jury[0],
        scores=dict.fromkeys(criteria, 5),
        comment="Buono.",
        now=in_jury,
    )
    # a conflict declared after scoring keeps the score and needs a reason
    with pytest.raises(ValidationError, match="motivo"):
        jury_declare_conflict(assignment=assignment, juror=jury[0], reason="")
    conflict = jury_declare_conflict(assignment=assignment, juror=jury[0], reason="Mia cugina")
    assert conflict.after_submission
    assert JuryAssignment.objects.filter(pk=assignment.pk, submitted_at__isnull=False).exists()


def test_weighted_scores_disagreement_and_ranking_with_the_public_vote(contest, jury, staff):
    a, b, c = _entries(contest)
    jury_assign(contest=contest, actor=staff)
    now = factories.at(contest, "jury")
    marks = {a: ((10, 10), (9, 9)), b: ((8, 8), (2, 2)), c: ((6, 6), (7, 7))}
    for entry, pair in marks.items():
        for juror, (q, f) in zip(jury, pair, strict=True):
            _score(entry.assignments.get(juror=juror), juror, q, f, now)
    scores = jury_scores(contest)
    assert scores[a.pk].mean == pytest.approx(9.5)
    assert scores[b.pk].flagged  # 8 against 2, over the threshold of 2
    assert not scores[a.pk].flagged
    # public vote: 3 people for c, 1 for b
    vote_time = factories.at(contest, "vote")
    for _i in range(3):
        public_vote_cast(contest=contest, entry=c, voter=UserFactory(), now=vote_time)
    public_vote_cast(contest=contest, entry=b, voter=UserFactory(), now=vote_time)
    rows = contest_ranking(contest)
    totals = {row.entry.pk: row.total for row in rows}
    assert totals[a.pk] == pytest.approx(0.8 * 0.95)
    assert totals[c.pk] == pytest.approx(0.8 * 0.65 + 0.2 * 1)
    assert totals[b.pk] == pytest.approx(0.8 * 0.5 + 0.2 * (1 / 3), abs=1e-4)
    assert [row.entry for row in rows] == [a, c, b]
    assert rows[0].reason.startswith("Posizione 1")


def test_public_vote_once_per_person(contest):
    a, b = _entries(contest, 2)
    voter = UserFactory()
    when = factories.at(contest, "vote")
    public_vote_cast(contest=contest, entry=a, voter=voter, now=when)
    with pytest.raises(ValidationError, match="una volta sola"):
        public_vote_cast(contest=contest, entry=b, voter=voter, now=when)
    assert PublicVote.objects.filter(voter=voter).count() == 1


def test_public_vote_rules(contest, jury):
    (a,) = _entries(contest, 1)
    when = factories.at(contest, "vote")
    unverified = UserFactory()
    EmailAddress.objects.filter(user=unverified).update(verified=False)
    with pytest.raises(PermissionDenied, match="conferma"):
        public_vote_cast(contest=contest, entry=a, voter=unverified, now=when)
    with pytest.raises(PermissionDenied, match="giuria"):
        public_vote_cast(contest=contest, entry=a, voter=jury[0], now=when)
    with pytest.raises(PermissionDenied, match="non è aperto"):
        public_vote_cast(
            contest=contest, entry=a, voter=UserFactory(), now=factories.at(contest, "jury")
        )
    with pytest.raises(ValidationError, match="tua squadra"):
        public_vote_cast(contest=contest, entry=a, voter=a.contact, now=when)


def test_results_and_follow_up_record(contest, jury, staff):
    a, b = _entries(contest, 2)
    jury_assign(contest=contest, actor=staff)
    now = factories.at(contest, "jury")
    for entry, (q, f) in {a: (9, 8), b: (5, 5)}.items():
        for juror in jury:
            _score(entry.assignments.get(juror=juror), juror, q, f, now)
    with pytest.raises(ValidationError):
        results_confirm(contest=contest, actor=staff, reasoning="Presto", now=now)
    result = results_confirm(
        contest=contest,
        actor=staff,
        reasoning="Il progetto vincitore riapre la scuola al paese.",
        now=factories.at(contest, "results"),
    )
    assert result.winner == a
    assert [row["code"] for row in result.ranking] == [a.code, b.code]
    assert "Motivazione della giuria." in result.ranking[0]["comments"]
    # the teams hear the result when it is public, once
    results_mail = EmailDelivery.objects.filter(idempotency_key__startswith="contests:result:")
    assert results_mail.count() == 0
    assert contest_notices_send(now=contest.results_at - datetime.timedelta(seconds=1)) == 0
    assert contest_notices_send(now=factories.at(contest, "results")) == 4
    assert contest_notices_send(now=factories.at(contest, "results")) == 0
    assert results_mail.count() == 4
    with pytest.raises(ValidationError, match="seguito"):
        codesign_session_open(result=result, actor=staff, title="Co-progettiamo")
    agreement = follow_up_create(
        result=result,
        actor=staff,
        title="Patto per l'ex scuola",
        description="Riapertura come spazio giovani.",
        parties="Comune\nCittà metropolitana di Torino\nSquadra vincitrice",
        starts_on=datetime.date(2027, 9, 1),
        ends_on=datetime.date(2030, 8, 31),
        upload=factories.pdf_upload("patto.pdf", text="Patto di collaborazione"),
    )
    assert agreement.file
    assert agreement.file_size
    with pytest.raises(ValidationError, match="PDF"):
        agreement_attach(agreement=agreement, actor=staff, upload=factories.jpeg_upload())
    with pytest.raises(PermissionDenied):
        agreement_attach(agreement=agreement, actor=jury[0], upload=factories.pdf_upload())
    _agreement_file_doors(contest, agreement, staff)
    with pytest.raises(PermissionDenied):
        codesign_session_open(result=result, actor=jury[0], title="Co-progettiamo")
    session = codesign_session_open(result=result, actor=staff, title="Co-progettiamo la scuola")
    assert (session.page_id, session.comune) == (contest.pk, contest.comune)
    assert codesign_of(contest) == [session]
    _follow_up_over_http(contest, agreement, staff)
    result.refresh_from_db()
    record = ImplementationRecord.objects.get(pk=result.record_id)
    assert record.action.code == "5.3.5"
    assert list(record.comuni.all()) == [contest.comune]
    assert agreement.party_list() == [
        "Comune",
        "Città metropolitana di Torino",
        "Squadra vincitrice",
    ]
    with pytest.raises(ValidationError):
        follow_up_create(
            result=result,
            actor=staff,
            title="x",
            description="",
            parties="a",
            starts_on=datetime.date(2027, 1, 1),
            ends_on=datetime.date(2027, 2, 1),
        )
    assert Decimal(contest.public_vote_weight) == Decimal("0.20")


def _agreement_file_doors(contest, agreement, staff):
    """The signed text: for who runs the contest before the results are public (also through
    the English copy's id), for everyone after."""
    from django.test import Client
    from django.urls import reverse

    url = reverse("contests:agreement_file", args=[contest.pk])
    anonymous, manager = Client(), Client()
    manager.force_login(staff)
    assert anonymous.get(url).status_code == 404
    response = manager.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert f"patto-{contest.slug}.pdf" in response["Content-Disposition"]
    with time_machine.travel(factories.at(contest, "results"), tick=False):
        assert anonymous.get(url).status_code == 200


def _follow_up_over_http(contest, agreement, staff):
    """The dashboard after the follow-up: the agreement's text replaced, a co-design workshop
    opened (to its console)."""
    from django.test import Client
    from django.urls import reverse

    manager = Client()
    manager.force_login(staff)
    page = manager.get(reverse("contests:manage", args=[contest.pk]))
    assert page.status_code == 200
    assert reverse("contests:codesign", args=[contest.pk]).encode() in page.content
    old = agreement.file.name
    manager.post(
        reverse("contests:attach_agreement", args=[contest.pk]),
        {"file": factories.pdf_upload("nuovo.pdf")},
    )
    agreement.refresh_from_db()
    assert agreement.file.name != old
    response = manager.post(
        reverse("contests:codesign", args=[contest.pk]), {"title": "Secondo incontro"}
    )
    assert response.status_code == 302
    assert "/conduzione/" in response.url
    assert [s.title for s in codesign_of(contest)][-1] == "Secondo incontro"
