"""Entries: eligibility, team membership, drafts, files, the deadline to the second."""

import datetime

import pikepdf
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from PIL import Image

from contests.models import EntrantKind, EntryStatus, MemberRole
from contests.services.entries import (
    entry_save_draft,
    entry_start,
    member_accept,
    member_invite,
    member_remove,
)
from contests.services.files import file_upload
from contests.services.submission import entry_submit
from notifications.models import EmailDelivery
from tests.contests import factories
from tests.factories import UserFactory, years_ago

pytestmark = pytest.mark.django_db
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def contest(plan):
    return factories.make_contest(allow_associations=False)


def test_a_person_of_the_right_age_registers_and_becomes_the_contact(contest):
    person = UserFactory(birth_date=years_ago(17))
    entry = entry_start(contest=contest, user=person, kind=EntrantKind.INDIVIDUAL)
    assert entry.contact == person
    assert entry.status == EntryStatus.DRAFT
    assert len(entry.code) == 9
    assert entry.code[4] == "-"
    assert entry.members.get().user == person


@pytest.mark.parametrize("years", [13, 36])
def test_age_limits_refuse_outside_the_range(contest, years):
    with pytest.raises(PermissionDenied, match="tra 14 e 35 anni"):
        entry_start(contest=contest, user=UserFactory(birth_date=years_ago(years)), kind="group")


def test_no_birth_date_asks_for_it(contest):
    with pytest.raises(PermissionDenied, match="data di nascita"):
        entry_start(contest=contest, user=UserFactory(birth_date=None), kind="group")


def test_a_kind_the_contest_does_not_admit_is_refused(contest):
    with pytest.raises(ValidationError, match="aperto a"):
        entry_start(
            contest=contest, user=UserFactory(), kind=EntrantKind.ASSOCIATION, organisation="X"
        )


def test_a_school_names_itself(contest):
    with pytest.raises(ValidationError, match="scuola"):
        entry_start(contest=contest, user=UserFactory(), kind=EntrantKind.SCHOOL)


def test_a_juror_cannot_enter(plan):
    juror = UserFactory()
    contest = factories.make_contest(jurors=[juror])
    with pytest.raises(PermissionDenied, match="giuria"):
        entry_start(contest=contest, user=juror, kind=EntrantKind.GROUP)


def test_registration_closed_before_it_opens(plan):
    contest = factories.make_contest()
    with pytest.raises(ValidationError):
        entry_start(
            contest=contest,
            user=UserFactory(),
            kind="group",
            now=contest.registration_opens_at - SECOND,
        )


def test_team_invitation_is_accepted_only_by_that_address(contest):
    contact, invitee, stranger = UserFactory(), UserFactory(), UserFactory()
    entry = entry_start(contest=contest, user=contact, kind=EntrantKind.GROUP)
    member = member_invite(
        entry=entry, actor=contact, email=invitee.email.upper(), role=MemberRole.GRAPHICS
    )
    assert EmailDelivery.objects.filter(user=invitee, idempotency_key__contains="invitation")
    with pytest.raises(PermissionDenied):
        member_accept(member=member, user=stranger)
    member_accept(member=member, user=invitee)
    member.refresh_from_db()
    assert member.user == invitee
    assert member.is_accepted


def test_only_the_contact_invites_and_no_one_twice(contest):
    entry, people = factories.make_team(contest)
    with pytest.raises(PermissionDenied):
        member_invite(entry=entry, actor=people[1], email="x@example.org", role="design")
    with pytest.raises(ValidationError, match="già stata invitata"):
        member_invite(entry=entry, actor=people[0], email=people[1].email, role="design")


def test_team_size_is_capped(plan):
    contest = factories.make_contest(max_team_size=2)
    entry, people = factories.make_team(contest, size=2)
    with pytest.raises(ValidationError, match="al massimo 2"):
        member_invite(entry=entry, actor=people[0], email="terza@example.org", role="design")


def test_an_individual_does_not_invite(contest):
    person = UserFactory()
    entry = entry_start(contest=contest, user=person, kind=EntrantKind.INDIVIDUAL)
    with pytest.raises(ValidationError):
        member_invite(entry=entry, actor=person, email="a@example.org", role="design")


def test_one_entry_per_person_and_contest(contest):
    entry, people = factories.make_team(contest)
    with pytest.raises(ValidationError, match="Partecipi già"):
        entry_start(contest=contest, user=people[1], kind=EntrantKind.INDIVIDUAL)
    other = entry_start(contest=contest, user=UserFactory(), kind=EntrantKind.GROUP)
    invitation = member_invite(
        entry=other, actor=other.contact, email=people[1].email, role="design"
    )
    with pytest.raises(ValidationError, match="Partecipi già"):
        member_accept(member=invitation, user=people[1])


def test_a_member_too_young_cannot_join(contest):
    entry, people = factories.make_team(contest)
    young = UserFactory(birth_date=years_ago(12))
    member = member_invite(entry=entry, actor=people[0], email=young.email, role="design")
    with pytest.raises(PermissionDenied):
        member_accept(member=member, user=young)


def test_members_edit_the_draft_outsiders_do_not(contest):
    entry, people = factories.make_team(contest)
    entry_save_draft(entry=entry, actor=people[1], data={"title": "Orto sul tetto"})
    entry.refresh_from_db()
    assert entry.title == "Orto sul tetto"
    assert entry.draft_saved_at
    with pytest.raises(PermissionDenied):
        entry_save_draft(entry=entry, actor=UserFactory(), data={"title": "no"})
    with pytest.raises(ValidationError, match="https"):
        entry_save_draft(entry=entry, actor=people[0], data={"video_url": "javascript:alert(1)"})
    with pytest.raises(ValidationError, match="https"):
        entry_save_draft(entry=entry, actor=people[0], data={"video_url": "https://"})


def test_a_stored_link_reaches_a_page_only_if_it_is_https(contest):
    """Defence in depth: a value written around the service never becomes a script link."""
    entry, _people = factories.make_team(contest)
    entry.video_url = "javascript:alert(1)"
    assert entry.video_link == ""
    entry.video_url = "https://video.example.org/progetto"
    assert entry.video_link == "https://video.example.org/progetto"


def test_a_member_leaves_the_contact_cannot(contest):
    entry, people = factories.make_team(contest, size=3)
    mine = entry.members.get(user=people[2])
    member_remove(member=mine, actor=people[2])
    with pytest.raises(ValidationError):
        member_remove(member=entry.members.get(user=people[0]), actor=people[0])
    with pytest.raises(PermissionDenied):
        member_remove(member=entry.members.get(user=people[1]), actor=UserFactory())


def test_submission_to_the_second(contest):
    entry, people = factories.make_team(contest)
    entry_save_draft(entry=entry, actor=people[0], data={"title": "T", "summary": "S"})
    file_upload(entry=entry, actor=people[0], upload=factories.pdf_upload())
    closes = contest.submission_closes_at
    with pytest.raises(ValidationError, match="si è chiusa"):
        entry_submit(entry=entry, actor=people[0], now=closes + SECOND)
    entry = entry_submit(entry=entry, actor=people[0], now=closes)
    assert entry.status == EntryStatus.SUBMITTED
    assert entry.submitted_at == closes
    assert entry.protocol == f"CT{timezone.localtime(closes).year}-{contest.pk}-{entry.pk:05d}"
    receipts = EmailDelivery.objects.filter(
        idempotency_key__startswith=f"contests:receipt:{entry.pk}:"
    )
    assert {d.user for d in receipts} == set(people)
    assert entry.protocol in receipts.first().body


def test_submission_needs_a_board_the_contact_and_no_pending_invitation(contest):
    entry, people = factories.make_team(contest)
    entry_save_draft(entry=entry, actor=people[0], data={"title": "T", "summary": "S"})
    with pytest.raises(ValidationError, match="PDF"):
        entry_submit(entry=entry, actor=people[0])
    file_upload(entry=entry, actor=people[1], upload=factories.pdf_upload())
    member_invite(entry=entry, actor=people[0], email="attesa@example.org", role="design")
    with pytest.raises(ValidationError, match="invitate"):
        entry_submit(entry=entry, actor=people[0])
    entry.members.filter(accepted_at__isnull=True).delete()
    with pytest.raises(PermissionDenied):
        entry_submit(entry=entry, actor=people[1])
    entry_submit(entry=entry, actor=people[0])
    with pytest.raises(ValidationError):
        entry_save_draft(entry=entry, actor=people[0], data={"title": "dopo"})


def test_a_pdf_naming_its_author_warns_and_the_stored_copy_has_no_metadata(contest):
    entry, people = factories.make_team(contest)
    item = file_upload(
        entry=entry, actor=people[0], upload=factories.pdf_upload(author="Zelinda Rossi")
    )
    assert any("Zelinda Rossi" in n for n in item.metadata_names)
    with item.file.open("rb") as handle, pikepdf.open(handle) as pdf:
        assert "/Author" not in pdf.docinfo


def test_a_photo_with_an_artist_warns_and_the_stored_copy_has_no_exif(contest):
    entry, people = factories.make_team(contest)
    item = file_upload(entry=entry, actor=people[0], upload=factories.jpeg_upload(artist="Ugo B."))
    assert item.kind == "image"
    assert any("Ugo B." in n for n in item.metadata_names)
    with item.file.open("rb") as handle, Image.open(handle) as image:
        assert 315 not in image.getexif()


def test_other_files_are_refused(contest):
    from django.core.files.uploadedfile import SimpleUploadedFile

    entry, people = factories.make_team(contest)
    with pytest.raises(ValidationError):
        file_upload(
            entry=entry,
            actor=people[0],
            upload=SimpleUploadedFile("x.pdf", b"<script>alert(1)</script>", "application/pdf"),
        )
