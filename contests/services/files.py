"""An entry's files: PDF boards and pictures, checked by content like the platform's other
uploads (the leadership's strict PDF check, the proposals' picture check), stored privately
under a random name, with a copy for the jury that has no metadata."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from contests.metadata import image_names, pdf_names, pdf_without_metadata
from contests.models import Entry, EntryFile, FileKind
from contests.services.entries import require_draft, require_member
from leadership.pdfcheck import PdfRejected, check_pdf
from proposals.images import ImageRejected, image_check_header, image_rendition


def read_upload(upload, max_bytes: int) -> bytes:
    """The upload's bytes, refused past ``max_bytes`` (read at most one byte more)."""
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("Il file supera la dimensione massima di %(mb)d MB.") % {"mb": max_bytes // 2**20}
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            _("Il file supera la dimensione massima di %(mb)d MB.") % {"mb": max_bytes // 2**20}
        )
    return data


def _checked(data: bytes, max_bytes: int) -> tuple[str, bytes, str, list[str]]:
    """(kind, the jury's copy, extension, names found in the metadata)."""
    if data.lstrip()[:5] == b"%PDF-":
        try:
            check_pdf(data, max_bytes=max_bytes)
        except PdfRejected as error:
            raise ValidationError(str(error)) from error
        return FileKind.BOARD, pdf_without_metadata(data), "pdf", pdf_names(data)
    try:
        image_check_header(data)
        names = image_names(data)
        rendition = image_rendition(data)  # re-encoded without metadata, memory-capped
    except ImageRejected:
        raise ValidationError(
            _("Sono accettati tavole in PDF e immagini JPEG, PNG, WebP o GIF.")
        ) from None
    return FileKind.IMAGE, rendition.content, rendition.extension, names


@transaction.atomic
def file_upload(*, entry: Entry, actor: User, upload) -> EntryFile:
    entry = Entry.objects.select_for_update().select_related("contest").get(pk=entry.pk)
    require_member(entry, actor)
    require_draft(entry)
    contest = entry.contest
    if entry.files.count() >= contest.max_files:
        raise ValidationError(
            _("Puoi caricare al massimo %(n)d file: togline uno prima.") % {"n": contest.max_files}
        )
    max_bytes = contest.max_file_mb * 1024 * 1024
    kind, clean, extension, names = _checked(read_upload(upload, max_bytes), max_bytes)
    item = EntryFile(
        entry=entry,
        kind=kind,
        original_name=(upload.name or f"file.{extension}").replace("\x00", "")[-200:],
        size=len(clean),
        metadata_names=names,
    )
    item.file.save(f"{secrets.token_urlsafe(24)}.{extension}", ContentFile(clean), save=False)
    item.save()
    return item


@transaction.atomic
def file_delete(*, item: EntryFile, actor: User) -> None:
    require_member(item.entry, actor)
    require_draft(item.entry)
    item.file.delete(save=False)
    item.delete()
