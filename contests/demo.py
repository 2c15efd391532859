"""Demo content for ``make run``: a youth contest under action 5.3.5 on a disused school in a
mountain comune, with three teams' entries, a jury of two with scores, a public vote, the
results and the follow-up record with its co-management agreement. Idempotent.

The contest's dates lie in the past (it is in its results phase); each step runs through the
services with the moment it would have happened (``now=``), so every rule is applied."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from reportlab.pdfgen import canvas

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from contests.models import (
    ContestAnswer,
    ContestCriterion,
    ContestJuror,
    ContestPage,
    ContestPrize,
    EntrantKind,
    MemberRole,
)
from contests.services.entries import entry_save_draft, entry_start, member_accept, member_invite
from contests.services.files import file_upload
from contests.services.jury import jury_assign, jury_confirm_no_conflict, jury_submit
from contests.services.results import follow_up_create, results_confirm
from contests.services.submission import entry_submit
from contests.services.vote import public_vote_cast
from psm.localisation import demo_pages_translate
from psm.models import ActionPage
from territory.models import Comune

SLUG = "contest-ex-scuola-usseglio"
USSEGLIO = "001282"  # Usseglio, Valli di Lanzo (totally mountain)
DAY = datetime.timedelta(days=1)
TEAMS = [
    (
        "Cortile comune",
        "Orti in cassone, un forno di comunità e l'aula grande come sala prove.",
        ("Irene", "Tommaso", "Bianca"),
        (9, 8, 9),
        (8, 8, 7),
    ),
    (
        "Rifugio digitale",
        "Uno spazio di coworking per chi lavora da remoto e un punto di ricarica per le bici.",
        ("Samuele", "Nora"),
        (7, 6, 8),
        (6, 7, 7),
    ),
    (
        "La scuola delle stagioni",
        "Laboratori per bambine e bambini d'estate, sala studio d'inverno.",
        ("Aurora", "Leo", "Giada"),
        (8, 9, 6),
        (4, 5, 5),
    ),
]


def _person(name: str, index: int) -> User:
    email = f"contest{index}@demo.psm-giovani.it"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(
            email=email,
            display_name=name,
            comune=Comune.objects.filter(pk=USSEGLIO).first(),
            birth_date=datetime.date(2006, 5, index % 27 + 1),
            privacy_notice_version="2026-11",
            privacy_accepted_at=timezone.now(),
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _board(title: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, title)
    pdf.save()
    return SimpleUploadedFile("tavola.pdf", buffer.getvalue(), "application/pdf")


def _contest(action: ActionPage, start: datetime.datetime, jurors) -> ContestPage:
    comune = Comune.objects.get(pk=USSEGLIO)
    contest = ContestPage(
        title="Contest giovani: l'ex scuola di Usseglio",
        slug=SLUG,
        intro="<p>Un contest di idee per under 30 sull'ex scuola elementare del paese.</p>",
        brief=(
            "<p>L'edificio è chiuso dal 2014. Il Comune lo affida per tre anni al progetto "
            "vincitore, con un patto di collaborazione.</p>"
        ),
        site_name="Ex scuola elementare",
        site_street="Frazione Chiesa",
        comune=comune,
        latitude=comune.latitude,
        longitude=comune.longitude,
        allow_individuals=False,
        age_min=16,
        age_max=29,
        max_team_size=5,
        registration_opens_at=start,
        questions_close_at=start + DAY * 10,
        submission_closes_at=start + DAY * 30,
        jury_ends_at=start + DAY * 40,
        public_vote_enabled=True,
        public_vote_closes_at=start + DAY * 50,
        public_vote_weight=Decimal("0.25"),
        results_at=start + DAY * 52,
        follow_up=(
            "<p>La squadra vincitrice co-progetta gli spazi con il Comune in tre laboratori e "
            "firma il patto di collaborazione.</p>"
        ),
    )
    action.add_child(instance=contest)
    criteria = (("Qualità del progetto", "2"), ("Fattibilità", "1"), ("Comunità", "1.5"))
    for order, (name, weight) in enumerate(criteria):
        ContestCriterion.objects.create(
            contest=contest, name=name, weight=Decimal(weight), sort_order=order
        )
    ContestPrize.objects.create(
        contest=contest,
        sort_order=0,
        title="Concessione dell'edificio per tre anni",
        description="Con 15.000 € per i primi lavori e l'accompagnamento di un'architetta.",
    )
    ContestAnswer.objects.create(
        contest=contest,
        sort_order=0,
        question="Possono partecipare squadre di comuni diversi?",
        answer="Sì: conta l'età, non la residenza.",
    )
    for juror in jurors:
        ContestJuror.objects.create(contest=contest, user=juror)
    contest.save_revision().publish()
    return ContestPage.objects.get(pk=contest.pk)


@transaction.atomic
def load_demo_contest(*, accounts: dict, stdout=None) -> ContestPage | None:
    existing = ContestPage.objects.filter(slug=SLUG, locale__language_code="it").first()
    action = ActionPage.objects.filter(code="5.3.5", locale__language_code="it").first()
    admin = accounts.get("admin")
    jurors = [accounts.get("reviewer"), accounts.get("reviewer2")]
    if existing or action is None or admin is None or None in jurors:
        return existing
    start = timezone.now() - DAY * 60
    contest = _contest(action, start, jurors)
    people = iter(range(1, 100))
    entries = []
    for title, summary, names, *_scores in TEAMS:
        team = [_person(name, next(people)) for name in names]
        when = start + DAY * 5
        entry = entry_start(contest=contest, user=team[0], kind=EntrantKind.GROUP, now=when)
        for mate in team[1:]:
            member = member_invite(
                entry=entry, actor=team[0], email=mate.email, role=MemberRole.DESIGN, now=when
            )
            member_accept(member=member, user=mate, now=when)
        entry_save_draft(entry=entry, actor=team[0], data={"title": title, "summary": summary})
        file_upload(entry=entry, actor=team[0], upload=_board(title))
        entries.append(entry_submit(entry=entry, actor=team[0], now=start + DAY * 29))
    jury_assign(contest=contest, actor=admin)
    criteria = [str(c.pk) for c in contest.criteria.all()]
    for entry, (_t, _s, _n, first, second) in zip(entries, TEAMS, strict=True):
        for juror, marks in zip(jurors, (first, second), strict=True):
            assignment = entry.assignments.get(juror=juror)
            jury_confirm_no_conflict(assignment=assignment, juror=juror)
            jury_submit(
                assignment=assignment,
                juror=juror,
                scores=dict(zip(criteria, marks, strict=True)),
                comment=f"{entry.title}: idea chiara, da verificare i costi.",
                now=start + DAY * 35,
            )
    voters = [_person(f"Votante {i}", next(people)) for i in range(6)]
    for voter, entry in zip(voters, [0, 0, 1, 2, 2, 2], strict=True):
        public_vote_cast(contest=contest, entry=entries[entry], voter=voter, now=start + DAY * 45)
    result = results_confirm(
        contest=contest,
        actor=admin,
        reasoning=(
            "La giuria premia il progetto che riapre la scuola a tutto il paese, con un uso "
            "diverso in ogni stagione e un piano di gestione sostenibile."
        ),
        now=start + DAY * 51,
    )
    follow_up_create(
        result=result,
        actor=admin,
        title="Patto di collaborazione per l'ex scuola di Usseglio",
        description="Riapertura dell'ex scuola come spazio giovani, co-progettata con il Comune.",
        parties="Comune di Usseglio\nCittà metropolitana di Torino\nLa squadra vincitrice",
        signed_on=(start + DAY * 58).date(),
        starts_on=(start + DAY * 60).date(),
        ends_on=(start + DAY * (60 + 3 * 365)).date(),
    )
    demo_pages_translate([contest], stdout=stdout)
    if stdout is not None:
        stdout.write(f"Contest: {contest.title} ({len(entries)} progetti)\n")
    return contest
