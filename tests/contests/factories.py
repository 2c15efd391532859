"""Factories for contests: a contest under action 5.3.5 in any phase, teams, files, a jury."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from reportlab.pdfgen import canvas

from contests.models import ContestCriterion, ContestJuror, ContestPage, EntrantKind, MemberRole
from contests.services.entries import entry_save_draft, entry_start, member_accept, member_invite
from contests.services.files import file_upload
from contests.services.submission import entry_submit
from psm.models import ActionPage
from territory.models import Comune
from tests.factories import UserFactory

DAY = datetime.timedelta(days=1)


def pdf_bytes(text: str = "Tavola 1: il cortile", author: str | None = None) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    if author:
        pdf.setAuthor(author)
    pdf.drawString(72, 720, text)
    pdf.save()
    return buffer.getvalue()


def pdf_upload(name: str = "tavola.pdf", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(**kwargs), "application/pdf")


def jpeg_upload(name: str = "foto.jpg", artist: str | None = None) -> SimpleUploadedFile:
    image = Image.new("RGB", (40, 30), (120, 160, 90))
    exif = Image.Exif()
    if artist:
        exif[315] = artist
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")


def mountain_comune() -> Comune:
    return Comune.objects.mountain().order_by("name").first()


def make_contest(*, phase: str = "open", jurors=(), public_vote: bool = True, **fields):
    """A contest whose dates put it in ``phase``: open, jury, vote or results."""
    now = timezone.now()
    offset = {"open": 0, "jury": 20, "vote": 30, "results": 40}[phase]
    start = now - DAY * (offset + 1)
    action = ActionPage.objects.get(locale__language_code="it", code="5.3.5")
    count = ContestPage.objects.count()
    comune = mountain_comune()
    defaults = {
        "title": f"Contest giovani {count + 1}",
        "slug": f"contest-{count + 1}",
        "brief": "<p>Ripensare l'ex scuola elementare.</p>",
        "site_name": "Ex scuola elementare",
        "site_street": "Via della Chiesa 1",
        "comune": comune,
        "latitude": comune.latitude,
        "longitude": comune.longitude,
        "age_min": 14,
        "age_max": 35,
        "registration_opens_at": start,
        "questions_close_at": start + DAY * 5,
        "submission_closes_at": start + DAY * 15,
        "jury_ends_at": start + DAY * 25,
        "public_vote_enabled": public_vote,
        "public_vote_closes_at": start + DAY * 35 if public_vote else None,
        "public_vote_weight": Decimal("0.20"),
        "results_at": start + DAY * 36,
    }
    defaults.update(fields)
    contest = ContestPage(**defaults)
    action.add_child(instance=contest)
    ContestCriterion.objects.create(
        contest=contest, name="Qualità", weight=Decimal("2"), sort_order=0
    )
    ContestCriterion.objects.create(
        contest=contest, name="Fattibilità", weight=Decimal("1"), sort_order=1
    )
    for juror in jurors:
        ContestJuror.objects.create(contest=contest, user=juror)
    return contest


def at(contest: ContestPage, phase: str) -> datetime.datetime:
    """A moment inside ``phase`` of ``contest``."""
    return {
        "open": contest.submission_closes_at - DAY,
        "jury": contest.jury_ends_at - DAY,
        "vote": contest.jury_ends_at + DAY,
        "results": contest.results_at + DAY,
    }[phase]


def make_team(contest, *, size: int = 2, names=None, now=None, comune=None):
    """A team entry (a group) with ``size`` accepted members; returns (entry, members)."""
    people = [
        UserFactory(
            display_name=(names[i] if names else f"Componente {i}"),
            comune=comune or mountain_comune(),
        )
        for i in range(size)
    ]
    entry = entry_start(contest=contest, user=people[0], kind=EntrantKind.GROUP, now=now)
    for person in people[1:]:
        member = member_invite(
            entry=entry, actor=people[0], email=person.email, role=MemberRole.RESEARCH, now=now
        )
        member_accept(member=member, user=person, now=now)
    return entry, people


def submitted_team(contest, *, title: str = "Un cortile per tutte e tutti", now=None, **kwargs):
    entry, people = make_team(contest, now=now, **kwargs)
    entry_save_draft(
        entry=entry, actor=people[0], data={"title": title, "summary": "Orti, laboratorio, sala."}
    )
    file_upload(entry=entry, actor=people[0], upload=pdf_upload())
    entry = entry_submit(entry=entry, actor=people[0], now=now)
    return entry, people
