"""A small, strict check that an upload is a plain PDF (by content, not by its name)."""

import re
import zlib

from django.utils.translation import gettext as _

# Names that run code or open other programs. PDF names may escape characters as #xx.
_DANGEROUS = {b"/javascript", b"/js", b"/launch"}
_NAME = re.compile(rb"/[^\s/\[\]<>(){}%]+")
_HEX = re.compile(rb"#([0-9a-fA-F]{2})")


class PdfRejected(ValueError):
    pass


def _normalise(name: bytes) -> bytes:
    return _HEX.sub(lambda m: bytes([int(m.group(1), 16)]), name).lower()


def check_pdf(data: bytes, *, max_bytes: int) -> None:
    """Raise ``PdfRejected`` with a plain Italian message if ``data`` is not an acceptable PDF."""
    if len(data) == 0:
        raise PdfRejected(_("Il file è vuoto."))
    if len(data) > max_bytes:
        raise PdfRejected(
            _("Il file supera la dimensione massima di %(mb)d MB.")
            % {"mb": max_bytes // (1024 * 1024)}
        )
    if not data.startswith(b"%PDF-"):
        raise PdfRejected(_("Il file non è un PDF: carica il documento in formato PDF."))
    tail = data[-2048:]
    if b"%%EOF" not in tail or (b"xref" not in data and b"/XRef" not in data):
        raise PdfRejected(_("Il PDF è incompleto o danneggiato: prova a esportarlo di nuovo."))
    if not re.search(rb"\d+\s+\d+\s+obj", data):
        raise PdfRejected(_("Il PDF non contiene oggetti leggibili: prova a esportarlo di nuovo."))
    for chunk in _scannable(data):
        for match in _NAME.finditer(chunk):
            if _normalise(match.group(0)) in _DANGEROUS:
                raise PdfRejected(
                    _(
                        "Il PDF contiene codice eseguibile (JavaScript o azioni di avvio) e non "
                        "può essere accettato: salvalo di nuovo come PDF semplice."
                    )
                )


_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
_MAX_INFLATED = 20 * 1024 * 1024


def _scannable(data: bytes):
    """The file itself, then each compressed stream inflated (object streams can hide names)."""
    yield data
    budget = _MAX_INFLATED
    for match in _STREAM.finditer(data):
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(match.group(1), budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        yield inflated
        if budget <= 0:
            raise PdfRejected(_("Il PDF contiene troppi dati compressi per essere verificato."))
