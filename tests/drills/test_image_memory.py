"""Drill: a memory ceiling on image processing (issue 11, finding 11).

A 155 KB PNG can claim 40 megapixels and take 646 MB to decode. Pictures are now refused
from their header above ``MAX_PIXELS`` (nothing decoded), and the decoding of what passes
happens in a Celery task (``proposals.tasks.process_image``), in a child process whose address
space is capped (``MEMORY_CEILING``). The drill measures the child's own peak resident memory
(``VmHWM``) on the worst pictures the header check lets through, checks that the ceiling stops
a bomb handed straight to the decoder, and sends over HTTP a picture that passes the header
check but needs more than the ceiling: the proposal is saved, the picture refused by the task,
the author told why, and the web process never decoded a pixel.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from proposals import images
from proposals.images import ImageRejected, image_accept, image_rendition

#: The bound the drill holds the re-encoding to. Measured on 16 megapixels: JPEG about 55 MB
#: (decoded at a reduced scale), PNG RGBA about 170 MB, lossless WebP RGBA about 300 MB
#: (libwebp's buffer, then Pillow's copy); the 40 megapixel PNG took 646 MB in process.
PEAK_BOUND = 320 * 1024 * 1024


def _png(width: int, height: int, mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _picture(kind: str, width: int, height: int) -> bytes:
    out = io.BytesIO()
    if kind == "JPEG":
        Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="JPEG")
    elif kind == "GIF":
        Image.new("P", (width, height)).save(out, format="GIF")
    elif kind == "WEBP":
        Image.new("RGBA", (width, height)).save(out, format="WEBP", lossless=True)
    else:
        Image.new(kind, (width, height)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def test_the_40_megapixel_bomb_is_refused_before_decoding(monkeypatch):
    bomb = _png(8000, 5000, "RGBA")
    assert len(bomb) < 200_000  # small on the wire
    decoded = []
    monkeypatch.setattr(images, "image_rendition", lambda data: decoded.append(data))
    with pytest.raises(ImageRejected) as refusal:
        image_accept(SimpleUploadedFile("bomba.png", bomb, content_type="image/png"))
    assert "megapixel" in str(refusal.value)
    assert decoded == []


# The largest pictures the header check accepts (16 megapixels), in every accepted format.
AT_THE_LIMIT = [
    ("RGBA", 4000, 4000),
    ("RGB", 4000, 4000),
    ("JPEG", 4000, 4000),
    ("GIF", 4000, 4000),
    ("WEBP", 4000, 4000),
    ("RGBA", 16_000, 1000),
]


@pytest.mark.parametrize(("kind", "width", "height"), AT_THE_LIMIT)
def test_peak_memory_of_the_worst_accepted_picture_stays_bounded(kind, width, height):
    data = _picture(kind, width, height)
    images.image_check_header(data)  # accepted by the header check
    rendition = image_rendition(data)
    assert rendition.extension in ("jpg", "png")
    assert 0 < rendition.peak_bytes < PEAK_BOUND, rendition.peak_bytes // 2**20
    with Image.open(io.BytesIO(rendition.content)) as clean:
        assert max(clean.size) <= images.MAX_SIDE


def test_the_bound_is_below_the_ceiling():
    assert PEAK_BOUND < images.MEMORY_CEILING


def test_the_ceiling_stops_a_bomb_that_reaches_the_decoder():
    """Even if a picture got past the header check, decoding cannot take the ceiling over."""
    with pytest.raises(ImageRejected) as refusal:
        image_rendition(_png(8000, 5000, "RGBA"))
    assert "memoria" in str(refusal.value)


def test_a_lower_ceiling_refuses_what_a_higher_one_lets_through(monkeypatch):
    data = _picture("RGBA", 4000, 4000)
    monkeypatch.setattr(images, "MEMORY_CEILING", 64 * 1024 * 1024)
    accepted = image_accept(SimpleUploadedFile("grande.png", data, content_type="image/png"))
    with pytest.raises(ImageRejected):
        image_rendition(accepted)


def test_over_http_the_task_refuses_what_the_ceiling_stops(
    client,
    open_consultation,
    user,
    settings,
    tmp_path,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    from django.urls import reverse

    from notifications.models import Notification, NotificationKind
    from proposals.models import ImageUpload, ImageUploadState, Proposal

    settings.MEDIA_ROOT = tmp_path / "public"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    monkeypatch.setattr(images, "MEMORY_CEILING", 64 * 1024 * 1024)
    client.force_login(user)
    picture = SimpleUploadedFile("grande.png", _picture("RGBA", 4000, 4000), "image/png")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("proposals:create", args=[open_consultation.pk]),
            {
                "title": "Una proposta con una foto pesante",
                "body": "Un testo abbastanza lungo per essere accettato dal modulo.",
                "image": picture,
            },
        )
    assert response.status_code == 302  # saved: the picture is the task's business
    proposal = Proposal.objects.get(author=user)
    assert not proposal.image
    assert proposal.image_upload is None
    assert ImageUpload.objects.get(author=user).state == ImageUploadState.REFUSED
    notice = Notification.objects.get(user=user, kind=NotificationKind.IMAGE_REFUSED)
    assert "memoria" in notice.body
    print("IMAGE TASK: a 16-megapixel RGBA picture over a 64 MB ceiling refused by the task")
