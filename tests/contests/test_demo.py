from io import StringIO

from django.apps import apps

from accountability.models import ImplementationRecord
from accounts.demo import demo_accounts_load
from contests.models import ContestPage, EntryStatus, PublicVote


def test_demo_contest_loads_twice_and_shows_its_results(plan, settings, tmp_path, client):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    accounts = demo_accounts_load()
    config = apps.get_app_config("contests")
    config.load_demo_data(accounts=accounts, stdout=StringIO())
    config.load_demo_data(accounts=accounts, stdout=StringIO())
    contest = ContestPage.objects.get(locale__language_code="it", slug="contest-ex-scuola-usseglio")
    assert contest.get_parent().specific.code == "5.3.5"
    assert contest.comune.mountain_status in ("T", "P")
    assert contest.entries.filter(status=EntryStatus.SUBMITTED).count() == 3
    assert contest.jurors.count() == 2
    assert PublicVote.objects.filter(contest=contest).count() == 6
    result = contest.result
    assert result.winner.title == "Cortile comune"
    assert ImplementationRecord.objects.filter(pk=result.record_id, action__code="5.3.5").exists()
    assert result.agreement.party_list()[0] == "Comune di Usseglio"
    page = client.get(contest.url)
    assert page.status_code == 200
    assert "La giuria premia" in page.content.decode()
    english = ContestPage.objects.get(locale__language_code="en", slug=contest.slug)
    assert english.alias_of_id is None
    assert english.title == "Youth contest: the former school of Usseglio"
    english_page = client.get(english.url).content.decode()
    assert "collaboration agreement" in english_page
    # the rows are the English copy's own, in English (wagtail-localize's translation)
    assert list(english.criteria.values_list("name", flat=True)) == [
        "Quality of the project",
        "Feasibility",
        "Community",
    ]
    assert english.criteria.get(name="Feasibility").translation_key == (
        contest.criteria.get(name="Fattibilità").translation_key
    )
    for text in ("Use of the building for three years", "<li>Quality of the project (", "<dt>Can"):
        assert text in english_page
    for text in ("Concessione dell", "Qualità del progetto", "Possono partecipare"):
        assert text not in english_page
        assert text in page.content.decode()
