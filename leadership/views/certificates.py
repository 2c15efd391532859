"""The completion certificate: its PDF for the holder, its public verification."""

import io

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from leadership import certificates
from leadership.models import Certificate


@login_required
def certificate_pdf(request, code):
    certificate = get_object_or_404(
        Certificate.objects.select_related("application"), code=code, revoked_at__isnull=True
    )
    if not (
        certificate.application.applicant_id == request.user.pk
        or request.user.has_perm("leadership.coordinate")
    ):
        raise Http404
    verify_url = request.build_absolute_uri(reverse("leadership:verify_code", args=[code]))
    data = certificates.certificate_pdf(certificate, verify_url=verify_url)
    return FileResponse(
        io.BytesIO(data),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"attestato-{code}.pdf",
    )


def verify(request, code=None):
    code = (code or request.GET.get("code", "")).strip().upper()
    certificate = None
    if code:
        certificate = Certificate.objects.filter(code=code).first()
    return render(
        request,
        "leadership/verify.html",
        {"code": code, "certificate": certificate, "searched": bool(code)},
    )
