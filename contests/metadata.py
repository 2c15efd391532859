"""What a file's metadata says about who made it, and a copy of the file without it.

The jury sees entries by code only: the entrant is warned when a file's metadata carries a
name (PDF document information and XMP, image EXIF), and the jury downloads a copy with the
metadata removed (PDF: document information and XMP dropped with pikepdf; images re-encoded
by the proposals' image worker, which keeps no metadata).
"""

from __future__ import annotations

import io

from PIL import Image

# pikepdf (qpdf) is imported by the two functions that read a PDF: a web worker that never
# handles a contest file stays lighter (docs/performance.md, "Worker memory").

#: EXIF tags that can name a person: Artist, Copyright, XPAuthor, ImageDescription,
#: camera owner name.
EXIF_TAGS = {
    315: "Artist",
    33432: "Copyright",
    40093: "XPAuthor",
    270: "ImageDescription",
    42032: "CameraOwnerName",
}
#: PDF document-information keys and XMP properties that can name a person or an organisation
#: (software names such as /Producer are not reported).
NAMING_PDF_KEYS = ("/Author", "/Title", "/Subject", "/Keywords")
NAMING_XMP_KEYS = ("dc:creator", "dc:rights", "pdf:Author")


def _text(value) -> str:
    if isinstance(value, bytes):
        for encoding in ("utf-16", "utf-8", "latin-1"):
            try:
                value = value.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    return str(value).replace("\x00", "").strip()[:120]


def pdf_names(data: bytes) -> list[str]:
    """The metadata fields of a PDF that may name someone, as "field: value"."""
    import pikepdf

    found = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        info = pdf.docinfo
        found.extend(
            f"{key[1:]}: {_text(info[key])}"
            for key in NAMING_PDF_KEYS
            if key in info and _text(info[key])
        )
        try:
            with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
                for key in NAMING_XMP_KEYS:
                    value = meta.get(key)
                    if value:
                        text = _text(", ".join(value) if isinstance(value, list | set) else value)
                        if text:
                            found.append(f"{key}: {text}")
        except Exception:  # noqa: BLE001, S110 - unreadable XMP: nothing to report from it
            pass
    return found


def pdf_without_metadata(data: bytes) -> bytes:
    """The PDF with its document information and XMP metadata removed."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        for key in list(pdf.docinfo.keys()):
            del pdf.docinfo[key]
        if "/Metadata" in pdf.Root:
            del pdf.Root["/Metadata"]
        for page in pdf.pages:
            if "/Metadata" in page.obj:
                del page.obj["/Metadata"]
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def image_names(data: bytes) -> list[str]:
    """The EXIF tags of an image that may name someone, as "tag: value" (header only)."""
    found = []
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        for tag, label in EXIF_TAGS.items():
            value = exif.get(tag)
            if value and _text(value):
                found.append(f"{label}: {_text(value)}")
    return found
