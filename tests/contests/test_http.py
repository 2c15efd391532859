"""Over HTTP: jurors never see a name, e-mail or comune of entrants; the team's pages."""

import pytest
from django.urls import reverse

from contests.models import Entry, EntryStatus, JuryAssignment
from contests.services.jury import jury_assign
from tests.contests import factories
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def juror(plan):
    return UserFactory(display_name="Giurata Neutra")


@pytest.fixture
def judged(juror):
    contest = factories.make_contest(jurors=[juror], jurors_per_entry=1)
    now = factories.at(contest, "open")
    names = ["Zelinda Quartararo", "Ottavio Brambillasca"]
    entry, people = factories.make_team(contest, names=names, now=now)
    from contests.services.entries import entry_save_draft
    from contests.services.files import file_upload
    from contests.services.submission import entry_submit

    entry_save_draft(entry=entry, actor=people[0], data={"title": "Il cortile", "summary": "Orti."})
    file_upload(
        entry=entry, actor=people[0], upload=factories.pdf_upload(author="Zelinda Quartararo")
    )
    file_upload(entry=entry, actor=people[1], upload=factories.jpeg_upload(artist="Ottavio B."))
    entry_submit(entry=entry, actor=people[0], now=now)
    jury_assign(contest=contest, actor=UserFactory(is_superuser=True, is_staff=True))
    return contest, Entry.objects.get(pk=entry.pk), people


def _forbidden_words(people):
    words = []
    for person in people:
        words += [person.email, person.display_name, person.comune.name]
        words += person.display_name.split()
    return [w for w in words if w]


def test_juror_pages_and_downloads_carry_no_name_email_or_comune(client, juror, judged):
    contest, entry, people = judged
    assignment = JuryAssignment.objects.get(entry=entry, juror=juror)
    client.force_login(juror)
    bodies = [client.get(reverse("contests:jury_list")).content]
    detail = reverse("contests:jury_detail", args=[assignment.pk])
    bodies.append(client.get(detail).content)
    client.post(reverse("contests:no_conflict", args=[assignment.pk]))
    page = client.get(detail)
    assert page.status_code == 200
    assert entry.code.encode() in page.content
    bodies.append(page.content)
    for item in entry.files.all():
        response = client.get(reverse("contests:jury_file", args=[assignment.pk, item.pk]))
        assert response.status_code == 200
        assert entry.code in response["Content-Disposition"]
        assert item.original_name not in response["Content-Disposition"]
        bodies.append(b"".join(response.streaming_content))
        bodies.append(response["Content-Disposition"].encode())
    for word in _forbidden_words(people):
        for body in bodies:
            assert word.encode() not in body, word
            assert word.encode("utf-16-be") not in body, word


def test_files_are_served_to_the_assigned_juror_only_after_the_conflict_confirmation(
    client, juror, judged
):
    contest, entry, people = judged
    assignment = JuryAssignment.objects.get(entry=entry, juror=juror)
    item = entry.files.first()
    url = reverse("contests:jury_file", args=[assignment.pk, item.pk])
    client.force_login(juror)
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.get(reverse("contests:jury_detail", args=[assignment.pk])).status_code == 404


def test_the_team_workspace_is_for_members_only(client, judged):
    contest, entry, people = judged
    url = reverse("contests:entry", args=[entry.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    item = entry.files.first()
    assert client.get(reverse("contests:download", args=[entry.pk, item.pk])).status_code == 404
    client.force_login(people[1])
    page = client.get(url)
    assert page.status_code == 200
    assert entry.protocol.encode() in page.content


def test_a_team_registers_saves_as_it_types_and_submits(client, plan):
    contest = factories.make_contest()
    contact, mate = UserFactory(), UserFactory()
    client.force_login(contact)
    response = client.post(reverse("contests:start", args=[contest.pk]), {"kind": "group"})
    entry = Entry.objects.get(contact=contact)
    assert response.url == reverse("contests:entry", args=[entry.pk])
    saved = client.post(
        reverse("contests:autosave", args=[entry.pk]),
        {"title": "Piazza viva", "summary": "Panchine e ombra."},
    )
    assert saved.json()["ok"]
    client.post(
        reverse("contests:invite", args=[entry.pk]), {"email": mate.email, "role": "graphics"}
    )
    client.post(reverse("contests:upload", args=[entry.pk]), {"file": factories.pdf_upload()})
    client.force_login(mate)
    member = entry.members.get(email=mate.email)
    client.post(reverse("contests:accept", args=[member.pk]))
    assert client.post(reverse("contests:submit", args=[entry.pk])).status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DRAFT  # only the contact submits
    client.force_login(contact)
    client.post(reverse("contests:submit", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED
    assert entry.protocol


def test_the_contest_page_shows_phases_and_results_reasoning(client, plan):
    contest = factories.make_contest()
    page = client.get(contest.url)
    assert page.status_code == 200
    assert b"Ex scuola elementare" in page.content
    assert contest.comune.name.encode() in page.content


def test_management_is_for_who_may_edit_the_page(client, judged):
    contest, entry, people = judged
    url = reverse("contests:manage", args=[contest.pk])
    client.force_login(people[0])
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(url).status_code == 200


def test_the_action_page_lists_its_contests(client, plan):
    contest = factories.make_contest(title="Contest sull'azione")
    page = client.get(contest.get_parent().url)
    assert page.status_code == 200
    assert contest.url.encode() in page.content
