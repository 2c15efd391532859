"""Pictures attached to proposals: checked by content, shrunk, stripped of metadata."""

from __future__ import annotations

import io
import uuid

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 1600
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


class ImageRejected(ValueError):
    pass


def image_prepare(upload) -> ContentFile:
    """A clean copy of ``upload``: JPEG or PNG, at most 1600 px a side, no EXIF.

    The type is decided by the content (Pillow), never by the name or the browser's word.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ImageRejected(_("L'immagine supera i 5 MB: scegline una più leggera."))
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImageRejected(_("L'immagine supera i 5 MB: scegline una più leggera."))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            if image_format not in ACCEPTED_FORMATS:
                raise ImageRejected(_("Sono accettate solo immagini JPEG, PNG, WebP o GIF."))
            if width * height > MAX_PIXELS:
                raise ImageRejected(
                    _("L'immagine è troppo grande (oltre 40 megapixel): riducila e riprova.")
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            has_alpha = image.mode in ("RGBA", "LA", "P") and (
                image.mode != "P" or "transparency" in image.info
            )
            out = io.BytesIO()
            if has_alpha:
                image = image.convert("RGBA")
                clean = Image.new("RGBA", image.size)
                clean.paste(image)
                clean.save(out, format="PNG", optimize=True)
                extension = "png"
            else:
                clean = Image.new("RGB", image.size)
                clean.paste(image.convert("RGB"))
                clean.save(out, format="JPEG", quality=85, optimize=True)
                extension = "jpg"
    except ImageRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ImageRejected(
            _("Il file non è un'immagine valida (sono accettate JPEG, PNG, WebP o GIF).")
        ) from None
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")
