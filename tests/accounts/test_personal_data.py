"""The personal-data registry: every model that holds something about a person is declared,
the export lists every declaration, and deleting the account leaves nothing of the person."""

import datetime
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from accounts.models import Role
from accounts.personal_data import declarations, declared_by_app
from accounts.services import user_delete, user_export_data
from consultations.models import Category, Follow, ParticipantBlock, Participation
from leadership.models import (
    Application,
    ApplicationStatus,
    Attendance,
    Certificate,
    Cohort,
    ConflictOfInterest,
    Review,
    Session,
    Stage,
)
from leadership.services.applications import application_withdraw
from leadership.services.offers import seat_decline
from leadership.services.reviews import review_submit, reviews_assign_automatically
from leadership.services.selection import selection_confirm
from notifications.models import NotificationPreference
from notifications.services import notify
from proposals.models import (
    BudgetBallot,
    CommentLike,
    ModerationAction,
    ModerationVerb,
    OfflineTally,
    StatusChange,
    Vote,
)
from proposals.services import votes
from territory.models import Comune
from tests.consultations.factories import make_consultation
from tests.factories import UserFactory
from tests.leadership import factories as leadership
from tests.proposals.factories import CommentFactory, ProposalFactory, ReportFactory
from tests.workshops.factories import ActivityFactory, LiveSessionFactory
from workshops.models import Activity, Answer, Idea

pytestmark = pytest.mark.django_db

#: third-party models that hold personal data and are ours to declare
THIRD_PARTY_HELD = {"account.EmailAddress", "mfa.Authenticator"}
#: field names that hold personal data wherever they appear
PERSONAL_NAME = re.compile(
    r"e?mail|birth|gender|(^|_)ip(_|$)|ip_address|phone|address|fiscal|first_name|last_name"
    r"|display_name|holder_name|surname|user_agent|device|participant_key"
)


def _our_models():
    root = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        ours = root in path.parents and ".venv" not in path.parts
        for model in config.get_models():
            if ours or model._meta.label in THIRD_PARTY_HELD:
                yield model


def _undeclared() -> list[str]:
    user_model = get_user_model()
    declared: dict[str, set[str]] = {}
    for declaration in declarations():
        fields = declared.setdefault(declaration.label, set())
        fields.add(declaration.user_field.split("__")[0])
        fields.update(declaration.personal, (f.split("__")[0] for f in declaration.export))
    missing = []
    for model in _our_models():
        label = model._meta.label
        for field in model._meta.concrete_fields:
            if field.model is not model:
                continue  # inherited (a Wagtail page's owner is Wagtail's)
            points_to_user = field.is_relation and field.related_model is user_model
            if (points_to_user or PERSONAL_NAME.search(field.name)) and field.name not in (
                declared.get(label, set())
            ):
                missing.append(f"{label}.{field.name}")
        if model is user_model and label not in declared:
            missing.append(label)
    return missing


def test_every_model_holding_personal_data_is_in_the_registry():
    """A new model with a user foreign key, or a field named like personal data, fails here
    until its app's ``personal_data.PERSONAL_DATA`` declares it (one ``PersonalData(...)``)."""
    assert _undeclared() == []


def test_the_check_catches_an_undeclared_model(monkeypatch):
    from proposals import personal_data

    kept = tuple(d for d in personal_data.PERSONAL_DATA if d.name != "reports")
    monkeypatch.setattr(personal_data, "PERSONAL_DATA", kept)
    assert "proposals.Report.reporter" in _undeclared()


def test_whatever_stays_has_a_written_legal_basis():
    for declaration in declarations():
        assert declaration.holds, declaration.name
        if declaration.keeps_anything:
            assert len(declaration.erase.legal_basis) > 40, declaration.name


def test_declared_fields_exist():
    for declaration in declarations():
        names = {f.name for f in declaration.model._meta.get_fields()} | {"pk", "id"}
        for lookup in (declaration.user_field, *declaration.personal, *declaration.export):
            assert lookup.split("__")[0] in names, f"{declaration.name}: {lookup}"


# --------------------------------------------------------------------------- one of everything
SECRETS = {
    "report": "Segnalo perché conosco l'autore: abita in via Roma 3",
    "block": "Sospesa per insulti ripetuti a Zelinda",
    "notification": "Notifica riservata per Zelinda",
    "review": "Commento di valutazione riservato",
    "conflict": "È mia cugina",
    "decline": "Rinuncio per motivi di salute",
    "withdraw": "Ritiro perché mi trasferisco a Cuneo",
    "answer": "Voglio capire come si decide, scritto da Zelinda",
    "deleted": "Commento che avevo già cancellato",
}


def _everything(person):
    """Seed one row of every kind about ``person``; return what the checks need."""
    now = timezone.now()
    sestriere = Comune.objects.get(pk="001263")
    open_vote = make_consultation(phase="proposals+voting")
    category = Category.objects.create(page=open_vote, name="Spazi")
    proposal = ProposalFactory(
        consultation=open_vote,
        author=person,
        category=category,
        comune=sestriere,
        latitude="45.0",
        longitude="7.5",
    )
    votes.vote_cast(proposal=proposal, voter=person)  # also the participation snapshot
    published = make_consultation(phase="results")
    counted = ProposalFactory(consultation=published)
    Vote.objects.create(proposal=counted, voter=person)
    ballot = BudgetBallot.objects.create(consultation=published, voter=person)
    Participation.objects.create(
        consultation=published, user=person, age_band="18-24", gender="donna", comune=sestriere
    )
    comment = CommentFactory(proposal=counted, author=UserFactory())
    CommentLike.objects.create(comment=comment, user=person)
    CommentFactory(proposal=counted, author=person, body="Un commento pubblico")
    CommentFactory(proposal=counted, author=person, body=SECRETS["deleted"], is_deleted=True)
    ReportFactory(proposal=counted, reporter=person, text=SECRETS["report"])
    Follow.objects.create(consultation=published, user=person)
    ParticipantBlock.objects.create(consultation=published, user=person, reason=SECRETS["block"])
    ModerationAction.objects.create(
        consultation=published, actor=UserFactory(), user=person, action=ModerationVerb.BLOCK
    )
    # acts done as facilitator (kept, the account emptied)
    StatusChange.objects.create(proposal=counted, to_status="accepted", changed_by=person)
    OfflineTally.objects.create(
        proposal=counted, supports=3, meeting_date=now.date(), place="Pinerolo", recorded_by=person
    )
    notify(
        user=person, key="secret", kind="status_changed", title=SECRETS["notification"], email=True
    )
    NotificationPreference.objects.update_or_create(user=person, defaults={"weekly_digest": True})
    # a live workshop, answered and facilitated
    activity = ActivityFactory()
    ideas = ActivityFactory(session=activity.session, kind=Activity.Kind.IDEAS, options=[])
    Answer.objects.create(activity=activity, participant_key=f"u{person.pk}", user=person, value=0)
    Idea.objects.create(activity=ideas, participant_key=f"u{person.pk}", user=person, text="Idea")
    LiveSessionFactory(facilitator=person, code="KKKKKK")
    # leadership: a draft withdrawn with a reason, and a confirmed selection
    draft_call = leadership.make_call()
    draft = leadership.submitted_application(draft_call, person)
    application_withdraw(application=draft, actor=person, reason=SECRETS["withdraw"])
    call = leadership.make_call(seats=2, reviewers_per_application=1)
    coordinator = leadership.coordinator()
    reviewer = leadership.reviewer()
    mine = leadership.submitted_application(call, person)
    Application.objects.filter(pk=mine.pk).update(answers={"q": SECRETS["answer"]})
    other = leadership.submitted_application(call)
    reviews_assign_automatically(call=call, actor=coordinator)
    for review in Review.objects.filter(reviewer=reviewer):
        review_submit(
            review=review,
            reviewer=reviewer,
            scores={str(c.pk): 3 for c in call.criteria.all()},
            comment="",
        )
    leadership.close_call(call)
    selection_confirm(call=call, actor=coordinator)
    person.groups.add(*UserFactory(roles=[Role.REVIEWER]).groups.all())
    Review.objects.create(
        application=other,
        reviewer=person,
        scores={"1": 4},
        comment=SECRETS["review"],
        submitted_at=now,
    )
    ConflictOfInterest.objects.create(
        call=call, reviewer=person, application=other, reason=SECRETS["conflict"]
    )
    mine.refresh_from_db()
    assert mine.status == ApplicationStatus.SELECTED
    seat_decline(application=mine, actor=person, reason=SECRETS["decline"])
    Certificate.objects.create(
        application=mine, code="CERT-1", holder_name=person.display_name, programme_title="P"
    )
    cohort = Cohort.objects.create(call=call, name="Gruppo")
    stage = Stage.objects.create(cohort=cohort, order=1, name="Tappa")
    session = Session.objects.create(
        stage=stage, title="Incontro", starts_at=now, ends_at=now + datetime.timedelta(hours=1)
    )
    Attendance.objects.create(session=session, participant=person, method="qr")
    person.last_login = now
    person.save()
    return {"proposal": proposal, "counted": counted, "ballot": ballot, "mine": mine}


@pytest.fixture
def person(plan):
    return UserFactory(
        email="zelinda.quaglietti@example.org",
        display_name="Zelinda Quaglietti",
        gender="donna",
        comune=Comune.objects.get(pk="001263"),
    )


def _text_values(model) -> list[str]:
    fields = [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
    ]
    return [str(value) for row in model._default_manager.values_list(*fields) for value in row]


def test_deletion_leaves_no_personal_value_anywhere(person):
    seeded = _everything(person)
    identity = [person.email, person.display_name, *SECRETS.values()]
    user_delete(user=person)

    for declaration in declarations():
        rows = declaration.rows(person)
        if not declaration.keeps_link:
            assert not rows.exists(), f"{declaration.name} still points at the person"
            continue
        if declaration.model is get_user_model():
            continue  # the emptied account row: checked below
        for name in set(declaration.personal) - set(declaration.erase.kept):
            for value in rows.values_list(name, flat=True):
                replacement = (declaration.erase.values or {}).get(name)
                assert value in (None, "", {}, [], replacement), f"{declaration.name}.{name}"
    for model in {d.model for d in declarations()}:
        for text in _text_values(model):
            for secret in identity:
                assert secret not in text, f"{model._meta.label} keeps {secret!r}"
    assert not Answer.objects.filter(participant_key=f"u{person.pk}").exists()
    assert not Idea.objects.filter(participant_key=f"u{person.pk}").exists()

    person.refresh_from_db()
    assert person.last_login is None
    assert person.email == f"rimosso-{person.pk}@account-eliminato.invalid"
    assert (person.birth_date, person.comune, person.gender) == (None, None, "")
    assert person.privacy_accepted_at is None
    assert person.date_joined == person.removed_at
    assert person.is_removed
    # what stays, and why: published results, participant counts, the selection record
    assert not Vote.objects.filter(proposal=seeded["proposal"]).exists()
    assert Vote.objects.filter(proposal=seeded["counted"]).count() == 1
    assert BudgetBallot.objects.filter(pk=seeded["ballot"].pk).exists()
    assert Participation.objects.filter(user=person).values_list("gender", flat=True)[0] == ""
    assert Participation.objects.filter(comune__isnull=False, user=person).count() == 0
    mine = Application.objects.get(pk=seeded["mine"].pk)
    assert mine.answers == {}
    assert mine.status == ApplicationStatus.DECLINED
    assert not Application.objects.filter(applicant=person).exclude(pk=mine.pk).exists()
    assert Certificate.objects.get(application=mine).revoked_at is not None
    assert Review.objects.get(reviewer=person).scores == {"1": 4}


def test_deleting_a_selected_candidate_gives_up_the_seat(plan):
    call = leadership.make_call(seats=1, reviewers_per_application=1)
    coordinator = leadership.coordinator()
    reviewer = leadership.reviewer()
    first = leadership.submitted_application(call)
    second = leadership.submitted_application(call)
    reviews_assign_automatically(call=call, actor=coordinator)
    for review in Review.objects.filter(reviewer=reviewer):
        score = 5 if review.application_id == first.pk else 1
        review_submit(
            review=review,
            reviewer=reviewer,
            scores={str(c.pk): score for c in call.criteria.all()},
            comment="",
        )
    leadership.close_call(call)
    selection_confirm(call=call, actor=coordinator)
    user_delete(user=first.applicant)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ApplicationStatus.WITHDRAWN
    assert second.status == ApplicationStatus.SELECTED


def test_export_lists_every_category(person):
    _everything(person)
    data = user_export_data(user=person)
    assert data["accounts"]["account"][0]["email"] == person.email
    assert data["accounts"]["account"][0]["last_login"] is not None
    assert {"email": person.email, "verified": True, "primary": True} in data["accounts"][
        "email_addresses"
    ]
    assert data["accounts"]["roles"] == [{"group__name": Role.REVIEWER.value}]
    proposal = data["proposals"]["proposals"][0]
    assert proposal["category__name"] == "Spazi"
    assert proposal["comune__name"] == "Sestriere"
    assert proposal["latitude"] is not None
    assert data["proposals"]["reports"][0]["text"] == SECRETS["report"]
    assert len(data["proposals"]["votes"]) == 2
    assert data["proposals"]["comments"][0]["body"] == "Un commento pubblico"
    assert {p["gender"] for p in data["consultations"]["participations"]} >= {"donna"}
    assert data["consultations"]["blocks"][0]["reason"] == SECRETS["block"]
    assert data["notifications"]["notifications"][0]["title"] == SECRETS["notification"]
    assert data["notifications"]["email_deliveries"][0]["subject"]
    reasons = {t["reason"] for t in data["leadership"]["transitions_made"]}
    assert {SECRETS["withdraw"], SECRETS["decline"]} <= reasons
    assert data["leadership"]["reviews_written"][0]["comment"] == SECRETS["review"]
    assert data["leadership"]["conflicts_declared"][0]["reason"] == SECRETS["conflict"]
    assert data["leadership"]["certificates"][0]["holder_name"] == person.display_name
    assert data["leadership"]["attendances"][0]["session__title"] == "Incontro"
    assert data["live"]["answers"][0]["value"] == 0
    assert data["live"]["facilitated_sessions"][0]["code"] == "KKKKKK"
    for label, declaration in declared_by_app():
        if declaration.export:
            assert declaration.name in data[label], declaration.name


def test_export_holds_nobody_else(person, other_user):
    _everything(person)
    body = str(user_export_data(user=person))
    assert other_user.email not in body


def test_export_reads_each_declaration_once(person, django_assert_num_queries):
    """One query per exported declaration, however many rows (plus the transaction's
    savepoint and release)."""
    _everything(person)
    exported = sum(1 for d in declarations() if d.export)
    with django_assert_num_queries(exported + 2):
        user_export_data(user=person)


def test_decisions_taken_for_the_institution_stay_when_their_author_leaves(plan):
    from leadership.services.applications import application_set_eligibility

    call = leadership.make_call()
    coordinator = leadership.coordinator()
    application = leadership.submitted_application(call)
    application_set_eligibility(
        application=application, actor=coordinator, eligible=False, reason="Fuori età"
    )
    user_delete(user=coordinator)
    decision = application.transitions.get(actor=coordinator)
    assert decision.reason == "Fuori età"


def test_the_docs_table_is_the_registry():
    """``docs/permissions.md`` ("Dati personali") shows the registry as it is: after a change,
    paste the output of ``manage.py personal_data_table`` there."""
    from accounts.management.commands.personal_data_table import registry_table

    docs = (Path(settings.BASE_DIR) / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert registry_table() in docs
