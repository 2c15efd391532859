"""Pictures attached to proposals: checked by content in the request, then shrunk and stripped
of metadata by a Celery task, in a child process with a memory ceiling."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from proposals import image_worker

WORKER = image_worker.__file__
logger = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
#: Decoded size bound, read from the header before any pixel is decoded: 16 megapixels is
#: a 4:3 photo of 4600 x 3460, more than any phone sends after its own resizing, and decodes
#: to at most 64 MB (RGBA). A 155 KB PNG can claim 40 megapixels (a decompression bomb).
MAX_PIXELS = 16_000_000
MAX_SIDE = image_worker.MAX_SIDE
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
#: The re-encoding process's address-space ceiling and CPU seconds (see ``image_worker``).
MEMORY_CEILING = 384 * 1024 * 1024
CPU_SECONDS = 20


class ImageRejected(ValueError):
    pass


@dataclass(frozen=True)
class Rendition:
    content: bytes
    extension: str
    #: The re-encoding process's own peak resident memory, in bytes (for the drill).
    peak_bytes: int


def image_accept(upload) -> bytes:
    """The bytes of ``upload`` if they can be a picture we take: checked in the request.

    The type is decided by the content (Pillow), never by the name or the browser's word.
    Format, declared size and the file's structure are checked from the header and the chunks,
    without decoding a pixel; decoding and re-encoding happen later, in the Celery task
    ``proposals.tasks.process_image``, in a separate process with a memory ceiling
    (``image_rendition``).
    """
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ImageRejected(_("L'immagine supera i 5 MB: scegline una più leggera."))
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImageRejected(_("L'immagine supera i 5 MB: scegline una più leggera."))
    image_check_header(data)
    return data


def _not_an_image() -> ImageRejected:
    return ImageRejected(
        _("Il file non è un'immagine valida (sono accettate JPEG, PNG, WebP o GIF).")
    )


def image_check_header(data: bytes) -> None:
    """Refuse by format and declared size, reading the header only (no pixel is decoded)."""
    try:
        with Image.open(io.BytesIO(data), formats=sorted(ACCEPTED_FORMATS)) as probe:
            width, height = probe.size
            probe.verify()  # the file's structure (PNG chunks and their checksums), no pixels
    except Image.DecompressionBombError:
        raise _too_big() from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise _not_an_image() from None
    if width <= 0 or height <= 0:
        raise _not_an_image()
    if width * height > MAX_PIXELS:
        raise _too_big()


def _too_big() -> ImageRejected:
    return ImageRejected(
        _("L'immagine è troppo grande (oltre %(mp)d megapixel): riducila e riprova.")
        % {"mp": MAX_PIXELS // 1_000_000}
    )


def image_rendition(data: bytes) -> Rendition:
    """Decode and re-encode ``data`` in a child process with a hard memory ceiling."""
    process = subprocess.Popen(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, "-I", WORKER, str(MEMORY_CEILING), str(CPU_SECONDS)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    # The worker reads all its input before writing: writing then reading cannot deadlock.
    try:
        process.stdin.write(data)
        process.stdin.close()
    except BrokenPipeError:
        pass
    output = process.stdout.read()
    process.stdout.close()
    process.wait()
    if process.returncode == 3 or process.returncode < 0:
        # out of memory, or ended by the CPU limit
        raise ImageRejected(
            _(
                "L'immagine richiede troppa memoria o troppo tempo per essere elaborata: "
                "riducila o salvala di nuovo e riprova."
            )
        )
    if process.returncode not in (0, 2):
        # not the picture's fault: the worker itself failed (say, Pillow missing)
        logger.error("image worker exited with %s", process.returncode)
    header, _newline, content = output.partition(b"\n")
    extension, _space, peak = header.partition(b" ")
    if process.returncode != 0 or extension not in (b"jpg", b"png") or not content:
        raise _not_an_image()
    return Rendition(content=content, extension=extension.decode(), peak_bytes=int(peak or 0))
