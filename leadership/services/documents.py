"""The PDF documents of a draft application (checked, stored privately under a random name)."""

import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from leadership.models import Application, ApplicationDocument, CallDocument
from leadership.pdfcheck import PdfRejected, check_pdf
from leadership.services.access import require_own_draft


@transaction.atomic
def application_upload_document(
    *, application: Application, requirement: CallDocument, upload, actor: User
) -> ApplicationDocument:
    require_own_draft(application, actor)
    if requirement.call_id != application.call_id:
        raise ValidationError(_("Questo documento non è richiesto da questo bando."))
    max_bytes = application.call.max_document_mb * 1024 * 1024
    if upload.size > max_bytes:
        raise ValidationError(
            _("Il file supera la dimensione massima di %(mb)d MB.")
            % {"mb": application.call.max_document_mb}
        )
    data = upload.read(max_bytes + 1)
    try:
        check_pdf(data, max_bytes=max_bytes)
    except PdfRejected as error:
        raise ValidationError(str(error)) from error
    old = ApplicationDocument.objects.filter(application=application, requirement=requirement)
    for document in old:
        document.file.delete(save=False)
    old.delete()
    document = ApplicationDocument(
        application=application,
        requirement=requirement,
        original_name=(upload.name or "documento.pdf")[-200:],
        size=len(data),
    )
    document.file.save(f"{secrets.token_urlsafe(24)}.pdf", ContentFile(data), save=False)
    document.save()
    return document


@transaction.atomic
def application_delete_document(*, document: ApplicationDocument, actor: User) -> None:
    require_own_draft(document.application, actor)
    document.file.delete(save=False)
    document.delete()
