"""The home page lists the workshops running now, with the way in (not their codes)."""

from django.urls import reverse
from django.utils import timezone

from psm.page_cache import bump_content_version
from tests.consultations.factories import make_consultation
from workshops.models import LiveSession


def test_running_workshops_on_the_home_page_without_their_codes(plan, client):
    consultation = make_consultation(phase="proposals")
    running = LiveSession.objects.create(
        page=consultation, title="Laboratorio in biblioteca", code="QWE234"
    )
    LiveSession.objects.create(
        page=consultation,
        title="Laboratorio di ieri",
        code="ZXC567",
        status=LiveSession.Status.CLOSED,
        closed_at=timezone.now(),
    )
    html = client.get("/").content.decode()
    assert "Laboratori dal vivo in corso" in html
    assert running.title in html
    assert reverse("live:join") in html
    assert "QWE234" not in html
    assert "Laboratorio di ieri" not in html

    LiveSession.objects.filter(pk=running.pk).update(status=LiveSession.Status.CLOSED)
    bump_content_version()  # update() sends no signal to the anonymous page cache; services save
    assert "Laboratori dal vivo in corso" not in client.get("/").content.decode()
