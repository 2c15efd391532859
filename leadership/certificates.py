"""The completion certificate (PDF, reportlab) and QR codes (SVG, no inline script or style)."""

import io

import qrcode
import qrcode.image.svg
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from leadership.models import Certificate


def qr_svg(url: str) -> str:
    """An SVG QR code (paths only) for embedding in a page."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    svg = image.to_string(encoding="unicode")
    return svg.replace("<svg ", '<svg role="img" aria-label="Codice QR per la presenza" ', 1)


def certificate_pdf(certificate: Certificate, *, verify_url: str) -> bytes:
    # reportlab only when a certificate is drawn, not in every web worker (docs/performance.md, "Worker memory").
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(_("Attestato di partecipazione"))
    pdf.setAuthor("Città metropolitana di Torino — PSM Giovani")
    pdf.setFont("Helvetica-Bold", 28)
    pdf.drawCentredString(width / 2, height - 120, _("Attestato di partecipazione"))
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(width / 2, height - 170, _("Si attesta che"))
    pdf.setFont("Helvetica-Bold", 22)
    pdf.drawCentredString(width / 2, height - 210, certificate.holder_name)
    pdf.setFont("Helvetica", 14)
    pdf.drawCentredString(
        width / 2, height - 250, _("ha completato il percorso di leadership civica")
    )
    pdf.drawCentredString(width / 2, height - 272, certificate.programme_title)
    issued = date_format(timezone.localtime(certificate.issued_at), "j F Y")
    pdf.drawCentredString(
        width / 2,
        height - 300,
        _("Piano Strategico Metropolitano, azione 5.2.2 — rilasciato il %(d)s") % {"d": issued},
    )
    pdf.setFont("Helvetica", 11)
    pdf.drawString(60, 90, _("Codice di verifica: %(c)s") % {"c": certificate.code})
    pdf.drawString(60, 72, _("Verifica: %(u)s") % {"u": verify_url})
    widget = QrCodeWidget(verify_url)
    x0, y0, x1, y1 = widget.getBounds()
    size = 110
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, width - 60 - size, 50)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
