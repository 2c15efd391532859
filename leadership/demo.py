"""Demo content for ``make run``: an open call with applications under review, a pilot call
already selected whose cohort is following the pathway, and last year's edition whose cohort
completed it (the demo participant holds a verifiable certificate). Idempotent."""

from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from leadership.models import (
    Application,
    CallCriterion,
    CallDocument,
    CallFaq,
    CallPage,
    CallQuestion,
    CallQuota,
    Category,
    Certificate,
    ProgrammePage,
    QuestionKind,
    QuotaKind,
    Review,
    SelectionRun,
)
from leadership.models import ApplicationStatus as S
from leadership.selectors import cohort_participant_ids
from leadership.services.applications import (
    application_save_draft,
    application_start,
    application_submit,
)
from leadership.services.documents import application_upload_document
from leadership.services.offers import seat_accept
from leadership.services.pathway import (
    attendance_mark,
    cohort_complete,
    cohort_create,
    session_create,
)
from leadership.services.reviews import review_submit, reviews_assign_automatically
from leadership.services.selection import (
    selection_adjust,
    selection_confirm,
    selection_publish_report,
)
from psm.localisation import default_locale_id, demo_pages_translate
from psm.models import HomePage
from territory.models import TORINO_ISTAT_CODE, Comune, ZonaOmogenea

TITLE = "Leadership civica giovanile 2027"
EXTRA = [
    # (name, gender, comune ISTAT, category, birth year)
    ("Giorgia", "donna", "001259", Category.STUDENT, 2005),  # Sauze d'Oulx (montano)
    ("Matteo", "uomo", TORINO_ISTAT_CODE, Category.WORKER, 1998),  # Torino
    ("Fatima", "donna", "001082", Category.ADMINISTRATOR, 1996),  # Chivasso
    ("Davide", "uomo", "001259", Category.STUDENT, 2004),
    ("Elena", "donna", TORINO_ISTAT_CODE, Category.WORKER, 2000),
    ("Karim", "uomo", "001082", Category.STUDENT, 2006),
    ("Alex", "non_binario", "001259", Category.WORKER, 2001),
]
#: The zona omogenea of the demo's comuni, set if the administrators have not set it yet (the
#: ISTAT data do not carry it): Torino (1), Sauze d'Oulx (6, Valli di Susa e Sangone), Chivasso
#: (10, Chivassese). The zona quotas of the demo calls count on them.
DEMO_ZONES = {TORINO_ISTAT_CODE: 1, "001259": 6, "001082": 10}
CHIVASSESE = 10
#: The balance rules of both demo calls: the gender cap, a seat per category and the mountains;
#: the pilot also reserves a seat for the Chivassese, the open call caps every zona.
QUOTAS = [
    (QuotaKind.GENDER_MAX_SHARE, "50", None),
    (QuotaKind.CATEGORY_MIN_SEATS, "1", None),
    (QuotaKind.MOUNTAIN_MIN_SHARE, "20", None),
]
OPEN_QUOTAS = [*QUOTAS, (QuotaKind.ZONA_MAX_SHARE, "50", None)]
PILOT_QUOTAS = [*QUOTAS, (QuotaKind.ZONA_MIN_SEATS, "1", CHIVASSESE)]
ANSWERS = [
    "Voglio capire come si prendono le decisioni nel mio territorio e portare la voce di chi "
    "vive in montagna.",
    "Lavoro in una cooperativa: vorrei imparare a progettare con le amministrazioni.",
    "Sono consigliera comunale da un anno e cerco strumenti per coinvolgere i giovani.",
]


def _call(programme, *, title, slug, opens, closes, seats, quotas):
    call = CallPage.objects.filter(slug=slug, locale_id=default_locale_id()).first()
    if call:
        return call, False
    call = CallPage(
        title=title,
        slug=slug,
        intro="<p>Un percorso gratuito per giovani studenti/esse, lavoratori/trici e "
        "amministratori/trici locali: conoscere da vicino i sistemi decisionale, politico, "
        "amministrativo, economico e della ricerca della Città metropolitana.</p>",
        body="<p>Il percorso prevede sei tappe tra gennaio e giugno, in presenza e online. "
        "La partecipazione è gratuita; le spese di viaggio sono rimborsate.</p>",
        opens_at=opens,
        closes_at=closes,
        seats=seats,
        age_min=18,
        age_max=35,
        reviewers_per_application=2,
    )
    programme.add_child(instance=call)
    call.save_revision().publish()
    CallDocument.objects.create(call=call, label="Curriculum vitae", required=True, sort_order=0)
    CallDocument.objects.create(
        call=call, label="Lettera motivazionale", required=False, sort_order=1
    )
    CallQuestion.objects.create(
        call=call,
        label="Perché vuoi partecipare al percorso?",
        kind=QuestionKind.LONG,
        max_chars=1500,
        sort_order=0,
    )
    CallQuestion.objects.create(
        call=call,
        label="Quale sistema ti interessa di più?",
        kind=QuestionKind.CHOICE,
        choices="Decisionale\nPolitico\nAmministrativo\nEconomico\nRicerca",
        sort_order=1,
    )
    for i, (name, weight) in enumerate(
        [("Motivazione", "2"), ("Impegno nel territorio", "1.5"), ("Chiarezza", "1")]
    ):
        CallCriterion.objects.create(call=call, name=name, weight=Decimal(weight), sort_order=i)
    for i, (kind, value, zona) in enumerate(quotas):
        CallQuota.objects.create(
            call=call, kind=kind, value=Decimal(value), zona_id=zona, sort_order=i
        )
    CallFaq.objects.create(
        call=call,
        question="Devo avere esperienze politiche?",
        answer="No: contano la motivazione e la voglia di impegnarsi per il territorio.",
    )
    return CallPage.objects.get(pk=call.pk), True


def _demo_zones() -> None:
    for istat_code, zona in DEMO_ZONES.items():
        Comune.objects.filter(pk=istat_code, zona_omogenea__isnull=True).update(
            zona_omogenea=ZonaOmogenea.objects.filter(pk=zona).first()
        )


def _extra_people(password: str) -> list[User]:
    people = []
    for i, (name, gender, comune, _cat, year) in enumerate(EXTRA, start=1):
        email = f"candidatura{i}@demo.psm-giovani.it"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(
                email=email,
                display_name=name,
                gender=gender,
                comune=Comune.objects.filter(pk=comune).first(),
                birth_date=timezone.datetime(year, 3, 10).date(),
                privacy_notice_version="2026-11",
                privacy_accepted_at=timezone.now(),
            )
            user.set_password(password)
            user.save()
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        people.append(user)
    return people


def _submit(call, person, category, answer_index):
    application = Application.objects.filter(call=call, applicant=person).first()
    if application:
        return application
    with transaction.atomic():
        application = Application.objects.create(call=call, applicant=person)
        questions = list(call.questions.all())
        application_save_draft(
            application=application,
            actor=person,
            data={
                "category": category,
                questions[0].field_name: ANSWERS[answer_index % len(ANSWERS)],
                questions[1].field_name: "Amministrativo",
            },
        )
        from django.core.files.uploadedfile import SimpleUploadedFile

        application_upload_document(
            application=application,
            requirement=call.documents.get(required=True),
            upload=SimpleUploadedFile("cv.pdf", _demo_pdf(person.public_name)),
            actor=person,
        )
        application_submit(application=application, actor=person)
    return Application.objects.get(pk=application.pk)


def _demo_pdf(name: str) -> bytes:
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, f"Curriculum vitae — {name} (dimostrativo)")
    pdf.save()
    return buffer.getvalue()


def _review_all(call, reviewers, bias):
    for review in Review.objects.filter(application__call=call, submitted_at__isnull=True):
        if review.reviewer_id not in {r.pk for r in reviewers}:
            continue
        base = (review.application_id * 7) % 4 + 1
        review_submit(
            review=review,
            reviewer=review.reviewer,
            scores={
                str(c.pk): min(call.score_max, max(0, base + bias.get(review.reviewer_id, 0)))
                for c in call.criteria.all()
            },
            comment="Candidatura solida, motivazione chiara.",
        )


def _programme(home) -> ProgrammePage:
    programme = ProgrammePage.objects.filter(
        slug="leadership-civica-2027", locale_id=default_locale_id()
    ).first()
    if programme is None:
        programme = ProgrammePage(
            title=TITLE,
            slug="leadership-civica-2027",
            edition=2027,
            intro="<p>Il programma di leadership civica del Piano Strategico Metropolitano "
            "(azione 5.2.2): selezione aperta, poi un percorso in sei tappe.</p>",
        )
        home.add_child(instance=programme)
        programme.save_revision().publish()
    return programme


def _open_call(programme, accounts, people, reviewers, now) -> CallPage:
    """The open call: applications under review, the demo participant has a draft."""
    call, _created = _call(
        programme,
        title=TITLE,
        slug="bando-2027",
        opens=now - timedelta(days=10),
        closes=now + timedelta(days=30),
        seats=4,
        quotas=OPEN_QUOTAS,
    )
    for i, person in enumerate([accounts["participant2"], accounts["participant3"], *people[:3]]):
        category = [Category.WORKER, Category.STUDENT, *[p[3] for p in EXTRA[:3]]][i]
        _submit(call, person, category, i)
    if not Application.objects.filter(call=call, applicant=accounts["participant"]).exists():
        draft = application_start(call=call, applicant=accounts["participant"])
        application_save_draft(
            application=draft,
            actor=accounts["participant"],
            data={"category": Category.STUDENT},
        )
    reviews_assign_automatically(call=call, actor=accounts["coordinator"])
    _review_all(call, reviewers[:1], {})
    return call


def _pilot_call(programme, accounts, people, reviewers, now, stdout) -> CallPage:
    """The pilot call, closed and selected, its seats accepted."""
    coordinator = accounts["coordinator"]
    pilot, _created = _call(
        programme,
        title=f"{TITLE} — edizione pilota",
        slug="bando-2027-pilota",
        opens=now - timedelta(days=60),
        closes=now + timedelta(hours=1),
        seats=4,
        quotas=PILOT_QUOTAS,
    )
    if not pilot.is_closed():
        # the pilot took applications, then closed (a new published revision records it)
        for i, person in enumerate([accounts["participant"], *people]):
            category = [Category.STUDENT, *[p[3] for p in EXTRA]][i]
            _submit(pilot, person, category, i)
        pilot.closes_at = now - timedelta(days=20)
        pilot.save_revision().publish()
        pilot = CallPage.objects.get(pk=pilot.pk)
    if not SelectionRun.objects.filter(call=pilot).exists():
        reviews_assign_automatically(call=pilot, actor=coordinator)
        _review_all(pilot, reviewers, {reviewers[1].pk: -1})
        demo_person = Application.objects.get(call=pilot, applicant=accounts["participant"])
        selection_adjust(
            application=demo_person,
            include=True,
            motivation="Dimostrazione: correzione motivata della graduatoria.",
            actor=coordinator,
        )
        selection_confirm(call=pilot, actor=coordinator)
        selection_publish_report(call=pilot, actor=coordinator, published=True)
    mine = Application.objects.get(call=pilot, applicant=accounts["participant"])
    if mine.status in (S.WAITLISTED, S.NOT_SELECTED):
        stdout.write("Leadership: la partecipante demo non è stata selezionata nel pilota.")
    if mine.status == S.SELECTED:
        seat_accept(application=mine, actor=accounts["participant"])
    for application in Application.objects.filter(call=pilot, status=S.SELECTED):
        if application.applicant_id != accounts["participant"].pk:
            seat_accept(application=application, actor=application.applicant)
    return pilot


def _pilot_pathway(pilot, coordinator, now) -> None:
    """The pilot's cohort with a session per stage, the first one attended."""
    cohort = cohort_create(call=pilot, actor=coordinator)
    if cohort.stages.filter(sessions__isnull=False).exists():
        return
    start = timezone.localtime(now).replace(hour=17, minute=0, second=0, microsecond=0)
    for offset, stage in enumerate(cohort.stages.all()):
        session_create(
            stage=stage,
            actor=coordinator,
            title=f"{stage.name}: incontro di apertura",
            starts_at=start + timedelta(days=7 * offset - 7),
            ends_at=start + timedelta(days=7 * offset - 7, hours=2),
            place="Palazzo Cisterna, via Maria Vittoria 12, Torino",
            reflection_prompt="Quale decisione pubblica recente ti ha toccato da vicino?",
        )
    first = cohort.stages.first().sessions.first()
    for person_id in cohort_participant_ids(cohort):
        attendance_mark(
            session=first,
            participant=User.objects.get(pk=person_id),
            present=True,
            actor=coordinator,
        )


PREVIOUS_SLUG = "bando-2026"


def _previous_edition(programme, accounts, people, reviewers, now) -> CallPage:
    """Last year's edition: applications, selection, the whole pathway attended, completion
    and certificates (through the same services as a real edition)."""
    coordinator = accounts["coordinator"]
    call, _created = _call(
        programme,
        title="Leadership civica giovanile 2026 — prima edizione",
        slug=PREVIOUS_SLUG,
        opens=now - timedelta(days=420),
        closes=now + timedelta(hours=1),
        seats=3,
        quotas=[],
    )
    if not call.is_closed():
        categories = [Category.STUDENT, *[p[3] for p in EXTRA]]
        for i, person in enumerate([accounts["participant"], *people[:4]]):
            _submit(call, person, categories[i], i)
        call.closes_at = now - timedelta(days=380)
        call.save_revision().publish()
        call = CallPage.objects.get(pk=call.pk)
    if not SelectionRun.objects.filter(call=call).exists():
        reviews_assign_automatically(call=call, actor=coordinator)
        _review_all(call, reviewers, {})
        selection_adjust(
            application=Application.objects.get(call=call, applicant=accounts["participant"]),
            include=True,
            motivation="Dimostrazione: correzione motivata della graduatoria.",
            actor=coordinator,
        )
        selection_confirm(call=call, actor=coordinator)
        selection_publish_report(call=call, actor=coordinator, published=True)
    for application in Application.objects.filter(call=call, status=S.SELECTED):
        seat_accept(application=application, actor=application.applicant)
    cohort = cohort_create(call=call, actor=coordinator)
    if cohort.stages.filter(sessions__isnull=False).exists():
        return call
    start = timezone.localtime(now - timedelta(days=350)).replace(
        hour=17, minute=0, second=0, microsecond=0
    )
    participants = list(User.objects.filter(pk__in=cohort_participant_ids(cohort)))
    for offset, stage in enumerate(cohort.stages.all()):
        session = session_create(
            stage=stage,
            actor=coordinator,
            title=f"{stage.name}: incontro",
            starts_at=start + timedelta(days=30 * offset),
            ends_at=start + timedelta(days=30 * offset, hours=2),
            place="Palazzo Cisterna, via Maria Vittoria 12, Torino",
        )
        for person in participants:
            attendance_mark(session=session, participant=person, present=True, actor=coordinator)
    cohort_complete(cohort=cohort, actor=coordinator)
    return call


def demo_load(*, accounts, stdout) -> None:
    home = HomePage.objects.filter(locale_id=default_locale_id()).first()
    if home is None:
        stdout.write("Leadership: manca la pagina iniziale, carica prima il piano.")
        return
    programme = _programme(home)
    now = timezone.now()
    reviewers = [accounts["reviewer"], accounts["reviewer2"]]
    _demo_zones()
    people = _extra_people(DEMO_PASSWORD)
    call = _open_call(programme, accounts, people, reviewers, now)
    pilot = _pilot_call(programme, accounts, people, reviewers, now, stdout)
    _pilot_pathway(pilot, accounts["coordinator"], now)
    previous = _previous_edition(programme, accounts, people, reviewers, now)
    demo_pages_translate([programme, call, pilot], stdout=stdout)
    stdout.write(f"Leadership: bando aperto «{call.title}» e pilota con percorso pronti.")
    certificate = Certificate.objects.filter(
        application__call=previous, application__applicant=accounts["participant"]
    ).first()
    if certificate is not None:
        stdout.write(
            f"Leadership: percorso «{previous.title}» completato, attestato verificabile su "
            f"{reverse('leadership:verify_code', args=[certificate.code])}"
        )
