"""Drill: bad input never breaks the platform.

Hypothesis generates thousands of hostile values for the participant forms and services
(proposal, comment, vote, report) and for the HTTP endpoints behind them: each case must end
in a saved object or a refusal in plain Italian, never in another exception or a 5xx. Upload
attacks on the proposal picture must be refused with a message, and an XSS corpus typed into
every user text field must come back inert on the pages that show it.
"""

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core.errors import REFUSALS
from proposals.images import ImageRejected, image_accept, image_rendition
from proposals.models import Comment, Proposal
from proposals.services import comments
from proposals.services import proposals as proposal_services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def fuzz(max_examples: int) -> settings:
    """The drill's Hypothesis settings: ``max_examples`` cases, no deadline (a busy machine
    is not a fault), fixtures shared by the examples of one test."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def hostile_texts(max_size: int):
    """Any text up to ``max_size`` characters, or one of the known hostile strings."""
    return st.one_of(st.text(max_size=max_size), st.sampled_from(HOSTILE_STRINGS))


FUZZ = fuzz(700)
HTTP_FUZZ = settings(FUZZ, max_examples=120)
HOSTILE_STRINGS = [
    "",
    " ",
    "\x00",
    "a\x00b" * 10,
    "NaN",
    "-Infinity",
    "1e999999",
    "9" * 400,
    "'; DROP TABLE proposals_proposal; --",
    "<script>alert(1)</script>",
    "\u202e\u200b\ufeff",
    "😀" * 200,
    "%00%0d%0a",
    "../../etc/passwd",
    "{{ request }}{% debug %}",
    "x" * 6001,  # past every length limit (generated texts stay short: they are many)
]
texts = hostile_texts(500)
numbers = st.one_of(
    st.none(),
    st.sampled_from(HOSTILE_STRINGS),
    st.text(max_size=30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.integers(),
)

XSS_CORPUS = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "<svg/onload=alert(1)>",
    '"><script>alert(1)</script>',
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">clic</a>',
    "<iframe src=//evil.example></iframe>",
    "<body onload=alert(1)>",
    "{{7*7}} ${7*7} <%= 7*7 %>",
    "<style>body{display:none}</style>",
]
# What must never appear in a rendered page, whatever the text shown.
LIVE_MARKUP = re.compile(
    r"<script>alert|onerror=\"alert|<svg/onload|<iframe src=//evil|<body onload|href=\"javascript:"
    r"|<style>body",
    re.I,
)


def assert_answered(response, *allowed: int) -> None:
    """An allowed answer; control characters in the request get the middleware's plain 400."""
    if response.status_code == 400 and response["Content-Type"].startswith("text/plain"):
        assert response.content.decode().strip()
        return
    assert response.status_code in allowed, response.status_code


@FUZZ
@given(title=texts, body=texts, latitude=numbers, longitude=numbers, cost=numbers, kind=texts)
def test_proposal_submit_refuses_or_saves(
    open_consultation, title, body, latitude, longitude, cost, kind
):
    author = UserFactory.build()
    author.save()
    try:
        proposal = proposal_services.proposal_submit(
            consultation=open_consultation,
            author=author,
            title=title,
            body=body,
            latitude=latitude,
            longitude=longitude,
            cost=cost,
            kind=kind or "proposal",
        )
    except REFUSALS as refusal:
        assert str(refusal).strip()
    else:
        assert Proposal.objects.filter(pk=proposal.pk).exists()


@FUZZ
@given(
    body=texts, parent=st.one_of(st.none(), st.integers(min_value=-(2**63), max_value=2**63 - 1))
)
def test_comment_post_refuses_or_saves(open_consultation, body, parent):
    author = UserFactory()
    proposal = Proposal.objects.filter(consultation=open_consultation).first() or (
        Proposal.objects.create(
            consultation=open_consultation, author=author, title="Titolo", body="x" * 30
        )
    )
    parent_comment = Comment.objects.filter(pk=parent).first() if parent else None
    try:
        comment = comments.comment_post(
            proposal=proposal, author=author, body=body, parent=parent_comment
        )
    except REFUSALS as refusal:
        assert str(refusal).strip()
    else:
        assert comment.body.strip()


@HTTP_FUZZ
@given(
    data=st.dictionaries(
        st.sampled_from(
            [
                "title",
                "body",
                "category",
                "comune",
                "latitude",
                "longitude",
                "cost",
                "amended_action",
                "paragraph",
                "amended_text",
                "tipo",
            ]
        ),
        texts,
        max_size=10,
    )
)
def test_proposal_form_over_http_never_fails(client, open_consultation, data):
    client.force_login(UserFactory())
    response = client.post(reverse("proposals:create", args=[open_consultation.pk]), data)
    assert response.status_code < 500


@HTTP_FUZZ
@given(
    body=texts,
    parent=st.one_of(st.just(""), st.text(max_size=12), st.integers().map(str)),
    azione=st.one_of(st.just(""), st.text(max_size=10), st.just("ritira")),
)
def test_comment_and_vote_over_http_never_fail(
    client, open_consultation, user, body, parent, azione
):
    proposal = Proposal.objects.filter(consultation=open_consultation).first() or (
        Proposal.objects.create(
            consultation=open_consultation, author=user, title="Titolo", body="x" * 30
        )
    )
    client.force_login(UserFactory())
    response = client.post(
        reverse("proposals:comment", args=[proposal.pk]), {"body": body, "parent": parent}
    )
    assert response.status_code < 500
    response = client.post(reverse("proposals:vote", args=[proposal.pk]), {"azione": azione})
    assert response.status_code < 500


@HTTP_FUZZ
@given(
    query=st.dictionaries(
        st.sampled_from(["ordina", "pagina", "categoria", "comune", "stato", "q"]),
        st.one_of(st.text(max_size=40), st.integers().map(str)),
        max_size=6,
    ),
)
@example(query={"categoria": str(2**63)})  # past a 64-bit integer: the database cannot compare it
@example(query={"pagina": str(2**63), "ordina": "casuale"})
@example(query={"comune": "\x00"})  # PostgreSQL refuses NUL bytes in text parameters
@example(query={"q": "a\x00b"})
def test_listing_filters_never_fail(client, open_consultation, query):
    response = client.get(open_consultation.url, query)
    assert response.status_code < 500


@HTTP_FUZZ
@given(path_id=st.one_of(st.integers(min_value=0), st.sampled_from([2**31, 2**63, 2**64])))
def test_object_ids_in_paths_never_fail(client, path_id):
    for path in (f"/proposte/{path_id}/", f"/partecipa/{path_id}/risultati/"):
        response = client.get(path)
        assert response.status_code in (200, 302, 403, 404)


# --------------------------------------------------------------------------- uploads
def _png(width=4, height=4) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), "red").save(out, format="PNG")
    return out.getvalue()


def _pixel_bomb() -> bytes:
    """A tiny PNG whose header claims 100,000 × 100,000 pixels."""
    import struct
    import zlib

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


UPLOAD_ATTACKS = {
    "php disguised as jpg": ("foto.jpg", b"<?php system($_GET['c']); ?>", "image/jpeg"),
    "svg with script": (
        "foto.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "image/svg+xml",
    ),
    "html as png": ("foto.png", b"<html><script>alert(1)</script></html>", "image/png"),
    "truncated png": ("foto.png", _png()[:40], "image/png"),
    "pixel bomb": ("bomba.png", _pixel_bomb(), "image/png"),
    "empty file": ("vuoto.jpg", b"", "image/jpeg"),
    "oversized": ("grande.jpg", b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024 + 10), "image/jpeg"),
    "polyglot gif/js": ("x.gif", b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=alert(1);", "image/gif"),
}


@pytest.mark.parametrize("attack", sorted(UPLOAD_ATTACKS))
def test_upload_attacks_are_refused_with_a_message(attack):
    name, content, mime = UPLOAD_ATTACKS[attack]
    with pytest.raises(ImageRejected) as refusal:
        image_accept(SimpleUploadedFile(name, content, content_type=mime))
    assert len(str(refusal.value)) > 10


@pytest.mark.parametrize("attack", ["php disguised as jpg", "svg with script", "pixel bomb"])
def test_upload_attack_over_http_saves_nothing_and_explains(
    client, open_consultation, user, attack
):
    name, content, mime = UPLOAD_ATTACKS[attack]
    client.force_login(user)
    before = Proposal.objects.count()
    response = client.post(
        reverse("proposals:create", args=[open_consultation.pk]),
        {
            "title": "Una proposta con immagine",
            "body": "Un testo abbastanza lungo per essere accettato dal modulo.",
            "image": SimpleUploadedFile(name, content, content_type=mime),
        },
    )
    assert response.status_code == 200  # the form again, with the reason
    assert Proposal.objects.count() == before
    assert "immagine" in response.content.decode().lower()


def _jpeg_claiming(width: int, height: int) -> bytes:
    """A real 8 × 8 JPEG whose frame header (SOF0) claims ``width`` × ``height`` pixels."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, format="JPEG")
    data = bytearray(out.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    return bytes(data)


def _gif_claiming(width: int, height: int) -> bytes:
    """A real 8 × 8 GIF whose logical screen claims ``width`` × ``height`` pixels."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("P", (8, 8)).save(out, format="GIF")
    data = bytearray(out.getvalue())
    data[6:10] = width.to_bytes(2, "little") + height.to_bytes(2, "little")
    return bytes(data)


def _decompression_bomb() -> bytes:
    """A genuine 6,400 × 6,400 PNG (41 megapixels of zeros) that compresses to a few KB."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (6400, 6400)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _plain_png(width: int, height: int, mode: str = "RGBA") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new(mode, (width, height)).save(out, format="PNG", optimize=True)
    return out.getvalue()


HUGE_PICTURES = {
    "jpeg claiming 60000 x 60000": ("enorme.jpg", lambda: _jpeg_claiming(60000, 60000)),
    # issue 11: a 155 KB PNG of 40 megapixels took 646 MB to process
    "png 40 megapixels rgba": ("bomba40.png", lambda: _plain_png(8000, 5000)),
    "png just over 16 megapixels": ("quasi.png", lambda: _plain_png(4100, 4000, "RGB")),
    "gif claiming 65535 x 65535": ("enorme.gif", lambda: _gif_claiming(65535, 65535)),
    "png decompression bomb": ("bomba.png", _decompression_bomb),
}
PICTURE_NAMES = [
    "../../etc/passwd.png",
    "..\\..\\win.png",
    "/etc/x.png",
    "foto\x00.php.png",
    "a" * 300 + ".png",
    "foto-àèìòù-日本語-😀.png",
    "<script>alert(1)</script>.png",
]


@pytest.mark.parametrize("attack", sorted(HUGE_PICTURES))
def test_huge_picture_dimensions_are_refused(attack):
    name, build = HUGE_PICTURES[attack]
    content = build()
    assert len(content) < 200_000  # small on the wire: only the pixels would be huge
    with pytest.raises(ImageRejected) as refusal:
        image_accept(SimpleUploadedFile(name, content, content_type="image/png"))
    assert len(str(refusal.value)) > 10


@pytest.mark.parametrize("name", PICTURE_NAMES)
def test_hostile_picture_name_is_replaced(
    client, open_consultation, user, name, django_capture_on_commit_callbacks
):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):  # the picture's task, on commit
        response = client.post(
            reverse("proposals:create", args=[open_consultation.pk]),
            {
                "title": "Una proposta con immagine",
                "body": "Un testo abbastanza lungo per essere accettato dal modulo.",
                "image": SimpleUploadedFile(name, _png(), content_type="image/png"),
            },
        )
    assert response.status_code in (200, 302)
    proposal = Proposal.objects.filter(author=user).first()
    if proposal is None:  # refused: the form again, with the reason
        assert "immagine" in response.content.decode().lower()
        return
    assert re.fullmatch(r"proposals/[0-9a-f]{32}\.(jpg|png)", proposal.image.name)
    media = Path(django_settings.MEDIA_ROOT).resolve()
    assert Path(proposal.image.path).resolve().is_relative_to(media)


def test_a_real_picture_is_accepted():
    data = image_accept(SimpleUploadedFile("ok.png", _png(), content_type="image/png"))
    assert image_rendition(data).extension in ("jpg", "png")


# --------------------------------------------------------------------------- XSS corpus
def test_xss_corpus_renders_inert(client, open_consultation):
    author = UserFactory(display_name="<script>alert('nome')</script>")
    shown = []
    for payload in XSS_CORPUS:
        proposal = proposal_services.proposal_submit(
            consultation=open_consultation,
            author=author,
            title=f"Titolo {payload}"[:140],
            body=f"Testo della proposta: {payload} fine.",
        )
        Comment.objects.create(proposal=proposal, author=author, body=f"Commento {payload}")
        shown.append(proposal)
    pages = [open_consultation.url] + [p.get_absolute_url() for p in shown]
    for url in pages:
        html = client.get(url).content.decode()
        found = LIVE_MARKUP.search(html)
        assert found is None, f"{url}: live markup {found.group(0)!r}"
    # the text is still there, escaped: people see what was written
    html = client.get(shown[0].get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(" in html


def test_decimal_edge_values_in_services_are_refusals(open_consultation, user):
    for bad in ("NaN", "sNaN", "Infinity", Decimal("NaN"), float("nan"), "1e999999"):
        with pytest.raises(REFUSALS):
            proposal_services.proposal_submit(
                consultation=open_consultation,
                author=user,
                title="Una proposta",
                body="Un testo abbastanza lungo per la proposta.",
                latitude=bad,
                longitude=bad,
            )


# --------------------------------------------------------------------------- ids and next
# Unicode digits pass str.isdigit() but are no id; Python's int() reads some of them ("١٢")
# and refuses others ("²"): either way they must end in a message, never a 500.
UNICODE_DIGITS = ["²", "¹²", "١٢", "۳", "①", "߁", "𝟙", "५", "１２", "٣٤٥٦٧٨٩٠١٢٣٤٥٦٧٨٩٠"]
# Past a 64-bit column, negative, signed, spaced, float-like, and past int()'s 4300 digits.
OVERFLOW_IDS = [
    "9" * 20,
    "1" + "0" * 24,
    str(2**63),
    str(2**64),
    "-1",
    "-" + "9" * 20,
    "+1",
    " 7 ",
    "0",
    "1.0",
    "1e3",
    "0x10",
    "9" * 5000,
]
ID_LIKE = UNICODE_DIGITS + OVERFLOW_IDS
id_like = st.one_of(
    st.sampled_from(ID_LIKE),
    st.integers().map(str),
    st.text(
        alphabet=st.characters(whitelist_categories=("Nd", "No", "Nl")), min_size=1, max_size=24
    ),
)
HOSTILE_NEXT = [
    "foo",
    "foo.bar",
    "//evil.example",
    "https://evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    "\\evil",
    "\\\\evil",
    "/\\evil.example",
    " //evil.example",
    "/%0d%0aSet-Cookie:x=1",
    "data:text/html,<script>alert(1)</script>",
]
next_values = st.one_of(st.sampled_from(HOSTILE_NEXT), st.text(max_size=40))
REDIRECTS = (301, 302, 303, 307, 308)


def assert_local_location(response) -> None:
    """A redirect goes to a path of this site (never another host or a script)."""
    if response.status_code in REDIRECTS:
        location = response["Location"].removeprefix("http://testserver")
        assert location.startswith("/"), location
        assert not location.startswith(("//", "/\\")), location


def assert_stays_on_site(response) -> None:
    """No 5xx, and a redirect stays on this site."""
    assert_answered(response, 200, *REDIRECTS, 403, 404)
    assert_local_location(response)


@HTTP_FUZZ
@given(next_url=next_values, azione=st.sampled_from(["", "ritira"]))
@example(next_url="foo", azione="")
def test_support_form_next_never_fails_nor_leaves(client, proposal, user, next_url, azione):
    client.force_login(user)
    response = client.post(
        reverse("proposals:vote", args=[proposal.pk]), {"azione": azione, "next": next_url}
    )
    assert_stays_on_site(response)


@HTTP_FUZZ
@given(notification=st.one_of(st.just(""), id_like), next_url=next_values)
@example(notification="²", next_url="")
@example(notification="", next_url="foo")
def test_notification_read_never_fails_nor_leaves(client, user, notification, next_url):
    client.force_login(user)
    response = client.post(
        reverse("notifications:read"), {"notification": notification, "next": next_url}
    )
    assert_stays_on_site(response)


@pytest.fixture
def budget_consultation(plan):
    from decimal import Decimal

    from tests.consultations.factories import make_consultation
    from tests.proposals.factories import on_ballot

    consultation = make_consultation(
        phase="voting", vote_mode="budget", total_budget=Decimal("100")
    )
    on_ballot(consultation=consultation, cost=Decimal("40"))
    return consultation


@HTTP_FUZZ
@given(chosen=st.lists(st.one_of(id_like, st.just("REAL")), max_size=4))
@example(chosen=["²"])
@example(chosen=["9" * 25])
@example(chosen=["REAL", "-1"])
def test_budget_ballot_ids_never_fail(client, budget_consultation, user, chosen):
    from proposals.models import BudgetBallot

    real = str(Proposal.objects.filter(consultation=budget_consultation).first().pk)
    chosen = [real if value == "REAL" else value for value in chosen]
    client.force_login(user)
    BudgetBallot.objects.filter(voter=user).delete()
    response = client.post(
        reverse("proposals:budget", args=[budget_consultation.pk]), {"proposte": chosen}
    )
    assert_answered(response, 200, 302)
    if any(value != real for value in chosen):  # a tampered choice writes nothing
        assert not BudgetBallot.objects.filter(voter=user).exists()


@HTTP_FUZZ
@given(action=id_like)
@example(action="9" * 21)
@example(action="²")
def test_amended_action_ids_never_fail(client, open_consultation, user, action):
    client.force_login(user)
    before = Proposal.objects.count()
    response = client.post(
        reverse("proposals:create", args=[open_consultation.pk]) + "?tipo=emendamento",
        {
            "title": "Un emendamento all'azione",
            "body": "Un testo abbastanza lungo per spiegare la modifica proposta.",
            "amended_action": action,
            "amended_text": "Il nuovo testo dell'azione, riscritto.",
        },
    )
    assert_answered(response, 200)  # the form again, with the reason
    assert Proposal.objects.count() == before
    assert "errorlist" in response.content.decode() or "error" in response.content.decode()


@HTTP_FUZZ
@given(parent=id_like, query=id_like, key=st.sampled_from(["categoria", "comune", "pagina"]))
@example(parent="²", query="²", key="categoria")
def test_comment_parent_and_listing_ids_never_fail(
    client, open_consultation, user, parent, query, key
):
    proposal = Proposal.objects.filter(consultation=open_consultation).first() or (
        Proposal.objects.create(
            consultation=open_consultation, author=user, title="Titolo", body="x" * 30
        )
    )
    client.force_login(UserFactory())
    response = client.post(
        reverse("proposals:comment", args=[proposal.pk]), {"body": "Ciao", "parent": parent}
    )
    assert_stays_on_site(response)
    assert_answered(client.get(open_consultation.url, {key: query}), 200)


# --------------------------------------------------------------------------- e-mail subjects
@pytest.mark.parametrize(
    "title",
    [
        "Una proposta\ncon un a capo",
        "Una proposta\r\nBcc: altri@example.org",
        "Titolo\rcon ritorno",
        "Titolo\u2028con separatore di riga",
        "Titolo\x0bcon tab verticale\x0c",
    ],
)
def test_line_breaks_in_a_title_never_leave_an_email_pending(
    django_capture_on_commit_callbacks, open_consultation, user, title, mailoutbox
):
    """A title with a line break ends in a notification e-mail ``sent`` (the subject folded
    on one line) or ``failed`` with the reason, never ``pending`` for ever."""
    from notifications.models import DeliveryStatus, EmailDelivery
    from notifications.services import notify

    with django_capture_on_commit_callbacks(execute=True):
        notify(user=user, key=f"drill:{title!r}", kind="status_changed", title=title)
    delivery = EmailDelivery.objects.get(idempotency_key=f"email:drill:{title!r}")
    assert delivery.status in (DeliveryStatus.SENT, DeliveryStatus.FAILED), delivery.status
    if delivery.status == DeliveryStatus.SENT:
        subject = mailoutbox[-1].subject
        assert not re.search(r"[\r\n\x0b\x0c\u2028\u2029]", subject), subject
    else:
        assert delivery.last_error
